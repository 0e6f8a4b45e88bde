import { describe, expect, it } from 'vitest';
import { apiNow, apiTimeToInstant, laterThan } from './api-time';

describe('Data API times', () => {
  it('turn back into the instant they were written from, in any zone', () => {
    const ms = Date.parse('2026-03-29T01:30:00Z');
    for (const zone of ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'UTC']) {
      expect(apiTimeToInstant(apiNow(ms, zone), zone)).toBe(new Date(ms).toISOString());
    }
  });

  it('move forward past a floor by a second when they would not', () => {
    expect(laterThan('2026-03-01 10:00:00', '2026-03-01 10:00:00')).toBe('2026-03-01 10:00:01');
    expect(laterThan('2026-03-01 10:00:05', '2026-03-01 10:00:00')).toBe('2026-03-01 10:00:05');
  });
});
