import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantToZoned } from '../crm/parse/time-zone';
import { apiNow, apiTimeFormatter, apiTimeToInstant, formatApiDateTime, laterThan } from './api-time';

const ZONES = [
  'Europe/Moscow',
  'Europe/Berlin',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Apia',
  'UTC',
];

const instants = fc
  .integer({ min: 0, max: Date.UTC(2100, 0, 1) / 1000 })
  .map((seconds) => new Date(seconds * 1000).toISOString());

describe('formatApiDateTime', () => {
  it('writes YYYY-MM-DD hh:mm:ss on a 24-hour clock in the zone', () => {
    expect(formatApiDateTime('2024-01-05T03:04:05Z', 'Asia/Kolkata')).toBe('2024-01-05 08:34:05');
    expect(formatApiDateTime('2024-04-21T12:05:00Z', 'Europe/Moscow')).toBe('2024-04-21 15:05:00');
    expect(formatApiDateTime('2024-04-20T21:00:00Z', 'Europe/Moscow')).toBe('2024-04-21 00:00:00');
    expect(formatApiDateTime('2024-07-01T00:00:00.999Z', 'UTC')).toBe('2024-07-01 00:00:00');
  });

  it('writes the wall time the instant shows in the zone, for any instant in any zone', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (instant, zone) => {
        const text = formatApiDateTime(instant, zone);
        const [date = '', time = ''] = text.split(' ');
        const [year, month, day] = date.split('-').map(Number);
        const [hour, minute, second] = time.split(':').map(Number);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(instantToZoned(instant, zone)).toEqual({ year, month, day, hour, minute, second });
      }),
    );
  });
});

describe('apiTimeFormatter', () => {
  it('agrees with formatApiDateTime for any instant in any zone, clock changes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.oneof(
          fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
          // Days with clock changes in most of the zones above (northern and southern spring and autumn).
          fc.integer({ min: Date.UTC(2026, 2, 6), max: Date.UTC(2026, 3, 7) }),
          fc.integer({ min: Date.UTC(2026, 9, 1), max: Date.UTC(2026, 10, 3) }),
          fc.integer({ min: Date.UTC(2011, 11, 28), max: Date.UTC(2012, 0, 1) }),
        ),
        (zone, ms) => {
          expect(apiTimeFormatter(zone)(ms)).toBe(formatApiDateTime(new Date(ms).toISOString(), zone));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('formats both sides of a daylight-saving change on the same day', () => {
    const format = apiTimeFormatter('America/New_York');
    expect(format(Date.parse('2026-03-08T06:59:59Z'))).toBe('2026-03-08 01:59:59');
    expect(format(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08 03:00:00');
    expect(format(Date.parse('2026-11-01T05:30:00Z'))).toBe('2026-11-01 01:30:00');
    expect(format(Date.parse('2026-11-01T06:30:00Z'))).toBe('2026-11-01 01:30:00');
  });

  it('drops milliseconds like formatApiDateTime', () => {
    expect(apiTimeFormatter('UTC')(Date.parse('2026-03-02T10:15:00.999Z'))).toBe('2026-03-02 10:15:00');
  });

  it('throws on an unknown zone', () => {
    expect(() => apiTimeFormatter('Mars/Olympus')(0)).toThrow(RangeError);
  });
});

describe('Data API times read back', () => {
  it('turn back into the instant they were written from, in any zone', () => {
    const ms = Date.parse('2026-03-29T01:30:00Z');
    for (const zone of ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'UTC']) {
      expect(apiTimeToInstant(apiNow(ms, zone), zone)).toBe(new Date(ms).toISOString());
    }
  });

  it('move forward past a floor by a second when they would not, across a day and a year', () => {
    expect(laterThan('2026-03-01 10:00:00', '2026-03-01 10:00:00')).toBe('2026-03-01 10:00:01');
    expect(laterThan('2026-03-01 10:00:05', '2026-03-01 10:00:00')).toBe('2026-03-01 10:00:05');
    expect(laterThan('2026-12-31 23:59:59', '2026-12-31 23:59:59')).toBe('2027-01-01 00:00:00');
  });
});
