import { describe, expect, it } from 'vitest';
import { formatDuration, formatInstant, formatMoney } from './format';

describe('formatMoney', () => {
  it('shows the amount with its currency', () => {
    expect(formatMoney({ amount: 1250, currency: 'RUB', rounded: false }, 'en')).toBe('1,250 RUB');
  });

  it('marks an abbreviated figure as approximate', () => {
    expect(formatMoney({ amount: 39600, currency: '$', rounded: true }, 'en')).toBe('≈ 39,600 $');
  });

  it('shows a dash when the page has no amount', () => {
    expect(formatMoney(null, 'en')).toBe('—');
  });
});

describe('formatDuration', () => {
  it('says seconds, minutes and hours in the UI language', () => {
    expect(formatDuration(40, 'en')).toBe('40 s');
    expect(formatDuration(185, 'en')).toBe('3 min');
    expect(formatDuration(7500, 'ru')).toBe('2 ч 5 мин');
  });

  it('never goes below zero', () => {
    expect(formatDuration(-5, 'en')).toBe('0 s');
  });
});

describe('formatInstant', () => {
  it('keeps text that is not an instant as it is', () => {
    expect(formatInstant('yesterday', 'en')).toBe('yesterday');
  });

  it('formats an instant in the local time', () => {
    expect(formatInstant('2026-03-05T10:00:00.000Z', 'en')).toContain('2026');
  });
});
