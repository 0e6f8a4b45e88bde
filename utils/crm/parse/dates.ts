import { cleanText } from '../dom';
import {
  instantToZoned,
  isValidTimeZone,
  utcMsToWall,
  type WallTime,
  wallToUtcMs,
  zonedToInstant,
} from './time-zone';

export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export interface DateContext {
  /** Reference "now" as an ISO instant; relative forms count from it. */
  now: string;
  /** IANA zone the page shows wall-clock times in. */
  timeZone: string;
  locale: 'ru' | 'en' | null;
  /** Order of numeric dates; when absent: DMY, except MDY for en with '/'. */
  order?: DateOrder;
}

export interface ParsedDate {
  /** ISO instant in UTC. With `day` precision: local midnight of that day. */
  instant: string;
  precision: 'second' | 'minute' | 'day';
}

interface Day {
  year: number;
  month: number;
  day: number;
}

interface TimeOfDay {
  hour: number;
  minute: number;
  second: number | null;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Russian forms cover every grammatical case (январь, января, январю, январём, январе) and the
// short forms of moment.js and Intl (янв., февр., сент., нояб.).
const MONTHS: RegExp[] = [
  /^(янв(ар(ь|я|ю|ем|е))?|jan(uary)?)$/,
  /^(фев(р(ал(ь|я|ю|ем|е))?)?|feb(ruary)?)$/,
  /^(мар(т(а|у|ом|е)?)?|mar(ch)?)$/,
  /^(апр(ел(ь|я|ю|ем|е))?|apr(il)?)$/,
  /^(ма(й|я|ю|ем|е)|may)$/,
  /^(июн(ь|я|ю|ем|е)?|jun(e)?)$/,
  /^(июл(ь|я|ю|ем|е)?|jul(y)?)$/,
  /^(авг(уст(а|у|ом|е)?)?|aug(ust)?)$/,
  /^(сен(т(ябр(ь|я|ю|ем|е))?)?|sep(t(ember)?)?)$/,
  /^(окт(ябр(ь|я|ю|ем|е))?|oct(ober)?)$/,
  /^(ноя(б(р(ь|я|ю|ем|е))?)?|nov(ember)?)$/,
  /^(дек(абр(ь|я|ю|ем|е))?|dec(ember)?)$/,
];

const DAY_WORDS = new Map([
  ['позавчера', -2],
  ['вчера', -1],
  ['сегодня', 0],
  ['завтра', 1],
  ['послезавтра', 2],
  ['yesterday', -1],
  ['today', 0],
  ['tomorrow', 1],
]);

const JUST_NOW = new Set([
  'только что',
  'сейчас',
  'несколько секунд назад',
  'just now',
  'now',
  'a few seconds ago',
]);

const AGO_UNITS: [RegExp, number][] = [
  [/^(секунд[аыу]?|сек|seconds?|secs?)$/, 1000],
  [/^(минут[аыу]?|мин|minutes?|mins?)$/, MINUTE_MS],
  [/^(час(а|ов)?|ч|hours?|hrs?)$/, 60 * MINUTE_MS],
  [/^(день|дня|дней|дн|days?)$/, DAY_MS],
  [/^(недел[яюиь]|нед|weeks?)$/, 7 * DAY_MS],
];

const TIME_AT_END =
  /^(.*?)(?:^|[\s,]+(?:(?:в|at)\s+)?|t)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([ap])\.?\s?m\.?)?$/;
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s?(z|([+-])(\d{2}):?(\d{2})?)$/;
const YEAR_FIRST = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/;
const YEAR_LAST = /^(\d{1,2})([-./])\s?(\d{1,2})\2\s?(\d{4}|\d{2})(?:\s?г\.?)?$/;
const DAY_MONTH_NAME = /^(\d{1,2})\.?\s*([a-zа-я]+)\.?(?:,?\s*(\d{4}|\d{2})(?:\s*(?:г\.?|года))?)?$/;
const MONTH_NAME_DAY = /^([a-zа-я]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}|\d{2}))?$/;
const AGO = /^(\d{1,4}|an?|one)?\s*([a-zа-я]+)\.?\s+(?:ago|назад)$/;

/** Reads a date or date-time as a CRM page shows it; `null` when the text is not one. Never throws. */
export function parseCrmDate(text: string, ctx: DateContext): ParsedDate | null {
  if (typeof text !== 'string' || !isValidTimeZone(ctx.timeZone)) return null;
  const nowMs = Date.parse(ctx.now);
  if (Number.isNaN(nowMs)) return null;
  const input = cleanText(text).toLowerCase().replace(/ё/g, 'е');
  if (input === '') return null;
  return parseIsoWithOffset(input) ?? parseRelative(input, nowMs, ctx) ?? parseWall(input, nowMs, ctx);
}

