import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { dealMapping, testConfig } from '../../tests/support/deal-mapping';
import { jobSummary } from '../../tests/support/stored-export';
import { syncJobDetailStore } from '../storage';
import {
  type JobDetail,
  type JobPlan,
  type JobSummary,
  jobDealOf,
  loadDetail,
  parseStoredDeals,
  parseStoredDetail,
  storeDetail,
} from './job';
import { newEntry } from './ledger';
import {
  addJob,
  clearFinishedJobs,
  dropOldPayloads,
  KEPT_JOBS,
  listJobs,
  readDetail,
  readLedger,
  updateLedger,
  writeDetail,
} from './outbox';

beforeEach(() => fakeBrowser.reset());

function detailOf(count: number): JobDetail {
  const deals = Array.from({ length: count }, (_, i) =>
    jobDealOf(
      dealMapping(`espo-64f0a1b2c3d4e5f6${i}`, {
        stages: [
          ['new', '2026-03-01 10:00:00'],
          ['talks', '2026-03-02 10:00:00'],
          ['offer', '2026-03-03 10:00:00'],
          ['won', '2026-03-04 10:00:00'],
        ],
        name: `Supply contract for the northern warehouse no. ${i}`,
        revenue: 120_000 + i,
      }),
      i,
    ),
  );
  const results = Object.fromEntries(
    deals.map((deal) => [
      deal.dealExtId,
      { dealExtId: deal.dealExtId, status: 'pending' as const, at: 0, reason: null },
    ]),
  );
  return { config: testConfig(), reading: null, deals, plan: null, cursor: 0, results, attempts: 0 };
}

function summaryOf(id: string, status: JobSummary['status'] = 'done'): JobSummary {
  return jobSummary({ id, label: id, site: 'https://crm.example.com', status, createdAt: 0 });
}

