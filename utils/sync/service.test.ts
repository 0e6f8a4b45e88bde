// @vitest-environment node

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { advanceClock, configure, injectFaults, inspect, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { contact, dealMapping, FUNNEL, stageId, testConfig } from '../../tests/support/deal-mapping';
import { KEY, launchEmulator, START } from '../../tests/support/emulator';
import { ComagicClient, type ComagicClientOptions } from '../comagic/client';
import type { DealHistoryRecord } from '../comagic/schemas';
import type { DealMapping } from '../mapping/records';
import type { EnqueueInput, Job } from './job';
import { createSyncService, type SyncService } from './service';

// START is 12:00:30 in Moscow: every CRM time below is before it.
let emulator: RunningEmulator;
let clock: { now: number };
let wakes: number[];
let sentBodies: { method: string; params: Record<string, unknown> }[];

beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await reset(emulator.origin);
  fakeBrowser.reset();
  clock = { now: START };
  wakes = [];
  sentBodies = [];
});

/** Records every request body, and lets a test rewrite answers or abort calls. */
function recordingFetch(rewrite?: (body: unknown) => unknown, signal?: AbortSignal): typeof fetch {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { method: string; params: Record<string, unknown> };
    sentBodies.push({ method: body.method, params: body.params });
    const signals = [init?.signal, signal].filter((found): found is AbortSignal => Boolean(found));
    const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    if (!rewrite || response.status !== 200) return response;
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return new Response(text, { status: response.status });
    }
    return new Response(JSON.stringify(rewrite(json)), { status: 200 });
  };
}

function client(options: Partial<ComagicClientOptions> = {}): ComagicClient {
  return new ComagicClient({
    endpoint: emulator.url,
    auth: { kind: 'key', token: KEY },
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
      await advanceClock(emulator.origin, ms / 1000);
    },
    random: () => 0.5,
    timeoutMs: 400,
    retries: 1,
    fetch: recordingFetch(),
    ...options,
  });
}

function service(options: Partial<ComagicClientOptions> = {}, gate?: Promise<void>): SyncService {
  return createSyncService({
    clientFactory: async () => {
      await gate;
      return client(options);
    },
    now: () => clock.now,
    scheduleWake: (at) => wakes.push(at),
    accountTimeZone: async () => 'Europe/Moscow',
  });
}

const twoStageDeal = (id: string, extra: Partial<Parameters<typeof dealMapping>[1]> = {}) =>
  dealMapping(id, {
    stages: [
      ['new', '2026-03-01 10:00:00'],
      ['talks', '2026-03-02 10:00:00'],
    ],
    ...extra,
  });

const firstStageOnly = (id: string) => dealMapping(id, { stages: [['new', '2026-03-01 10:00:00']] });

function board(mappings: DealMapping[], dryRun = false): EnqueueInput {
  return {
    kind: 'board',
    label: 'Sales board',
    site: 'https://crm.example.com',
    config: testConfig(),
    mappings,
    dryRun,
  };
}

async function run(sync: SyncService, input: EnqueueInput): Promise<Job> {
  const id = await sync.enqueue(input);
  await sync.idle();
  const job = await sync.job(id);
  if (!job) throw new Error('job vanished');
  return job;
}

async function calls() {
  return (await inspect(emulator.origin)).calls;
}

const uploadCalls = async () => (await calls()).filter((call) => call.method === 'upload.deals_history');

/** Stored records that were uploaded (not filled in by CoMagic), per deal. */
async function storedRecords(): Promise<Record<string, { stage: string; time: string }[]>> {
  const { deals } = await inspect(emulator.origin);
  return Object.fromEntries(
    Object.entries(deals).map(([id, records]) => [
      id,
      records
        .filter((record) => !record.is_generated)
        .map((record) => ({ stage: record.stage_ext_id, time: record.modified_stage_date_time })),
    ]),
  );
}

function expectEachStoredOnce(stored: Record<string, { stage: string; time: string }[]>) {
  for (const records of Object.values(stored)) {
    const keys = records.map((record) => `${record.stage}@${record.time}`);
    expect(new Set(keys).size).toBe(keys.length);
  }
}

