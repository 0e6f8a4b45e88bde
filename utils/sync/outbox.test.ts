import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { dealMapping, testConfig } from '../../tests/support/deal-mapping';
import { syncJobDetailStore } from '../storage';
import {
  type JobDetail,
  type JobPlan,
  type JobSummary,
  jobDealOf,
  loadDetail,
  StoredJobDetailSchema,
  storeDetail,
} from './job';
import { newEntry } from './ledger';
import { addJob, KEPT_JOBS, listJobs, readDetail, readLedger, updateLedger, writeDetail } from './outbox';

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
  return {
    id,
    kind: 'board',
    label: id,
    site: 'https://crm.example.com',
    dryRun: false,
    status,
    pauseReason: null,
    message: null,
    resumeAt: null,
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    counts: { total: 0, sent: 0, skipped: 0, failed: 0, pending: 0 },
    steps: { done: 0, total: 0 },
    reading: null,
  };
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

  it('reads a job as earlier versions stored it, results and outgoing keyed by deal', () => {
    const detail = detailOf(1);
    const id = detail.deals?.[0]?.dealExtId as string;
    const update = { stageTime: '2026-03-04 10:00:00', modifiedAt: '2026-03-10 12:00:00' };
    const earlier = {
      ...storeDetail(detail),
      plan: { steps: [], outgoing: { [id]: { from: 3, update, fingerprint: 'f'.repeat(32) } } },
      results: { [id]: ['sent', 5, null] },
    };
    const parsed = StoredJobDetailSchema.parse(earlier);
    expect(loadDetail(parsed)).toEqual({
      ...detail,
      plan: { steps: [], outgoing: { [id]: { from: 3, update } } },
      results: { [id]: { dealExtId: id, status: 'sent', at: 5, reason: null } },
    });
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
