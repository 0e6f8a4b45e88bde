import { describe, expect, it } from 'vitest';
import { defaultSitePrefix } from './mapping/ext-ids';
import { DEFAULT_SETTINGS, migrateSettings, readSettings, SETTINGS_STEPS, sitePrefixOf } from './settings';

/** Settings as version 1 stored them (the extension before per-site prefixes). */
const V1 = {
  version: 1,
  extIdTemplate: '{id}',
  sitePrefixes: { 'https://odoo.example.com': 'odoo-' },
  crmTimeZone: 'Europe/Moscow',
  accountTimeZone: null,
  estimateStageTime: 'modified',
  defaultPhoneCountry: 'RU',
  boardBadges: true,
  exportMode: 'whole',
  crmReadConcurrency: 4,
  crmReadDelayMs: 0,
  allowEstimatedCreation: false,
};

describe('settings migrations', () => {
  it('keeps valid current settings as they are', () => {
    const stored = { ...DEFAULT_SETTINGS, extIdTemplate: 'espo-{id}', estimateStageTime: 'created' as const };
    expect(readSettings(stored)).toEqual({ settings: stored, migrated: false, newer: null, dropped: [] });
  });

  it('step 1 → 2 pins the empty prefix of every site that already sent deals, and keeps the prefixes set', () => {
    const v2 = SETTINGS_STEPS[1](V1, {
      legacySites: ['https://espo.example.com', 'https://odoo.example.com'],
    });
    expect(v2).toEqual({
      ...V1,
      version: 2,
      sitePrefixes: { 'https://espo.example.com': '', 'https://odoo.example.com': 'odoo-' },
    });
  });

  it('reads version-1 settings as version 2: the ext_ids of a site that sent deals stay as CoMagic holds them', () => {
    const read = readSettings(V1, { legacySites: ['https://espo.example.com'] });
    expect(read.migrated).toBe(true);
    expect(read.settings.version).toBe(2);
    expect(read.settings.boardBadges).toBe(true);
    expect(sitePrefixOf(read.settings, 'https://espo.example.com')).toBe('');
    expect(sitePrefixOf(read.settings, 'https://odoo.example.com')).toBe('odoo-');
    // A site first seen after the upgrade gets its own prefix.
    expect(sitePrefixOf(read.settings, 'https://amo.example.com')).toBe(
      defaultSitePrefix('https://amo.example.com'),
    );
  });

  it('reads settings stored before they carried a version as version 1', () => {
    const { version, ...unversioned } = V1;
    expect(
      readSettings(unversioned, { legacySites: ['https://espo.example.com'] }).settings.sitePrefixes,
    ).toEqual({
      'https://espo.example.com': '',
      'https://odoo.example.com': 'odoo-',
    });
  });

  it('reads settings of a newer version as far as it knows them and says so, without resetting the prefixes', () => {
    const newer = { ...V1, version: 3, sitePrefixes: { 'https://espo.example.com': 'e-' }, futureField: [1] };
    const read = readSettings(newer);
    expect(read.newer).toBe(3);
    expect(read.migrated).toBe(false);
    expect(sitePrefixOf(read.settings, 'https://espo.example.com')).toBe('e-');
  });

  it('drops only the field that does not pass: the other fields and the other sites’ prefixes stay', () => {
    const read = readSettings({
      ...DEFAULT_SETTINGS,
      boardBadges: 'yes',
      sitePrefixes: { 'https://a.example.com': 'a-', 'https://b.example.com': 'with space' },
    });
    expect(read.dropped).toEqual(['boardBadges', 'sitePrefixes.https://b.example.com']);
    expect(read.settings.boardBadges).toBe(false);
    expect(read.settings.sitePrefixes).toEqual({ 'https://a.example.com': 'a-' });
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