describe('stored jobs', () => {
  it('keeps a 1,000-deal job with four records each to about a megabyte, and reads it back whole', () => {
    const detail = detailOf(1000);
    const stored = storeDetail(detail);
    expect(JSON.stringify(stored).length).toBeLessThan(1_200_000);
    // Stored once per deal, the repeated fields cost far less than the records written out.
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(detail).length * 0.6);
    expect(loadDetail(stored)).toEqual(detail);
  });

  it('reads back a job holding a deal the mapping refused, whose records break the API rules', () => {
    const detail = detailOf(2);
    const refused = detail.deals![1]!;
    // Closed before it was created: the mapping reports it and marks the deal not sendable.
    refused.records = refused.records.map((record) => ({
      ...record,
      closed_date_time: '2026-02-01 10:00:00',
    }));
    refused.sendable = false;
    expect(loadDetail(storeDetail(detail))).toEqual(detail);
  });

  it('migrates a version-1 job (results and outgoing keyed by deal) to version 2', () => {
    // As version 1 stored it; the deals were in their own item.
    const v1 = {
      v: 1,
      config: testConfig(),
      deals: null,
      plan: {
        steps: [{ kind: 'upload', items: [['d7', 3, 4]] }],
        outgoing: {
          d7: {
            from: 3,
            update: { stageTime: '2026-03-04 10:00:00', modifiedAt: '2026-03-10 12:00:00' },
            fingerprint: 'ffffffffffffffffffffffffffffffff',
          },
          d8: { from: 0, update: null },
        },
      },
      cursor: 1,
      attempts: 0,
      results: { d7: ['sent', 5, null], d8: ['pending', 6, null] },
    };
    const migrated = parseStoredDetail(v1);
    expect(migrated).toMatchObject({ kind: 'current', migrated: true, value: { v: 2 } });
    const detail = migrated.kind === 'current' ? loadDetail(migrated.value) : null;
    expect(detail?.plan?.outgoing).toEqual({
      d7: { from: 3, update: { stageTime: '2026-03-04 10:00:00', modifiedAt: '2026-03-10 12:00:00' } },
      d8: { from: 0, update: null },
    });
    expect(detail?.results).toEqual({
      d7: { dealExtId: 'd7', status: 'sent', at: 5, reason: null },
      d8: { dealExtId: 'd8', status: 'pending', at: 6, reason: null },
    });
  });

  it('reads a job the previous version stored compact under version 1 (arrays of tuples) as version 2', () => {
    const compactV1 = {
      v: 1,
      config: testConfig(),
      reading: null,
      deals: null,
      plan: {
        steps: [],
        outgoing: [
          ['d7', 3, '2026-03-04 10:00:00', '2026-03-10 12:00:00'],
          ['d8', 0],
        ],
      },
      cursor: 0,
      attempts: 2,
      results: [['d7', 'failed', 9, null]],
    };
    const migrated = parseStoredDetail(compactV1);
    expect(migrated.kind).toBe('current');
    const detail = migrated.kind === 'current' ? loadDetail(migrated.value) : null;
    expect(detail?.plan?.outgoing.d7?.update).toEqual({
      stageTime: '2026-03-04 10:00:00',
      modifiedAt: '2026-03-10 12:00:00',
    });
    expect(detail?.results.d7?.status).toBe('failed');
    expect(detail?.attempts).toBe(2);
  });

  it('migrates a version-1 deals item (the bare array) to version 2', () => {
    const stored = storeDetail(detailOf(2)).deals;
    expect(parseStoredDeals(stored)).toEqual({ kind: 'current', value: stored, migrated: true });
    expect(parseStoredDeals({ v: 2, d: stored })).toEqual({
      kind: 'current',
      value: stored,
      migrated: false,
    });
  });

  it('leaves a job of a newer version untouched: it reads as gone and is never written over', async () => {
    const newer = { v: 3, shape: 'unknown to this version' };
    await fakeBrowser.storage.local.set({ 'sync-job:future': newer });
    expect(await readDetail('future')).toBeNull();
    await expect(writeDetail('future', detailOf(1))).rejects.toThrow(/newer version/);
    expect((await fakeBrowser.storage.local.get('sync-job:future'))['sync-job:future']).toEqual(newer);
  });

  it('writes a job durably and reads it back after a restart', async () => {
    const detail = detailOf(3);
    await addJob(summaryOf('a', 'queued'), detail);
    expect(await listJobs()).toEqual([summaryOf('a', 'queued')]);
    expect(await readDetail('a')).toEqual(detail);
  });

  it(`keeps the last ${KEPT_JOBS} jobs and drops the details of older finished ones`, async () => {
    await addJob(summaryOf('active', 'paused'), detailOf(1));
    for (let i = 0; i < KEPT_JOBS; i++) await addJob(summaryOf(`job-${i}`), detailOf(0));
    const ids = (await listJobs()).map((job) => job.id);
    expect(ids).toHaveLength(KEPT_JOBS);
    expect(ids[0]).toBe('active');
    expect(ids).not.toContain('job-0');
    expect(await syncJobDetailStore.get('job-0')).toBeNull();
    expect(await syncJobDetailStore.getDeals('job-0')).toBeNull();
    expect(await readDetail('job-1')).not.toBeNull();
  });

  it('writes a job’s payloads once: a finished step stores only its progress', async () => {
    const detail = detailOf(50);
    const setDeals = vi.spyOn(syncJobDetailStore, 'setDeals');
    await addJob(summaryOf('big', 'running'), detail);
    for (let cursor = 1; cursor <= 10; cursor++) await writeDetail('big', { ...detail, cursor });
    expect(setDeals).toHaveBeenCalledTimes(1);
    expect(await readDetail('big')).toEqual({ ...detail, cursor: 10 });
    await writeDetail('big', { ...detail, deals: null, plan: null });
    expect(setDeals).toHaveBeenCalledTimes(2);
    expect((await readDetail('big'))?.deals).toBeNull();
  });

  it('reads back the plan as written, update records included', async () => {
    const detail = detailOf(2);
    const [first, second] = detail.deals?.map((deal) => deal.dealExtId) ?? [];
    const plan: JobPlan = {
      steps: [{ kind: 'upload', items: [[first as string, 0, 4]] }],
      outgoing: {
        [first as string]: { from: 0, update: null },
        [second as string]: {
          from: 3,
          update: { stageTime: '2026-03-04 10:00:00', modifiedAt: '2026-03-10 12:00:00' },
        },
      },
    };
    await addJob(summaryOf('planned', 'running'), { ...detail, plan });
    expect((await readDetail('planned'))?.plan).toEqual(plan);
  });

  it('does not write back the payloads a run read: a step after a restart stores its progress only', async () => {
    const setDeals = vi.spyOn(syncJobDetailStore, 'setDeals');
    await addJob(summaryOf('read', 'running'), detailOf(50));
    const read = (await readDetail('read')) as JobDetail;
    await writeDetail('read', { ...read, cursor: 1 });
    expect(setDeals).toHaveBeenCalledTimes(1);
    expect(await readDetail('read')).toEqual({ ...read, cursor: 1 });
    await writeDetail('read', { ...read, deals: read.deals?.slice(1) ?? null });
    expect(setDeals).toHaveBeenCalledTimes(2);
    expect((await readDetail('read'))?.deals).toHaveLength(49);
  });
});

