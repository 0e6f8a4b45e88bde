/**
 * Scheduled sync: when each pipeline's next run is due (every hour, or every day at HH:MM in the
 * browser's local time), how many API points a run is expected to cost, and how much of a run fits
 * in the points left today. Pure: the background opens the boards and sends (utils/background/).
 */
import { z } from 'zod';
import type { TrackedLimits } from '../comagic/client';

/**
 * A pipeline synced without a click: its board opened where the user does not see it, every hour
 * (at the minute of `at`) or every day at `at` (the browser's local time).
 */
export const ScheduleSchema = z.object({
  /** The pipeline's mapping key (utils/storage.ts `mappingKey`). */
  key: z.string().min(1).max(2_000),
  /** The board to open, on the CRM site of the mapping. */
  boardUrl: z.string().url().max(2_000),
  every: z.enum(['hour', 'day']),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/**
 * What the user switched on: the CRM sites (origins) in live mode, and the pipelines' schedules. Both
 * the user's own opt-in, empty by default. Kept apart from the settings, which their form saves whole.
 */
export const AutoSyncPrefsSchema = z.object({
  liveSites: z.array(z.string().max(2_000)).max(500),
  schedules: z.array(ScheduleSchema).max(200),
});
export type AutoSyncPrefs = z.infer<typeof AutoSyncPrefsSchema>;
export const NO_AUTO_SYNC: AutoSyncPrefs = { liveSites: [], schedules: [] };

const LimitsSchema = z.object({
  dayRemaining: z.number(),
  dayLimit: z.number(),
  /** Seconds from `at` until the day pool is full again, as CoMagic said. */
  dayReset: z.number(),
  at: z.number(),
});
export type SeenLimits = z.infer<typeof LimitsSchema>;

const RunStateSchema = z.object({
  /** Epoch ms of the last slot run (or skipped as the one before the schedule was made). */
  lastSlot: z.number(),
  /** Deals left for the next run when a run was cut to the day's points (ext_ids), first next time. */
  carried: z.array(z.string()),
  /** Deals the last run found changed: the next run's expected size. */
  lastChanged: z.number().nullable(),
  /** The user was told this schedule keeps failing; told again only after a run that went well. */
  notified: z.boolean(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export const ScheduleStateSchema = z.object({
  v: z.literal(1),
  runs: z.record(z.string(), RunStateSchema),
  limits: LimitsSchema.nullable(),
});
export type ScheduleState = z.infer<typeof ScheduleStateSchema>;
export const EMPTY_SCHEDULE_STATE: ScheduleState = { v: 1, runs: {}, limits: null };

function clock(at: string): { hour: number; minute: number } {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  return { hour, minute };
}

/** The latest slot at or before `now` (local time; a day keeps its HH:MM across a DST change). */
export function slotAtOrBefore(schedule: Pick<Schedule, 'every' | 'at'>, now: number): number {
  const { hour, minute } = clock(schedule.at);
  const slot = new Date(now);
  if (schedule.every === 'hour') {
    slot.setMinutes(minute, 0, 0);
    if (slot.getTime() > now) slot.setHours(slot.getHours() - 1);
  } else {
    slot.setHours(hour, minute, 0, 0);
    if (slot.getTime() > now) slot.setDate(slot.getDate() - 1);
  }
  return slot.getTime();
}

/** The first slot after `now`. */
export function nextSlot(schedule: Pick<Schedule, 'every' | 'at'>, now: number): number {
  const slot = new Date(slotAtOrBefore(schedule, now));
  if (schedule.every === 'hour') slot.setHours(slot.getHours() + 1);
  else slot.setDate(slot.getDate() + 1);
  return slot.getTime();
}

/**
 * What to do with a schedule now: run the latest slot it has not run (the slots missed while the
 * browser was closed make one run), or wait. A schedule seen for the first time starts with its
 * next slot, not with one that passed before it was made.
 */
export function dueSlot(
  schedule: Pick<Schedule, 'every' | 'at'>,
  run: RunState | undefined,
  now: number,
): { kind: 'run'; slot: number } | { kind: 'start'; slot: number } | { kind: 'wait' } {
  const slot = slotAtOrBefore(schedule, now);
  if (!run) return { kind: 'start', slot };
  return slot > run.lastSlot ? { kind: 'run', slot } : { kind: 'wait' };
}

/**
 * A run's API points, an upper estimate: what it reads of CoMagic (the deals' held history, the
 * employees, the contacts) and one upload, plus one call per deal for a new owner or a changed
 * contact, the calls the API takes one at a time. Reading the CRM costs no points; an unchanged
 * pipeline costs none.
 */
export const RUN_FIXED_POINTS = 4;
export const POINTS_PER_DEAL = 1;

export function runCost(deals: number): number {
  return deals === 0 ? 0 : RUN_FIXED_POINTS + deals * POINTS_PER_DEAL;
}

/** The points left today: CoMagic's last answer, or the whole day's once its reset has passed. */
/** The day's points as the Data API client last saw them in an answer; `null` before any answer. */
export function seenLimits(limits: TrackedLimits | null | undefined): SeenLimits | null {
  return limits
    ? {
        dayRemaining: limits.day_remaining,
        dayLimit: limits.day_limit,
        dayReset: limits.day_reset,
        at: limits.readAt,
      }
    : null;
}

export function dayPointsLeft(limits: SeenLimits | null, now: number): number | null {
  if (!limits) return null;
  return now >= limits.at + limits.dayReset * 1000 ? limits.dayLimit : limits.dayRemaining;
}

/**
 * The deals a run sends and those carried over to the next one: deals carried over before go first,
 * and no more go than the points left today pay for (all of them when CoMagic's limits are unknown).
 */
export function fitToBudget<T extends { dealExtId: string }>(
  deals: readonly T[],
  carried: readonly string[],
  pointsLeft: number | null,
): { send: T[]; carry: T[] } {
  const first = new Set(carried);
  const ordered = [
    ...deals.filter((deal) => first.has(deal.dealExtId)),
    ...deals.filter((deal) => !first.has(deal.dealExtId)),
  ];
  if (pointsLeft === null) return { send: ordered, carry: [] };
  const fits = Math.max(0, Math.floor((pointsLeft - RUN_FIXED_POINTS) / POINTS_PER_DEAL));
  return { send: ordered.slice(0, fits), carry: ordered.slice(fits) };
}

/** The state after a run of `slot`: what it carried over, how many deals had changed, whether told. */
export function afterRun(
  run: RunState | undefined,
  slot: number,
  outcome: { changed: number; carried: string[]; failed: boolean },
  notify: boolean,
): RunState {
  return {
    lastSlot: slot,
    carried: outcome.carried,
    lastChanged: outcome.failed ? (run?.lastChanged ?? null) : outcome.changed,
    notified: outcome.failed ? (run?.notified ?? false) || notify : false,
  };
}

/** The earliest next slot of all schedules, for the one alarm that wakes the background. */
export function earliestNextSlot(schedules: readonly Schedule[], now: number): number | null {
  const slots = schedules.map((schedule) => nextSlot(schedule, now));
  return slots.length > 0 ? Math.min(...slots) : null;
}
