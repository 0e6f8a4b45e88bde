/**
 * The Data API's date-time, `YYYY-MM-DD hh:mm:ss` on a 24-hour clock, wall-clock in the account's
 * zone: written here only, and read back and moved on here. Fixed width, so such times sort as text.
 */
import {
  instantToZoned,
  utcMsToWall,
  type WallTime,
  wallToUtcMs,
  zonedToInstant,
} from '../crm/parse/time-zone';

const DAY_MS = 86_400_000;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function apiText(w: WallTime): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The wall time an instant shows in the zone, in the API's format. Throws RangeError on bad input. */
export function formatApiDateTime(instant: string, timeZone: string): string {
  return apiText(instantToZoned(instant, timeZone));
}

export function apiNow(nowMs: number, timeZone: string): string {
  return formatApiDateTime(new Date(nowMs).toISOString(), timeZone);
}

/**
 * `formatApiDateTime` for many instants in one zone. Asking Intl costs tens of microseconds, so the
 * zone's offset is looked up once per UTC day and reused when it is the same at both ends of that
 * day (no zone changes its offset twice within a day); a day with a clock change asks Intl for
 * every instant. Throws RangeError on an unknown zone, like `formatApiDateTime`.
 */
export function apiTimeFormatter(timeZone: string): (ms: number) => string {
  const offsets = new Map<number, number | null>();
  const offsetAt = (ms: number) => wallToUtcMs(instantToZoned(new Date(ms).toISOString(), timeZone)) - ms;
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let offset = offsets.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY_MS);
      offset = start === offsetAt((day + 1) * DAY_MS - 1000) ? start : null;
      offsets.set(day, offset);
    }
    if (offset === null) return formatApiDateTime(new Date(ms).toISOString(), timeZone);
    return apiText(utcMsToWall(Math.floor(ms / 1000) * 1000 + offset));
  };
}

/** An API time's wall clock as milliseconds, read as if it were UTC. */
function wallMs(apiTime: string): number {
  return Date.parse(`${apiTime.replace(' ', 'T')}Z`);
}

/** `candidate` when it is after `floor`, else one second after `floor`: a time that has moved forward. */
export function laterThan(candidate: string, floor: string): string {
  return candidate > floor ? candidate : apiText(utcMsToWall(wallMs(floor) + 1000));
}

/** An API time, wall-clock in `timeZone`, as an instant. */
export function apiTimeToInstant(apiTime: string, timeZone: string): string {
  return zonedToInstant(utcMsToWall(wallMs(apiTime)), timeZone);
}
