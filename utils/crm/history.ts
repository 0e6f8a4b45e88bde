import type { Problems } from './dom';
import type { CrmStage, StageVisit } from './model';
import type { ParsedDate } from './parse/dates';

/** When something happened, as far as the page tells. */
export interface Moment {
  instant: string;
  /** Not exact: the page showed the day only, or a relative time. */
  estimated: boolean;
}

/** A day-precision date stands for local midnight, so its time is an estimate. */
export function momentOf(parsed: ParsedDate): Moment {
  return { instant: parsed.instant, estimated: parsed.precision === 'day' };
}

/** One stage change read from a deal's timeline; `at` is null when its date could not be read. */
export interface StageChange {
  from: CrmStage | null;
  to: CrmStage;
  at: Moment | null;
}

/**
 * The stage the deal started in: the "was" of the change that no other change led to, whatever
 * order the changes are in and whether their dates were read; else the oldest change's "was".
 */
function startStage(changes: StageChange[]): CrmStage | null {
  const entered = new Set(changes.map((change) => change.to.id));
  return (
    changes.find((change) => change.from && !entered.has(change.from.id))?.from ?? changes[0]?.from ?? null
  );
}

function visit(stage: CrmStage, at: Moment, source: StageVisit['source']): StageVisit {
  return { stage, enteredAt: at.instant, source, estimated: at.estimated };
}

/**
 * Stage visits oldest first. The first visit is the stage at creation (where the changes start,
 * else the current stage), entered at `created`; then one visit per change whose date was read
 * (a change without one still tells where the deal started; its own visit cannot be placed).
 * `changes` must be oldest first: they are not sorted here, as a day-precision time (midnight) would
 * jump ahead of the exact changes of the same day.
 * Without a creation time the first stage has no time: it is left out, and reported when `problems` is given.
 */
export function buildHistory(
  changes: StageChange[],
  current: CrmStage | null,
  created: Moment | null,
  problems?: Problems,
): StageVisit[] {
  const first = changes.length > 0 ? startStage(changes) : current;
  const visits: StageVisit[] = [];
  if (first && created) visits.push(visit(first, created, 'created'));
  else if (first && changes.length > 0) {
    problems?.add({
      code: 'history_start_unknown',
      field: 'history[0].enteredAt',
      detail: first.name,
      severity: 'warning',
    });
  }
  for (const { to, at } of changes) if (at) visits.push(visit(to, at, 'timeline'));
  return mergeRepeats(keepMonotonic(visits));
}

/**
 * An estimated time (a day's midnight, a relative "5 minutes ago") can precede the exact time of the
 * visit before it; visits must not go back in time, so such an estimate moves up to its predecessor.
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
  return visits.filter((visit, index) => visit.stage.id !== visits[index - 1]?.stage.id);
}

/**
 * Stages a timeline names, keyed by the page's own list of stages (names compared case-insensitively).
 * A name not on the list becomes `unknown(name)`, reported once as `stage_id_unknown`.
 */
export function stageResolver(
  known: readonly CrmStage[],
  unknown: (name: string) => CrmStage,
  problems: Problems,
): (name: string) => CrmStage {
  const byName = new Map(known.map((stage) => [stage.name.toLowerCase(), stage]));
  const reported = new Set<string>();
  return (name) => {
    const stage = byName.get(name.toLowerCase());
    if (stage) return stage;
    if (!reported.has(name)) {
      reported.add(name);
      problems.add({ code: 'stage_id_unknown', field: 'history', detail: name, severity: 'warning' });
    }
    return unknown(name);
  };
}
