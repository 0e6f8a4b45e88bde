import { describe, expect, it } from 'vitest';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { scrapePage } from './scrape';

const context = { now: '2026-03-05T12:00:00Z', timeZone: 'UTC', locale: null, url: 'https://example.org/' };

describe('reading a page', () => {
  it('says why there is nothing to export on a page that is not a CRM', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>Blog</h1></body></html>', 'text/html');
    const report = scrapePage(doc, context);
    expect(report).toMatchObject({ adapterId: null, kind: null, deal: null, board: null });
    expect(report.reasons.length).toBeGreaterThan(0);
  });

  it('reads a supported board with its adapter', () => {
    const doc = fixturePage('espocrm', 'board-en');
    const report = scrapePage(doc, { ...context, url: 'https://crm.example.com/#Opportunity' });
    expect(report).toMatchObject({ adapterId: 'espocrm', kind: 'board', reasons: [] });
    expect(report.board?.deals.length).toBeGreaterThan(0);
  });
});
