import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { scrapePage } from '../crm/scrape';
import { fixturePage } from '../crm/test-helpers';
import { newEntry } from '../sync/ledger';
import type { SyncService } from '../sync/service';
import { boardRows, prepare } from './deals';

beforeEach(() => fakeBrowser.reset());

const SITE = 'https://crm.example.com';
const NOW = new Date('2026-03-05T12:00:00Z');

function boardReport() {
  const context = { now: NOW.toISOString(), timeZone: 'UTC', locale: null, url: `${SITE}/#Opportunity` };
  return scrapePage(fixturePage('espocrm', 'board-en'), context);
}

function syncWith(entries: Awaited<ReturnType<SyncService['ledgerEntries']>>): SyncService {
  return {
    ledgerEntries: async (ids: readonly string[]) =>
      Object.fromEntries(ids.flatMap((id) => (entries[id] ? [[id, entries[id]]] : []))),
  } as SyncService;
}

describe('preparing a board', () => {
  it('maps every card, with the pipeline’s stages counted', async () => {
    const report = boardReport();
    const prepared = await prepare(report, SITE, syncWith({}), NOW);
    expect(prepared.deals).toHaveLength(report.board!.deals.length);
    const { rows, stages } = boardRows(prepared, report);
    expect(rows.every((row) => row.status === 'new')).toBe(true);
    expect(stages.reduce((sum, stage) => sum + stage.count, 0)).toBe(rows.length);
  });

  it('takes a card’s creation time from what an earlier send told CoMagic', async () => {
    const report = boardReport();
    const id = report.board!.deals[0]!.id!;
    const entry = { ...newEntry(0), created: '2026-02-20 09:15:00' };
    const prepared = await prepare(report, SITE, syncWith({ [id]: entry }), NOW);
    const mapping = prepared.deals.find((deal) => deal.deal.id === id)!.mapping;
    expect(mapping.records[0]?.created_date_time).toBe('2026-02-20 09:15:00');
    expect(mapping.partial).toBe(true);
  });
});
