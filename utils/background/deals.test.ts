import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fixturePage, loadFixture } from '../../tests/support/crm-fixtures';
import { withoutSitePrefix } from '../../tests/support/settings';
import type { CrmDeal } from '../crm/model';
import { dealReport, scrapePage } from '../crm/scrape';
import { accountStore, settingsStore } from '../storage';
import {
  decideDeal,
  fingerprintDeal,
  type LedgerEntry,
  newEntry,
  recordDelivered,
  recordObserved,
} from '../sync/ledger';
import type { SyncService } from '../sync/service';
import { askFirstView, boardRows, dealPreview, mappingSettingsFor, prepare, saveMapping } from './deals';

beforeEach(async () => {
  fakeBrowser.reset();
  // Expectations here name deals by their CRM ids.
  await withoutSitePrefix(SITE);
});

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
    await settingsStore.set({ ...(await settingsStore.get()), allowEstimatedCreation: true });
    const report = boardReport();
    const prepared = await prepare(report, SITE, syncWith({}), NOW);
    expect(prepared.deals).toHaveLength(report.board!.deals.length);
    const { rows, stages } = boardRows(prepared, report);
    expect(rows.every((row) => row.status === 'new')).toBe(true);
    expect(stages.reduce((sum, stage) => sum + stage.count, 0)).toBe(rows.length);
  });

  it('holds back cards that show no creation time unless estimated creation times are allowed', async () => {
    const report = boardReport();
    const prepared = await prepare(report, SITE, syncWith({}), NOW);
    const { rows } = boardRows(prepared, report);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.status === 'problems')).toBe(true);
    for (const { mapping } of prepared.deals) {
      const errors = mapping.problems.filter((problem) => problem.severity === 'error');
      expect(errors.map((problem) => problem.code)).toEqual(['created_unknown']);
    }
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

describe('asking CoMagic first', () => {
  it('counts the sendable cards this browser has not confirmed with CoMagic within the day', async () => {
    await settingsStore.set({ ...(await settingsStore.get()), allowEstimatedCreation: true });
    const report = boardReport();
    const fresh = await prepare(report, SITE, syncWith({}), NOW);
    const cards = fresh.deals.length;
    expect(askFirstView(fresh, NOW.getTime())).toEqual({ deals: cards, reads: 1 });
    const [first] = fresh.deals;
    const confirmed = recordDelivered(null, first!.mapping.records.at(-1)!, 'fp', NOW.getTime());
    const known = await prepare(report, SITE, syncWith({ [first!.deal.id!]: confirmed }), NOW);
    expect(askFirstView(known, NOW.getTime())).toEqual({ deals: cards - 1, reads: 1 });
    expect(askFirstView(known, NOW.getTime() + 24 * 3_600_000)).toEqual({ deals: cards, reads: 1 });
  });

  it('asks nothing about cards that cannot be sent', async () => {
    const prepared = await prepare(boardReport(), SITE, syncWith({}), NOW);
    expect(askFirstView(prepared, NOW.getTime())).toBeNull();
  });
});

const pageReport = dealReport;

