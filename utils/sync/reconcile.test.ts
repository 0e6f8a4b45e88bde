// @vitest-environment node

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { advanceClock, inspect, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { dealMapping, stageId, testConfig } from '../../tests/support/deal-mapping';
import { fakeClock, KEY, launchEmulator, START } from '../../tests/support/emulator';
import { ComagicClient } from '../comagic/client';
import type { Page } from '../comagic/paging';
import type { DealMapping } from '../mapping/records';
import type { EnqueueInput, Job } from './job';
import { decideDeal, type LedgerEntry, recordDelivered } from './ledger';
import { readLedger } from './outbox';
import {
  CONFIRMATION_TTL_MS,
  type HeldRow,
  type HistoryFilter,
  lastHeldRows,
  needsReconcile,
  readHeld,
  recentRowsFilters,
  reconciledEntry,
} from './reconcile';
import { createSyncService, type SyncService } from './service';

const HOUR = 3_600_000;
const MODIFIED_AT = '2026-03-10 12:00:00';

const threeStages = (id: string) =>
  dealMapping(id, {
    stages: [
      ['new', '2026-03-01 10:00:00'],
      ['talks', '2026-03-02 10:00:00'],
      ['offer', '2026-03-04 15:30:00'],
    ],
  });

/** CoMagic's row for a record as sent (what get.deals_history answers with HELD_FIELDS). */
function rowOf(deal: DealMapping, index: number, overrides: Partial<HeldRow> = {}): HeldRow {
  const record = deal.records[index];
  if (!record) throw new Error(`no record ${index}`);
  return {
    ext_id: record.ext_id,
    stage_ext_id: record.stage_ext_id,
    modified_stage_date_time: record.modified_stage_date_time,
    created_date_time: record.created_date_time,
    is_generated: false,
    name: record.name,
    revenue: record.revenue ?? null,
    employee_ext_id: record.employee_ext_id ?? null,
    main_contact_ext_id: record.main_contact_ext_id ?? null,
    contact_ext_ids: record.contact_ext_ids ?? null,
    closed_date_time: record.closed_date_time ?? null,
    source: record.source ?? null,
    ...overrides,
  };
}

describe('needsReconcile', () => {
  const deal = threeStages('d1');
  const delivered = recordDelivered(null, deal.records[2]!, 'fp', START);

  it('asks CoMagic about a deal the ledger does not know, or knows only as seen, never sent', () => {
    expect(needsReconcile(null, START)).toBe(true);
    expect(needsReconcile({ ...delivered, lastStageTime: null, lastStageExtId: null }, START)).toBe(true);
  });

  it('trusts an entry CoMagic confirmed within the day, and asks again after it', () => {
    expect(needsReconcile(delivered, START + CONFIRMATION_TTL_MS - 1)).toBe(false);
    expect(needsReconcile(delivered, START + CONFIRMATION_TTL_MS)).toBe(true);
  });

  it('asks about an entry stored before confirmations were recorded', () => {
    const { confirmedAt: _, ...older } = delivered;
    expect(needsReconcile(older, START)).toBe(true);
  });
});

describe('recentRowsFilters', () => {
  it('asks for each deal’s rows from the day of its last record, one branch per day', () => {
    const filters = recentRowsFilters([
      { dealExtId: 'a', lastStageTime: '2026-03-04 15:30:00' },
      { dealExtId: 'b', lastStageTime: '2026-03-02 09:00:00' },
      { dealExtId: 'c', lastStageTime: '2026-03-04 08:00:00' },
    ]);
    expect(filters).toEqual([
      {
        condition: 'or',
        filters: [
          {
            condition: 'and',
            filters: [
              { field: 'ext_id', operator: 'in', value: ['a', 'c'] },
              { field: 'modified_stage_date_time', operator: '>=', value: '2026-03-04 00:00:00' },
            ],
          },
          {
            condition: 'and',
            filters: [
              { field: 'ext_id', operator: 'in', value: ['b'] },
              { field: 'modified_stage_date_time', operator: '>=', value: '2026-03-02 00:00:00' },
            ],
          },
        ],
      },
    ]);
  });

  it('makes one filter per 10,000 deals', () => {
    const deals = Array.from({ length: 20_001 }, (_, i) => ({
      dealExtId: `d${i}`,
      lastStageTime: '2026-03-04 15:30:00',
    }));
    const filters = recentRowsFilters(deals);
    expect(filters).toHaveLength(3);
    expect(filters[2]).toEqual({
      condition: 'and',
      filters: [
        { field: 'ext_id', operator: 'in', value: ['d20000'] },
        { field: 'modified_stage_date_time', operator: '>=', value: '2026-03-04 00:00:00' },
      ],
    });
  });
});

describe('lastHeldRows', () => {
  it('takes each deal’s latest row, and at equal times the record sent over one CoMagic generated', () => {
    const deal = threeStages('d1');
    const generated = rowOf(deal, 2, { stage_ext_id: stageId('talks'), is_generated: true });
    const held = lastHeldRows([rowOf(deal, 0), rowOf(deal, 2), generated, rowOf(deal, 1)]);
    expect(held.get('d1')?.stage_ext_id).toBe(stageId('offer'));
  });
});

describe('reconciledEntry', () => {
  const deal = threeStages('d1');

  it('a deal CoMagic holds at its last stage with the same data sends nothing, and is confirmed', () => {
    const entry = reconciledEntry(deal, rowOf(deal, 2), null, START);
    expect(entry).toMatchObject({ lastStageTime: '2026-03-04 15:30:00', confirmedAt: START });
    expect(decideDeal(deal, entry, MODIFIED_AT).status).toBe('unchanged');
  });

  it('a deal CoMagic holds at an older stage sends only the records after it', () => {
    const entry = reconciledEntry(deal, rowOf(deal, 1), null, START);
    const decision = decideDeal(deal, entry, MODIFIED_AT);
    expect(decision.status).toBe('moved');
    expect(decision.records.map((record) => record.stage_ext_id)).toEqual([stageId('offer')]);
  });

  it('a deal CoMagic holds at a later stage than this CRM view shows sends nothing older', () => {
    const ahead = rowOf(deal, 2, {
      stage_ext_id: stageId('won'),
      modified_stage_date_time: '2026-03-06 11:00:00',
    });
    expect(decideDeal(deal, reconciledEntry(deal, ahead, null, START), MODIFIED_AT).status).toBe('unchanged');
  });

  it('a deal CoMagic holds with other data sends one update record at CoMagic’s stage time', () => {
    const entry = reconciledEntry(deal, rowOf(deal, 2, { revenue: 1 }), null, START);
    const decision = decideDeal(deal, entry, MODIFIED_AT);
    expect(decision.status).toBe('changed');
    expect(decision.records[0]?.modified_stage_date_time).toBe('2026-03-04 15:30:00');
  });

  it('a deal the ledger knew but CoMagic no longer holds is sent whole, keeping what the browser saw', () => {
    const observed = {
      stage: { id: 'offer', name: 'Offer', outcome: 'in_progress' as const },
      at: START - HOUR,
    };
    const known: LedgerEntry = { ...recordDelivered(null, deal.records[2]!, 'fp', START - HOUR), observed };
    const entry = reconciledEntry(deal, null, known, START);
    expect(entry?.observed).toEqual(observed);
    expect(decideDeal(deal, entry, MODIFIED_AT)).toMatchObject({ status: 'new', records: deal.records });
  });

  it('a deal neither knows has no entry', () => {
    expect(reconciledEntry(deal, null, null, START)).toBeNull();
  });
});

describe('readHeld budget', () => {
  /** A CoMagic holding every deal in `held` whole at its last record, answering pages as the API does. */
  function fakeHistory(held: ReadonlySet<string>) {
    const filters: HistoryFilter[] = [];
    const readPage = async (filter: HistoryFilter, offset: number): Promise<Page<HeldRow>> => {
      filters.push(filter);
      const ids = new Set(JSON.stringify(filter).match(/d\d+/g));
      const rows = [...ids]
        .filter((id) => held.has(id))
        .map((id) => rowOf(threeStages(id), 2))
        .slice(offset, offset + 10_000);
      return { rows, totalItems: [...ids].filter((id) => held.has(id)).length };
    };
    return { filters, readPage };
  }
  const toCheck = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ dealExtId: `d${i}`, lastStageTime: '2026-03-04 15:30:00' }));

  it('costs one call per 10,000 deals CoMagic holds up to date', async () => {
    const deals = toCheck(25_000);
    const { readPage } = fakeHistory(new Set(deals.map((deal) => deal.dealExtId)));
    const { held, reads } = await readHeld(deals, readPage);
    expect(reads).toBe(3);
    expect(held.size).toBe(25_000);
  });

  it('asks again, with no day bound, only about the deals it did not find', async () => {
    const deals = toCheck(12_000);
    const { filters, readPage } = fakeHistory(new Set(deals.slice(0, 11_000).map((deal) => deal.dealExtId)));
    const { held, reads } = await readHeld(deals, readPage);
    expect(reads).toBe(3);
    expect(held.size).toBe(11_000);
    expect(filters[2]).toEqual({
      field: 'ext_id',
      operator: 'in',
      value: deals.slice(11_000).map((deal) => deal.dealExtId),
    });
  });
});

