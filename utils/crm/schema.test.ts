import { describe, expect, it } from 'vitest';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { ScrapeReportSchema } from './schema';
import { scrapePage } from './scrape';

const context = {
  now: '2026-03-05T12:00:00Z',
  timeZone: 'UTC',
  locale: null,
  url: 'https://crm.example.com/',
};

describe('ScrapeReportSchema', () => {
  it('accepts what the adapters read from boards, deal pages and other pages', () => {
    const pages = [
      fixturePage('espocrm', 'board-ru'),
      fixturePage('espocrm', 'deal-history-en'),
      fixturePage('espocrm', 'deal-changed-layout-en'),
      new DOMParser().parseFromString('<html><body><h1>Blog</h1></body></html>', 'text/html'),
    ];
    for (const page of pages) {
      const report = scrapePage(page, context);
      expect(ScrapeReportSchema.parse(structuredClone(report))).toEqual(report);
    }
  });

  it('refuses a reading a page could have forged: a foreign CRM id, a kind it does not know, a script for a name', () => {
    const report = scrapePage(fixturePage('espocrm', 'deal-history-en'), context);
    const deal = report.deal;
    if (!deal) throw new Error('fixture has no deal');
    expect(ScrapeReportSchema.safeParse({ ...report, adapterId: 'evil' }).success).toBe(false);
    expect(ScrapeReportSchema.safeParse({ ...report, kind: 'script' }).success).toBe(false);
    expect(
      ScrapeReportSchema.safeParse({ ...report, deal: { ...deal, name: { toString: 'x' } } }).success,
    ).toBe(false);
    expect(
      ScrapeReportSchema.safeParse({ ...report, deal: { ...deal, name: 'x'.repeat(300_000) } }).success,
    ).toBe(false);
  });
});
