import { dataTypeError, invalidDateTime, invalidValue, requiredMissed, unexpectedParameter } from './errors';

export type Obj = Record<string, unknown>;

/** Undocumented string caps; one place to change when a live account says otherwise. */
export const STRING_CAPS = { id: 64, text: 255 } as const;

export const fieldPath = (path: string, key: string | number): string =>
  path ? `${path}.${key}` : String(key);

export const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function expectObject(value: unknown, path: string): Obj {
  if (!isObject(value)) throw dataTypeError(path, value, 'an object');
  return value;
}

/** Required keys are checked before unknown ones, so a typo in a required key reports the missing key. */
export function checkKeys(
  obj: Obj,
  path: string,
  required: readonly string[],
  optional: readonly string[],
): void {
  for (const key of required) {
    if (obj[key] === undefined || obj[key] === null) throw requiredMissed(fieldPath(path, key));
  }
  const known = new Set([...required, ...optional]);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw unexpectedParameter(fieldPath(path, key), obj[key]);
  }
}

type Optional<T> = T | null | undefined;

function checkString(value: unknown, field: string, cap: number): string {
  if (typeof value !== 'string') throw dataTypeError(field, value, 'a string');
  if (value.trim() === '') throw invalidValue(field, value, 'must not be empty');
  if (value.length > cap) throw invalidValue(field, value, `must be at most ${cap} characters`);
  return value;
}

export function requireString(obj: Obj, key: string, path: string, cap: number = STRING_CAPS.text): string {
  const field = fieldPath(path, key);
  if (obj[key] === undefined || obj[key] === null) throw requiredMissed(field);
  return checkString(obj[key], field, cap);
}

export function optionalString(
  obj: Obj,
  key: string,
  path: string,
  cap: number = STRING_CAPS.text,
): Optional<string> {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  return checkString(value, fieldPath(path, key), cap);
}

function checkNumber(value: unknown, field: string, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw dataTypeError(field, value, 'a number');
  if (integer && !Number.isInteger(value)) throw invalidValue(field, value, 'must be an integer');
  return value;
}

export function requireNumber(obj: Obj, key: string, path: string, integer = false): number {
  const field = fieldPath(path, key);
  if (obj[key] === undefined || obj[key] === null) throw requiredMissed(field);
  return checkNumber(obj[key], field, integer);
}

export function optionalNumber(obj: Obj, key: string, path: string, integer = false): Optional<number> {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  return checkNumber(value, fieldPath(path, key), integer);
}

export function requireArray(obj: Obj, key: string, path: string): unknown[] {
  const field = fieldPath(path, key);
  const value = obj[key];
  if (value === undefined || value === null) throw requiredMissed(field);
  if (!Array.isArray(value)) throw dataTypeError(field, value, 'an array');
  return value;
}

export function optionalArray(obj: Obj, key: string, path: string): Optional<unknown[]> {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw dataTypeError(fieldPath(path, key), value, 'an array');
  return value;
}

export function optionalStringArray(
  obj: Obj,
  key: string,
  path: string,
  cap: number = STRING_CAPS.text,
): Optional<string[]> {
  const items = optionalArray(obj, key, path);
  if (items === undefined || items === null) return items;
  const field = fieldPath(path, key);
  return items.map((item, index) => checkString(item, fieldPath(field, index), cap));
}

/** E.164: a country code (never 0), at most 15 digits; the docs' examples write no '+', E.164 allows one. */
const PHONE = /^\+?[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Phone numbers in E.164, stored as digits only (as the docs' examples show them), whichever form was sent. */
export function optionalPhones(obj: Obj, key: string, path: string): Optional<string[]> {
  const phones = optionalStringArray(obj, key, path, 16);
  return phones?.map((phone, i) => {
    if (!PHONE.test(phone)) {
      throw invalidValue(
        fieldPath(path, `${key}.${i}`),
        phone,
        'expected E.164, e.g. 79001234567 or +79001234567',
      );
    }
    return phone.replace('+', '');
  });
}

/** The docs: each e-mail unique within the list (compared ignoring case, as mail domains are). */
export function optionalEmails(obj: Obj, key: string, path: string): Optional<string[]> {
  const emails = optionalStringArray(obj, key, path);
  const seen = new Set<string>();
  emails?.forEach((email, i) => {
    const field = fieldPath(path, `${key}.${i}`);
    if (!EMAIL.test(email)) throw invalidValue(field, email, 'not an e-mail address');
    if (seen.has(email.toLowerCase()))
      throw invalidValue(field, email, 'e-mails must be unique within the list');
    seen.add(email.toLowerCase());
  });
  return emails;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Gregorian, as `Date` counts. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * True when the digits name a real calendar moment (no 30 February, no hour 24). Years before 100
 * stay refused, as when this was checked with `Date.UTC` (which reads them as 1900–1999). Arithmetic,
 * not a Date: it runs for every date of every record.
 */
function isRealDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

function checkDateTime(value: unknown, field: string): string {
  if (typeof value !== 'string') throw dataTypeError(field, value, 'a string');
  if (!DATE_TIME.test(value)) throw invalidValue(field, value, 'expected format YYYY-MM-DD hh:mm:ss');
  if (!isRealDateTime(value)) throw invalidDateTime(field, value, 'not a real calendar date and time');
  return value;
}

export function requireDateTime(obj: Obj, key: string, path: string): string {
  const field = fieldPath(path, key);
  if (obj[key] === undefined || obj[key] === null) throw requiredMissed(field);
  return checkDateTime(obj[key], field);
}

export function optionalDateTime(obj: Obj, key: string, path: string): Optional<string> {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  return checkDateTime(value, fieldPath(path, key));
}

/** One formatter per zone: making one costs far more than formatting with it. */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** Wall-clock `YYYY-MM-DD hh:mm:ss` of an instant in an IANA zone; such strings compare correctly as text. */
export function formatInZone(instant: Date, timeZone: string): string {
  const parts = zoneFormat(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** In an update `null` clears a value; these keys cannot be cleared. */
export function rejectNull(obj: Obj, path: string, keys: readonly string[]): void {
  for (const key of keys) {
    if (obj[key] === null) throw invalidValue(fieldPath(path, key), null, 'cannot be cleared');
  }
}