const sentRecords = () =>
  sentBodies
    .filter((body) => body.method === 'upload.deals_history')
    .flatMap((body) => body.params.deals as DealHistoryRecord[]);

const rpc = async (method: string, params: Record<string, unknown>) => {
  const response = await fetch(emulator.url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 'seed', method, params: { access_token: KEY, ...params } }),
  });
  return (await response.json()) as { error?: unknown };
};

describe('a first export', () => {
  it('creates the funnel, the employee and the contacts, then uploads every record in order', async () => {
    const job = await run(service(), board([twoStageDeal('d1'), twoStageDeal('d2')]));
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ total: 2, sent: 2, failed: 0, pending: 0 });
    const snapshot = await inspect(emulator.origin);
    expect(snapshot.funnels.map((funnel) => funnel.ext_id)).toEqual([FUNNEL]);
    expect(snapshot.employees.map((employee) => employee.ext_id)).toEqual(['e-1']);
    expect(snapshot.contacts.map((person) => person.ext_id).sort()).toEqual(['c-d1', 'c-d2']);
    expect(await storedRecords()).toEqual({
      d1: [
        { stage: stageId('new'), time: '2026-03-01 10:00:00' },
        { stage: stageId('talks'), time: '2026-03-02 10:00:00' },
      ],
      d2: [
        { stage: stageId('new'), time: '2026-03-01 10:00:00' },
        { stage: stageId('talks'), time: '2026-03-02 10:00:00' },
      ],
    });
    expect(
      snapshot.calls.filter((call) => !call.method?.startsWith('get.')).map((call) => call.method),
    ).toEqual([
      'create.sales_funnel',
      'create.deal_employees',
      'create.deal_contacts',
      'upload.deals_history',
    ]);
  });

  it('reports a deal the mapping could not send with its problem, and sends the rest', async () => {
    const broken: DealMapping = {
      ...twoStageDeal('d2'),
      sendable: false,
      problems: [
        {
          dealExtId: 'd2',
          crmDealId: 'd2',
          severity: 'error',
          code: 'stage_unmapped',
          field: 'history[1].stage',
          message: { en: 'Stage "X" is not mapped.', ru: 'Этап «X» не сопоставлен.' },
        },
      ],
    };
    const job = await run(service(), board([twoStageDeal('d1'), broken]));
    expect(job.results.find((result) => result.dealExtId === 'd2')).toMatchObject({
      status: 'failed',
      reason: { code: 'stage_unmapped', field: 'history[1].stage' },
    });
    expect(Object.keys(await storedRecords())).toEqual(['d1']);
  });
});

describe('the ledger across exports', () => {
  it('sends nothing at all when the same pipeline is exported again unchanged', async () => {
    const sync = service();
    await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2')]));
    const before = (await calls()).length;
    const again = await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2')]));
    expect(again.status).toBe('done');
    expect(again.counts).toMatchObject({ skipped: 2, sent: 0 });
    expect((await calls()).slice(before)).toEqual([]);
  });

  it('sends one update record with a later modified_date_time when a field changed', async () => {
    const sync = service();
    await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2')]));
    sentBodies = [];
    const uploadsBefore = (await uploadCalls()).length;
    const job = await run(sync, board([twoStageDeal('d1', { revenue: 90_000 }), twoStageDeal('d2')]));
    expect(job.counts).toMatchObject({ sent: 1, skipped: 1 });
    expect((await uploadCalls()).length - uploadsBefore).toBe(1);
    expect(sentRecords()).toEqual([
      expect.objectContaining({
        ext_id: 'd1',
        stage_ext_id: stageId('talks'),
        modified_stage_date_time: '2026-03-02 10:00:00',
        modified_date_time: '2026-03-10 12:00:30',
        revenue: 90_000,
      }),
    ]);
  });

  it('sends only the new record after the deal moved on', async () => {
    const sync = service();
    await run(sync, board([twoStageDeal('d1')]));
    sentBodies = [];
    const moved = dealMapping('d1', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-02 10:00:00'],
        ['won', '2026-03-05 16:00:00'],
      ],
    });
    await run(sync, board([moved]));
    expect(sentRecords().map((record) => record.stage_ext_id)).toEqual([stageId('won')]);
    expect(sentBodies.map((body) => body.method)).toEqual(['upload.deals_history']);
    expect((await storedRecords()).d1?.map((record) => record.stage)).toEqual([
      stageId('new'),
      stageId('talks'),
      stageId('won'),
    ]);
  });

  it('records where each deal was seen, for observed transitions', async () => {
    const sync = service();
    await run(sync, board([twoStageDeal('d1')]));
    const entries = await sync.ledgerEntries(['d1', 'unknown']);
    expect(Object.keys(entries)).toEqual(['d1']);
    expect(entries.d1).toMatchObject({
      lastStageExtId: stageId('talks'),
      lastStageTime: '2026-03-02 10:00:00',
      firstSeenAt: START,
      observed: { stage: { id: 'talks', name: 'Talks' }, at: START },
    });
  });
});

