import { describe, expect, it } from 'vitest';
import {
  afterRun,
  dayPointsLeft,
  dueSlot,
  earliestNextSlot,
  fitToBudget,
  nextSlot,
  RUN_FIXED_POINTS,
  runCost,
  seenLimits,
  slotAtOrBefore,
} from './schedule';

// Local time, as the schedules are written: these hold in any zone the tests run in.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
const daily = { every: 'day' as const, at: '09:30' };
const hourly = { every: 'hour' as const, at: '00:15' };

describe('a schedule’s slots', () => {
  it('runs daily at its HH:MM: the latest slot passed, and the next one', () => {
    expect(slotAtOrBefore(daily, at(3, 10))).toBe(at(3, 9, 30));
    expect(slotAtOrBefore(daily, at(3, 9, 29))).toBe(at(2, 9, 30));
    expect(slotAtOrBefore(daily, at(3, 9, 30))).toBe(at(3, 9, 30));
    expect(nextSlot(daily, at(3, 10))).toBe(at(4, 9, 30));
  });

  it('runs hourly at its minute', () => {
    expect(slotAtOrBefore(hourly, at(3, 10, 20))).toBe(at(3, 10, 15));
    expect(slotAtOrBefore(hourly, at(3, 10, 10))).toBe(at(3, 9, 15));
    expect(nextSlot(hourly, at(3, 10, 20))).toBe(at(3, 11, 15));
  });

  it('runs the slots missed while the browser was closed once, and a slot once', () => {
    const run = { lastSlot: at(1, 9, 30), carried: [], lastChanged: 0, notified: false };
    expect(dueSlot(daily, run, at(3, 18))).toEqual({ kind: 'run', slot: at(3, 9, 30) });
    expect(dueSlot(daily, { ...run, lastSlot: at(3, 9, 30) }, at(3, 18))).toEqual({ kind: 'wait' });
  });

  it('starts a new schedule with its next slot, not with one that passed before it was made', () => {
    expect(dueSlot(daily, undefined, at(3, 18))).toEqual({ kind: 'start', slot: at(3, 9, 30) });
  });

  it('wakes the background at the earliest next slot of all schedules, none without schedules', () => {
    const schedules = [
      { key: 'a', boardUrl: 'https://crm.example.com/', ...daily },
      { key: 'b', boardUrl: 'https://crm.example.com/', ...hourly },
    ];
    expect(earliestNextSlot(schedules, at(3, 10, 20))).toBe(at(3, 11, 15));
    expect(earliestNextSlot([], at(3, 10))).toBeNull();
  });
});

describe('a run’s API points', () => {
  it('costs nothing for an unchanged pipeline, else the reads and upload plus a call per deal', () => {
    expect(runCost(0)).toBe(0);
    expect(runCost(10)).toBe(RUN_FIXED_POINTS + 10);
  });

  it('knows the points left today, and a full day once CoMagic’s day reset has passed', () => {
    const limits = { dayRemaining: 40, dayLimit: 3000, dayReset: 3600, at: at(3, 10) };
    expect(dayPointsLeft(limits, at(3, 10, 30))).toBe(40);
    expect(dayPointsLeft(limits, at(3, 11, 1))).toBe(3000);
    expect(dayPointsLeft(null, at(3, 10))).toBeNull();
  });

  it('takes the day’s points from the limits the client last saw, none before any answer', () => {
    const tracked = {
      day_limit: 3000,
      day_remaining: 40,
      day_reset: 3600,
      minute_limit: 60,
      minute_remaining: 59,
      minute_reset: 30,
      readAt: at(3, 10),
    };
    expect(seenLimits(tracked)).toEqual({ dayRemaining: 40, dayLimit: 3000, dayReset: 3600, at: at(3, 10) });
    expect(seenLimits(undefined)).toBeNull();
  });

  it('is cut to what the day’s points pay for; the rest is carried over and goes first next time', () => {
    const deals = ['d1', 'd2', 'd3', 'd4'].map((dealExtId) => ({ dealExtId }));
    const first = fitToBudget(deals, [], RUN_FIXED_POINTS + 2);
    expect(first.send.map((d) => d.dealExtId)).toEqual(['d1', 'd2']);
    expect(first.carry.map((d) => d.dealExtId)).toEqual(['d3', 'd4']);
    const next = fitToBudget(deals, ['d3', 'd4'], RUN_FIXED_POINTS + 2);
    expect(next.send.map((d) => d.dealExtId)).toEqual(['d3', 'd4']);
    expect(fitToBudget(deals, [], 2).send).toEqual([]);
    expect(fitToBudget(deals, [], null).send).toHaveLength(4);
  });
});

describe('after a run', () => {
  it('tells the user of a failing schedule once, and again only after a run went well', () => {
    const failed = { changed: 0, carried: [], failed: true };
    const first = afterRun(undefined, at(3, 9, 30), failed, true);
    expect(first.notified).toBe(true);
    const second = afterRun(first, at(4, 9, 30), failed, false);
    expect(second.notified).toBe(true);
    const good = afterRun(second, at(5, 9, 30), { changed: 3, carried: [], failed: false }, false);
    expect(good).toEqual({ lastSlot: at(5, 9, 30), carried: [], lastChanged: 3, notified: false });
  });
});
