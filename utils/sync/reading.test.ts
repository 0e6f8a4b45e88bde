// @vitest-environment node

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { inspect, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { dealMapping, testConfig } from '../../tests/support/deal-mapping';
import { KEY, launchEmulator, START } from '../../tests/support/emulator';
import { ComagicClient } from '../comagic/client';
import type { EnqueueInput, Job, JobReading, ReadCard } from './job';
import { jobDealOf } from './job';
import { type CardOutcome, type DealReader, type ReadStop, unchangedSinceRead } from './reading';
import { createSyncService, type SyncService } from './service';

const SITE = 'https://crm.example.com';

let emulator: RunningEmulator;
let clock: { now: number };
let wakes: number[];

beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await reset(emulator.origin);
  fakeBrowser.reset();
  clock = { now: START };
  wakes = [];
});

/** The deal each card stands for, whole: three stages with their own times. */
const wholeDeal = (id: string) =>
  jobDealOf(
    dealMapping(id, {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-03 11:30:00'],
        ['offer', '2026-03-05 16:45:00'],
      ],
    }),
    0,
  );

const card = (id: string, key = `talks|100|Deal ${id}`): ReadCard => ({
  dealExtId: id,
  crmDealId: id,
  name: `Deal ${id}`,
  url: `${SITE}/#Opportunity/view/${id}`,
  key,
});

/** A CRM reader following a script: which card ids fail, and where it stops (a login, a busy CRM). */
class ScriptedReader implements DealReader {
  reads: string[] = [];
  released: string[] = [];
  failing = new Set<string>();
  stopAt: { id: string; stop: ReadStop } | null = null;
  constructor(private readonly size = 2) {}
  async batchSize() {
    return this.size;
  }
  async read(_job: { id: string }, _reading: JobReading, cards: ReadCard[], config = testConfig()) {
    const outcomes: CardOutcome[] = [];
    for (const { dealExtId } of cards) {
      if (this.stopAt?.id === dealExtId) {
        const { stop } = this.stopAt;
        this.stopAt = null;
        return { outcomes, config, stop };
      }
      this.reads.push(dealExtId);
      outcomes.push(
        this.failing.has(dealExtId)
          ? {
              dealExtId,
              failure: {
                code: 'crm_not_found',
                field: null,
                message: { en: 'gone', ru: 'нет' },
                action: { en: '', ru: '' },
              },
            }
          : { dealExtId, deal: wholeDeal(dealExtId) },
      );
    }
    return { outcomes, config, stop: null };
  }
  async release(jobId: string) {
    this.released.push(jobId);
  }
}

function service(reader: DealReader): SyncService {
  return createSyncService({
    clientFactory: async () =>
      new ComagicClient({
        endpoint: emulator.url,
        auth: { kind: 'key', token: KEY },
        now: () => clock.now,
        sleep: async (ms) => {
          clock.now += ms;
        },
        random: () => 0.5,
        timeoutMs: 2_000,
        retries: 1,
      }),
    now: () => clock.now,
    scheduleWake: (at) => wakes.push(at),
    accountTimeZone: async () => 'Europe/Moscow',
    reader,
  });
}

function wholeExport(
  cards: ReadCard[],
  unchanged: string[] = [],
  unidentified: NonNullable<EnqueueInput['reading']>['unidentified'] = [],
): EnqueueInput {
  return {
    kind: 'board',
    label: 'Sales board',
    site: SITE,
    config: testConfig(),
    mappings: [],
    dryRun: false,
    reading: { crm: 'espocrm', via: 'api', tabId: 7, cards, unchanged, unidentified },
  };
}

async function finished(sync: SyncService, id: string): Promise<Job> {
  await sync.idle();
  const job = await sync.job(id);
  if (!job) throw new Error('job vanished');
  return job;
}

const held = async () =>
  Object.fromEntries(
    Object.entries((await inspect(emulator.origin)).deals).map(([id, records]) => [
      id,
      records.filter((record) => !record.is_generated).map((record) => record.modified_stage_date_time),
    ]),
  );

