import { describe, expect, it } from 'vitest';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { CrmDealSchema, ScrapeReportSchema } from './schema';
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

describe('CrmDealSchema: the optional fields', () => {
  const deal = {
    crm: 'espocrm',
    id: 'd1',
    url: 'https://crm.example.com/#Opportunity/view/d1',
    name: 'Supply',
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

  it('accepts a deal of an older version without them, and one with company, source, tags, description, fields', () => {
    expect(CrmDealSchema.safeParse(deal).success).toBe(true);
    const full = {
      ...deal,
      company: { id: 'a1', name: 'Acme', phones: ['+7 495 000-00-00'], emails: ['info@acme.test'] },
      source: 'Web Site',
      tags: ['vip', 'export'],
      description: 'Call after 10',
      fields: { probability: '10', currency: 'USD' },
    };
    expect(CrmDealSchema.parse(full)).toEqual(full);
  });

  it('refuses a flood a page could send: too many tags or fields', () => {
    const tags = Array.from({ length: 201 }, (_, index) => `t${index}`);
    expect(CrmDealSchema.safeParse({ ...deal, tags }).success).toBe(false);
    const fields = Object.fromEntries(tags.map((tag) => [tag, 'x']));
    expect(CrmDealSchema.safeParse({ ...deal, fields }).success).toBe(false);
  });
});