describe('bad records', () => {
  it('takes out the deal the error field names (a contact deleted in CoMagic) and sends the rest', async () => {
    const sync = service();
    await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2'), twoStageDeal('d3')]));
    expect(await rpc('delete.deal_contacts', { ext_id: 'c-d2' })).not.toHaveProperty('error');
    const moved = (id: string) =>
      dealMapping(id, {
        stages: [
          ['new', '2026-03-01 10:00:00'],
          ['talks', '2026-03-02 10:00:00'],
          ['offer', '2026-03-04 10:00:00'],
        ],
      });
    const job = await run(sync, board([moved('d1'), moved('d2'), moved('d3')]));
    expect(job.results.find((result) => result.dealExtId === 'd2')).toMatchObject({
      status: 'failed',
      reason: { code: 'entity_not_found', field: 'deals.1.contact_ext_ids.0' },
    });
    const stored = await storedRecords();
    expect(stored.d1?.at(-1)?.stage).toBe(stageId('offer'));
    expect(stored.d3?.at(-1)?.stage).toBe(stageId('offer'));
    expect(stored.d2?.at(-1)?.stage).toBe(stageId('talks'));
  });

  it('fails every deal of a contact CoMagic refuses and sends the rest', async () => {
    const shared = contact('c-shared', { emails: ['no-at-sign'] });
    const job = await run(
      service(),
      board([
        twoStageDeal('d1', { contact: shared }),
        twoStageDeal('d2'),
        twoStageDeal('d3', { contact: shared }),
      ]),
    );
    const failed = job.results
      .filter((result) => result.status === 'failed')
      .map((result) => result.dealExtId);
    expect(failed.sort()).toEqual(['d1', 'd3']);
    expect(job.results.find((result) => result.dealExtId === 'd2')?.status).toBe('sent');
    const created = sentBodies
      .filter((body) => body.method === 'create.deal_contacts')
      .map((body) => (body.params.contacts as { ext_id: string }[]).map((person) => person.ext_id));
    expect(created).toEqual([['c-shared', 'c-d2'], ['c-d2']]);
    expect(Object.keys(await storedRecords())).toEqual(['d2']);
  });

  it('bisects the batch when the error does not say which record failed', async () => {
    // This browser sent the first stages today; since, another one sent d3 at a later stage, so
    // d3's next record is refused as back-dated (a ledger confirmed within the day is not re-read).
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
    await run(service(), board(ids.map(firstStageOnly)));
    await rpc('upload.deals_history', {
      deals: [
        {
          ...twoStageDeal('d3', { contact: null, employee: null }).records[1],
          modified_stage_date_time: '2026-03-08 10:00:00',
        },
      ],
    });
    const withoutField = (json: unknown) => {
      const answer = json as { error?: { data?: { field?: string } } };
      if (answer.error?.data) delete answer.error.data.field;
      return answer;
    };
    const deals = ids.map((id) => twoStageDeal(id));
    const job = await run(service({ fetch: recordingFetch(withoutField) }), board(deals));
    expect(
      job.results.filter((result) => result.status === 'failed').map((result) => result.dealExtId),
    ).toEqual(['d3']);
    expect(job.results.find((result) => result.dealExtId === 'd3')?.reason?.code).toBe('invalid_date_time');
    const stored = await storedRecords();
    for (const id of ['d1', 'd2', 'd4', 'd5']) expect(stored[id]).toHaveLength(2);
    expect(stored.d3?.map((record) => record.time)).toEqual(['2026-03-01 10:00:00', '2026-03-08 10:00:00']);
    expectEachStoredOnce(stored);
  });

  it('delivers 999 of 1,000 deals when CoMagic rejects one, reports it, and stores no record twice', async () => {
    const deals = Array.from({ length: 1000 }, (_, i) => twoStageDeal(`d${i}`));
    const sync = service();
    // Sent today up to the first stage; since, another browser sent d500 at a later stage: its
    // next record passes local checks but not the API.
    await run(sync, board(deals.map((_, i) => firstStageOnly(`d${i}`))));
    await rpc('upload.deals_history', {
      deals: [
        {
          ...(deals[500]?.records[1] as DealHistoryRecord),
          contact_ext_ids: undefined,
          main_contact_ext_id: undefined,
          employee_ext_id: undefined,
          modified_stage_date_time: '2026-03-09 10:00:00',
        },
      ],
    });
    const job = await run(sync, board(deals));
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ total: 1000, sent: 999, failed: 1 });
    const failed = job.results.find((result) => result.status === 'failed');
    expect(failed).toMatchObject({ dealExtId: 'd500', reason: { code: 'invalid_date_time' } });
    expect(failed?.reason?.field).toMatch(/^deals\.\d+\.modified_stage_date_time$/);
    const stored = await storedRecords();
    const landed = Object.entries(stored).filter(([id]) => id !== 'd500');
    expect(landed).toHaveLength(999);
    for (const [, records] of landed) expect(records).toHaveLength(2);
    expect(stored.d500?.at(-1)?.time).toBe('2026-03-09 10:00:00');
    expectEachStoredOnce(stored);
  });
});

