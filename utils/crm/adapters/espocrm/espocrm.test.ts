import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tests/support/crm-fixtures';
import { espocrmAdapter } from './index';

const load = (name: string) => loadFixture('espocrm', name);

describe('EspoCRM board', () => {
  for (const name of ['board-en', 'board-ru']) {
    it(`reads ${name} as the page shows it`, () => {
      const { document, context, expected } = load(name);
      expect(espocrmAdapter.detect(document, context.url)).toBe('board');
      const result = espocrmAdapter.scrapeBoard(document, context);
      expect(result.data).toEqual(expected.data);
      expect(result.problems).toEqual(expected.problems);
    });
  }

  it('does not report Closed Lost as hidden when the board shows that column', () => {
    const { document, context } = load('board-en');
    const header = document.querySelector('th.group-header[data-name="Closed Won"]');
    header?.setAttribute('data-name', 'Closed Lost');
    document
      .querySelector('td.group-column[data-name="Closed Won"]')
      ?.setAttribute('data-name', 'Closed Lost');
    const result = espocrmAdapter.scrapeBoard(document, context);
    expect(result.data?.incompleteStages).toEqual(['Qualification']);
    expect(result.problems.some((problem) => problem.code === 'stage_hidden')).toBe(false);
  });

  it('returns no data and says why on a deal page', () => {
    const { document, context } = load('deal-won-en');
    const result = espocrmAdapter.scrapeBoard(document, context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'not_a_board', severity: 'error' })]);
  });
});

describe('EspoCRM deal page', () => {
  const pages = [
    'deal-history-en',
    'deal-ru',
    'deal-won-en',
    'deal-lost-ru',
    'deal-no-contact-en',
    'deal-panel-contacts-en',
    'deal-changed-layout-en',
  ];
  for (const name of pages) {
    it(`reads ${name} as the page shows it`, () => {
      const { document, context, expected } = load(name);
      expect(espocrmAdapter.detect(document, context.url)).toBe('deal');
      const result = espocrmAdapter.scrapeDeal(document, context);
      expect(result.data).toEqual(expected.data);
      expect(result.problems).toEqual(expected.problems);
    });
  }

  // A Russian deal page names its stages by their ru_RU labels only; the board gives the enum values.
  for (const [boardName, dealName] of [
    ['board-en', 'deal-history-en'],
    ['board-ru', 'deal-ru'],
  ] as const) {
    it(`gives the same stage ids and names as ${boardName} for the same stages on ${dealName}`, () => {
      const board = load(boardName);
      const read = espocrmAdapter.scrapeBoard(board.document, board.context).data;
      const stages = read?.stages ?? [];
      const page = load(dealName);
      const deal = espocrmAdapter.scrapeDeal(page.document, page.context).data;
      const card = read?.deals.find((candidate) => candidate.id === deal?.id);
      expect(deal?.stage).toEqual(card?.stage);
      // The same stage is the one the person reads under the same label on both pages.
      const shared = (deal?.history ?? [])
        .map((visit) => visit.stage)
        .filter((stage) => stages.some((column) => column.name === stage.name));
      expect(shared.length).toBeGreaterThanOrEqual(2);
      for (const stage of shared) expect(stage).toEqual(stages.find((column) => column.name === stage.name));
    });
  }

  it('takes no note of a truncated stream for the create note, even one shaped like it', () => {
    const { document, context } = load('deal-lost-ru');
    // A legacy (9.1) Status note: a pill and no audited-fields table, as a create note has.
    document.querySelector('li[data-id="n43"] .details')?.remove();
    const history = espocrmAdapter.scrapeDeal(document, context).data?.history ?? [];
    expect(history.map((visit) => [visit.stage.id, visit.source])).toEqual([
      ['Proposal', 'timeline'],
      ['Closed Lost', 'timeline'],
    ]);
  });

  it('reports a missing id when the address is not an Opportunity view', () => {
    const { document, context } = load('deal-won-en');
    const result = espocrmAdapter.scrapeDeal(document, {
      ...context,
      url: 'https://crm.example.com/#Opportunity',
    });
    expect(result.data?.id).toBeNull();
    expect(result.problems).toContainEqual(expect.objectContaining({ code: 'no_id', field: 'deal.id' }));
  });

  it('returns no data and says why on a board', () => {
    const { document, context } = load('board-en');
    const result = espocrmAdapter.scrapeDeal(document, context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'not_a_deal', severity: 'error' })]);
  });

  it('detects nothing on a page without EspoCRM markup', () => {
    const document = new DOMParser().parseFromString('<p>Hello</p>', 'text/html');
    expect(espocrmAdapter.detect(document, 'https://example.com/')).toBeNull();
  });
});
