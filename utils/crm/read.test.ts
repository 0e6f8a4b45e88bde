import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Problems } from './dom';
import type { ScrapeContext } from './model';
import type { DateContext } from './parse/dates';
import { absoluteUrl, dateContext, pageLocale, parseMoment, readDate, readMoney, urlResolver } from './read';

const context: ScrapeContext = {
  now: '2026-03-02T12:00:00Z',
  timeZone: 'Europe/Moscow',
  locale: null,
  url: 'https://crm.example.com/deals/1',
};
const moscow: DateContext = { now: context.now, timeZone: 'Europe/Moscow', locale: 'ru' };

function pageIn(lang: string | null): Document {
  const document = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
  if (lang !== null) document.documentElement.setAttribute('lang', lang);
  return document;
}

describe('pageLocale', () => {
  it('takes the locale the context knows over the page', () => {
    expect(pageLocale(pageIn('en'), { ...context, locale: 'ru' })).toBe('ru');
  });

  it.each([
    ['ru-RU', 'ru'],
    ['EN-us', 'en'],
    ['ru', 'ru'],
    ['de', null],
    [null, null],
  ])('reads <html lang="%s"> as %s', (lang, locale) => {
    expect(pageLocale(pageIn(lang), context)).toBe(locale);
  });
});

describe('dateContext', () => {
  it("reads dates on the context's clock and zone in the page's locale", () => {
    expect(dateContext(pageIn('en'), context)).toEqual({
      now: context.now,
      timeZone: 'Europe/Moscow',
      locale: 'en',
      order: undefined,
    });
  });

  it('lets a known date format override the locale and set the order', () => {
    expect(dateContext(pageIn('en'), context, { locale: 'ru', order: 'DMY' })).toMatchObject({
      locale: 'ru',
      order: 'DMY',
    });
  });
});

describe('parseMoment', () => {
  it('reads a date with a time of day as exact', () => {
    expect(parseMoment('01.03.2026 10:15', moscow)).toEqual({
      instant: '2026-03-01T07:15:00.000Z',
      estimated: false,
    });
  });

  it('reads a day-only date as an estimate at local midnight', () => {
    expect(parseMoment('01.03.2026', moscow)).toEqual({
      instant: '2026-02-28T21:00:00.000Z',
      estimated: true,
    });
  });

  it('returns null for text that is no date', () => {
    expect(parseMoment('in the spring', moscow)).toBeNull();
  });

  it('reads the same text against each context in its own zone', () => {
    const utc: DateContext = { ...moscow, timeZone: 'UTC' };
    expect(parseMoment('01.03.2026 10:15', moscow)?.instant).toBe('2026-03-01T07:15:00.000Z');
    expect(parseMoment('01.03.2026 10:15', utc)?.instant).toBe('2026-03-01T10:15:00.000Z');
    expect(parseMoment('01.03.2026 10:15', moscow)?.instant).toBe('2026-03-01T07:15:00.000Z');
  });
});

describe('readDate', () => {
  it('reads nothing and reports nothing when the page showed no text', () => {
    const problems = new Problems();
    expect(readDate(null, moscow, 'deal.createdAt', problems)).toBeNull();
    expect(problems.list).toEqual([]);
  });

  it('reports an unreadable date with its raw text and deal', () => {
    const problems = new Problems();
    expect(readDate('in the spring', moscow, 'card[0].closedAt', problems, '17')).toBeNull();
    expect(problems.list).toEqual([
      {
        code: 'date_unparsed',
        field: 'card[0].closedAt',
        detail: 'in the spring',
        severity: 'warning',
        dealId: '17',
      },
    ]);
  });

  it('reads a date silently', () => {
    const problems = new Problems();
    expect(readDate('01.03.2026 10:15', moscow, 'deal.createdAt', problems)?.instant).toBe(
      '2026-03-01T07:15:00.000Z',
    );
    expect(problems.list).toEqual([]);
  });
});

describe('readMoney', () => {
  it('reads an amount silently', () => {
    const problems = new Problems();
    expect(readMoney('$1,200.50', 'deal.amount', problems)).toEqual({
      amount: 1200.5,
      currency: 'USD',
      rounded: false,
    });
    expect(problems.list).toEqual([]);
  });

  it('reports an unreadable amount with its raw text', () => {
    const problems = new Problems();
    expect(readMoney('negotiable', 'deal.amount', problems)).toBeNull();
    expect(problems.list).toEqual([
      { code: 'amount_unparsed', field: 'deal.amount', detail: 'negotiable', severity: 'warning' },
    ]);
  });

  it('reads nothing and reports nothing when the page showed no text', () => {
    const problems = new Problems();
    expect(readMoney(null, 'deal.amount', problems)).toBeNull();
    expect(problems.list).toEqual([]);
  });
});

describe('absoluteUrl', () => {
  it('resolves a link against the page', () => {
    expect(absoluteUrl('/leads/detail/7', 'https://acme.amocrm.ru/leads/pipeline/1')).toBe(
      'https://acme.amocrm.ru/leads/detail/7',
    );
  });

  it('keeps an absolute link', () => {
    expect(absoluteUrl('https://other.example.com/x', context.url)).toBe('https://other.example.com/x');
  });

  it('returns null when the base is no URL', () => {
    expect(absoluteUrl('/x', 'not a url')).toBeNull();
  });
});

/** What the URL parser makes of a link, `null` when it refuses it. */
const parsed = (href: string, base: string) => (URL.canParse(href, base) ? new URL(href, base).href : null);

describe('urlResolver', () => {
  it('resolves links against the page URL it was made for', () => {
    const resolve = urlResolver('https://acme.amocrm.ru/leads/pipeline/1');
    expect(resolve('/leads/detail/7')).toBe('https://acme.amocrm.ru/leads/detail/7');
    expect(resolve('detail/8')).toBe('https://acme.amocrm.ru/leads/pipeline/detail/8');
  });

  it('returns null for a link that is no URL', () => {
    expect(urlResolver(context.url)('http://[bad')).toBeNull();
  });

  it('returns null for every link when the page URL is no URL', () => {
    expect(urlResolver('not a url')('https://other.example.com/x')).toBeNull();
  });

  it('resolves root links with dot segments, odd characters, queries and fragments as the URL parser does', () => {
    const resolve = urlResolver('https://crm.example.com:8443/web?x=1#y');
    for (const href of [
      '/odoo/crm/7',
      '/web#id=7&model=crm.lead&view_type=form',
      '/a/./b',
      '/a/../b',
      '/a/..',
      '/a b/"c"',
      "/x?q='1'",
      '/%2e%2e/x',
      '/\\evil.example/x',
      '//other.example/x',
    ]) {
      expect(resolve(href), href).toBe(parsed(href, 'https://crm.example.com:8443/web?x=1#y'));
    }
  });

  it('agrees with the URL parser on any root link', () => {
    const base = 'https://acme.amocrm.ru/leads/pipeline/1';
    const resolve = urlResolver(base);
    const piece = fc.constantFrom(...'/ . .. a Z9 - _ ~ % %2e ? # = & ж'.split(' '), ' ', "'", '\\');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const href = `/${pieces.join('')}`;
        expect(resolve(href)).toBe(parsed(href, base));
      }),
    );
  });

  it('uses the URL parser for a page that is not on the web', () => {
    expect(urlResolver('file:///crm/board.html')('/leads/detail/7')).toBe('file:///leads/detail/7');
  });
});