describe('ledger writes', () => {
  it('loses no change when several writers update the ledger at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateLedger((ledger) => {
          ledger.deals.set(`d${i}`, newEntry(i));
        }),
      ),
    );
    expect((await readLedger()).deals.size).toBe(20);
  });
});

describe('payloads kept by size', () => {
  const payloadSize = (id: string) => syncJobDetailStore.payloadSize(id);

  it('keeps the finished jobs’ payloads newest first while they fit the budget, and drops the older ones', async () => {
    for (const id of ['old', 'middle', 'new']) await addJob(summaryOf(id), detailOf(20));
    const each = await payloadSize('new');
    expect(each).toBeGreaterThan(0);
    await dropOldPayloads(each * 2);
    expect((await readDetail('new'))?.deals).toHaveLength(20);
    expect((await readDetail('middle'))?.deals).toHaveLength(20);
    expect((await readDetail('old'))?.deals).toBeNull();
    expect(await payloadSize('old')).toBe(0);
    // Its results stay: the log still says what happened to each deal.
    expect(Object.keys((await readDetail('old'))?.results ?? {})).toHaveLength(20);
  });

  it('keeps many small jobs’ payloads where a count would have dropped them', async () => {
    for (let i = 0; i < 8; i++) await addJob(summaryOf(`deal-${i}`), detailOf(1));
    await dropOldPayloads();
    for (let i = 0; i < 8; i++) expect((await readDetail(`deal-${i}`))?.deals).toHaveLength(1);
  });

  it('keeps the newest finished job’s payloads even when they alone pass the budget', async () => {
    await addJob(summaryOf('big'), detailOf(20));
    await dropOldPayloads(1);
    expect((await readDetail('big'))?.deals).toHaveLength(20);
  });

  it('leaves an active job’s payloads alone', async () => {
    await addJob(summaryOf('running', 'running'), detailOf(5));
    await addJob(summaryOf('done'), detailOf(5));
    await dropOldPayloads(1);
    expect((await readDetail('running'))?.deals).toHaveLength(5);
  });
});

describe('clear finished exports', () => {
  it('removes every finished job with its stored items and keeps the active ones and the ledger', async () => {
    await addJob(summaryOf('done'), detailOf(3));
    await addJob(summaryOf('failed', 'failed'), detailOf(3));
    await addJob(summaryOf('paused', 'paused'), detailOf(3));
    await updateLedger((ledger) => ledger.deals.set('d1', newEntry(1)));
    expect(await clearFinishedJobs()).toBe(2);
    expect((await listJobs()).map((job) => job.id)).toEqual(['paused']);
    const left = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(left.filter((key) => key.includes(':done') || key.includes(':failed'))).toEqual([]);
    expect((await readDetail('paused'))?.deals).toHaveLength(3);
    expect((await readLedger()).deals.get('d1')).toEqual(newEntry(1));
  });
});
