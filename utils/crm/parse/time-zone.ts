/** A wall-clock reading in some time zone; `month` is 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds of a wall time read as if it were UTC; `Date.UTC` alone maps years 0–99 to 19xx. */
export function wallToUtcMs(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

export function utcMsToWall(ms: number): WallTime {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

function wallAt(ms: number, timeZone: string): WallTime {
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof WallTime] = Number(part.value);
  }
  return wall;
}

// Zones change their offset on whole quarter hours of UTC (modern rules), and never twice within a
// week. So a week whose two ends share an offset keeps it throughout, and only the week of a change
// is looked up per quarter hour: a board of thousands of dates asks Intl a few times, not thousands.
const QUARTER_HOUR_MS = 900_000;
const WEEK_MS = 7 * DAY_MS;
const offsets = new Map<string, number>();

function offsetOnce(start: number, timeZone: string): number {
  const key = `${timeZone}|${start}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = wallToUtcMs(wallAt(start, timeZone)) - start;
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const week = Math.floor(ms / WEEK_MS) * WEEK_MS;
  const offset = offsetOnce(week, timeZone);
  if (offset === offsetOnce(week + WEEK_MS, timeZone)) return offset;
  return offsetOnce(Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS, timeZone);
}

/** The wall time at `ms` in the zone, whole seconds. */
function wallIn(ms: number, timeZone: string): WallTime {
  return utcMsToWall(Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone));
}

function parseInstant(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${instant}`);
  return ms;
}

/**
 * The instant a wall-clock time denotes in a zone. A time that occurs twice (clocks set back)
 * gives the earlier instant; a time skipped by a clock change is read with the offset in force
 * before it, which lands as far after the gap as it was into it (02:30 → 03:30).
 * Out-of-range fields roll over as in `Date.UTC` (validate first). Throws RangeError on an unknown zone.
 */
export function zonedToInstant(wall: WallTime, timeZone: string): string {
  const local = wallToUtcMs(wall);
  // A zone changes its offset at most once within a couple of days, so the offsets a day either
  // side are the only candidates.
  const candidates = [offsetAt(local - DAY_MS, timeZone), offsetAt(local + DAY_MS, timeZone)];
  const matching = candidates
    .map((offset) => local - offset)
    .filter((candidate) => candidate + offsetAt(candidate, timeZone) === local);
  const chosen = matching.length > 0 ? Math.min(...matching) : local - candidates[0]!;
  return new Date(chosen).toISOString();
}

/** The wall-clock time (whole seconds) an instant shows in a zone. Throws RangeError on bad input. */
export function instantToZoned(instant: string, timeZone: string): WallTime {
  return wallIn(parseInstant(instant), timeZone);
}
