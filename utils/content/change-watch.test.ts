import { describe, expect, it, vi } from 'vitest';
import { recordShadowRoots } from '../../tests/support/closed-shadow';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { board, contact, deal, STAGES } from '../../tests/support/crm-model';
import { dealReport, type ScrapeReport } from '../crm/scrape';
import {
  changesBetween,
  createLiveReporter,
  type LiveChange,
  REDELIVER_MS,
  secondOf,
  showToast,
} from './change-watch';
import { type CrmPageHost, createCrmPage } from './crm-page';

const NOW = new Date('2026-03-05T12:31:44.620Z');

function boardReport(deals: ReturnType<typeof deal>[]): ScrapeReport {
  const shown = board(deals);
  return {
    url: shown.url,
    adapterId: 'espocrm',
    adapterLabel: null,
    kind: 'board',
    reasons: [],
    deal: null,
    board: shown,
    problems: [],
  };
}

describe('what changed between two readings of a page', () => {
  it('is a card now in another column, seen to the second', () => {
    const before = boardReport([deal({ id: 'a' }), deal({ id: 'b' })]);
    const after = boardReport([deal({ id: 'a' }), deal({ id: 'b', stage: STAGES.won })]);
    expect(changesBetween(before, after, NOW)).toEqual([
      {
        kind: 'card',
        card: after.board!.deals[1],
        fromStageId: 'proposal',
        seenAt: '2026-03-05T12:31:44.000Z',
      },
    ]);
  });

  it('is nothing for cards that appeared or went, or two cards alike whose move cannot be told', () => {
    const odooCard = (stage = STAGES.new) => deal({ id: null, crm: 'odoo', name: 'Chairs', stage });
    const before = boardReport([deal({ id: 'a' }), odooCard(), odooCard()]);
    const after = boardReport([deal({ id: 'c' }), odooCard(STAGES.won), odooCard()]);
    expect(changesBetween(before, after, NOW)).toEqual([]);
  });

  it('knows a card without an id (Odoo) by its name when it is the only one of that name', () => {
    const card = (stage = STAGES.new) => deal({ id: null, crm: 'odoo', name: 'Chairs', stage });
    const changes = changesBetween(boardReport([card()]), boardReport([card(STAGES.qualified)]), NOW);
    expect(changes.map((change) => change.kind === 'card' && change.card.stage?.id)).toEqual(['qualified']);
  });

  it('is a deal page showing another stage, amount, owner or contacts; not another field', () => {
    const shown = deal();
    const changed = [
      deal({ stage: STAGES.won }),
      deal({ amount: { amount: 1, currency: 'RUB', rounded: false } }),
      deal({ owner: { id: 'u-9', name: 'Oleg' } }),
      deal({ contacts: [contact(), contact({ id: 'c-2', name: 'Olga' })] }),
      deal({ contacts: [contact({ phones: ['+7 900 000-00-00'] })] }),
    ];
    for (const after of changed) {
      expect(changesBetween(dealReport(shown), dealReport(after), NOW)).toEqual([
        { kind: 'deal', deal: after, seenAt: '2026-03-05T12:31:44.000Z' },
      ]);
    }
    expect(changesBetween(dealReport(shown), dealReport(deal({ description: 'new note' })), NOW)).toEqual([]);
  });

  it('is nothing across pages: another address, another deal, or no reading before', () => {
    const moved = deal({ stage: STAGES.won });
    expect(changesBetween(null, dealReport(moved), NOW)).toEqual([]);
    expect(changesBetween(dealReport(deal({ id: 'other' })), dealReport(moved), NOW)).toEqual([]);
    const elsewhere = { ...dealReport(deal()), url: 'https://crm.example.com/#Opportunity/view/other' };
    expect(changesBetween(elsewhere, dealReport(moved), NOW)).toEqual([]);
  });

  it('writes times to the second', () => {
    expect(secondOf(new Date('2026-03-05T12:31:44.999Z'))).toBe('2026-03-05T12:31:44.000Z');
  });
});

describe('handing a change to the background', () => {
  it('tries again until the background takes it, then follows its job once', async () => {
    const later: { callback: () => void; ms: number }[] = [];
    const deliver = vi
      .fn<(change: LiveChange) => Promise<{ jobId: string | null }>>()
      .mockRejectedValueOnce(new Error('Receiving end does not exist'))
      .mockResolvedValueOnce({ jobId: 'job-1' });
    const jobState = vi.fn(async () => ({ kind: 'sent' as const }));
    const document = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
    const report = createLiveReporter({
      document,
      deliver,
      jobState,
      setTimeout: (callback, ms) => later.push({ callback, ms }),
    });
    report({ kind: 'deal', deal: deal(), seenAt: NOW.toISOString() });
    await vi.waitFor(() => expect(later).toHaveLength(1));
    expect(later[0]!.ms).toBe(REDELIVER_MS);
    expect(jobState).not.toHaveBeenCalled();
    later.shift()!.callback();
    await vi.waitFor(() => expect(jobState).toHaveBeenCalledWith('job-1'));
    expect(deliver).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(document.querySelector('crm-comagic-toast')).not.toBeNull());
  });
});

