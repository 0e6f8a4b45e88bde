// Background only: the full ("max") metadata checks a number's digits against the numbering plan,
// not only its length, so typos such as an unassigned Russian area code are rejected and reported
// instead of being sent as a phone no call will ever match. Too big for the content script.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type { CountryCode };

export interface NormalizedPhones {
  /** E.164 digits without '+', de-duplicated, in the order given. */
  phones: string[];
  /** The raw strings that are not valid phone numbers. */
  rejected: string[];
}

/** E.164 digits without '+' ("8 (900) 000-00-00" → "79000000000"); extension dropped; `null` if invalid. */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'RU'): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const phone = parsePhoneNumberFromString(raw, defaultCountry);
  return phone?.isValid() ? phone.number.slice(1) : null;
}

/** Blank entries are skipped; anything else either normalises or is returned as rejected. */
export function normalizePhones(list: string[], defaultCountry: CountryCode = 'RU'): NormalizedPhones {
  const phones = new Set<string>();
  const rejected: string[] = [];
  for (const raw of list) {
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const phone = normalizePhone(raw, defaultCountry);
    if (phone) phones.add(phone);
    else rejected.push(raw);
  }
  return { phones: [...phones], rejected };
}
