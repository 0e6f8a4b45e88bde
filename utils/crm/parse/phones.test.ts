import { describe, expect, it } from 'vitest';
import { normalizePhone, normalizePhones } from './phones';

describe('normalizePhone', () => {
  it.each([
    ['8 (900) 000-00-00', '79000000000'],
    ['+7 900 000 00 00', '79000000000'],
    ['9000000000', '79000000000'],
    ['89000000000', '79000000000'],
    ['+7(495)123-45-67', '74951234567'],
    ['8 800 555-35-35', '78005553535'],
    ['Тел.: +7 900 000-00-00', '79000000000'],
    ['+1 (415) 555-2671', '14155552671'],
    ['+44 20 7946 0958', '442079460958'],
    ['+7 701 123 45 67', '77011234567'],
    ['+375 29 123-45-67', '375291234567'],
  ])('%j → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it('drops extensions', () => {
    expect(normalizePhone('+7 495 123-45-67 доб. 123')).toBe('74951234567');
    expect(normalizePhone('+7 (495) 123-45-67 ext. 12')).toBe('74951234567');
    expect(normalizePhone('+1 415 555 2671 x5')).toBe('14155552671');
  });

  it('reads national numbers in the default country', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('14155552671');
    expect(normalizePhone('8 (701) 123-45-67', 'KZ')).toBe('77011234567');
    // Without a country the same digits are a Russian number (area code 415).
    expect(normalizePhone('(415) 555-2671')).toBe('74155552671');
  });

  it.each([
    '',
    '   ',
    'abc',
    '123',
    '12345',
    '+7 999 123 45 6',
    '+7 (900) 000-00-001',
    '+7 000 000 00 00',
    '+7 123 456 78 90',
    // Right length, unassigned area code: only the full metadata rejects it.
    '+7 300 123 45 67',
    '+1 555 555 5555',
  ])('%j → null', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});

describe('normalizePhones', () => {
  it('normalises, de-duplicates in order and returns the rejected raw strings', () => {
    const result = normalizePhones([
      '8 (900) 000-00-00',
      '+7 495 123-45-67',
      '+7 900 000 00 00',
      'not a phone',
      '12',
      '9000000000',
    ]);
    expect(result).toEqual({ phones: ['79000000000', '74951234567'], rejected: ['not a phone', '12'] });
  });

  it('skips blank entries and uses the default country given', () => {
    expect(normalizePhones(['', '  ', '(415) 555-2671'], 'US')).toEqual({
      phones: ['14155552671'],
      rejected: [],
    });
    expect(normalizePhones([])).toEqual({ phones: [], rejected: [] });
  });
});
