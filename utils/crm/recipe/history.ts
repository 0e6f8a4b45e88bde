import type { CrmStage, StageVisit } from '../model';
import type { ParsedDate } from '../parse/dates';

/** One stage change read from a deal's timeline. */
export interface StageChange {
  at: ParsedDate;
  from: CrmStage | null;
  to: CrmStage;
}

function visit(stage: CrmStage, at: ParsedDate, source: StageVisit['source']): StageVisit {
  return { stage, enteredAt: at.instant, source, estimated: at.precision === 'day' };
}

/**
 * Stage visits oldest first. The first visit is the stage at creation: the oldest change's "was"
 * value, or the current stage when the timeline shows no change, entered at `createdAt`.
 * `changes` must be oldest first.
 */
export function buildHistory(changes: StageChange[], current: CrmStage | null, createdAt: ParsedDate | null) {
  const visits: StageVisit[] = [];
  const first = changes.length > 0 ? changes[0]?.from : current;
  if (first && createdAt) visits.push(visit(first, createdAt, 'created'));
  for (const change of changes) visits.push(visit(change.to, change.at, 'timeline'));
  return mergeRepeats(keepMonotonic(visits));
}

/**
 * A day-precision time stands for midnight, which can precede the exact time of the visit before
 * it on the same day; visits must not go back in time, so such an estimate moves up to its predecessor.
 */
function keepMonotonic(visits: StageVisit[]): StageVisit[] {
  let previous: StageVisit | null = null;
  return visits.map((current) => {
    const fixed =
      previous && current.estimated && Date.parse(current.enteredAt) < Date.parse(previous.enteredAt)
        ? { ...current, enteredAt: previous.enteredAt }
        : current;
    previous = fixed;
    return fixed;
  });
}

function mergeRepeats(visits: StageVisit[]): StageVisit[] {
  return visits.filter((current, index) => index === 0 || visits[index - 1]?.stage.id !== current.stage.id);
}
