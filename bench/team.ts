/**
 * A team's second browser: CoMagic already holds the 10,000-deal planning data set, sent by another
 * browser; this one, with an empty ledger, exports the same deals. It asks CoMagic what it holds
 * (utils/sync/reconcile.ts) and should send nothing. Real HTTP to the emulator, the browser's
 * storage faked in memory (reset between the two browsers).
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { reset } from '../emulator/control';
import { mapBoard } from '../utils/mapping/board';
import type { EnqueueInput } from '../utils/sync/job';
import { dealsBoard, mappingConfig, NOW, settings } from './deals-data';
import { type Delivery, deliver } from './deliver';
import { spawnEmulator } from './emulator-process';
import { atMost, equals, info, type Result, repeat, result } from './measure';

const KEY = 'bench-key';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMAND = 'npm run bench -- team';
const DEALS = 10_000;

const uploads = (delivery: Delivery) =>
  delivery.calls.filter(
    (call) => call.method === 'upload.deals_history' || call.method?.startsWith('create.'),
  ).length;
const reads = (delivery: Delivery) => delivery.calls.filter((call) => call.method?.startsWith('get.')).length;

export async function benchTeam(): Promise<Result[]> {
  const config = mappingConfig();
  const input: EnqueueInput = {
    kind: 'board',
    label: 'bench board',
    site: 'https://crm.example.com',
    config,
    mappings: mapBoard(dealsBoard(DEALS), config, settings, { now: NOW }).deals,
    dryRun: false,
  };
  const emulator = await spawnEmulator(['--token', KEY]);
  try {
    const second = await repeat(RUNS, async () => {
      await reset(emulator.origin);
      fakeBrowser.reset();
      const first = await deliver(emulator.origin, emulator.url, input);
      if (first.job.counts.sent !== DEALS) throw new Error(`the first browser sent ${first.job.counts.sent}`);
      // Another browser: same CoMagic, its own empty storage.
      fakeBrowser.reset();
      const delivery = await deliver(emulator.origin, emulator.url, input);
      if (delivery.job.status !== 'done' || delivery.job.counts.skipped !== DEALS) {
        throw new Error(
          `the second browser's export ended ${delivery.job.status}: ${JSON.stringify(delivery.job.counts)}`,
        );
      }
      return delivery;
    });
    const note = (delivery: Delivery | undefined) =>
      `calls: ${delivery?.calls.map((call) => call.method).join(', ')}`;
    return [
      result(
        'team: second browser, 10,000 deals CoMagic holds: upload calls',
        'calls',
        second.map(uploads),
        equals(0),
        COMMAND,
        'upload.deals_history and create.* calls of a browser with an empty ledger exporting deals another browser sent',
      ),
      result(
        'team: second browser, 10,000 deals CoMagic holds: read calls',
        'calls',
        second.map(reads),
        atMost(2),
        COMMAND,
        note(second[0]),
      ),
      result(
        'team: second browser, 10,000 deals CoMagic holds: wall',
        'ms',
        second.map((delivery) => delivery.wallMs),
        info,
        COMMAND,
        'enqueue → job done, real HTTP to the emulator',
      ),
    ];
  } finally {
    await emulator.close();
  }
}
