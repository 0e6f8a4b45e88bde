import { describe, expect, it } from 'vitest';
import { fixturePage, fixtureSnapshot, itMatchesSelectors } from '../../../../tests/support/crm-fixtures';
import { Problems } from '../../dom';
import { readStatusbar } from './deal';
import { odooAdapter } from './index';
import { odooSelectors } from './selectors';

const page = (name: string) => fixturePage('odoo', name);
const expected = (name: string) => fixtureSnapshot('odoo', name);

describe('Odoo kanban boards', () => {
  for (const name of ['board-en', 'board-ru', 'board-19-en']) {
    it(`scrapes ${name} as written in its expected snapshot`, () => {
      const { context, expected: snapshot } = expected(name);
      expect(odooAdapter.scrapeBoard(page(name), context)).toEqual(snapshot);
    });
  }

  it('never takes the datapoint data-id for a lead id', () => {
    const { data } = odooAdapter.scrapeBoard(page('board-en'), expected('board-en').context);
    const datapoints = [...page('board-en').querySelectorAll(odooSelectors.card)].map((card) =>
      card.getAttribute('data-id'),
    );
    expect(datapoints.length).toBeGreaterThan(0);
    for (const deal of data?.deals ?? []) expect(datapoints).not.toContain(deal.id);
  });

  it('returns no data and an error when the page has no grouped kanban', () => {
    const result = odooAdapter.scrapeBoard(page('deal-en-history'), expected('board-en').context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([
      { code: 'selector_missed', field: 'board.stages', detail: odooSelectors.board, severity: 'error' },
    ]);
  });
});

describe('Odoo lead forms', () => {
  for (const name of [
    'deal-en-history',
    'deal-17-en-history',
    'deal-ru-won',
    'deal-en-lost-no-contact',
    'deal-19-en-list',
  ]) {
    it(`scrapes ${name} as written in its expected snapshot`, () => {
      const { context, expected: snapshot } = expected(name);
      expect(odooAdapter.scrapeDeal(page(name), context)).toEqual(snapshot);
    });
  }

  it('returns no data and an error on a page that is not a lead form', () => {
    const result = odooAdapter.scrapeDeal(page('board-en'), expected('deal-en-history').context);
    expect(result.data).toBeNull();
    expect(result.problems.map((problem) => [problem.code, problem.severity])).toEqual([
      ['page_not_understood', 'error'],
    ]);
  });

  it('reports a missing id when the URL carries none, and still reads the form', () => {
    const { context } = expected('deal-en-history');
    const result = odooAdapter.scrapeDeal(page('deal-en-history'), {
      ...context,
      url: 'https://acme.odoo.com/odoo/crm',
    });
    expect(result.data?.id).toBeNull();
    expect(result.data?.name).toBe('Office chairs for Acme');
    expect(result.problems).toContainEqual({
      code: 'no_id',
      field: 'deal.id',
      detail: 'https://acme.odoo.com/odoo/crm',
      severity: 'error',
    });
  });

  it('reads the statusbar in the pipeline order, without the dropdown toggles or the time spent', () => {
    const statusbar = page('deal-en-history').querySelector(odooSelectors.formStage);
    if (!statusbar) throw new Error('no statusbar');
    const problems = new Problems();
    const { stages, current } = readStatusbar(statusbar, false, problems);
    expect(stages.map((stage) => stage.name)).toEqual(['New', 'Qualified', 'Proposition', 'Won']);
    expect(current?.name).toBe('Proposition');
    expect(problems.list).toEqual([]);
  });

  it('takes the name from the breadcrumb when the form has no name field, and says so', () => {
    const document = page('deal-en-history');
    document.querySelector(odooSelectors.formName)?.remove();
    const { data, problems } = odooAdapter.scrapeDeal(document, expected('deal-en-history').context);
    expect(data?.name).toBe('Office chairs for Acme');
    expect(problems).toContainEqual({
      code: 'fallback_used',
      field: 'deal.name',
      detail: odooSelectors.breadcrumbName,
      severity: 'warning',
    });
  });

  it('reads a recoloured ribbon by its label, and says so', () => {
    const document = page('deal-ru-won');
    document.querySelector(odooSelectors.wonRibbon)?.setAttribute('class', 'text-bg-info');
    const { data, problems } = odooAdapter.scrapeDeal(document, expected('deal-ru-won').context);
    expect(data?.stage).toEqual({ id: 'Выиграно', name: 'Выиграно', outcome: 'won' });
    expect(problems).toContainEqual({
      code: 'fallback_used',
      field: 'deal.stage.outcome',
      detail: odooSelectors.ribbon,
      severity: 'warning',
    });
  });

  it('takes a 17.0 relative date without a title as an estimate, and says so', () => {
    const document = page('deal-17-en-history');
    const newest = document.querySelector(odooSelectors.messageDate);
    newest?.removeAttribute('title');
    const { data, problems } = odooAdapter.scrapeDeal(document, expected('deal-17-en-history').context);
    expect(data?.history.at(-1)).toEqual({
      stage: { id: 'Qualified', name: 'Qualified', outcome: null },
      enteredAt: '2024-05-09T16:00:00.000Z',
      source: 'timeline',
      estimated: true,
    });
    expect(problems).toEqual([
      {
        code: 'fallback_used',
        field: 'timeline[2].enteredAt',
        detail: `${odooSelectors.messageDate} (text)`,
        severity: 'warning',
      },
    ]);
  });

  it('counts only stage lines of the chatter as history', () => {
    const { data } = odooAdapter.scrapeDeal(page('deal-ru-won'), expected('deal-ru-won').context);
    expect(data?.history.map((visit) => visit.stage.name)).toEqual([
      'Новая',
      'Квалификация',
      'Предложение',
      'Выиграно',
    ]);
  });
});

describe('Odoo detection', () => {
  const board = page('board-en');
  const blank = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
  it.each([
    ['https://acme.odoo.com/odoo/crm/41', 'deal', blank],
    ['https://erp.example.ru/web#id=52&model=crm.lead&view_type=form', 'deal', blank],
    ['https://erp.example.ru/web#model=crm.lead&id=52', 'deal', blank],
    ['https://acme.odoo.com/odoo/crm', 'board', board],
    ['https://erp.example.ru/web#action=209&model=crm.lead&view_type=kanban', 'board', board],
    ['https://acme.odoo.com/odoo/crm?view_type=list', null, blank],
    ['https://erp.example.ru/web#id=9&model=res.partner&view_type=form', null, board],
    ['https://acme.odoo.com/odoo/contacts/9', null, board],
    ['https://acme.odoo.com/odoo/action-209/63', 'deal', page('deal-en-lost-no-contact')],
    ['https://acme.odoo.com/odoo/action-209/63', null, blank],
  ])('%s is %s', (url, kind, document) => {
    expect(odooAdapter.detect(document, url)).toBe(kind);
  });
});

/** Where each selector must match: a changed CRM layout fails exactly the selectors it broke. */
const selectorFixture: Record<keyof typeof odooSelectors, string> = {
  board: 'board-ru',
  column: 'board-ru',
  columnTitle: 'board-ru',
  columnCount: 'board-en',
  foldedColumn: 'board-ru',
  loadMore: 'board-ru',
  card: 'board-ru',
  cardName: 'board-ru',
  cardRevenue: 'board-ru',
  cardPartner: 'board-ru',
  cardIdLink: 'board-en',
  leadForm: 'deal-en-lost-no-contact',
  formStage: 'deal-en-history',
  stageButton: 'deal-en-history',
  currentStage: 'deal-en-history',
  stageLabel: 'deal-en-history',
  formName: 'deal-en-history',
  breadcrumbName: 'deal-en-history',
  formRevenue: 'deal-en-history',
  formPartner: 'deal-en-history',
  formEmail: 'deal-en-history',
  formPhone: 'deal-en-history',
  formOwner: 'deal-en-history',
  formCompanyName: 'deal-ru-won',
  formTags: 'deal-en-history',
  tagName: 'deal-en-history',
  tagBadge: 'deal-19-en-list',
  formDescription: 'deal-en-history',
  formSource: 'deal-ru-won',
  formMedium: 'deal-ru-won',
  formCampaign: 'deal-ru-won',
  formProbability: 'deal-en-history',
  formDeadline: 'deal-en-history',
  ownerAvatar: 'deal-en-history',
  ribbon: 'deal-ru-won',
  wonRibbon: 'deal-ru-won',
  lostRibbon: 'deal-en-lost-no-contact',
  message: 'deal-en-history',
  messageDate: 'deal-en-history',
  messageDescription: 'deal-en-history',
  tracking: 'deal-19-en-list',
  trackingOld: 'deal-en-history',
  trackingNew: 'deal-en-history',
  trackingField: 'deal-en-history',
};

describe('Odoo selectors', () => {
  itMatchesSelectors('odoo', odooSelectors, selectorFixture);
});
