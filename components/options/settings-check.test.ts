import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { resetBrowser } from '../test-helpers';
import { isTimeZone, settingsErrors } from './settings-check';

beforeEach(() => resetBrowser());

describe('settingsErrors', () => {
  it('accepts the defaults', () => {
    expect(settingsErrors(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('needs {id} in the ext_id template', () => {
    expect(settingsErrors({ ...DEFAULT_SETTINGS, extIdTemplate: 'crm-' })).toHaveLength(1);
  });

  it('rejects a prefix with characters CoMagic ext_ids should not carry', () => {
    const errors = settingsErrors({ ...DEFAULT_SETTINGS, sitePrefixes: { 'https://a.example.com': 'a b' } });
    expect(errors).toEqual([expect.stringContaining('https://a.example.com')]);
  });

  it('rejects an unknown time zone and a phone country that is not two letters', () => {
    const errors = settingsErrors({
      ...DEFAULT_SETTINGS,
      crmTimeZone: 'Mars/Olympus',
      defaultPhoneCountry: 'RUS',
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('Mars/Olympus');
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('Nowhere/City')).toBe(false);
  });
});
