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
