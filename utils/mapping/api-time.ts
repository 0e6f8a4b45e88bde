import { formatApiDateTime, instantToZoned, utcMsToWall, wallToUtcMs } from '../crm/parse/time-zone';

const DAY_MS = 86_400_000;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

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
    const w = utcMsToWall(Math.floor(ms / 1000) * 1000 + offset);
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  };
}
