import type { CrmStage, StageOutcome } from '../../model';
import { amocrmOutcomes } from './selectors';

// One collator, not `localeCompare` with options, which builds one per call.
const names = new Intl.Collator(undefined, { sensitivity: 'accent' });

function sameName(a: string, b: string): boolean {
  return names.compare(a, b) === 0;
}

/** 142 and 143 are the won and lost statuses of every pipeline; any other status is in progress. */
function outcomeOf(id: string): StageOutcome {
  if (id === amocrmOutcomes.wonStatusId) return 'won';
  if (id === amocrmOutcomes.lostStatusId) return 'lost';
  return 'in_progress';
}

/** A stage by its status id, the outcome told by the id. */
export function amocrmStage(id: string, name: string): CrmStage {
  return { id, name, outcome: outcomeOf(id) };
}

/**
 * A stage known by its name only. The system statuses have one id in every pipeline, so their names
 * give their ids; any other name stays the stage's key, its outcome unknown.
 */
export function amocrmStageNamed(name: string): CrmStage {
  if (amocrmOutcomes.wonNames.some((won) => sameName(won, name)))
    return amocrmStage(amocrmOutcomes.wonStatusId, name);
  if (amocrmOutcomes.lostNames.some((lost) => sameName(lost, name)))
    return amocrmStage(amocrmOutcomes.lostStatusId, name);
  return { id: name, name, outcome: null };
}