describe('a fresh mapping from one deal page, no board seen', () => {
  it.each([
    ['espocrm', 'deal-history-en'],
    ['espocrm', 'deal-ru'],
    ['espocrm', 'deal-lost-ru'],
    ['amocrm', 'deal-ru-history'],
    ['amocrm', 'deal-en-won'],
    ['odoo', 'deal-en-history'],
    ['odoo', 'deal-en-lost-no-contact'],
  ])('is sendable: %s %s', async (crm, name) => {
    const { document, context } = loadFixture(crm, name);
    const report = scrapePage(document, context);
    const site = new URL(context.url).origin;
    const prepared = await prepare(report, site, syncWith({}), new Date(context.now));
    const { mapping } = prepared.deals[0]!;
    expect(prepared.configProblems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(mapping.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(mapping.sendable).toBe(true);
    expect(dealPreview(prepared)?.status).toBe('new');
    const statuses = new Set(prepared.config.stages.map((stage) => stage.status));
    expect(statuses).toEqual(new Set(['in_process', 'success', 'failed']));
  });

  it('has amoCRM’s own won and lost statuses, named in the page’s language', async () => {
    const { document, context } = loadFixture('amocrm', 'deal-ru-history');
    const prepared = await prepare(
      scrapePage(document, context),
      'https://acme.amocrm.ru',
      syncWith({}),
      NOW,
    );
    const terminals = prepared.config.stages.filter((stage) => stage.status !== 'in_process');
    expect(terminals.map((stage) => [stage.crmStageId, stage.name, stage.status])).toEqual([
      ['142', 'Успешно реализовано', 'success'],
      ['143', 'Закрыто и не реализовано', 'failed'],
    ]);
    expect(prepared.configProblems).toEqual([]);
  });
});

describe('a deal page sent after a board export', () => {
  /** The ledger after the board export delivered the card's one record, as the runner records it. */
  async function boardExported(): Promise<{ card: CrmDeal; entry: LedgerEntry }> {
    // Cards show no creation time: the board is exported with estimated ones.
    await settingsStore.set({ ...(await settingsStore.get()), allowEstimatedCreation: true });
    const report = boardReport();
    const prepared = await prepare(report, SITE, syncWith({}), NOW);
    await saveMapping(prepared);
    const { deal: card, mapping } = prepared.deals[0]!;
    expect(mapping).toMatchObject({ sendable: true, partial: true, contacts: [] });
    const observed = recordObserved(null, card.stage, NOW.getTime());
    const entry = recordDelivered(
      observed,
      mapping.records.at(-1)!,
      fingerprintDeal(mapping),
      NOW.getTime(),
      mapping.partial,
    );
    return { card, entry };
  }

  const LATER = new Date('2026-03-06T09:00:00Z');

  it('sends the contacts and owner the page adds, and lists exactly that as what will be sent', async () => {
    const { card, entry } = await boardExported();
    // A page that shows neither a timeline nor the creation time (its stream not loaded).
    const page: CrmDeal = {
      ...card,
      owner: { id: 'u-7', name: 'Anna Smirnova' },
      contacts: [
        { id: 'c-9', name: 'Ivan Petrov', phones: ['+7 900 123-45-67'], emails: [], createdAt: null },
      ],
      createdAt: null,
      history: [],
    };
    const prepared = await prepare(pageReport(page), SITE, syncWith({ [card.id!]: entry }), LATER);
    const { mapping } = prepared.deals[0]!;
    expect(mapping.partial).toBe(false);
    const decision = decideDeal(mapping, entry, prepared.modifiedAt!);
    expect(decision.status).toBe('changed');
    const preview = dealPreview(prepared)!;
    expect(preview.status).toBe('changed');
    expect(preview.payloads.map((payload) => payload.method)).toEqual([
      'create.deal_employees',
      'create.deal_contacts',
      'upload.deals_history',
    ]);
    expect(preview.payloads[2]?.params).toEqual({ deals: decision.records });
    expect(decision.records[0]).toMatchObject({ employee_ext_id: 'u-7', main_contact_ext_id: 'c-9' });
  });

  it('lists nothing to send when the page shows only what the board sent', async () => {
    const { card, entry } = await boardExported();
    const prepared = await prepare(pageReport(card), SITE, syncWith({ [card.id!]: entry }), LATER);
    const preview = dealPreview(prepared)!;
    expect(preview.status).toBe('unchanged');
    expect(preview.payloads).toEqual([]);
    expect(preview.repair).toBeUndefined();
  });

  /** The card's deal as its page shows it whole: created on 20 February, in an earlier stage first. */
  function wholePage(card: CrmDeal): CrmDeal {
    const earlier = boardReport().board!.stages.find((stage) => stage.id !== card.stage!.id)!;
    const visit = (stage: CrmDeal['history'][number]['stage'], enteredAt: string) => ({
      stage,
      enteredAt,
      source: 'timeline' as const,
      estimated: false,
    });
    return {
      ...card,
      owner: { id: 'u-7', name: 'Anna Smirnova' },
      contacts: [
        { id: 'c-9', name: 'Ivan Petrov', phones: ['+7 900 123-45-67'], emails: [], createdAt: null },
      ],
      createdAt: '2026-02-20T08:00:00Z',
      history: [visit(earlier, '2026-02-20T08:00:00Z'), visit(card.stage!, '2026-02-25T10:00:00Z')],
    };
  }

  it('marks the deal for repair when its page shows the real creation time and the older stages', async () => {
    const { card, entry } = await boardExported();
    const prepared = await prepare(pageReport(wholePage(card)), SITE, syncWith({ [card.id!]: entry }), LATER);
    const { mapping } = prepared.deals[0]!;
    // Moscow, the account's zone by default.
    expect(mapping.records.map((record) => record.created_date_time)).toEqual([
      '2026-02-20 11:00:00',
      '2026-02-20 11:00:00',
    ]);
    expect(entry.created).not.toBe('2026-02-20 11:00:00');
    expect(dealPreview(prepared)?.repair).toEqual({ held: entry.created, missing: 2 });
  });

  it('does not mark the deal once CoMagic holds what its page shows', async () => {
    const { card, entry } = await boardExported();
    const page = wholePage(card);
    const first = await prepare(pageReport(page), SITE, syncWith({ [card.id!]: entry }), LATER);
    const { mapping } = first.deals[0]!;
    // As after the repair: the entry cleared, then every record delivered.
    let repaired: LedgerEntry | null = { ...newEntry(entry.firstSeenAt), observed: entry.observed };
    for (const record of mapping.records) {
      repaired = recordDelivered(repaired, record, fingerprintDeal(mapping), LATER.getTime());
    }
    const again = await prepare(pageReport(page), SITE, syncWith({ [card.id!]: repaired! }), LATER);
    const preview = dealPreview(again)!;
    expect(preview.repair).toBeUndefined();
    expect(preview.status).toBe('unchanged');
  });
});

describe('preview of a deal page with a company, source, tags and user fields', () => {
  it('lists create.crm_company and create.deal_user_field before the upload whose records name them', async () => {
    const userFields = [{ crmField: 'probability', name: 'Probability', dataType: 'numeric' as const }];
    await settingsStore.set({ ...(await settingsStore.get()), userFields });
    const { document, context } = loadFixture('espocrm', 'deal-history-en');
    const site = new URL(context.url).origin;
    await withoutSitePrefix(site);
    const prepared = await prepare(scrapePage(document, context), site, syncWith({}), new Date(context.now));
    const preview = dealPreview(prepared)!;
    expect(preview.payloads.map((payload) => payload.method)).toEqual([
      'create.deal_employees',
      'create.deal_contacts',
      'create.crm_company',
      'create.deal_user_field',
      'upload.deals_history',
    ]);
    expect(preview.payloads[2]?.params).toEqual({ ext_id: 'acc004', name: 'Orbitway Logistics' });
    expect(preview.payloads[3]?.params).toEqual({
      ext_id: 'field:probability',
      name: 'Probability',
      data_type: 'numeric',
    });
    const { deals } = preview.payloads[4]!.params as { deals: Record<string, unknown>[] };
    expect(deals.at(-1)).toMatchObject({
      company_ext_id: 'acc004',
      source: 'Partner',
      comments: 'Renewal of 40 trackers for the northern depots.\nLena signs; call her before 10:00.',
      user_fields: [{ ext_id: 'field:probability', value: '80' }],
    });
  });
});

describe('mapping settings: user fields and currency', () => {
  it("carries the chosen user fields, the rates and the account's report currency into the mapping", async () => {
    const userFields = [{ crmField: 'probability', name: 'Probability', dataType: 'numeric' as const }];
    await settingsStore.set({ ...(await settingsStore.get()), userFields, currencyRates: { USD: 90 } });
    await accountStore.set({
      name: 'Shop',
      timeZone: 'Europe/Moscow',
      checkedAt: NOW.toISOString(),
      reportCurrency: 'RUB',
    });
    const settings = await mappingSettingsFor(SITE);
    expect(settings.userFields).toEqual(userFields);
    expect(settings.currency).toEqual({ reportCurrency: 'RUB', rates: { USD: 90 } });
  });

  it('converts nothing while the report currency is unknown (an account read before this version)', async () => {
    await accountStore.set({ name: 'Shop', timeZone: 'Europe/Moscow', checkedAt: NOW.toISOString() });
    expect((await mappingSettingsFor(SITE)).currency?.reportCurrency).toBeNull();
  });
});
