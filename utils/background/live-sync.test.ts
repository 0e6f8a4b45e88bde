import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { deal, STAGES, visit } from '../../tests/support/crm-model';
import type { CrmDeal } from '../crm/model';
import { autoSyncStore, liveInboxStore } from '../storage';
import type { EnqueueInput } from '../sync/job';
import { changeKey, type LiveChange } from '../sync/live';
import type { SyncService } from '../sync/service';
import { createLiveSync, type WholeCardReader } from './live-sync';

const SITE = 'https://crm.example.com';
const SEEN = '2026-03-05T12:31:44.000Z';
const sender = { kind: 'content' as const, origin: SITE, tabId: 7 };

beforeEach(() => fakeBrowser.reset());

function fakeSync() {
  let jobs = 0;
  const enqueue = vi.fn(async (_input: EnqueueInput) => `job-${++jobs}`);
  return { enqueue, sync: { enqueue, ledgerEntries: async () => ({}) } as unknown as SyncService };
}

function reader(read: CrmDeal | null): WholeCardReader & { read: ReturnType<typeof vi.fn> } {
  return { idOf: async (_site, _tab, card) => card.id, read: vi.fn(async () => read) };
}

async function liveOn() {
  await autoSyncStore.set({ liveSites: [SITE], schedules: [] });
}

const moved = deal({
  id: 'd1',
  stage: STAGES.won,
  history: [visit(STAGES.new, '2026-03-01T10:00:00Z'), visit(STAGES.proposal, '2026-03-03T10:00:00Z')],
});

describe('live mode in the background', () => {
  it('keeps nothing for a site not in live mode', async () => {
    const { sync, enqueue } = fakeSync();
    const live = createLiveSync({ sync, watchJobs: () => {}, reader: reader(null) });
    const change: LiveChange = { kind: 'deal', deal: moved, seenAt: SEEN };
    expect(await live.changed(change, sender)).toEqual({ jobId: null });
    expect(enqueue).not.toHaveBeenCalled();
    expect((await liveInboxStore.get()).pending).toEqual([]);
  });

  it('sends a deal page’s change as one job, the move dated when it was seen, and once when handed over twice', async () => {
    await liveOn();
    const { sync, enqueue } = fakeSync();
    const watchJobs = vi.fn();
    const live = createLiveSync({ sync, watchJobs, reader: reader(null) });
    const change: LiveChange = { kind: 'deal', deal: moved, seenAt: SEEN };
    expect(await live.changed(change, sender)).toEqual({ jobId: 'job-1' });
    expect(await live.changed(change, sender)).toEqual({ jobId: 'job-1' });
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(watchJobs).toHaveBeenCalled();
    const input = enqueue.mock.calls[0]![0];
    expect(input).toMatchObject({ kind: 'deal', label: moved.name, site: SITE, dryRun: false });
    const last = input.mappings[0]!.records.at(-1)!;
    // 12:31:44 UTC in the account's zone (Moscow, +03:00), as the API writes times.
    expect(last.modified_stage_date_time).toBe('2026-03-05 15:31:44');
    expect((await liveInboxStore.get()).pending).toEqual([]);
  });

  it('reads a moved card’s deal whole through the CRM, and sends what was read', async () => {
    await liveOn();
    const { sync, enqueue } = fakeSync();
    const whole = { ...moved, contacts: [...moved.contacts], createdAt: '2026-02-01T09:00:00Z' };
    const cards = reader(whole);
    const live = createLiveSync({ sync, watchJobs: () => {}, reader: cards });
    const card = deal({ id: 'd1', stage: STAGES.won, history: [], createdAt: null, contacts: [] });
    const change: LiveChange = { kind: 'card', card, fromStageId: 'proposal', seenAt: SEEN };
    expect(await live.changed(change, sender)).toEqual({ jobId: 'job-1' });
    expect(cards.read).toHaveBeenCalledWith(SITE, 7, card, 'd1');
    const mapping = enqueue.mock.calls[0]![0].mappings[0]!;
    expect(mapping.records).toHaveLength(3);
    expect(mapping.contacts).toHaveLength(1);
  });

  it('hands a card the CRM did not give now to a reading job, which reads it again as an export does', async () => {
    await liveOn();
    const { sync, enqueue } = fakeSync();
    const live = createLiveSync({ sync, watchJobs: () => {}, reader: reader(null) });
    const card = deal({ id: 'd1', stage: STAGES.won, history: [] });
    await live.changed({ kind: 'card', card, fromStageId: 'proposal', seenAt: SEEN }, sender);
    const input = enqueue.mock.calls[0]![0];
    expect(input.mappings).toEqual([]);
    expect(input.reading).toMatchObject({ crm: 'espocrm', via: 'api', tabId: 7 });
    expect(input.reading!.cards.map((read) => read.crmDealId)).toEqual(['d1']);
  });

  it('makes the job of a change a stopped worker kept but had not made into one', async () => {
    await liveOn();
    const change: LiveChange = { kind: 'deal', deal: moved, seenAt: SEEN };
    const key = changeKey(SITE, change);
    await liveInboxStore.set({ v: 1, pending: [{ key, site: SITE, tabId: 7, change }], done: [] });
    const { sync, enqueue } = fakeSync();
    createLiveSync({ sync, watchJobs: () => {}, reader: reader(null) }).resume();
    await vi.waitFor(async () =>
      expect((await liveInboxStore.get()).done).toEqual([{ key, jobId: 'job-1' }]),
    );
    expect(enqueue).toHaveBeenCalledTimes(1);
  });
});