describe('ambiguous failures', () => {
  it.each([0, 1])(
    'sends each record exactly once when the answer is lost after CoMagic stored it (client retries: %i)',
    async (retries) => {
      await injectFaults(emulator.origin, {
        mode: 'drop',
        count: 1,
        afterCommit: true,
        methods: ['upload.deals_history'],
      });
      const job = await run(service({ retries }), board([twoStageDeal('d1'), twoStageDeal('d2')]));
      expect(job.status).toBe('done');
      expect(job.counts.sent).toBe(2);
      const stored = await storedRecords();
      expect(stored.d1).toHaveLength(2);
      expect(stored.d2).toHaveLength(2);
      expectEachStoredOnce(stored);
      // CoMagic was asked what it holds after the lost answer, not only before the first upload.
      const methods = (await calls()).map((call) => call.method);
      expect(methods.slice(methods.indexOf('upload.deals_history'))).toContain('get.deals_history');
    },
  );

  it.each(['http502', 'internal_error', 'hang', 'drop', 'non_json'] as const)(
    'gets through a %s fault that outlasts the client’s own retries',
    async (mode) => {
      await injectFaults(emulator.origin, {
        mode,
        count: 2,
        methods: ['upload.deals_history', 'create.deal_contacts'],
      });
      const job = await run(service(), board([twoStageDeal('d1'), twoStageDeal('d2')]));
      expect(job.status).toBe('done');
      expect(job.counts.sent).toBe(2);
      expect((await inspect(emulator.origin)).contacts).toHaveLength(2);
      expectEachStoredOnce(await storedRecords());
    },
  );

  // Planning reads what CoMagic holds (get.deal_contacts) under the same policy as a step's upload.
  it.each(['upload.deals_history', 'get.deal_contacts'])(
    'waits for an alarm when CoMagic keeps failing %s, then goes on',
    async (method) => {
      await injectFaults(emulator.origin, { mode: 'http502', count: 6, methods: [method] });
      const sync = service();
      const id = await sync.enqueue(board([twoStageDeal('d1')]));
      await sync.idle();
      const waiting = await sync.job(id);
      expect(waiting).toMatchObject({
        status: 'waiting',
        message: { en: expect.stringContaining('http_502') },
      });
      expect(wakes).toEqual([waiting?.resumeAt]);
      clock.now = waiting?.resumeAt ?? clock.now;
      await sync.resumePending();
      await sync.idle();
      expect((await sync.job(id))?.status).toBe('done');
      expectEachStoredOnce(await storedRecords());
    },
  );
});

