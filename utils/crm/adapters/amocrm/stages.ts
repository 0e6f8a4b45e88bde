import type { CrmStage, StageOutcome } from '../../model';
import { amocrmOutcomes } from './selectors';

// One collator, not `localeCompare` with options, which builds one per call.
const names = new Intl.Collator(undefined, { sensitivity: 'accent' });

function sameName(a: string, b: string): boolean {
  return names.compare(a, b) === 0;
}

/** Won/lost from amoCRM's system status ids or names; any other known status is in progress. */
function outcomeOf(id: string | null, name: string): StageOutcome | null {
  if (id === amocrmOutcomes.wonStatusId || amocrmOutcomes.wonNames.some((won) => sameName(won, name)))
    return 'won';
  if (id === amocrmOutcomes.lostStatusId || amocrmOutcomes.lostNames.some((lost) => sameName(lost, name))) {
    return 'lost';
  }
  return id ? 'in_progress' : null;
}

/** A stage with its status id when the page shows one, else keyed by its name. */
export function amocrmStage(id: string | null, name: string): CrmStage {
  return { id: id ?? name, name, outcome: outcomeOf(id, name) };
}
