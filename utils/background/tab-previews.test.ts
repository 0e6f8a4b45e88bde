import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { type ScrapeReport, scrapePage } from '../crm/scrape';
import { connectionStore, mappingStore } from '../storage';
import type { SyncService } from '../sync/service';
import { createTabPreviews } from './tab-previews';

const SITE = 'https://crm.example.com';
const BOARD_URL = `${SITE}/#Opportunity`;
const NOW = new Date('2026-03-05T12:00:00Z');

const board = scrapePage(fixturePage('espocrm', 'board-en'), {
  now: NOW.toISOString(),
  timeZone: 'UTC',
  locale: null,
  url: BOARD_URL,
});

let pages = 0;

/**
 * A tab whose content script answers `crm.read` as the real one does (the report only for a reading
 * the background does not hold), after `delay` ms; `preparations` counts the previews made (each
 * reads the ledger once).
 */
async function setUp(granted = true) {
  const tab = await fakeBrowser.tabs.create({ url: BOARD_URL });
  vi.spyOn(browser.permissions, 'contains').mockImplementation(
    (async () => granted) as typeof browser.permissions.contains,
  );
  const page = { id: `page${++pages}-1`, report: board as ScrapeReport, delay: 0 };
  const asked: unknown[] = [];
  let sent = 0;
  vi.spyOn(browser.tabs, 'sendMessage').mockImplementation((async (_tabId: number, message: unknown) => {
    asked.push(message);
    await new Promise((wake) => setTimeout(wake, page.delay));
    const { known } = message as { known?: string };
    if (known === page.id) return { id: page.id, report: null };
    sent++;
    return { id: page.id, report: page.report };
  }) as typeof browser.tabs.sendMessage);
  await connectionStore.set({ endpoint: { brand: 'comagic' }, auth: { kind: 'key', token: 'k' } });
  let preparations = 0;
  const sync = {
    ledgerEntries: async () => {
      preparations++;
      return {};
    },
    jobs: async () => [],
  } as unknown as SyncService;
  const previews = createTabPreviews({ sync, now: () => NOW });
  return { tabId: tab.id!, page, asked, previews, preparations: () => preparations, sent: () => sent };
}

/** Lets the work started without anybody waiting run to its end. */
const settle = () => new Promise((wake) => setTimeout(wake, 50));

beforeEach(() => fakeBrowser.reset());

describe('a tab’s preview', () => {
  it('is made when the tab shows a board, storing nothing, and answers the popup opened next', async () => {
    const { tabId, previews, asked, preparations, sent } = await setUp();
    previews.boardShown(tabId);
    await settle();
    expect(preparations()).toBe(1);
    expect(await mappingStore.all()).toEqual({});

    const preview = await previews.preview(tabId, true);
    expect(preview.kind).toBe('board');
    expect(preview.kind === 'board' && preview.rows).toHaveLength(board.board!.deals.length);
    expect(preparations()).toBe(1);
    expect(asked).toHaveLength(2);
    expect(sent()).toBe(1);
    // The popup stores the mapping the board's first look made.
    expect(Object.keys(await mappingStore.all())).toHaveLength(1);
  });

  it('opened in the popup while it is being made waits for that same work', async () => {
    const { tabId, previews, page, asked, preparations, sent } = await setUp();
    page.delay = 30;
    previews.boardShown(tabId);
    const preview = await previews.preview(tabId, true);
    expect(preview.kind).toBe('board');
    expect(preparations()).toBe(1);
    // The page sent its cards once: the popup's read waited, then named the reading the background held.
    expect(sent()).toBe(1);
    expect(asked.at(-1)).toEqual({ type: 'crm.read', known: page.id });
  });

  it('is not made for a tab on a site the user did not grant', async () => {
    const { tabId, previews, asked, preparations } = await setUp(false);
    previews.boardShown(tabId);
    await settle();
    expect(asked).toEqual([]);
    expect(preparations()).toBe(0);
    expect(await previews.preview(tabId, true)).toEqual({ kind: 'no-access', origin: SITE });
  });

  it('is dropped when the tab navigates or closes', async () => {
    const { tabId, previews, preparations } = await setUp();
    previews.boardShown(tabId);
    await settle();
    await fakeBrowser.tabs.update(tabId, { url: `${SITE}/#Opportunity/kanban` });
    await previews.preview(tabId, false);
    expect(preparations()).toBe(2);
    await previews.preview(tabId, false);
    expect(preparations()).toBe(2);
    // The fake's `tabs.remove` cannot find the tab's window: the browser's event is fired as it would be.
    await fakeBrowser.tabs.onRemoved.trigger(tabId, { isWindowClosing: false, windowId: 1 });
    await previews.preview(tabId, false);
    expect(preparations()).toBe(3);
  });

  it('stays when the popup stores the mapping it was made from, and goes when the user changes it', async () => {
    const { tabId, previews, preparations } = await setUp();
    const first = await previews.preview(tabId, true);
    const [key, config] = Object.entries(await mappingStore.all())[0]!;
    expect(await previews.preview(tabId, true)).toEqual(first);
    expect(preparations()).toBe(1);

    await mappingStore.set(key, { ...config, funnel: { ...config.funnel, name: 'Renamed' } });
    const after = await previews.preview(tabId, true);
    expect(preparations()).toBe(2);
    expect(after.kind === 'board' && after.funnelName).toBe('Renamed');
  });
});
