/**
 * The whole-deal export ("Export visible pipeline" reading every card's deal from the CRM) of a
 * 1,000-card EspoCRM board, through the real code: the board scraped from the CRM's page, the job
 * enqueued as the background enqueues it, its deals read by the content script's reads over HTTP
 * with the page's session (answers checked as the background checks them), mapped, planned and sent
 * to the emulator. The CRM answers each API read after 150 ms. The CRM and the emulator run in
 * their own processes, so the CPU measured here is the extension's alone.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEMO_TIME_ZONE, type DemoPipeline, demoPipeline } from '../demo/data';
import { type CrmExpectation, expectationOf, mismatches } from '../demo/verify';
import { type EmulatorSnapshot, inspect, reset } from '../emulator/control';
import type { CrmStats } from '../tests/crm-sites/server';
import type { CrmBoard } from '../utils/crm/model';
import type { ReadCard } from '../utils/sync/job';
import { type CrmTab, openCrmTab } from './crm-tab';
import { spawnEmulator, spawnServer } from './emulator-process';
import { atMost, info, type Result, repeat, result } from './measure';

// The extension's modules read `chrome` when they load: provide the fake before loading them.
Object.assign(globalThis, { chrome: fakeBrowser });
const { ComagicClient } = await import('../utils/comagic/client');
const { createSyncService } = await import('../utils/sync/service');
const { checkReadAnswers, createDealReader } = await import('../utils/background/deal-reader');
const { crmTimeZone, mappingSettingsFor, prepare, saveMapping } = await import('../utils/background/deals');
const { wholeExportReading } = await import('../utils/background/whole-export');
const { createDealReads } = await import('../utils/content/deal-reads');
const { apiReaders } = await import('../utils/crm/api-readers');
const { scrapePage } = await import('../utils/crm/scrape');
const { mappingStore, settingsStore } = await import('../utils/storage');

const KEY = 'bench-key';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMAND = 'npm run bench -- deep';
const CARDS = 1_000;
const SEED = 7;
const LATENCY_MS = 150;
/** The tab the export starts from: the bench has one, so any number names it. */
const TAB_ID = 1;

async function crmControl<T>(origin: string, route: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(`${origin}/__crm/${route}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`CRM control ${method} ${route}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** What CoMagic must hold for every deal: each stage visit at its time, contacts, owner, creation. */
async function truthOf(pipeline: DemoPipeline, site: string, mappingKey: string): Promise<CrmExpectation> {
  const config = await mappingStore.get(mappingKey);
  if (!config) throw new Error(`no mapping saved under ${mappingKey}`);
  const { prefix } = await mappingSettingsFor(site);
  return expectationOf(pipeline, config, { label: 'EspoCRM', prefix });
}

/** The board as the content script reads it from the tab. */
function scrapeBoard(tab: CrmTab, timeZone: string): CrmBoard {
  const report = scrapePage(tab.window.document as unknown as Document, {
    now: new Date().toISOString(),
    timeZone,
    locale: null,
    url: tab.location(),
  });
  if (!report.board || report.board.deals.length !== CARDS) {
    throw new Error(
      `the board shows ${report.board?.deals.length ?? 'no'} cards, expected ${CARDS}: ${report.reasons.join('; ')}`,
    );
  }
  return report.board;
}

interface Export {
  wallMs: number;
  cpuMs: number;
  /** The CPU of the same CRM requests replayed through the same fetch, nothing else done. */
  readsAloneCpuMs: number;
  stats: CrmStats;
  snapshot: EmulatorSnapshot;
}

interface Asked {
  url: string;
  headers: HeadersInit | undefined;
}

/**
 * The export's CRM requests again, as many at once, through the same fetch, each body read and
 * nothing more: what Node's HTTP client alone costs of the export's CPU (in a browser this work is
 * the network service's, not the extension's).
 */
async function replayCpuMs(tab: CrmTab, asked: readonly Asked[], concurrency: number): Promise<number> {
  const cpu = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < asked.length) {
      const { url, headers } = asked[next++] as Asked;
      const response = await tab.fetch(url, { headers });
      if (!response.ok) throw new Error(`the replayed read ${url} answered ${response.status}`);
      await response.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

async function exportWhole(crmOrigin: string, emulatorUrl: string, pipeline: DemoPipeline): Promise<Export> {
  // The CRM's pages are shown in the demo's zone, as a user there sets it.
  await settingsStore.set({ ...(await settingsStore.get()), crmTimeZone: DEMO_TIME_ZONE });
  const tab = await openCrmTab(`${crmOrigin}/#Opportunity`);
  const site = new URL(tab.location()).origin;
  const asked: Asked[] = [];
  // What the tab's content script would be: one per page, its cache shared by every batch.
  const reads = createDealReads(
    {
      fetch: (input, init) => {
        asked.push({ url: String(input), headers: init?.headers });
        return tab.fetch(input, init);
      },
      location: tab.location,
      window: tab.window as unknown as Window,
      now: () => new Date(),
      timeZone: crmTimeZone,
      sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)),
    },
    apiReaders,
  );
  const sync = createSyncService({
    clientFactory: async () =>
      new ComagicClient({ endpoint: emulatorUrl, auth: { kind: 'key', token: KEY } }),
    now: Date.now,
    scheduleWake: () => undefined,
    accountTimeZone: async () => DEMO_TIME_ZONE,
    reader: createDealReader({
      sync: () => sync,
      now: () => new Date(),
      transport: {
        async readDeals(_site, _tab, request) {
          const answer = await reads.readDeals(request.crm, request.ids, request);
          // What crosses the message channel between the tab and the background: JSON, then checked.
          return checkReadAnswers(JSON.parse(JSON.stringify(answer)));
        },
        renderDeal(_jobId, card: ReadCard) {
          throw new Error(`EspoCRM deals are read through its API; rendering ${card.url} was asked for`);
        },
        release: async () => undefined,
      },
    }),
  });
  try {
    const board = scrapeBoard(tab, await crmTimeZone());
    const report = {
      url: tab.location(),
      adapterId: board.crm,
      adapterLabel: null,
      kind: 'board' as const,
      reasons: [],
      deal: null,
      board,
      problems: [],
    };
    const prepared = await prepare(report, site, sync, new Date());
    await saveMapping(prepared);
    const reading = await wholeExportReading(board, prepared, site, TAB_ID);
    if (reading.cards.length !== CARDS) {
      throw new Error(`the export would read ${reading.cards.length} cards, expected ${CARDS}`);
    }
    await crmControl(crmOrigin, 'stats', 'DELETE');

    const cpu = process.cpuUsage();
    const started = performance.now();
    const id = await sync.enqueue({
      kind: 'board',
      label: board.pipeline.name,
      site,
      config: prepared.config,
      mappings: prepared.deals.map((deal) => deal.mapping),
      dryRun: false,
      reading,
    });
    await sync.idle();
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);

    const job = await sync.job(id);
    if (job?.status !== 'done' || job.counts.sent !== CARDS) {
      const failed = job?.results.filter((r) => r.status === 'failed').slice(0, 3) ?? [];
      throw new Error(
        `the export ended ${job?.status ?? 'gone'} with ${JSON.stringify(job?.counts)}: ${JSON.stringify(job?.message)} ${JSON.stringify(failed)}`,
      );
    }
    const stats = await crmControl<CrmStats>(crmOrigin, 'stats');
    const snapshot = await inspect(new URL(emulatorUrl).origin);
    const held = Object.keys(snapshot.deals).length;
    if (held !== CARDS) throw new Error(`CoMagic holds ${held} deals, expected ${CARDS}`);
    const wrong = mismatches(snapshot, [await truthOf(pipeline, site, prepared.key)]);
    if (wrong.length > 0) {
      throw new Error(
        `CoMagic differs from the CRM in ${wrong.length} ways, e.g.\n${wrong.slice(0, 5).join('\n')}`,
      );
    }
    const { crmReadConcurrency } = await settingsStore.get();
    return {
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      readsAloneCpuMs: await replayCpuMs(tab, asked, crmReadConcurrency),
      stats,
      snapshot,
    };
  } finally {
    sync.dispose();
    await tab.close();
  }
}

