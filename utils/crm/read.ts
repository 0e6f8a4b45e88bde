import type { Problems } from './dom';
import { type Moment, momentOf } from './history';
import type { CrmDeal, CrmId, Money, ScrapeContext } from './model';
import { type DateContext, type DateOrder, type ParsedDate, parseCrmDate } from './parse/dates';
import { parseMoney } from './parse/money';

/** The language a CRM page is written in (the UI's own language is i18n's `Locale`). */
export type PageLocale = 'ru' | 'en';

/** The page's UI locale: the context's when known, else the document's `<html lang>`. */
export function pageLocale(document: Document, context: ScrapeContext): PageLocale | null {
  if (context.locale) return context.locale;
  const lang = document.documentElement?.getAttribute('lang')?.slice(0, 2).toLowerCase();
  return lang === 'ru' || lang === 'en' ? lang : null;
}

/** How a CRM writes its dates, as far as an adapter or a recipe knows it. */
export interface DateFormat {
  locale?: PageLocale;
  order?: DateOrder;
}

/** What the page's dates are read against: the context's clock and zone, in the page's locale unless known. */
export function dateContext(
  document: Document,
  context: ScrapeContext,
  format: DateFormat = {},
): DateContext {
  return {
    now: context.now,
    timeZone: context.timeZone,
    locale: format.locale ?? pageLocale(document, context),
    order: format.order,
  };
}

/**
 * Dates already read against each context (one context per scrape): a board shows the same few
 * dates on thousands of cards.
 */
const parsedDates = new WeakMap<DateContext, Map<string, ParsedDate | null>>();

function parseOnce(text: string, dates: DateContext): ParsedDate | null {
  let parsed = parsedDates.get(dates);
  if (!parsed) {
    parsed = new Map();
    parsedDates.set(dates, parsed);
  }
  if (!parsed.has(text)) parsed.set(text, parseCrmDate(text, dates));
  return parsed.get(text) ?? null;
}

/** A date the page showed; `null` when it does not parse, for callers that try other texts next. */
export function parseMoment(text: string, dates: DateContext): Moment | null {
  const parsed = parseOnce(text, dates);
  return parsed && momentOf(parsed);
}

/** A date the page showed; an unreadable one becomes a `date_unparsed` problem with the raw text. */
export function readDate(
  raw: string | null,
  dates: DateContext,
  field: string,
  problems: Problems,
  dealId?: string | null,
): Moment | null {
  if (raw === null) return null;
  const moment = parseMoment(raw, dates);
  if (!moment) problems.unparsed(field, raw, 'date_unparsed', dealId);
  return moment;
}

/** An amount the page showed; an unreadable one becomes a `amount_unparsed` problem with the raw text. */
export function readMoney(
  raw: string | null,
  field: string,
  problems: Problems,
  dealId?: string | null,
): Money | null {
  if (raw === null) return null;
  const money = parseMoney(raw);
  if (!money) problems.unparsed(field, raw, 'amount_unparsed', dealId);
  return money;
}

/** A deal before anything is read: what the page does not show (a board card shows little) stays empty. */
export function unreadDeal(crm: CrmId, url: string): CrmDeal {
  return {
    crm,
    id: null,
    url,
    name: '',
    pipeline: null,
    stage: null,
    amount: null,
    createdAt: null,
    modifiedAt: null,
    closedAt: null,
    owner: null,
    contacts: [],
    history: [],
  };
}

/** `href` resolved against the page URL; `null` when either is not a URL. */
export function absoluteUrl(href: string, base: string): string | null {
  return urlResolver(base)(href);
}

/** A link from the site's root in characters the URL parser keeps as they are, without dot segments. */
const PLAIN_ROOT_LINK = /^\/(?![/\\])[\w\-.~/]*(?:[?#][\w\-.~/?#=&:+,;@!$*()%]*)?$/;
const DOT_SEGMENT = /\/\.\.?(?=[/?#]|$)/;

/**
 * Resolves links against one page URL, parsed once: a board resolves a link per card, and a plain
 * root link (`/leads/detail/7`), the common case, is joined to the origin without the URL parser,
 * which costs more than the rest of reading a card.
 */
export function urlResolver(base: string): (href: string) => string | null {
  const baseUrl = URL.canParse(base) ? new URL(base) : null;
  const webOrigin = baseUrl?.protocol === 'https:' || baseUrl?.protocol === 'http:' ? baseUrl.origin : null;
  return (href) => {
    if (!baseUrl) return null;
    if (webOrigin && PLAIN_ROOT_LINK.test(href) && !DOT_SEGMENT.test(href)) return webOrigin + href;
    try {
      return new URL(href, baseUrl).href;
    } catch {
      return null;
    }
  };
}
