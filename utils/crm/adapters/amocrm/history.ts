import type { Problems } from '../../dom';
import type { CrmStage, ScrapeContext, StageVisit } from '../../model';
import { parseCrmDate } from '../../parse/dates';

/** One stage change read from a deal's timeline. */
export interface StageChange {
  from: CrmStage | null;
  to: CrmStage;
  at: string;
  estimated: boolean;
}

export interface ReadInstant {
  instant: string;
  estimated: boolean;
}

function byTime(a: StageChange, b: StageChange): number {
  return Date.parse(a.at) - Date.parse(b.at);
}

function mergeRepeats(visits: StageVisit[]): StageVisit[] {
  return visits.filter((visit, index) => visit.stage.id !== visits[index - 1]?.stage.id);
}

/**
 * Stage visits oldest first: the stage at creation (the oldest change's "was", else the current stage),
 * then one visit per change; consecutive repeats merged. Without a creation time the first stage has no
 * time, so it is left out and reported.
 */
export function buildHistory(
  changes: StageChange[],
  current: CrmStage | null,
  created: ReadInstant | null,
  problems: Problems,
): StageVisit[] {
  const ordered = [...changes].sort(byTime);
  const oldest = ordered[0];
  const initial = oldest ? oldest.from : current;
  const visits: StageVisit[] = [];
  if (initial && created) {
    visits.push({
      stage: initial,
      enteredAt: created.instant,
      source: 'created',
      estimated: created.estimated,
    });
  } else if (initial && oldest) {
    problems.add({
      code: 'history_start_unknown',
      field: 'history[0].enteredAt',
      detail: initial.name,
      severity: 'warning',
    });
  }
  for (const change of ordered) {
    visits.push({ stage: change.to, enteredAt: change.at, source: 'timeline', estimated: change.estimated });
  }
  return mergeRepeats(visits);
}

/** A CRM date text read in the page's context; day-only dates are marked estimated. */
export function parseInstant(
  text: string,
  context: ScrapeContext,
  locale: 'ru' | 'en' | null,
  order?: 'DMY' | 'MDY' | 'YMD',
): ReadInstant | null {
  const parsed = parseCrmDate(text, { now: context.now, timeZone: context.timeZone, locale, order });
  return parsed && { instant: parsed.instant, estimated: parsed.precision === 'day' };
}
