import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatApiDateTime } from '../crm/parse/time-zone';
import { apiTimeFormatter } from './api-time';

const ZONES = [
  'Europe/Moscow',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Apia',
  'UTC',
];

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
