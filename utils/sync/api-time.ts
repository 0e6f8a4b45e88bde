/** Arithmetic on the Data API's `YYYY-MM-DD hh:mm:ss` wall-clock strings (fixed width, so they sort as text). */
import { formatApiDateTime, utcMsToWall, zonedToInstant } from '../crm/parse/time-zone';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function wallMs(apiTime: string): number {
  return Date.parse(`${apiTime.replace(' ', 'T')}Z`);
}

function formatWall(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function addSeconds(apiTime: string, seconds: number): string {
  return formatWall(wallMs(apiTime) + seconds * 1000);
}

/** `candidate` when it is after `floor`, else one second after `floor`: a time that has moved forward. */
export function laterThan(candidate: string, floor: string): string {
  return candidate > floor ? candidate : addSeconds(floor, 1);
}

export function apiNow(nowMs: number, timeZone: string): string {
  return formatApiDateTime(new Date(nowMs).toISOString(), timeZone);
}

/** A Data API time, wall-clock in `timeZone`, as an instant. */
export function apiTimeToInstant(apiTime: string, timeZone: string): string {
  return zonedToInstant(utcMsToWall(wallMs(apiTime)), timeZone);
}