function parseIsoWithOffset(input: string): ParsedDate | null {
  const m = ISO_WITH_OFFSET.exec(input);
  if (!m) return null;
  const day = checkedDay(Number(m[1]), Number(m[2]), Number(m[3]));
  const time = checkedTime(m[4]!, m[5]!, m[6], undefined);
  if (!day || !time) return null;
  let offsetMinutes = 0;
  if (m[7] !== 'z') {
    const hours = Number(m[9]);
    const minutes = Number(m[10] ?? 0);
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const ms = wallToUtcMs({ ...day, hour: time.hour, minute: time.minute, second: time.second ?? 0 });
  return { instant: new Date(ms - offsetMinutes * MINUTE_MS).toISOString(), precision: precisionOf(time) };
}

function parseRelative(input: string, nowMs: number, ctx: DateContext): ParsedDate | null {
  if (JUST_NOW.has(input)) return { instant: new Date(nowMs).toISOString(), precision: 'minute' };
  const m = AGO.exec(input);
  if (!m) return null;
  const count = m[1] === undefined || Number.isNaN(Number(m[1])) ? 1 : Number(m[1]);
  const unitMs = AGO_UNITS.find(([pattern]) => pattern.test(m[2]!))?.[1];
  if (unitMs === undefined) return null;
  if (unitMs < DAY_MS) {
    return { instant: new Date(nowMs - count * unitMs).toISOString(), precision: 'minute' };
  }
  const today = dayOf(instantToZoned(new Date(nowMs).toISOString(), ctx.timeZone));
  return atDay(addDays(today, (-count * unitMs) / DAY_MS), null, ctx.timeZone);
}

function parseWall(input: string, nowMs: number, ctx: DateContext): ParsedDate | null {
  const split = TIME_AT_END.exec(input);
  const datePart = (split ? split[1]! : input).replace(/[\s,]+$/, '');
  const time = split ? checkedTime(split[2]!, split[3]!, split[4], split[5]) : null;
  if (split && !time) return null;
  const now = instantToZoned(new Date(nowMs).toISOString(), ctx.timeZone);
  const day = datePart === '' && time ? dayOf(now) : parseDay(datePart, now, ctx);
  return day ? atDay(day, time, ctx.timeZone) : null;
}

function parseDay(text: string, now: WallTime, ctx: DateContext): Day | null {
  const shift = DAY_WORDS.get(text);
  if (shift !== undefined) return addDays(dayOf(now), shift);
  const ymd = YEAR_FIRST.exec(text);
  if (ymd) return checkedDay(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const numeric = YEAR_LAST.exec(text);
  if (numeric) return numericDay(numeric[1]!, numeric[3]!, numeric[4]!, numeric[2]!, now, ctx);
  const dayFirst = DAY_MONTH_NAME.exec(text);
  if (dayFirst) return namedDay(dayFirst[1]!, dayFirst[2]!, dayFirst[3], now);
  const monthFirst = MONTH_NAME_DAY.exec(text);
  if (monthFirst) return namedDay(monthFirst[2]!, monthFirst[1]!, monthFirst[3], now);
  return null;
}

function numericDay(
  a: string,
  b: string,
  yearText: string,
  separator: string,
  now: WallTime,
  ctx: DateContext,
) {
  const hinted = ctx.order === 'DMY' || ctx.order === 'MDY' ? ctx.order : null;
  const order = hinted ?? (separator === '/' && ctx.locale === 'en' ? 'MDY' : 'DMY');
  const read = (dayText: string, monthText: string) => {
    const month = Number(monthText);
    const day = Number(dayText);
    return checkedDay(fullYear(yearText, month, day, now), month, day);
  };
  const guessed = order === 'DMY' ? read(a, b) : read(b, a);
  // Only a guessed order may yield to the one reading that makes a real date (13/05 is not May 13th).
  if (guessed || hinted) return guessed;
  return order === 'DMY' ? read(b, a) : read(a, b);
}

function namedDay(
  dayText: string,
  monthName: string,
  yearText: string | undefined,
  now: WallTime,
): Day | null {
  const month = MONTHS.findIndex((pattern) => pattern.test(monthName)) + 1;
  const day = Number(dayText);
  if (month === 0) return null;
  if (yearText !== undefined) return checkedDay(fullYear(yearText, month, day, now), month, day);
  // Year-less dates are recent: this year unless that is more than a day ahead, then last year.
  const thisYear = checkedDay(now.year, month, day);
  const tomorrow = addDays(dayOf(now), 1);
  if (thisYear && compareDays(thisYear, tomorrow) <= 0) return thisYear;
  return checkedDay(now.year - 1, month, day);
}

/** Two-digit years are 20YY, or 19YY when 20YY would be more than a year ahead. */
function fullYear(yearText: string, month: number, day: number, now: WallTime): number {
  const year = Number(yearText);
  if (yearText.length === 4) return year;
  const candidate = { year: 2000 + year, month, day };
  const yearAhead = { year: now.year + 1, month: now.month, day: now.day };
  return compareDays(candidate, yearAhead) > 0 ? 1900 + year : 2000 + year;
}

function checkedDay(year: number, month: number, day: number): Day | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const lastDay = utcMsToWall(
    wallToUtcMs({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0 }),
  ).day;
  return day <= lastDay ? { year, month, day } : null;
}

function checkedTime(
  h: string,
  m: string,
  s: string | undefined,
  meridiem: string | undefined,
): TimeOfDay | null {
  let hour = Number(h);
  const minute = Number(m);
  const second = s === undefined ? null : Number(s);
  if (minute > 59 || (second ?? 0) > 59) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  return hour > 23 ? null : { hour, minute, second };
}

function atDay(day: Day, time: TimeOfDay | null, timeZone: string): ParsedDate {
  const wall = { ...day, hour: time?.hour ?? 0, minute: time?.minute ?? 0, second: time?.second ?? 0 };
  return { instant: zonedToInstant(wall, timeZone), precision: time ? precisionOf(time) : 'day' };
}

const precisionOf = (time: TimeOfDay): ParsedDate['precision'] =>
  time.second === null ? 'minute' : 'second';

const dayOf = ({ year, month, day }: WallTime): Day => ({ year, month, day });

function addDays(day: Day, days: number): Day {
  const ms = wallToUtcMs({ ...day, hour: 0, minute: 0, second: 0 }) + days * DAY_MS;
  return dayOf(utcMsToWall(ms));
}

const compareDays = (a: Day, b: Day) => a.year - b.year || a.month - b.month || a.day - b.day;
