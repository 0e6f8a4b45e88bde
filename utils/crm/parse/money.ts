import { cleanText } from '../dom';
import type { Money } from '../model';

const CURRENCIES = new Map([
  ['₽', 'RUB'],
  ['руб', 'RUB'],
  ['р', 'RUB'],
  ['rub', 'RUB'],
  ['$', 'USD'],
  ['usd', 'USD'],
  ['€', 'EUR'],
  ['eur', 'EUR'],
  ['£', 'GBP'],
  ['gbp', 'GBP'],
  ['₸', 'KZT'],
  ['тг', 'KZT'],
  ['тенге', 'KZT'],
  ['kzt', 'KZT'],
  ['₴', 'UAH'],
  ['грн', 'UAH'],
  ['uah', 'UAH'],
  ['br', 'BYN'],
  ['byn', 'BYN'],
]);

/** Board totals abbreviate: "$39.6K", "1,2 млн ₽". */
const MULTIPLIERS: [RegExp, number][] = [
  [/^(k|к|тыс)$/, 3],
  [/^(m|mn|mln|млн)$/, 6],
  [/^(b|bn|млрд)$/, 9],
  [/^(t|tn|трлн)$/, 12],
];

const SHAPE = /^(\D*?)(\d(?:[\d.,' ’]*\d)?)(\D*)$/;
const MINUS = /^[-−–]|[-−–]$/;

/** Reads an amount as a CRM page shows it; `null` when the text is not one. */
export function parseMoney(text: string): Money | null {
  const m = SHAPE.exec(cleanText(typeof text === 'string' ? text : ''));
  if (!m) return null;
  let before = m[1]!.trim();
  const negative = MINUS.test(before);
  if (negative) before = before.replace(MINUS, '').trim();
  const [exponent, after] = splitMultiplier(m[3]!.trim());
  const currency = currencyOf(before, after);
  const amount = amountOf(m[2]!, exponent);
  if (currency === undefined || amount === null) return null;
  return { amount: negative && amount !== 0 ? -amount : amount, currency, rounded: exponent > 0 };
}

function splitMultiplier(after: string): [number, string] {
  const m = /^([a-zа-я]+)\.?\s*(.*)$/i.exec(after);
  const exponent = m && MULTIPLIERS.find(([pattern]) => pattern.test(m[1]!.toLowerCase()))?.[1];
  return m && exponent ? [exponent, m[2]!.trim()] : [0, after];
}

/** The currency shown before or after the figure; `undefined` when the text is not a currency. */
function currencyOf(before: string, after: string): string | null | undefined {
  if (before !== '' && after !== '') return undefined;
  const shown = before || after;
  if (shown === '') return null;
  const key = shown.toLowerCase().replace(/\.$/, '');
  const known = CURRENCIES.get(key);
  if (known) return known;
  if (/^\p{Sc}$/u.test(shown)) return shown;
  if (/^[a-z]{3}$/i.test(shown)) return shown.toUpperCase();
  return undefined;
}

/** The figure's value; separators are told apart by position and grouping ("1,234" vs "1,23"). */
function amountOf(figure: string, exponent: number): number | null {
  const decimal = decimalMark(figure, exponent > 0);
  const at = decimal ? figure.lastIndexOf(decimal) : figure.length;
  const integer = figure.slice(0, at);
  const fraction = decimal ? figure.slice(at + 1) : '0';
  if (!/^\d+$/.test(fraction) || !GROUPED.test(integer)) return null;
  const amount = Number(`${integer.replace(/\D/g, '')}.${fraction}e${exponent}`);
  return Number.isFinite(amount) ? amount : null;
}

/**
 * Which mark separates the fraction. Before a multiplier ("$12.345K", "1,5 млн") a lone mark is
 * always the decimal one: nobody groups the thousands of a figure they have just abbreviated.
 */
function decimalMark(figure: string, compact: boolean): '.' | ',' | null {
  const dot = figure.lastIndexOf('.');
  const comma = figure.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
  const mark = dot >= 0 ? '.' : comma >= 0 ? ',' : null;
  if (!mark) return null;
  const [integer = '', fraction, extra] = figure.split(mark);
  if (extra !== undefined) return null;
  // One mark followed by exactly three digits groups thousands ("1,234"), unless spaces already do.
  const looksGrouped = !compact && fraction?.length === 3 && integer !== '0' && !/[ '’]/.test(integer);
  return looksGrouped ? null : mark;
}

/** Digits in groups of three after the first, all split by one kind of mark: "1 234 567", not "1,2,3". */
const GROUPED = /^(?:\d+|\d{1,3}(\D)\d{3}(?:\1\d{3})*)$/;
