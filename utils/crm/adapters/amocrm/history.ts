import { type Moment, momentOf } from '../../history';
import type { ScrapeContext } from '../../model';
import { parseCrmDate } from '../../parse/dates';

/** A CRM date text read in the page's context; day-only dates are marked estimated. */
export function parseInstant(
  text: string,
  context: ScrapeContext,
  locale: 'ru' | 'en' | null,
  order?: 'DMY' | 'MDY' | 'YMD',
): Moment | null {
  const parsed = parseCrmDate(text, { now: context.now, timeZone: context.timeZone, locale, order });
  return parsed && momentOf(parsed);
}
