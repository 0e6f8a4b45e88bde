import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { resetBrowser } from '../../tests/support/ui';
import { boundsOf, isTimeZone, numberOf, settingsErrors } from './settings-check';

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

describe('settingsErrors on the whole-deal reads', () => {
  it('accepts the ends of each range', () => {
    for (const [crmReadConcurrency, crmReadDelayMs] of [
      [1, 0],
      [8, 10_000],
    ] as const) {
      expect(settingsErrors({ ...DEFAULT_SETTINGS, crmReadConcurrency, crmReadDelayMs })).toEqual([]);
    }
  });

  it('refuses reads at once outside 1–8, or not whole, saying the range', () => {
    for (const crmReadConcurrency of [0, 9, 2.5, Number.NaN]) {
      expect(settingsErrors({ ...DEFAULT_SETTINGS, crmReadConcurrency })).toEqual([
        'Reads at once: a whole number from 1 to 8.',
      ]);
    }
  });

  it('refuses a pause outside 0–10000 ms, or not whole, saying the range', () => {
    for (const crmReadDelayMs of [-1, 10_001, 0.5, Number.NaN]) {
      expect(settingsErrors({ ...DEFAULT_SETTINGS, crmReadDelayMs })).toEqual([
        'Pause between reads: a whole number of milliseconds from 0 to 10000.',
      ]);
    }
  });

  it('says so in Russian in a Russian browser', () => {
    resetBrowser('ru-RU');
    expect(settingsErrors({ ...DEFAULT_SETTINGS, crmReadConcurrency: 12, crmReadDelayMs: -5 })).toEqual([
      'Чтений одновременно: целое число от 1 до 8.',
      'Пауза между чтениями: целое число миллисекунд от 0 до 10000.',
    ]);
  });
});

describe('boundsOf', () => {
  it('gives the settings schema’s own bounds', () => {
    expect(boundsOf('crmReadConcurrency')).toEqual({ min: 1, max: 8 });
    expect(boundsOf('crmReadDelayMs')).toEqual({ min: 0, max: 10_000 });
  });
});

describe('numberOf', () => {
  it('reads a typed number, and an emptied field as no number rather than 0', () => {
    expect(numberOf('250')).toBe(250);
    expect(numberOf('1.5')).toBe(1.5);
    expect(numberOf('')).toBeNaN();
    expect(numberOf('  ')).toBeNaN();
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('Nowhere/City')).toBe(false);
  });
});
