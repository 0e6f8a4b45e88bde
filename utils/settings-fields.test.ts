import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings } from './settings';

// User fields, currency rates and the partner's user id: settings stored before them read with none.
describe('settings: user fields, currency rates, partner user id', () => {
  it('reads settings stored before these fields with their defaults, keeping the rest', () => {
    const { userFields, currencyRates, partnerUserId, ...older } = DEFAULT_SETTINGS;
    const read = readSettings({ ...older, boardBadges: true });
    expect(read.settings.boardBadges).toBe(true);
    expect(read.settings.userFields).toEqual([]);
    expect(read.settings.currencyRates).toEqual({});
    expect(read.settings.partnerUserId).toBeNull();
    expect(read.dropped).toEqual([]);
  });

  it('keeps valid choices and rates, and drops a rate table with a bad entry to its default alone', () => {
    const userFields = [{ crmField: 'probability', name: 'Probability', dataType: 'numeric' as const }];
    const good = readSettings({
      ...DEFAULT_SETTINGS,
      userFields,
      currencyRates: { USD: 91.5 },
      partnerUserId: 42,
    });
    expect(good.settings).toMatchObject({ userFields, currencyRates: { USD: 91.5 }, partnerUserId: 42 });
    for (const currencyRates of [{ usd: 91 }, { USD: 0 }, { USD: -1 }, { USD: Number.POSITIVE_INFINITY }]) {
      const bad = readSettings({ ...DEFAULT_SETTINGS, userFields, currencyRates });
      expect(bad.settings.currencyRates).toEqual({});
      expect(bad.settings.userFields).toEqual(userFields);
      expect(bad.dropped).toEqual(['currencyRates']);
    }
  });
});
