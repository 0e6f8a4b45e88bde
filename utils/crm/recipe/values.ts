import type { Problems } from '../dom';
import type { Money, ScrapeContext } from '../model';
import { type DateContext, type ParsedDate, parseCrmDate } from '../parse/dates';
import { parseMoney } from '../parse/money';

export type Locale = 'ru' | 'en';

/** The context's locale, else the page's `<html lang>`. */
export function pageLocale(document: Document, context: ScrapeContext): Locale | null {
  if (context.locale) return context.locale;
  const lang = document.documentElement?.getAttribute('lang')?.slice(0, 2).toLowerCase();
  return lang === 'ru' || lang === 'en' ? lang : null;
}

/** Parses a date a page showed; an unreadable one becomes a `date_unparsed` problem with the raw text. */
export function readDate(
  raw: string | null,
  dates: DateContext,
  field: string,
  problems: Problems,
  dealId?: string | null,
): ParsedDate | null {
  if (raw === null) return null;
  const parsed = parseCrmDate(raw, dates);
  if (!parsed) problems.unparsed(field, raw, 'date_unparsed', dealId);
  return parsed;
}

export function readMoney(
  raw: string | null,
  field: string,
  problems: Problems,
  dealId?: string | null,
): Money | null {
  if (raw === null) return null;
  const money = parseMoney(raw);
  if (!money) problems.unparsed(field, raw, 'money_unparsed', dealId);
  return money;
}