describe('rate limits', () => {
  it('sleeps through a short minute reset and finishes', async () => {
    await configure(emulator.origin, { minuteLimit: 2 });
    const sleeps: number[] = [];
    const job = await run(
      service({
        maxWaitMs: 60_000,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.now += ms;
          await advanceClock(emulator.origin, ms / 1000);
        },
      }),
      board([twoStageDeal('d1')]),
    );
    expect(job.status).toBe('done');
    expect(sleeps.length).toBeGreaterThan(0);
    expect((await storedRecords()).d1).toHaveLength(2);
  });

  it('waits for the next day when the day’s points are spent, and completes after it', async () => {
    // The job needs 7 calls: 5 fit in the first day.
    await configure(emulator.origin, { dayLimit: 5 });
    const sync = service();
    const id = await sync.enqueue(board([twoStageDeal('d1')]));
    await sync.idle();
    const waiting = await sync.job(id);
    expect(waiting?.status).toBe('waiting');
    const resumeAt = waiting?.resumeAt as number;
    expect(resumeAt).toBeGreaterThan(clock.now + 60 * 60_000);
    expect(wakes).toContain(resumeAt);
    expect(waiting?.message?.en).toContain('goes on by itself');
    await advanceClock(emulator.origin, (resumeAt - clock.now) / 1000);
    clock.now = resumeAt;
    await sync.resumePending();
    await sync.idle();
    expect((await sync.job(id))?.status).toBe('done');
    expect((await storedRecords()).d1).toHaveLength(2);
  });
});

describe('connection problems', () => {
  it('pauses every job when the token is rejected and resumes them when the connection changes', async () => {
    await configure(emulator.origin, { tokens: ['another-key'] });
    const sync = service();
    const first = await sync.enqueue(board([twoStageDeal('d1')]));
    const second = await sync.enqueue(board([twoStageDeal('d2')]));
    await sync.idle();
    for (const id of [first, second]) {
      expect(await sync.job(id)).toMatchObject({ status: 'paused', pauseReason: 'auth' });
    }
    expect((await sync.job(first))?.message?.en).toContain('access_token_invalid');
    await configure(emulator.origin, { tokens: [KEY] });
    await sync.onConnectionChanged();
    await sync.idle();
    for (const id of [first, second]) expect((await sync.job(id))?.status).toBe('done');
    expect(Object.keys(await storedRecords()).sort()).toEqual(['d1', 'd2']);
  });

  it('pauses with the component message when sales funnels are off', async () => {
    await configure(emulator.origin, { salesFunnelComponent: false });
    const sync = service();
    const id = await sync.enqueue(board([twoStageDeal('d1')]));
    await sync.idle();
    expect(await sync.job(id)).toMatchObject({
      status: 'paused',
      pauseReason: 'component',
      message: { en: expect.stringContaining('Воронки продаж') },
    });
  });
});

describe('user control', () => {
  it('pauses, resumes and cancels queued jobs', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const sync = service({}, gate);
    const first = await sync.enqueue(board([twoStageDeal('d1')]));
    const paused = await sync.enqueue(board([twoStageDeal('d2')]));
    const cancelled = await sync.enqueue(board([twoStageDeal('d3')]));
    await sync.pause(paused);
    await sync.cancel(cancelled);
    open();
    await sync.idle();
    expect((await sync.job(first))?.status).toBe('done');
    expect((await sync.job(paused))?.status).toBe('paused');
    expect((await sync.job(cancelled))?.status).toBe('cancelled');
    expect(Object.keys(await storedRecords())).toEqual(['d1']);
    await sync.resume(paused);
    await sync.idle();
    expect((await sync.job(paused))?.status).toBe('done');
    expect((await sync.job(cancelled))?.status).toBe('cancelled');
    expect(Object.keys(await storedRecords()).sort()).toEqual(['d1', 'd2']);
    expect((await sync.jobs()).map((job) => job.id)).toEqual([cancelled, paused, first]);
  });

  it('retries only the failed deals of a job as a new job', async () => {
    const sync = service();
    await run(sync, board([dealMapping('seed', { stages: [['new', '2026-03-01 10:00:00']] })]));
    await rpc('delete.deal_contacts', { ext_id: 'c-seed' });
    const moved = dealMapping('seed', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-03 10:00:00'],
      ],
    });
    const job = await run(sync, board([moved, twoStageDeal('d1')]));
    expect(job.counts).toMatchObject({ sent: 1, failed: 1 });
    await rpc('create.deal_contacts', { contacts: [contact('c-seed')] });
    const retryId = await sync.retryFailed(job.id);
    await sync.idle();
    const retry = await sync.job(retryId);
    expect(retry?.results.map((result) => [result.dealExtId, result.status])).toEqual([['seed', 'sent']]);
  });
});