describe('a change followed to CoMagic', () => {
  it('shows a toast once the change’s job is over, none while it is sending', async () => {
    const rootOf = recordShadowRoots();
    const document = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
    const later: (() => void)[] = [];
    const jobState = vi
      .fn()
      .mockResolvedValueOnce({ kind: 'sending' })
      .mockResolvedValueOnce({ kind: 'failed', reason: 'the API key was refused' });
    const report = createLiveReporter({
      document,
      deliver: async () => ({ jobId: 'job-1' }),
      jobState,
      setTimeout: (callback) => later.push(callback),
    });
    report({ kind: 'deal', deal: deal({ name: 'Chairs' }), seenAt: NOW.toISOString() });
    await vi.waitFor(() => expect(later).toHaveLength(1));
    expect(document.querySelector('crm-comagic-toast')).toBeNull();
    later.shift()!();
    await vi.waitFor(() => expect(document.querySelector('crm-comagic-toast')).not.toBeNull());
    const host = document.querySelector('crm-comagic-toast')!;
    expect(host.shadowRoot).toBeNull();
    const toast = rootOf(host).querySelector('[role="status"]')!;
    expect(toast.textContent).toContain('“Chairs” not sent to CoMagic: the API key was refused');
    expect(jobState).toHaveBeenCalledWith('job-1');
  });

  it('shows nothing for a change the background kept without a job (live mode off)', async () => {
    const document = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
    const jobState = vi.fn();
    const deliver = vi.fn(async () => ({ jobId: null }));
    createLiveReporter({ document, deliver, jobState, setTimeout: () => {} })({
      kind: 'deal',
      deal: deal(),
      seenAt: NOW.toISOString(),
    });
    await vi.waitFor(() => expect(deliver).toHaveBeenCalled());
    expect(jobState).not.toHaveBeenCalled();
  });
});

describe('the toast', () => {
  it('says the deal went to CoMagic, in a root the page cannot reach, then goes', () => {
    const rootOf = recordShadowRoots();
    const document = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
    const later: (() => void)[] = [];
    const toast = showToast(document, { kind: 'sent', name: 'Chairs' }, (callback) => later.push(callback));
    expect(toast.shadowRoot).toBeNull();
    expect(rootOf(toast).querySelector('[role="status"]')?.textContent).toBe('“Chairs” sent to CoMagic');
    later[0]!();
    expect(document.querySelector('crm-comagic-toast')).toBeNull();
  });
});

describe('the CRM page in live mode', () => {
  const DEAL_URL = 'https://crm.example.com/#Opportunity/view/66a1f0c2b3d4e5f64';
  /** An EspoCRM page at `url` read once, with a clock and timers the test moves by hand. */
  async function livePage(fixture: string, url: string) {
    let clock = NOW.getTime();
    const later: (() => void)[] = [];
    const liveChanged = vi.fn();
    const document = fixturePage('espocrm', fixture);
    const host: CrmPageHost = {
      document,
      location: () => url,
      now: () => new Date(clock),
      config: async () => ({ timeZone: 'Europe/Berlin', recipes: [] }),
      sendDeal: async () => {},
      boardShown: async () => null,
      setTimeout: (callback) => later.push(callback),
      liveChanged,
    };
    await createCrmPage(host).refresh();
    return {
      document,
      later,
      liveChanged,
      now: () => clock,
      /** The page's next timer, `ms` later. */
      runLater: (ms: number) => {
        clock += ms;
        later.shift()!();
      },
    };
  }

  it('tells a card moved to another column once the board has settled', async () => {
    const { document, later, liveChanged, now, runLater } = await livePage(
      'board-en',
      'https://crm.example.com/#Opportunity',
    );
    const card = document.querySelector('.group-column-list[data-name="Prospecting"] div.item[data-id]')!;
    document.querySelector('.group-column-list[data-name="Proposal"]')!.append(card);
    await vi.waitFor(() => expect(later).toHaveLength(1));
    runLater(2_000);
    await vi.waitFor(() => expect(liveChanged).toHaveBeenCalledTimes(1));
    const [change] = liveChanged.mock.calls[0]! as [LiveChange];
    expect(change).toMatchObject({
      kind: 'card',
      fromStageId: 'Prospecting',
      card: { id: card.getAttribute('data-id'), stage: { id: 'Proposal' } },
      seenAt: new Date(Math.floor(now() / 1000) * 1000).toISOString(),
    });
  });

  it('waits while a person is still editing a field, then tells the saved change', async () => {
    const { document, later, liveChanged, runLater } = await livePage('deal-history-en', DEAL_URL);
    const select = document.createElement('select');
    document.body.append(select);
    select.focus();
    await vi.waitFor(() => expect(later).toHaveLength(1));
    runLater(2_000);
    expect(later).toHaveLength(1);
    select.remove();
    document.querySelector('.field[data-name="stage"] span')!.textContent = 'Closed Won';
    runLater(2_000);
    await vi.waitFor(() => expect(liveChanged).toHaveBeenCalledTimes(1));
    expect(liveChanged.mock.calls[0]![0]).toMatchObject({
      kind: 'deal',
      deal: { stage: { id: 'Closed Won' } },
    });
  });

  it('tells a deal page re-rendered with another stage', async () => {
    const { document, later, liveChanged, runLater } = await livePage('deal-history-en', DEAL_URL);
    document.querySelector('.field[data-name="stage"] span')!.textContent = 'Closed Won';
    await vi.waitFor(() => expect(later).toHaveLength(1));
    runLater(2_000);
    await vi.waitFor(() => expect(liveChanged).toHaveBeenCalledTimes(1));
    expect(liveChanged.mock.calls[0]![0]).toMatchObject({
      kind: 'deal',
      deal: { stage: { id: 'Closed Won' } },
    });
  });
});
