import { describe, expect, it } from 'vitest';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { LIMITS } from './limits';
import { ScrapeReportSchema } from './schema';
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

describe('a reading with page fields over the limits', () => {
  const BOARD_URL = 'https://crm.example.com/#Opportunity';

  /** The EspoCRM board with one card's amount and one column's title as long as a page may make them. */
  function floodedBoard(): Document {
    const doc = fixturePage('espocrm', 'board-en');
    doc.querySelector('[data-name="amount"] .numeric-text')!.textContent = `$${'9'.repeat(20_000)}`;
    doc.querySelector('.kanban-group-label')!.textContent = 'P'.repeat(250_000);
    return doc;
  }

  it('keeps every card and is taken by the background, the long fields cut with a note each', () => {
    const plain = scrapePage(fixturePage('espocrm', 'board-en'), { ...context, url: BOARD_URL });
    const report = scrapePage(floodedBoard(), { ...context, url: BOARD_URL });
    expect(ScrapeReportSchema.safeParse(report).success).toBe(true);
    expect(report.board!.deals.map((deal) => deal.id)).toEqual(plain.board!.deals.map((deal) => deal.id));
    const notes = report.problems.filter((problem) => problem.code === 'text_truncated');
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((note) => note.severity === 'warning' && note.detail === String(LIMITS.text))).toBe(
      true,
    );
    expect(notes.map((note) => note.field)).toContain('board.stages[0].name');
    expect(report.board!.stages[0]!.name).toBe('P'.repeat(LIMITS.text));
    // The unreadable amount is reported with the page's text, cut to what a problem carries.
    const amount = report.problems.find((problem) => problem.code === 'amount_unparsed');
    expect(amount?.detail?.length).toBe(LIMITS.problemDetail);
  });

  it('leaves the background’s check in place for a reading forged past the content script', () => {
    const raw = { ...scrapePage(floodedBoard(), { ...context, url: BOARD_URL }) };
    raw.board = {
      ...raw.board!,
      stages: raw.board!.stages.map((stage) => ({ ...stage, name: 'P'.repeat(250_000) })),
    };
    expect(ScrapeReportSchema.safeParse(raw).success).toBe(false);
  });
});
