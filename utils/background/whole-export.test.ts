import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { withoutSitePrefix } from '../../tests/support/settings';
import type { CrmBoard } from '../crm/model';
import { scrapePage } from '../crm/scrape';
import { wholeReadsStore } from '../storage';
import { type LedgerEntry, newEntry } from '../sync/ledger';
import { wholeReadKey } from '../sync/reading';
import type { SyncService } from '../sync/service';
import { prepare } from './deals';
import { cardKey, wholeExportReading } from './whole-export';

beforeEach(async () => {
  fakeBrowser.reset();
  // Expectations here name deals by their CRM ids.
  await withoutSitePrefix(SITE);
});

const SITE = 'https://crm.example.com';
const NOW = new Date('2026-03-05T12:00:00Z');

function syncWith(entries: Record<string, LedgerEntry>): SyncService {
  return {
    ledgerEntries: async (ids: readonly string[]) =>
      Object.fromEntries(ids.flatMap((id) => (entries[id] ? [[id, entries[id]]] : []))),
  } as SyncService;
}

function espoBoard(): CrmBoard {
  const context = { now: NOW.toISOString(), timeZone: 'UTC', locale: null, url: `${SITE}/#Opportunity` };
  const board = scrapePage(fixturePage('espocrm', 'board-en'), context).board;
  if (!board) throw new Error('the fixture board was not read');
  return board;
}

async function readingOf(board: CrmBoard, entries: Record<string, LedgerEntry> = {}, keys?: string[]) {
  const report = { url: board.url, adapterId: board.crm, adapterLabel: null, kind: 'board' as const };
  const prepared = await prepare(
    { ...report, reasons: [], deal: null, board, problems: [] },
    SITE,
    syncWith(entries),
    NOW,
  );
  return wholeExportReading(board, prepared, SITE, 7, keys);
}

describe('a whole-deal export of a board', () => {
  it('reads every card’s deal through the CRM’s endpoints, from the tab the export started in', async () => {
    const board = espoBoard();
    const reading = await readingOf(board);
    expect(reading).toMatchObject({ crm: 'espocrm', via: 'api', tabId: 7, unchanged: [], unidentified: [] });
    expect(reading.cards.map((card) => card.crmDealId)).toEqual(board.deals.map((deal) => deal.id));
    expect(reading.cards[0]?.url).toBe(board.deals[0]?.url);
  });

  it('reads only the cards the user chose', async () => {
    const board = espoBoard();
    const chosen = board.deals[1]?.id as string;
    const reading = await readingOf(board, {}, [chosen]);
    expect(reading.cards.map((card) => card.crmDealId)).toEqual([chosen]);
  });

  it('leaves out a card unchanged since its deal was read whole and CoMagic took it', async () => {
    const board = espoBoard();
    const [first, second] = board.deals;
    if (!first?.id || !second?.id) throw new Error('two cards expected');
    await wholeReadsStore.set({
      [wholeReadKey(SITE, first.id)]: cardKey(first),
      [wholeReadKey(SITE, second.id)]: cardKey(second),
    });
    // The ledger knows the first deal only: the second is read again, whatever was remembered.
    const reading = await readingOf(board, { [first.id]: newEntry(0) });
    expect(reading.unchanged).toEqual([first.id]);
    expect(reading.cards.map((card) => card.crmDealId)).not.toContain(first.id);
    expect(reading.cards.map((card) => card.crmDealId)).toContain(second.id);
  });

  it('reads a card again once it shows something else', async () => {
    const board = espoBoard();
    const first = board.deals[0];
    if (!first?.id) throw new Error('a card expected');
    await wholeReadsStore.set({ [wholeReadKey(SITE, first.id)]: cardKey({ ...first, name: 'Before' }) });
    const reading = await readingOf(board, { [first.id]: newEntry(0) });
    expect(reading.unchanged).toEqual([]);
  });

  it('reports by name the cards the CRM could not say the record of, and reads none of them', async () => {
    const board = espoBoard();
    // Cards without ids (as Odoo's are) and no CRM tab answering which record each one is.
    const anonymous = {
      ...board,
      crm: 'odoo' as const,
      deals: board.deals.map((deal) => ({ ...deal, id: null, crm: 'odoo' as const })),
    };
    const reading = await readingOf(anonymous);
    expect(reading.cards).toEqual([]);
    expect(reading.unidentified).toHaveLength(board.deals.length);
    expect(reading.unidentified[0]?.reason.message.en).toContain(`"${board.deals[0]?.name}"`);
  });

  it('reads a recipe CRM’s deals from their pages', async () => {
    const board = espoBoard();
    const recipe = {
      ...board,
      crm: 'recipe:krayin' as const,
      deals: board.deals.map((deal) => ({ ...deal, crm: 'recipe:krayin' as const })),
    };
    expect((await readingOf(recipe)).via).toBe('page');
  });
});
