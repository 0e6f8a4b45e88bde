import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Money } from '../model';
import { parseMoney } from './money';

const money = (amount: number, currency: string | null, rounded = false): Money => ({
  amount,
  currency,
  rounded,
});

describe('parseMoney', () => {
  it.each([
    ['17 350 ₽', money(17350, 'RUB')],
    ['17\u00a0350\u00a0₽', money(17350, 'RUB')],
    ['17\u202f350,50\u2009руб.', money(17350.5, 'RUB')],
    ['17 350,50 руб.', money(17350.5, 'RUB')],
    ['17350 руб', money(17350, 'RUB')],
    ['500 р.', money(500, 'RUB')],
    ['RUB 1 000', money(1000, 'RUB')],
    ['$1,234.56', money(1234.56, 'USD')],
    ['1.234,56 €', money(1234.56, 'EUR')],
    ['€1.234,56', money(1234.56, 'EUR')],
    ['1 234.56 USD', money(1234.56, 'USD')],
    ['1 234.56 usd', money(1234.56, 'USD')],
    ['£99', money(99, 'GBP')],
    ['12 000 тг', money(12000, 'KZT')],
    ['12 000 ₸', money(12000, 'KZT')],
    ['1 500 грн', money(1500, 'UAH')],
    ['1 500 ₴', money(1500, 'UAH')],
    ['Br 250', money(250, 'BYN')],
    ['250 BYN', money(250, 'BYN')],
    ['CHF 1’234.50', money(1234.5, 'CHF')],
    ['¥1,000', money(1000, '¥')],
    ['15 mdl', money(15, 'MDL')],
    ['15 MDL', money(15, 'MDL')],
    ['1.234.567,89 €', money(1234567.89, 'EUR')],
    ['1,234,567', money(1234567, null)],
    ['17350', money(17350, null)],
    ['0', money(0, null)],
    ['0,500 €', money(0.5, 'EUR')],
  ])('%j', (text, expected) => {
    expect(parseMoney(text)).toEqual(expected);
  });

  it('reads abbreviated board totals as rounded', () => {
    expect(parseMoney('$39.6K')).toEqual(money(39600, 'USD', true));
    expect(parseMoney('1,2 млн ₽')).toEqual(money(1_200_000, 'RUB', true));
    expect(parseMoney('350 тыс. руб.')).toEqual(money(350_000, 'RUB', true));
    expect(parseMoney('15к ₽')).toEqual(money(15_000, 'RUB', true));
    expect(parseMoney('15к₽')).toEqual(money(15_000, 'RUB', true));
    expect(parseMoney('1,2млн руб.')).toEqual(money(1_200_000, 'RUB', true));
    expect(parseMoney('2.5M $')).toEqual(money(2_500_000, 'USD', true));
    expect(parseMoney('1.2 млрд')).toEqual(money(1_200_000_000, null, true));
    expect(parseMoney('$1.2B')).toEqual(money(1_200_000_000, 'USD', true));
    expect(parseMoney('3 трлн ₽')).toEqual(money(3e12, 'RUB', true));
  });

  it('reads a lone mark before a multiplier as the decimal one, three digits or not', () => {
    expect(parseMoney('$12.345K')).toEqual(money(12_345, 'USD', true));
    expect(parseMoney('$29.1K')).toEqual(money(29_100, 'USD', true));
    expect(parseMoney('1,5 млн')).toEqual(money(1_500_000, null, true));
    expect(parseMoney('1,250 млн ₽')).toEqual(money(1_250_000, 'RUB', true));
    expect(parseMoney('2.125 тыс. руб.')).toEqual(money(2_125, 'RUB', true));
    expect(parseMoney('0,755 млрд')).toEqual(money(755_000_000, null, true));
    expect(parseMoney('4.500k €')).toEqual(money(4_500, 'EUR', true));
    // Both marks: the last one is still the decimal mark.
    expect(parseMoney('$1,234.5K')).toEqual(money(1_234_500, 'USD', true));
  });

  it('keeps the sign of negative amounts', () => {
    expect(parseMoney('-$1,234.56')).toEqual(money(-1234.56, 'USD'));
    expect(parseMoney('$-1,234.56')).toEqual(money(-1234.56, 'USD'));
    expect(parseMoney('−17 350 ₽')).toEqual(money(-17350, 'RUB'));
    expect(parseMoney('-1.234,50 €')).toEqual(money(-1234.5, 'EUR'));
    expect(parseMoney('-0 ₽')).toEqual(money(0, 'RUB'));
  });

  it('tells a decimal mark from a thousands separator', () => {
    expect(parseMoney('1,234')?.amount).toBe(1234);
    expect(parseMoney('1.234')?.amount).toBe(1234);
    expect(parseMoney('1,23')?.amount).toBe(1.23);
    expect(parseMoney('1.5')?.amount).toBe(1.5);
    expect(parseMoney('1 234,567')?.amount).toBe(1234.567);
    expect(parseMoney('1,234.5')?.amount).toBe(1234.5);
    expect(parseMoney('1.234,5')?.amount).toBe(1234.5);
  });

  it.each([
    '',
    '   ',
    'abc',
    '₽',
    '$',
    '—',
    '12 apples',
    '12 шт.',
    '15%',
    '+7 900 000 00 00',
    '1,2,3',
    '1.2.3',
    '12.5.2024',
    '1 2',
    '12 34 ₽',
    '1,234 567',
    '1,234.56.7',
    '$ 100 USD',
    '100 ₽ 200',
    'Сделка 5',
    '1,2,3 млн',
    '12 abcd',
    '9'.repeat(400),
  ])('%j → null', (text) => {
    expect(parseMoney(text)).toBeNull();
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const parsed = parseMoney(text);
        if (parsed) expect(Number.isFinite(parsed.amount)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseMoney: round trips of formatted amounts', () => {
  const cents = fc.integer({ min: -100_000_000_000, max: 100_000_000_000 });
  const formats: [string, string, Intl.NumberFormatOptions, string][] = [
    ['ru 17 350,50 ₽', 'ru-RU', { style: 'currency', currency: 'RUB' }, 'RUB'],
    ['en $17,350.50', 'en-US', { style: 'currency', currency: 'USD' }, 'USD'],
    ['de 17.350,50 €', 'de-DE', { style: 'currency', currency: 'EUR' }, 'EUR'],
    [
      'ru 17 350 ₸ without kopecks',
      'ru-RU',
      { style: 'currency', currency: 'KZT', minimumFractionDigits: 0 },
      'KZT',
    ],
    [
      'en £17,350 without pence',
      'en-GB',
      { style: 'currency', currency: 'GBP', minimumFractionDigits: 0 },
      'GBP',
    ],
  ];

  it('parses back the exact amount and currency', () => {
    fc.assert(
      fc.property(cents, fc.constantFrom(...formats), (value, [, locale, options, currency]) => {
        const amount = value / 100;
        const text = new Intl.NumberFormat(locale, options).format(amount);
        expect(parseMoney(text), text).toEqual(money(amount === 0 ? 0 : amount, currency));
      }),
      { numRuns: 1000 },
    );
  });

  it('parses back compact figures with a decimal point or comma exactly', () => {
    const suffixes: [string, number][] = [
      ['K', 3],
      ['k', 3],
      [' тыс.', 3],
      ['M', 6],
      [' млн', 6],
      [' млрд', 9],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('.', ','),
        fc.constantFrom(...suffixes),
        fc.constantFrom(['$', '', 'USD'], ['', ' ₽', 'RUB'], ['', '', null]),
        (whole, fractionValue, digits, mark, [suffix, exponent], [before, after, currency]) => {
          const fraction = String(fractionValue % 10 ** digits).padStart(digits, '0');
          const text = `${before}${whole}${mark}${fraction}${suffix}${after}`;
          // The expected value from the digits themselves, not from the parser's own arithmetic.
          const expected = Number(
            `${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}.${fraction.slice(exponent)}`,
          );
          expect(parseMoney(text), text).toEqual(money(expected, currency, true));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parses back compact board totals within their rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom(['ru-RU', 'RUB'], ['en-US', 'USD']),
        (amount, [locale, currency]) => {
          const text = new Intl.NumberFormat(locale, {
            style: 'currency',
            currency,
            notation: 'compact',
          }).format(amount);
          const parsed = parseMoney(text);
          expect(parsed?.currency, text).toBe(currency);
          expect(parsed?.rounded, text).toBe(true);
          expect(Math.abs(parsed!.amount - amount) / amount, text).toBeLessThan(0.05);
        },
      ),
      { numRuns: 500 },
    );
  });
});
