import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantToZoned, isValidTimeZone, type WallTime, zonedToInstant } from './time-zone';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Moscow', 'Asia/Kolkata', 'UTC'];

const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

const intlFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall time Intl itself shows for an instant in a zone. */
function intlWall(ms: number, timeZone: string): WallTime {
  let format = intlFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    intlFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return wall(part('year'), part('month'), part('day'), part('hour'), part('minute'), part('second'));
}

/** Whole-second instants from 1970 to 2100, as toISOString writes them. */
const instants = fc
  .integer({ min: 0, max: Date.UTC(2100, 0, 1) / 1000 })
  .map((seconds) => new Date(seconds * 1000).toISOString());

describe('zonedToInstant', () => {
  it('reads a wall time with the zone offset in force', () => {
    expect(zonedToInstant(wall(2024, 4, 21, 11, 59, 21), 'Europe/Moscow')).toBe('2024-04-21T08:59:21.000Z');
    expect(zonedToInstant(wall(2024, 7, 1, 12), 'Europe/Berlin')).toBe('2024-07-01T10:00:00.000Z');
    expect(zonedToInstant(wall(2024, 1, 1, 12), 'Europe/Berlin')).toBe('2024-01-01T11:00:00.000Z');
    expect(zonedToInstant(wall(2024, 1, 1), 'Asia/Kolkata')).toBe('2023-12-31T18:30:00.000Z');
    expect(zonedToInstant(wall(2024, 1, 1), 'UTC')).toBe('2024-01-01T00:00:00.000Z');
  });

  it('moves a time skipped by the spring change forward by the gap', () => {
    expect(zonedToInstant(wall(2024, 3, 31, 2, 30), 'Europe/Berlin')).toBe('2024-03-31T01:30:00.000Z');
    expect(zonedToInstant(wall(2024, 3, 10, 2, 30), 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
  });

  it('takes the earlier of two instants when the autumn change repeats an hour', () => {
    expect(zonedToInstant(wall(2024, 10, 27, 2, 30), 'Europe/Berlin')).toBe('2024-10-27T00:30:00.000Z');
    expect(zonedToInstant(wall(2024, 11, 3, 1, 30), 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    // Moscow left permanent "summer" time in 2014: 01:00–02:00 happened twice that night.
    expect(zonedToInstant(wall(2014, 10, 26, 1, 30), 'Europe/Moscow')).toBe('2014-10-25T21:30:00.000Z');
  });

  it('is exact at the edges of a change', () => {
    expect(zonedToInstant(wall(2024, 3, 31, 1, 59, 59), 'Europe/Berlin')).toBe('2024-03-31T00:59:59.000Z');
    expect(zonedToInstant(wall(2024, 3, 31, 3), 'Europe/Berlin')).toBe('2024-03-31T01:00:00.000Z');
    expect(zonedToInstant(wall(2024, 10, 27, 3), 'Europe/Berlin')).toBe('2024-10-27T02:00:00.000Z');
  });

  it('throws RangeError for an unknown zone', () => {
    expect(() => zonedToInstant(wall(2024, 1, 1), 'Mars/Olympus')).toThrow(RangeError);
  });

  it('round-trips every instant; a repeated wall time comes back as its earlier instant', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (instant, zone) => {
        const shown = instantToZoned(instant, zone);
        const back = zonedToInstant(shown, zone);
        if (back === instant) return;
        expect(back < instant).toBe(true);
        expect(instantToZoned(back, zone)).toEqual(shown);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips exactly outside the repeated hour, minute by minute through an autumn night', () => {
    const start = Date.parse('2024-10-26T22:00:00Z');
    const repeated: string[] = [];
    for (let ms = start; ms < start + 6 * 3_600_000; ms += 60_000) {
      const instant = new Date(ms).toISOString();
      if (zonedToInstant(instantToZoned(instant, 'Europe/Berlin'), 'Europe/Berlin') !== instant) {
        repeated.push(instant);
      }
    }
    // Only the second pass through 02:00–02:59 (01:00Z–01:59Z) cannot come back.
    expect(repeated).toHaveLength(60);
    expect(repeated[0]).toBe('2024-10-27T01:00:00.000Z');
    expect(repeated.at(-1)).toBe('2024-10-27T01:59:00.000Z');
  });
});

describe('instantToZoned', () => {
  it('shows an instant on the zone wall clock', () => {
    expect(instantToZoned('2024-04-21T08:59:21Z', 'Europe/Moscow')).toEqual(wall(2024, 4, 21, 11, 59, 21));
    expect(instantToZoned('2024-04-21T11:59:21+03:00', 'UTC')).toEqual(wall(2024, 4, 21, 8, 59, 21));
    expect(instantToZoned('2023-12-31T18:30:00Z', 'Asia/Kolkata')).toEqual(wall(2024, 1, 1));
    expect(instantToZoned('2024-11-03T05:30:00Z', 'America/New_York')).toEqual(wall(2024, 11, 3, 1, 30));
    expect(instantToZoned('2024-11-03T06:30:00Z', 'America/New_York')).toEqual(wall(2024, 11, 3, 1, 30));
  });

  it('shows what Intl shows for any instant, in zones whose offsets change often or oddly', () => {
    const zones = [
      ...ZONES,
      'Africa/Casablanca',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Asia/Tehran',
      'Pacific/Apia',
      'Europe/Volgograd',
    ];
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (instant, timeZone) => {
        expect(instantToZoned(instant, timeZone)).toEqual(intlWall(Date.parse(instant), timeZone));
      }),
      { numRuns: 500 },
    );
  });

  it('follows every change through a year, half hour by half hour, as Intl does', () => {
    // Casablanca suspends summer time for Ramadan (two changes a month apart); Lord Howe moves 30 minutes.
    for (const timeZone of ['Africa/Casablanca', 'Australia/Lord_Howe']) {
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 1_800_000) {
        expect(instantToZoned(new Date(ms).toISOString(), timeZone)).toEqual(intlWall(ms, timeZone));
      }
    }
  });

  it('throws RangeError for a bad instant or zone', () => {
    expect(() => instantToZoned('yesterday', 'UTC')).toThrow(RangeError);
    expect(() => instantToZoned('', 'UTC')).toThrow(RangeError);
    expect(() => instantToZoned('2024-01-01T00:00:00Z', 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones', () => {
    for (const zone of [...ZONES, 'Asia/Almaty', 'America/Sao_Paulo'])
      expect(isValidTimeZone(zone)).toBe(true);
  });

  it('rejects unknown or empty names', () => {
    for (const zone of ['', '  ', 'Mars/Olympus', 'Moscow', 'GMT+25'])
      expect(isValidTimeZone(zone)).toBe(false);
  });
});