describe('a whole-deal export reads its deals before it sends them', () => {
  it('reads every card in batches, then CoMagic holds each deal with all its stages', async () => {
    const reader = new ScriptedReader(2);
    const sync = service(reader);
    const id = await sync.enqueue(wholeExport(['a', 'b', 'c'].map((n) => card(n))));
    const job = await finished(sync, id);
    expect(job.status).toBe('done');
    expect(job.reading).toEqual({ done: 3, total: 3 });
    expect(job.counts).toMatchObject({ total: 3, sent: 3, failed: 0 });
    expect(reader.reads).toEqual(['a', 'b', 'c']);
    expect(reader.released).toEqual([id]);
    const stored = await held();
    for (const deal of ['a', 'b', 'c']) {
      expect(stored[deal]).toEqual(['2026-03-01 10:00:00', '2026-03-03 11:30:00', '2026-03-05 16:45:00']);
    }
  });

  it('writes each batch’s deals once, in an item of its own, and the job’s deals when every card is read', async () => {
    const written: string[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      written.push(...Object.keys(items));
      return set(items);
    });
    const sync = service(new ScriptedReader(2));
    const id = await sync.enqueue(wholeExport(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => card(n))));
    expect((await finished(sync, id)).status).toBe('done');
    expect(written.filter((key) => key.startsWith(`sync-job-read:${id}:`))).toEqual([
      `sync-job-read:${id}:0`,
      `sync-job-read:${id}:1`,
      `sync-job-read:${id}:2`,
    ]);
    // Once when the job was queued (no deals yet), once when every card was read.
    expect(written.filter((key) => key === `sync-job-deals:${id}`)).toHaveLength(2);
    const left = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(left.filter((key) => key.startsWith('sync-job-read:'))).toEqual([]);
  });

  it('reports a card whose deal could not be read, by its reason, and sends the others', async () => {
    const reader = new ScriptedReader(3);
    reader.failing.add('b');
    const sync = service(reader);
    const job = await finished(sync, await sync.enqueue(wholeExport(['a', 'b', 'c'].map((n) => card(n)))));
    expect(job.counts).toMatchObject({ sent: 2, failed: 1 });
    expect(job.results.find((result) => result.dealExtId === 'b')).toMatchObject({
      status: 'failed',
      reason: { code: 'crm_not_found' },
    });
    expect(Object.keys(await held()).sort()).toEqual(['a', 'c']);
  });

  it('pauses when the CRM wants a login, and after "resume" reads on from where it stopped', async () => {
    const reader = new ScriptedReader(2);
    const message = { en: 'Log in to EspoCRM again, then resume.', ru: 'Войдите в EspoCRM снова.' };
    reader.stopAt = { id: 'c', stop: { kind: 'login', message } };
    const sync = service(reader);
    const id = await sync.enqueue(wholeExport(['a', 'b', 'c', 'd'].map((n) => card(n))));
    const paused = await finished(sync, id);
    expect(paused).toMatchObject({
      status: 'paused',
      pauseReason: 'crm',
      message,
      reading: { done: 2, total: 4 },
    });
    expect(await held()).toEqual({});
    await sync.resume(id);
    const done = await finished(sync, id);
    expect(done.status).toBe('done');
    expect(reader.reads).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.keys(await held()).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('waits for an alarm while the CRM is busy, and goes on by itself', async () => {
    const reader = new ScriptedReader(1);
    const message = { en: 'The CRM is busy.', ru: 'CRM занята.' };
    reader.stopAt = { id: 'b', stop: { kind: 'busy', message, retryAfterMs: 60_000 } };
    const sync = service(reader);
    const id = await sync.enqueue(wholeExport(['a', 'b'].map((n) => card(n))));
    const waiting = await finished(sync, id);
    expect(waiting).toMatchObject({ status: 'waiting', message, resumeAt: START + 60_000 });
    expect(wakes).toEqual([START + 60_000]);
    clock.now += 60_000;
    await sync.resumePending();
    expect((await finished(sync, id)).status).toBe('done');
  });

  it('goes on after the worker was stopped mid-read without reading a card twice', async () => {
    const reader = new ScriptedReader(2);
    const first = service(reader);
    // The first worker goes away while reading its second batch.
    const batchRead = reader.read.bind(reader);
    let batches = 0;
    reader.read = async (...args) => {
      const batch = await batchRead(...args);
      if (++batches === 2) first.dispose();
      return batch;
    };
    const id = await first.enqueue(wholeExport(['a', 'b', 'c', 'd', 'e'].map((n) => card(n))));
    await first.idle();
    const stopped = await first.job(id);
    expect(stopped?.reading).toEqual({ done: 2, total: 5 });
    reader.read = batchRead;
    const second = service(reader);
    await second.resumePending();
    const job = await finished(second, id);
    expect(job.status).toBe('done');
    // c and d were read by the worker that went away; what it did not write is read again, nothing else.
    expect(reader.reads).toEqual(['a', 'b', 'c', 'd', 'c', 'd', 'e']);
    expect(Object.keys(await held()).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('pauses between batches when the user pauses, and after "resume" reads on without reading a card twice', async () => {
    const reader = new ScriptedReader(1);
    const sync = service(reader);
    const batchRead = reader.read.bind(reader);
    let id = '';
    reader.read = async (...args) => {
      const batch = await batchRead(...args);
      if (reader.reads.length === 2) await sync.pause(id);
      return batch;
    };
    id = await sync.enqueue(wholeExport(['a', 'b', 'c', 'd'].map((n) => card(n))));
    const paused = await finished(sync, id);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'user', reading: { done: 2, total: 4 } });
    expect(await held()).toEqual({});
    await sync.resume(id);
    expect((await finished(sync, id)).status).toBe('done');
    expect(reader.reads).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.keys(await held()).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops reading when the user cancels, and releases what the reader opened', async () => {
    const reader = new ScriptedReader(1);
    const sync = service(reader);
    const batchRead = reader.read.bind(reader);
    let id = '';
    reader.read = async (...args) => {
      const batch = await batchRead(...args);
      await sync.cancel(id);
      return batch;
    };
    id = await sync.enqueue(wholeExport(['a', 'b', 'c'].map((n) => card(n))));
    const job = await finished(sync, id);
    expect(job.status).toBe('cancelled');
    expect(reader.reads).toEqual(['a']);
    expect(reader.released).toContain(id);
    expect(await held()).toEqual({});
    const left = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(left.filter((key) => key.startsWith('sync-job-read:'))).toEqual([]);
  });

  it('remembers the cards of deals CoMagic took, so an unchanged board is not read again', async () => {
    const reader = new ScriptedReader(5);
    reader.failing.add('b');
    const sync = service(reader);
    const cards = ['a', 'b', 'c'].map((n) => card(n));
    await finished(sync, await sync.enqueue(wholeExport(cards)));
    expect(await unchangedSinceRead(SITE, cards)).toEqual(new Set(['a', 'c']));
    // A card that changed on the board (another stage) is read again.
    expect(await unchangedSinceRead(SITE, [card('a', 'offer|100|Deal a')])).toEqual(new Set());
    // Another site's deal with the same ext_id is another deal.
    expect(await unchangedSinceRead('https://other.example.com', cards)).toEqual(new Set());
  });

  it('reports the cards the CRM could not say the record of, and reads the others', async () => {
    const reader = new ScriptedReader(5);
    const sync = service(reader);
    const reason = {
      code: 'no_id',
      field: null,
      message: { en: 'Odoo did not tell which deal the card "Twin" is.', ru: '…' },
      action: { en: 'Send it from its page.', ru: '…' },
    };
    const job = await finished(
      sync,
      await sync.enqueue(wholeExport([card('a')], [], [{ key: '#2', reason }])),
    );
    expect(reader.reads).toEqual(['a']);
    expect(job.counts).toMatchObject({ total: 2, sent: 1, failed: 1 });
    expect(job.results.find((result) => result.dealExtId === '#2')).toMatchObject({
      status: 'failed',
      reason,
    });
  });

  it('counts the deals left out as unchanged as skipped, without reading them', async () => {
    const reader = new ScriptedReader(5);
    const sync = service(reader);
    const job = await finished(sync, await sync.enqueue(wholeExport([card('a')], ['b', 'c'])));
    expect(reader.reads).toEqual(['a']);
    expect(job.counts).toMatchObject({ total: 3, sent: 1, skipped: 2 });
  });
});