export async function benchDeep(): Promise<Result[]> {
  const pipeline = demoPipeline('espocrm', { cards: CARDS, seed: SEED });
  const crm = await spawnServer('bench/crm-server.ts', ['--cards', String(CARDS), '--seed', String(SEED)]);
  const emulator = await spawnEmulator(['--token', KEY, '--timezone', DEMO_TIME_ZONE]);
  try {
    await crmControl(crm.origin, 'faults', 'POST', { latencyMs: LATENCY_MS });
    const { crmReadConcurrency } = await settingsStore.get();
    const runs = await repeat(RUNS, async () => {
      await reset(emulator.origin);
      fakeBrowser.reset();
      return exportWhole(crm.origin, emulator.url, pipeline);
    });
    const floorMs = (run: Export) => (run.stats.reads * LATENCY_MS) / crmReadConcurrency;
    const records = (run: Export) =>
      Object.values(run.snapshot.deals).reduce((sum, held) => sum + held.length, 0);
    const first = runs[0] as Export;
    return [
      result(
        'deep export 1,000 EspoCRM deals, API 150 ms: wall',
        'ms',
        runs.map((run) => run.wallMs),
        info,
        COMMAND,
        `enqueue → job done; every deal read whole (${first.stats.reads} API reads), sent, and checked in the emulator (${records(first)} records)`,
      ),
      result(
        'deep export: CRM-bound floor',
        'ms',
        runs.map(floorMs),
        info,
        COMMAND,
        `API reads × ${LATENCY_MS} ms ÷ ${crmReadConcurrency} reads at once`,
      ),
      result(
        'deep export: wall / CRM-bound floor',
        '×',
        runs.map((run) => run.wallMs / floorMs(run)),
        atMost(2),
        COMMAND,
      ),
      result(
        'deep export: extension CPU per deal',
        'ms',
        runs.map((run) => run.cpuMs / CARDS),
        atMost(5),
        COMMAND,
        'process.cpuUsage() (user + system) of the bench process over the export ÷ 1,000; the CRM and the emulator run in other processes',
      ),
      result(
        'deep export: of which the CRM reads alone (Node fetch)',
        'ms',
        runs.map((run) => run.readsAloneCpuMs / CARDS),
        info,
        COMMAND,
        "per deal, the export's CRM requests replayed through the same fetch as many at once, bodies read and nothing else (no JSON parse, no time-out signal); in a browser the network service does most of this",
      ),
      result(
        'deep export: extension CPU per deal, without the HTTP client',
        'ms',
        runs.map((run) => (run.cpuMs - run.readsAloneCpuMs) / CARDS),
        info,
        COMMAND,
        'the two rows above subtracted: reading, mapping, planning, storing and sending, without the work of carrying the CRM requests (in a browser that is the network service, not the extension)',
      ),
      result(
        'deep export: CRM API requests open at once, most',
        'requests',
        runs.map((run) => run.stats.maxConcurrent),
        atMost(crmReadConcurrency),
        COMMAND,
        `the CRM's own count; the setting allows ${crmReadConcurrency}`,
      ),
    ];
  } finally {
    await crm.close();
    await emulator.close();
  }
}
