import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, migrateSettings } from './settings';

describe('settings migrations', () => {
  it('keeps valid version-1 settings as they are', () => {
    const stored = { ...DEFAULT_SETTINGS, extIdTemplate: 'espo-{id}', estimateStageTime: 'created' as const };
    expect(migrateSettings(stored)).toEqual(stored);
  });

  it('completes settings written before a field existed with its default', () => {
    expect(migrateSettings({ extIdTemplate: 'x-{id}' })).toEqual({
      ...DEFAULT_SETTINGS,
      extIdTemplate: 'x-{id}',
    });
  });

  it('falls back to the defaults for nothing stored or a broken value', () => {
    expect(migrateSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings({ extIdTemplate: 'no placeholder' })).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettings('garbage')).toEqual(DEFAULT_SETTINGS);
  });
});

describe('whole-deal export settings', () => {
  it('gives settings stored before the whole-deal export its defaults: whole reads, 4 at once, no estimated creation', () => {
    const { exportMode, crmReadConcurrency, crmReadDelayMs, allowEstimatedCreation, ...before } =
      DEFAULT_SETTINGS;
    const migrated = migrateSettings({ ...before, boardBadges: true });
    expect(migrated).toMatchObject({
      boardBadges: true,
      exportMode: 'whole',
      crmReadConcurrency: 4,
      crmReadDelayMs: 0,
      allowEstimatedCreation: false,
    });
  });

  it('refuses more than 8 reads at once', () => {
    expect(migrateSettings({ ...DEFAULT_SETTINGS, crmReadConcurrency: 50 }).crmReadConcurrency).toBe(4);
  });
});
