import { describe, expect, it, vi } from 'vitest';
import { recordShadowRoots } from '../../tests/support/closed-shadow';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { MINI_BOARD, MINI_DIALOG, miniCrmRecipe } from '../../tests/support/mini-crm';
import { personClick } from '../../tests/support/person-click';
import type { Recipe } from '../crm/recipe/schema';
import { parseRecipe } from '../crm/recipe/schema';
import { type CrmPageHost, createCrmPage } from './crm-page';

const DEAL_URL = 'https://crm.example.com/#Opportunity/view/66a1f0c2b3d4e5f64';

function hostFor(document: Document, url: string, overrides: Partial<CrmPageHost> = {}): CrmPageHost {
  return {
    document,
    location: () => url,
    now: () => new Date('2026-03-05T12:00:00Z'),
    config: async () => ({ timeZone: 'Europe/Berlin', recipes: [] }),
    sendDeal: vi.fn(async () => {}),
    boardShown: async () => null,
    setTimeout: () => {},
    ...overrides,
  };
}

describe('the CRM page', () => {
  it('shows one send button on a deal page, and sends the freshly read deal on a click', async () => {
    const rootOf = recordShadowRoots();
    const document = fixturePage('espocrm', 'deal-history-en');
    const host = hostFor(document, DEAL_URL);
    const page = createCrmPage(host);
    await page.refresh();
    await page.refresh();
    const buttons = document.querySelectorAll('crm-comagic-send');
    expect(buttons).toHaveLength(1);
    personClick(rootOf(buttons[0]!).querySelector('button')!);
    await vi.waitFor(() => expect(host.sendDeal).toHaveBeenCalledTimes(1));
    const [report] = vi.mocked(host.sendDeal).mock.calls[0]!;
    expect(report.deal?.id).toBe('66a1f0c2b3d4e5f64');
  });

  it('shows no button on a board, and keeps looking while a single-page app renders', async () => {
    const later: (() => void)[] = [];
    const board = fixturePage('espocrm', 'board-en');
    await createCrmPage(hostFor(board, 'https://crm.example.com/#Opportunity')).refresh();
    expect(board.querySelector('crm-comagic-send')).toBeNull();

    const blank = new DOMParser().parseFromString('<html><body></body></html>', 'text/html');
    const host = hostFor(blank, DEAL_URL, { setTimeout: (callback) => later.push(callback) });
    await createCrmPage(host).refresh();
    expect(later).toHaveLength(1);
  });
});

describe('reading the page again', () => {
  it('reuses the last reading while the page is unchanged, and reads again after a change', async () => {
    const document = fixturePage('espocrm', 'board-en');
    const page = createCrmPage(hostFor(document, 'https://crm.example.com/#Opportunity'));
    const first = await page.scrape();
    expect(await page.scrape()).toBe(first);
    document.querySelector('div.item[data-id]')?.remove();
    const after = await page.scrape();
    expect(after).not.toBe(first);
    expect(after.board?.deals.length).toBe((first.board?.deals.length ?? 0) - 1);
  });

  it('answers a reading the background already holds with its id only', async () => {
    const document = fixturePage('espocrm', 'board-en');
    const page = createCrmPage(hostFor(document, 'https://crm.example.com/#Opportunity'));
    const first = await page.read();
    expect(first.report?.board?.deals.length).toBeGreaterThan(0);
    expect(await page.read(first.id)).toEqual({ id: first.id, report: null });
    document.querySelector('div.item[data-id]')?.remove();
    const changed = await page.read(first.id);
    expect(changed.id).not.toBe(first.id);
    expect(changed.report?.board?.deals.length).toBe(first.report!.board!.deals.length - 1);
  });

  it('keeps the id of a reading when the page reads the same again, after the reuse time or a change', async () => {
    const document = fixturePage('espocrm', 'board-en');
    let now = new Date('2026-03-05T12:00:00Z');
    const page = createCrmPage(hostFor(document, 'https://crm.example.com/#Opportunity', { now: () => now }));
    const first = await page.read();
    now = new Date(now.getTime() + 60_000);
    document.body.setAttribute('data-hover', 'yes');
    const again = await page.read(first.id);
    expect(again).toEqual({ id: first.id, report: null });
    document.querySelector('div.item[data-id]')?.remove();
    expect((await page.read(first.id)).id).not.toBe(first.id);
  });

  it('places the send button once a single-page CRM renders the deal its address already names', async () => {
    // Odoo 18: /odoo/crm/<id> is a lead's address before its form is rendered.
    const url = 'https://acme.odoo.com/odoo/crm/41';
    const rendered = fixturePage('odoo', 'deal-en-history');
    const document = fixturePage('odoo', 'deal-en-history');
    const form = document.querySelector('.o_form_view');
    const holder = form?.parentElement;
    form?.remove();
    const later: (() => void)[] = [];
    const page = createCrmPage(hostFor(document, url, { setTimeout: (callback) => later.push(callback) }));
    await page.refresh();
    expect(document.querySelector('crm-comagic-send')).toBeNull();
    expect(later).toHaveLength(1);
    holder?.append(document.importNode(rendered.querySelector('.o_form_view') as Element, true));
    later.shift()?.();
    await vi.waitFor(() => expect(document.querySelector('crm-comagic-send')).not.toBeNull());
  });

  it('keeps its reading of a deal page after placing the send button there', async () => {
    const document = fixturePage('espocrm', 'deal-history-en');
    const page = createCrmPage(hostFor(document, DEAL_URL));
    const before = await page.scrape();
    await page.refresh();
    expect(document.querySelector('crm-comagic-send')).not.toBeNull();
    expect(await page.scrape()).toBe(before);
  });
});

