/**
 * Delivery of the planning data set to the emulator over real HTTP on 127.0.0.1, through the
 * sync service the background runs (outbox, runner, client), with the browser's storage faked in
 * memory. Under a rate limit the client's waits advance the emulator's clock instead of the real
 * one, and a job parked until later is woken as the alarm would wake it: minutes of API time
 * pass in seconds.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { advanceClock, configure, inspect, reset } from '../emulator/control';
import type { ComagicClient } from '../utils/comagic/client';
import { mapBoard } from '../utils/mapping/board';
import type { DealMapping } from '../utils/mapping/records';
import type { EnqueueInput, Job } from '../utils/sync/job';
import { dealsBoard, mappingConfig, NOW, settings } from './deals-data';
import { spawnEmulator } from './emulator-process';
import { below, equals, info, type Result, repeat, result } from './measure';

// The extension's modules read `chrome` when they load: provide the fake before loading them.
Object.assign(globalThis, { chrome: fakeBrowser });
const { ComagicClient: Client } = await import('../utils/comagic/client');
const { createSyncService } = await import('../utils/sync/service');

const KEY = 'bench-key';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMAND = 'npm run bench -- deliver';

/**
 * The emulator drops keep-alive sockets idle for 5 s; while a large job is being stored the bench's
 * event loop can be busy longer, so its next control call may meet a closed socket once.
 */
async function callLog(origin: string) {
  const read = async () => (await inspect(origin)).calls;
  return read().catch(read);
}

export interface Delivery {
  wallMs: number;
  apiClockMs: number;
  job: Job;
  calls: { method: string | null; mnemonic?: string }[];
}

/** One job through a sync service on the browser storage as it is now (`fakeBrowser`), to its end. */
export async function deliver(origin: string, url: string, input: EnqueueInput): Promise<Delivery> {
  const clock = { now: Date.now() };
  const client = (): ComagicClient =>
    new Client({
      endpoint: url,
      auth: { kind: 'key', token: KEY },
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
        await advanceClock(origin, ms / 1000);
      },
    });
  let wakeAt: number | null = null;
  const sync = createSyncService({
    clientFactory: async () => client(),
    now: () => clock.now,
    scheduleWake: (at) => {
      wakeAt = at;
    },
    accountTimeZone: async () => 'Europe/Moscow',
  });
  const callsBefore = (await callLog(origin)).length;
  const started = performance.now();
  const startedClock = clock.now;
  const id = await sync.enqueue(input);
  await sync.idle();
  for (let job = await sync.job(id); job?.status === 'waiting'; job = await sync.job(id)) {
    const until: number = wakeAt ?? job.resumeAt ?? clock.now;
    if (until > clock.now) {
      await advanceClock(origin, (until - clock.now) / 1000);
      clock.now = until;
    }
    await sync.resumePending();
    await sync.idle();
  }
  const wallMs = performance.now() - started;
  const job = await sync.job(id);
  sync.dispose();
  if (!job) throw new Error('the job vanished');
  return {
    wallMs,
    apiClockMs: clock.now - startedClock,
    job,
    calls: (await callLog(origin)).slice(callsBefore),
  };
}

function checkAllSent(job: Job, deals: number): void {
  if (job.status !== 'done' || job.counts.sent !== deals) {
    throw new Error(`delivery ended ${job.status} with ${JSON.stringify(job.counts)}: ${job.message ?? ''}`);
  }
}

const limitExceeded = (delivery: Delivery) =>
  delivery.calls.filter((call) => call.mnemonic === 'limit_exceeded').length;

export async function benchDeliver(): Promise<Result[]> {
  const config = mappingConfig();
  const mappingsOf = (deals: number): DealMapping[] =>
    mapBoard(dealsBoard(deals), config, settings, { now: NOW }).deals;
  const full = mappingsOf(10_000);
  // A 10,000-deal delivery takes over a minute (the runner re-stores the whole job after every
  // step), so the rate-limit cases use 2,000 deals, labelled as such.
  const small = mappingsOf(2_000);
  const input = (mappings: DealMapping[]): EnqueueInput => ({
    kind: 'board',
    label: 'bench board',
    site: 'https://crm.example.com',
    config,
    mappings,
    dryRun: false,
  });
  const emulator = await spawnEmulator(['--token', KEY]);
  const fresh = async (minuteLimit: number | null) => {
    await reset(emulator.origin);
    await configure(emulator.origin, { minuteLimit });
    fakeBrowser.reset();
  };
  try {
    const unlimited = await repeat(RUNS, async () => {
      await fresh(null);
      const first = await deliver(emulator.origin, emulator.url, input(full));
      checkAllSent(first.job, full.length);
      const again = await deliver(emulator.origin, emulator.url, input(full));
      return { first, again };
    });
    const limited = async (minuteLimit: number) =>
      repeat(RUNS, async () => {
        await fresh(minuteLimit);
        const delivery = await deliver(emulator.origin, emulator.url, input(small));
        checkAllSent(delivery.job, small.length);
        return delivery;
      });
    const at200 = await limited(200);
    const at20 = await limited(20);
    const minutes = (runs: Delivery[]) => runs.map((run) => run.apiClockMs / 60_000);
    return [
      result(
        'deliver 10,000 deals (50,000 records), no rate limit',
        'ms',
        unlimited.map((run) => run.first.wallMs),
        below(30_000),
        COMMAND,
        `real HTTP to the emulator; enqueue → job done, all deals sent; calls made: ${unlimited[0]?.first.calls.length}`,
      ),
      result(
        'deliver unchanged re-export: upload calls',
        'calls',
        unlimited.map(
          (run) => run.again.calls.filter((call) => call.method === 'upload.deals_history').length,
        ),
        equals(0),
        COMMAND,
        `the same 10,000 deals enqueued again after delivery; all calls made: ${unlimited[0]?.again.calls.length}`,
      ),
      result(
        'deliver 2,000 deals at 200/min: limit_exceeded',
        'errors',
        at200.map(limitExceeded),
        equals(0),
        COMMAND,
        'emulator minuteLimit 200; counted in the emulator call log',
      ),
      result('deliver 2,000 deals at 200/min: API clock', 'min', minutes(at200), info, COMMAND),
      result(
        'deliver 2,000 deals at 20/min: limit_exceeded',
        'errors',
        at20.map(limitExceeded),
        equals(0),
        COMMAND,
        'emulator minuteLimit 20 so that the pacing is exercised; the client sleeps on the emulator clock (advanceClock), not the real one',
      ),
      result('deliver 2,000 deals at 20/min: API clock', 'min', minutes(at20), info, COMMAND),
      result(
        'deliver 2,000 deals at 20/min: real time',
        'ms',
        at20.map((run) => run.wallMs),
        info,
        COMMAND,
      ),
    ];
  } finally {
    await emulator.close();
  }
}
