/** Reported as the limit when a pool is configured as unlimited (the API always reports some number). */
export const UNLIMITED = 1_000_000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface RateCounters {
  minuteWindow: number;
  minuteUsed: number;
  dayWindow: number;
  dayUsed: number;
}

export interface RateLimits {
  minuteLimit: number | null;
  dayLimit: number | null;
}

export interface LimitsReport {
  day_limit: number;
  day_remaining: number;
  day_reset: number;
  minute_limit: number;
  minute_remaining: number;
  minute_reset: number;
}

export const freshCounters = (): RateCounters => ({
  minuteWindow: -1,
  minuteUsed: 0,
  dayWindow: -1,
  dayUsed: 0,
});

/** Fixed windows aligned to the emulator clock's epoch: minutes, and days in UTC. */
function rolled(counters: RateCounters, nowMs: number): RateCounters {
  const minuteWindow = Math.floor(nowMs / MINUTE_MS);
  const dayWindow = Math.floor(nowMs / DAY_MS);
  return {
    minuteWindow,
    minuteUsed: counters.minuteWindow === minuteWindow ? counters.minuteUsed : 0,
    dayWindow,
    dayUsed: counters.dayWindow === dayWindow ? counters.dayUsed : 0,
  };
}

export function charge(counters: RateCounters, nowMs: number): RateCounters {
  const current = rolled(counters, nowMs);
  return { ...current, minuteUsed: current.minuteUsed + 1, dayUsed: current.dayUsed + 1 };
}

export interface LimitBreach {
  limit_type: 'day' | 'minute';
  limit_max_value: number;
}

export function breach(counters: RateCounters, limits: RateLimits, nowMs: number): LimitBreach | null {
  const current = rolled(counters, nowMs);
  if (limits.dayLimit != null && current.dayUsed >= limits.dayLimit) {
    return { limit_type: 'day', limit_max_value: limits.dayLimit };
  }
  if (limits.minuteLimit != null && current.minuteUsed >= limits.minuteLimit) {
    return { limit_type: 'minute', limit_max_value: limits.minuteLimit };
  }
  return null;
}

const secondsUntil = (nowMs: number, windowMs: number) => Math.ceil((windowMs - (nowMs % windowMs)) / 1000);

export function report(counters: RateCounters, limits: RateLimits, nowMs: number): LimitsReport {
  const current = rolled(counters, nowMs);
  const dayLimit = limits.dayLimit ?? UNLIMITED;
  const minuteLimit = limits.minuteLimit ?? UNLIMITED;
  return {
    day_limit: dayLimit,
    day_remaining: Math.max(0, dayLimit - current.dayUsed),
    day_reset: secondsUntil(nowMs, DAY_MS),
    minute_limit: minuteLimit,
    minute_remaining: Math.max(0, minuteLimit - current.minuteUsed),
    minute_reset: secondsUntil(nowMs, MINUTE_MS),
  };
}