describe('durability', () => {
  it('resumes a job from its last finished step after the background restarts mid-job', async () => {
    await injectFaults(emulator.origin, { mode: 'hang', count: 1, methods: ['upload.deals_history'] });
    const killWorker = new AbortController();
    const first = service({
      timeoutMs: 20_000,
      retries: 0,
      fetch: recordingFetch(undefined, killWorker.signal),
    });
    const id = await first.enqueue(board([twoStageDeal('d1'), twoStageDeal('d2')]));
    while (!(await uploadCalls()).length) await new Promise((resolve) => setTimeout(resolve, 20));
    first.dispose();
    killWorker.abort();
    await first.idle();
    expect((await first.job(id))?.status).toBe('running');
    expect((await first.job(id))?.steps.done).toBe(3);

    const second = service();
    await second.resumePending();
    await second.idle();
    const job = await second.job(id);
    expect(job?.status).toBe('done');
    expect(job?.counts.sent).toBe(2);
    const writes = (await calls()).filter((call) => call.ok && !call.method?.startsWith('get.'));
    expect(writes.map((call) => call.method)).toEqual([
      'create.sales_funnel',
      'create.deal_employees',
      'create.deal_contacts',
      'upload.deals_history',
    ]);
    expectEachStoredOnce(await storedRecords());
  });
});

describe('dry run', () => {
  it('builds and checks the plan without sending anything, and leaves the ledger alone', async () => {
    const sync = service();
    const job = await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2')], true));
    expect(job.status).toBe('done');
    expect(job.plan?.steps.map((step) => step.kind)).toEqual([
      'create_funnel',
      'create_employee',
      'create_contacts',
      'upload',
    ]);
    expect(job.counts).toMatchObject({ pending: 2, failed: 0 });
    expect((await calls()).every((call) => call.method?.startsWith('get.'))).toBe(true);
    expect(await sync.ledgerEntries(['d1', 'd2'])).toEqual({});
    const real = await run(sync, board([twoStageDeal('d1'), twoStageDeal('d2')]));
    expect(real.counts.sent).toBe(2);
  });
});

describe('a store the browser refuses to write', () => {
  it('pauses the job saying storage is full, instead of leaving it running to be planned again', async () => {
    let releaseClient = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseClient = resolve;
    });
    const sync = service({}, gate);
    const id = await sync.enqueue(board([twoStageDeal('d1'), twoStageDeal('d2')]));
    // From now on the job's own items can no longer be written, as with a full storage.local.
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      if (Object.keys(items).some((key) => key.startsWith('sync-job:'))) {
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      return set(items);
    });
    releaseClient();
    await sync.idle();
    const job = await sync.job(id);
    expect(job).toMatchObject({ status: 'paused', pauseReason: 'storage' });
    expect(job?.message?.en).toContain('QUOTA_BYTES quota exceeded');
    expect(job?.message?.en).toMatch(/^Storage full: clear finished exports .*then press Resume/);
    expect(job?.message?.ru).toMatch(/^Хранилище заполнено: очистите завершённые выгрузки/);
  });
});

describe('a failure while planning', () => {
  it('is tried again within the run, as a step’s is, and the export goes on without waiting', async () => {
    // The client tries each call twice (retries: 1): two plans fail, the third goes through.
    await injectFaults(emulator.origin, { mode: 'http502', count: 4, methods: ['get.deal_contacts'] });
    const job = await run(service(), board([twoStageDeal('d1')]));
    expect(job.status).toBe('done');
    expect(wakes).toEqual([]);
    expect((await storedRecords()).d1).toHaveLength(2);
  });
});