describe('a board shown to the background', () => {
  it('shows the background’s states on the cards, and keeps its reading of the board', async () => {
    const document = fixturePage('espocrm', 'board-en');
    const id = document.querySelector('div.item[data-id]')!.getAttribute('data-id')!;
    const badges = vi.fn(async () => ({ [id]: 'new' as const }));
    const page = createCrmPage(
      hostFor(document, 'https://crm.example.com/#Opportunity', { boardShown: badges }),
    );
    const reading = await page.scrape();
    await page.refresh();
    expect(badges).toHaveBeenCalledTimes(1);
    expect(document.querySelectorAll('crm-comagic-badge')).toHaveLength(1);
    expect(await page.scrape()).toBe(reading);

    page.updateBadges({ [id]: 'sent' });
    expect(document.querySelector<HTMLElement>('crm-comagic-badge')!.dataset.state).toBe('sent');
    page.updateBadges(null);
    expect(document.querySelector('crm-comagic-badge')).toBeNull();
  });

  it('is told again once a changed board settles, badges on or off, and never a deal page', async () => {
    for (const on of [true, false]) {
      let clock = Date.parse('2026-03-05T12:00:00Z');
      const later: (() => void)[] = [];
      const document = fixturePage('espocrm', 'board-en');
      const id = document.querySelector('div.item[data-id]')!.getAttribute('data-id')!;
      const boardShown = vi.fn(async () => (on ? { [id]: 'new' as const } : null));
      const host = hostFor(document, 'https://crm.example.com/#Opportunity', {
        now: () => new Date(clock),
        boardShown,
        setTimeout: (callback) => later.push(callback),
      });
      await createCrmPage(host).refresh();
      expect(boardShown).toHaveBeenCalledTimes(1);
      document.querySelector('div.item[data-id]:last-child')?.remove();
      await vi.waitFor(() => expect(later).toHaveLength(1));
      clock += 2_000;
      later[0]!();
      await vi.waitFor(() => expect(boardShown).toHaveBeenCalledTimes(2));
    }

    const deal = fixturePage('espocrm', 'deal-history-en');
    const onDeal = vi.fn(async () => null);
    await createCrmPage(hostFor(deal, DEAL_URL, { boardShown: onDeal })).refresh();
    expect(onDeal).not.toHaveBeenCalled();
  });

  it('waits while the board keeps changing, and tells the background once it has been quiet', async () => {
    let clock = Date.parse('2026-03-05T12:00:00Z');
    const later: { callback: () => void; ms: number }[] = [];
    const document = fixturePage('espocrm', 'board-en');
    const boardShown = vi.fn(async () => null);
    const host = hostFor(document, 'https://crm.example.com/#Opportunity', {
      now: () => new Date(clock),
      boardShown,
      setTimeout: (callback, ms) => later.push({ callback, ms }),
    });
    await createCrmPage(host).refresh();
    const cards = () => document.querySelectorAll('div.item[data-id]');
    cards()[0]!.remove();
    await vi.waitFor(() => expect(later).toHaveLength(1));
    clock += 1_500;
    cards()[0]!.remove();
    await Promise.resolve();
    clock += 500;
    later.shift()!.callback();
    // Changed 500 ms ago: it waits the rest of the quiet time, and has not told the background yet.
    expect(later).toEqual([{ callback: expect.any(Function), ms: 1_500 }]);
    expect(boardShown).toHaveBeenCalledTimes(1);
    clock += 1_500;
    later.shift()!.callback();
    await vi.waitFor(() => expect(boardShown).toHaveBeenCalledTimes(2));
  });
});

describe('a recipe CRM page', () => {
  const recipe = (): Recipe => {
    const parsed = parseRecipe(miniCrmRecipe('https://mini.example.com'));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    return parsed.recipe;
  };
  const boardPage = () => new DOMParser().parseFromString(MINI_BOARD, 'text/html');

  it('reads the page with a recipe saved while the tab was open, without a reload', async () => {
    let recipes: Recipe[] = [];
    const page = createCrmPage(
      hostFor(boardPage(), 'https://mini.example.com/deals', {
        config: async () => ({ timeZone: 'UTC', recipes }),
      }),
    );
    expect((await page.scrape()).kind).toBeNull();
    recipes = [recipe()];
    await page.configChanged();
    const report = await page.scrape();
    expect(report.kind).toBe('board');
    expect(report.board?.deals.map((deal) => deal.name)).toEqual(['Roof repair']);
  });

  it('shows the send button on a deal dialog that renders over the board after the route changed', async () => {
    const document = boardPage();
    let url = 'https://mini.example.com/deals';
    const later: (() => void)[] = [];
    const page = createCrmPage(
      hostFor(document, '', {
        location: () => url,
        config: async () => ({ timeZone: 'UTC', recipes: [recipe()] }),
        setTimeout: (callback) => later.push(callback),
      }),
    );
    await page.refresh();
    expect(document.querySelector('crm-comagic-send')).toBeNull();
    // The route changes first; the dialog renders a moment later, the board still under it.
    url = 'https://mini.example.com/deals/7';
    await page.refresh();
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.innerHTML = MINI_DIALOG;
    document.body.append(dialog);
    await vi.waitFor(() => expect(later.length).toBeGreaterThan(0));
    for (const callback of later.splice(0)) callback();
    await vi.waitFor(() => expect(document.querySelector('crm-comagic-send')).not.toBeNull());
    expect((await page.scrape()).deal?.id).toBe('7');
  });
});
