import { describe, expect, it } from 'vitest';
import { fixturePage, fixtureSnapshot, itMatchesSelectors } from '../../../../tests/support/crm-fixtures';
import { amocrmAdapter } from './index';
import { amocrmSelectors } from './selectors';

const page = (name: string) => fixturePage('amocrm', name);
const expected = (name: string) => fixtureSnapshot('amocrm', name);

describe('amoCRM board pages', () => {
  for (const name of ['board-ru', 'board-en']) {
    it(`scrapes ${name} as written in its expected snapshot`, () => {
      const { context, expected: snapshot } = expected(name);
      expect(amocrmAdapter.scrapeBoard(page(name), context)).toEqual(snapshot);
    });
  }

  it('takes the status id of a column from its header when its class lost it, and says so', () => {
    const document = page('board-ru');
    const column = document.querySelector(amocrmSelectors.boardColumn);
    column?.classList.remove('pipeline_cell-41001');
    const { data, problems } = amocrmAdapter.scrapeBoard(document, expected('board-ru').context);
    expect(data?.stages[0]?.id).toBe('41001');
    expect(problems).toContainEqual({
      code: 'fallback_used',
      field: 'stages[0].id',
      detail: amocrmSelectors.columnHeaderById,
      severity: 'warning',
    });
  });

  it('returns no data and an error when the page has no columns', () => {
    const result = amocrmAdapter.scrapeBoard(page('deal-ru-history'), expected('board-ru').context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([
      {
        code: 'selector_missed',
        field: 'board.stages',
        detail: amocrmSelectors.boardColumn,
        severity: 'error',
      },
    ]);
  });
});

describe('amoCRM lead pages', () => {
  for (const name of [
    'deal-ru-history',
    'deal-ru-two-contacts',
    'deal-en-won',
    'deal-en-readonly-lost',
    'deal-ru-fallbacks',
    'deal-ru-changed-layout',
  ]) {
    it(`scrapes ${name} as written in its expected snapshot`, () => {
      const { context, expected: snapshot } = expected(name);
      expect(amocrmAdapter.scrapeDeal(page(name), context)).toEqual(snapshot);
    });
  }

  it('returns no data and an error on a page that is not a lead card', () => {
    const result = amocrmAdapter.scrapeDeal(page('board-ru'), expected('deal-ru-history').context);
    expect(result.data).toBeNull();
    expect(result.problems.map((problem) => [problem.code, problem.severity])).toEqual([
      ['page_not_understood', 'error'],
    ]);
  });

  it('reads what the user typed into a field, not the value the page loaded with', () => {
    const document = page('deal-ru-history');
    const name = document.querySelector<HTMLTextAreaElement>(amocrmSelectors.dealName);
    const price = document.querySelector<HTMLInputElement>(amocrmSelectors.budgetRaw);
    if (!name || !price) throw new Error('fixture changed');
    name.value = 'Оснащение двух переговорных';
    price.value = '450000';
    const { data } = amocrmAdapter.scrapeDeal(document, expected('deal-ru-history').context);
    expect(data?.name).toBe('Оснащение двух переговорных');
    expect(data?.amount).toEqual({ amount: 450000, currency: null, rounded: false });
  });

  it('reads an emptied budget as no amount (amoCRM renders a zero budget empty)', () => {
    const document = page('deal-ru-history');
    const price = document.querySelector<HTMLInputElement>(amocrmSelectors.budgetRaw);
    if (!price) throw new Error('fixture changed');
    price.value = '';
    const result = amocrmAdapter.scrapeDeal(document, expected('deal-ru-history').context);
    expect(result.data?.amount).toBeNull();
    expect(result.problems).toEqual([]);
  });

  it('gives a one-pipeline deal the pipeline its board has', () => {
    const board = amocrmAdapter.scrapeBoard(page('board-en'), expected('board-en').context);
    const deal = amocrmAdapter.scrapeDeal(page('deal-en-won'), expected('deal-en-won').context);
    expect(deal.data?.pipeline).toEqual(board.data?.pipeline);
  });

  it('reads the stage from the one-pipeline select when the stage view is missing, and says so', () => {
    const document = page('deal-en-won');
    document.querySelector(amocrmSelectors.stageView)?.remove();
    const { data, problems } = amocrmAdapter.scrapeDeal(document, expected('deal-en-won').context);
    expect(data?.stage).toEqual({ id: '142', name: 'Closed - won', outcome: 'won' });
    expect(problems).toEqual([
      {
        code: 'fallback_used',
        field: 'deal.stage',
        detail: amocrmSelectors.singleStatusInput,
        severity: 'warning',
      },
    ]);
  });

  it("reads a read-only user's stage from the checked box when the stage view is missing", () => {
    const document = page('deal-en-readonly-lost');
    document.querySelector(amocrmSelectors.stageView)?.remove();
    const { data, problems } = amocrmAdapter.scrapeDeal(document, expected('deal-en-readonly-lost').context);
    // Without the view nothing names the stage or the pipeline; the ids still tell it is lost.
    expect(data?.stage).toEqual({ id: '143', name: '143', outcome: 'lost' });
    expect(data?.pipeline).toEqual({ id: '8003', name: '8003' });
    expect(problems.slice(0, 2)).toEqual([
      {
        code: 'fallback_used',
        field: 'deal.stage',
        detail: amocrmSelectors.readonlyStatusInput,
        severity: 'warning',
      },
      {
        code: 'selector_missed',
        field: 'deal.stage.name',
        detail: amocrmSelectors.stageViewName,
        severity: 'warning',
      },
    ]);
  });

  it('reads a phone from its raw input when the formatted one is empty, and says so', () => {
    const document = page('deal-ru-history');
    const formatted = document.querySelector<HTMLInputElement>(amocrmSelectors.phoneFormatted);
    if (!formatted) throw new Error('fixture changed');
    formatted.value = '';
    const { data, problems } = amocrmAdapter.scrapeDeal(document, expected('deal-ru-history').context);
    expect(data?.contacts[0]?.phones).toEqual(['+79123456789', '8 (495) 123-45-67']);
    expect(problems).toEqual([
      {
        code: 'fallback_used',
        field: 'deal.contacts[0].phones',
        detail: amocrmSelectors.phoneRaw,
        severity: 'warning',
      },
    ]);
  });

  it('keys a history stage by the status id of the pipeline the note names', () => {
    const document = page('deal-ru-history');
    // The same stage name exists in both pipelines: the note's pipeline decides.
    for (const name of document.querySelectorAll(amocrmSelectors.notePipelineName))
      name.textContent = 'Партнёры';
    const { data } = amocrmAdapter.scrapeDeal(document, expected('deal-ru-history').context);
    expect(data?.history.map((visit) => visit.stage.id)).toEqual(['51001', '51002', '51001', '41003']);
  });

  it('merges a note that repeats the current stage into one visit', () => {
    const document = page('deal-en-won');
    const notes = document.querySelector(amocrmSelectors.feed);
    const repeat = document.querySelector(amocrmSelectors.statusNote)?.cloneNode(true) as Element;
    const date = repeat.querySelector(amocrmSelectors.noteDate);
    if (!notes || !date) throw new Error('fixture changed');
    date.textContent = 'Yesterday 10:20';
    notes.append(repeat);
    const { data } = amocrmAdapter.scrapeDeal(document, expected('deal-en-won').context);
    expect(data?.history.map((visit) => visit.stage.id)).toEqual(['52001', '52002', '142']);
    expect(data?.history[1]?.enteredAt).toBe('2024-04-22T14:15:00.000Z');
  });
});

describe('amoCRM detection', () => {
  const blank = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
  it.each([
    ['https://acme.amocrm.ru/leads/pipeline/7001/', 'board'],
    ['https://acme.amocrm.ru/leads/pipeline/', 'board'],
    ['https://acme.amocrm.com/leads/detail/90013', 'deal'],
    ['https://northwind.kommo.com/leads/detail/70022?tab=feed', 'deal'],
    ['https://acme.amocrm.ru/contacts/detail/30013', null],
    ['https://amocrm.ru.example.com/leads/detail/1', null],
    ['https://example.com/leads/pipeline/1', null],
    ['not a url', null],
  ])('%s is %s', (url, kind) => {
    expect(amocrmAdapter.detect(blank, url)).toBe(kind);
  });
});

/** Where each selector must match: a changed CRM layout fails exactly the selectors it broke. */
const selectorFixture: Record<keyof typeof amocrmSelectors, string> = {
  boardColumn: 'board-ru',
  columnHeaderById: 'board-ru',
  columnList: 'board-ru',
  columnHeader: 'board-en',
  columnTitle: 'board-ru',
  columnCount: 'board-ru',
  boardPipelineName: 'board-ru',
  card: 'board-ru',
  cardTitle: 'board-ru',
  cardTitleCss: 'board-ru',
  cardPrice: 'board-ru',
  cardContact: 'board-ru',
  dealCard: 'deal-ru-history',
  dealName: 'deal-ru-history',
  stageView: 'deal-ru-history',
  stageViewPipeline: 'deal-ru-history',
  stageViewName: 'deal-ru-history',
  pipelineRadio: 'deal-ru-history',
  pipelineSelectedInput: 'deal-ru-history',
  pipelineBlock: 'deal-ru-history',
  pipelineCaption: 'deal-ru-history',
  pipelineStatusItem: 'deal-ru-history',
  pipelineStatusInput: 'deal-ru-history',
  pipelineStatusText: 'deal-ru-history',
  singleStatusInput: 'deal-en-won',
  singleStatusItem: 'deal-en-won',
  readonlyStatusInput: 'deal-en-readonly-lost',
  readonlyPipelineInput: 'deal-en-readonly-lost',
  owner: 'deal-ru-history',
  ownerInput: 'deal-ru-history',
  ownerNoRights: 'deal-en-readonly-lost',
  budgetRaw: 'deal-ru-history',
  budgetFormatted: 'deal-ru-history',
  budgetTitle: 'deal-en-readonly-lost',
  contactsList: 'deal-ru-history',
  contact: 'deal-ru-history',
  contactId: 'deal-ru-history',
  contactLink: 'deal-ru-history',
  contactName: 'deal-ru-history',
  contactFirstName: 'deal-ru-history',
  contactLastName: 'deal-ru-history',
  contactPhone: 'deal-ru-history',
  contactEmail: 'deal-ru-history',
  phoneFormatted: 'deal-ru-history',
  phoneRaw: 'deal-ru-history',
  emailValue: 'deal-ru-history',
  company: 'deal-ru-history',
  companyLink: 'deal-ru-history',
  anyCompanyLink: 'deal-ru-changed-layout',
  tag: 'deal-en-won',
  feed: 'deal-ru-history',
  feedLoadMore: 'deal-ru-changed-layout',
  feedGrouped: 'deal-ru-two-contacts',
  statusNote: 'deal-ru-history',
  statusChange: 'deal-ru-history',
  noteDate: 'deal-ru-history',
  statusLabel: 'deal-ru-history',
  notePipeline: 'deal-ru-history',
  notePipelineName: 'deal-ru-history',
  newStatus: 'deal-ru-history',
  createdNote: 'deal-ru-history',
};

describe('amoCRM selectors', () => {
  itMatchesSelectors('amocrm', amocrmSelectors, selectorFixture);
});