describe('two browsers, one CoMagic account', () => {
  let emulator: RunningEmulator;
  let time: ReturnType<typeof fakeClock>;

  beforeAll(async () => {
    emulator = await launchEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await reset(emulator.origin);
    fakeBrowser.reset();
    time = fakeClock(emulator);
  });

  function service(fetcher?: typeof fetch): SyncService {
    return createSyncService({
      clientFactory: async () =>
        new ComagicClient({
          endpoint: emulator.url,
          auth: { kind: 'key', token: KEY },
          now: time.now,
          sleep: time.sleep,
          random: () => 0.5,
          ...(fetcher ? { fetch: fetcher } : {}),
        }),
      now: time.now,
      scheduleWake: () => undefined,
      accountTimeZone: async () => 'Europe/Moscow',
    });
  }

  function board(mappings: DealMapping[], dryRun = false): EnqueueInput {
    return {
      kind: 'board',
      label: 'Sales',
      site: 'https://crm.example.com',
      config: testConfig(),
      mappings,
      dryRun,
    };
  }

  async function run(input: EnqueueInput, fetcher?: typeof fetch): Promise<Job> {
    const sync = service(fetcher);
    const id = await sync.enqueue(input);
    await sync.idle();
    const job = await sync.job(id);
    if (!job) throw new Error('job vanished');
    return job;
  }

  /** Another browser: same CoMagic, its own (empty) storage. */
  const otherBrowser = () => fakeBrowser.reset();

  async function callsSince(count: number) {
    return (await inspect(emulator.origin)).calls.slice(count);
  }
  const callCount = async () => (await inspect(emulator.origin)).calls.length;

  const twoStages = (id: string) =>
    dealMapping(id, {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-02 10:00:00'],
      ],
    });

  it('a second browser exporting deals CoMagic holds sends nothing, in one history read', async () => {
    const deals = ['d1', 'd2', 'd3'].map(threeStages);
    await run(board(deals));
    otherBrowser();
    const before = await callCount();
    const job = await run(board(deals));
    const calls = await callsSince(before);
    expect(job.counts).toMatchObject({ total: 3, skipped: 3, failed: 0 });
    // The plan shows what it read: three deals' history in one call, and the funnel.
    expect(job.plan?.reads).toEqual({ deals: 3, history: 1, entities: 1 });
    expect(calls.filter((call) => call.method === 'get.deals_history')).toHaveLength(1);
    expect(
      calls.filter((call) => call.method?.startsWith('create.') || call.method?.startsWith('upload.')),
    ).toEqual([]);
    const entry = (await readLedger()).deals.get('d2') ?? null;
    expect(entry?.lastStageExtId).toBe(stageId('offer'));
    expect(needsReconcile(entry, time.now())).toBe(false);
  });

  it('sends only the stage a colleague’s export lacks, and no call is refused', async () => {
    await run(board(['d1', 'd2'].map(twoStages)));
    otherBrowser();
    const before = await callCount();
    const job = await run(board([threeStages('d1'), twoStages('d2')]));
    const calls = await callsSince(before);
    expect(job.counts).toMatchObject({ sent: 1, skipped: 1, failed: 0 });
    expect(calls.every((call) => call.ok)).toBe(true);
    const { deals: held } = await inspect(emulator.origin);
    expect(held.d1?.map((record) => record.stage_ext_id)).toEqual([
      stageId('new'),
      stageId('talks'),
      stageId('offer'),
    ]);
  });

  it('asks again about deals it did not find at their last day, then sends them whole', async () => {
    const before = await callCount();
    const job = await run(board(['d1', 'd2'].map(threeStages)));
    const calls = await callsSince(before);
    expect(job.counts).toMatchObject({ sent: 2, failed: 0 });
    expect(calls.filter((call) => call.method === 'get.deals_history')).toHaveLength(2);
    expect((await inspect(emulator.origin)).deals.d1).toHaveLength(3);
  });

  it('makes no read while its ledger is confirmed within the day, and reads again after it', async () => {
    const deals = ['d1', 'd2'].map(threeStages);
    await run(board(deals));
    let before = await callCount();
    await run(board(deals));
    expect((await callsSince(before)).map((call) => call.method)).toEqual([]);
    time.clock.now += CONFIRMATION_TTL_MS;
    await advanceClock(emulator.origin, CONFIRMATION_TTL_MS / 1000);
    before = await callCount();
    await run(board(deals));
    expect((await callsSince(before)).map((call) => call.method)).toEqual(['get.deals_history']);
  });

  it('a dry run reads what CoMagic holds but records nothing in the ledger', async () => {
    await run(board([threeStages('d1')]));
    otherBrowser();
    const job = await run(board([threeStages('d1')], true));
    expect(job.counts).toMatchObject({ skipped: 1 });
    expect((await readLedger()).deals.get('d1')?.lastStageTime ?? null).toBeNull();
  });

  it('counts what a colleague created between this browser’s read and its create as created', async () => {
    // Every create.* is first sent by "another browser" (same body, own id): ours then meets duplicate_entity.
    const racing: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as { method: string };
      if (body.method.startsWith('create.')) {
        await fetch(input, { ...init, body: JSON.stringify({ ...body, id: `colleague-${body.method}` }) });
      }
      return fetch(input, init);
    };
    const job = await run(board(['d1', 'd2'].map(threeStages)), racing);
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ sent: 2, failed: 0 });
    const mnemonics = (await inspect(emulator.origin)).calls.flatMap((call) => call.mnemonic ?? []);
    expect(mnemonics.filter((mnemonic) => mnemonic === 'duplicate_entity').length).toBeGreaterThanOrEqual(3);
    expect((await inspect(emulator.origin)).deals.d1).toHaveLength(3);
  });

  it('reads contacts and employees once per kind for more than a thousand deals', async () => {
    const deals = Array.from({ length: 1_200 }, (_, i) => twoStages(`d${i}`));
    const before = await callCount();
    await run(board(deals));
    const methods = (await callsSince(before)).map((call) => call.method);
    expect(methods.filter((method) => method === 'get.deal_contacts')).toHaveLength(1);
    expect(methods.filter((method) => method === 'get.deal_employees')).toHaveLength(1);
  });
});
