/**
 * The durable outbox: jobs in storage.local, written before their first request and after every
 * finished step, so a killed service worker resumes where it stopped. Every read-modify-write runs
 * under one lock, shared by every context of the extension (`navigator.locks`) or, where that is
 * missing (Node tests), by this module.
 */
import { syncJobDetailStore, syncJobReadStore, syncJobsStore, syncLedgerStore } from '../storage';
import {
  countResults,
  type JobDeal,
  type JobDetail,
  type JobSummary,
  loadDeals,
  loadDetail,
  storeDeals,
  storeDetail,
} from './job';
import { isFinished } from './job-status';
import { type CompactEntry, compactEntry, expandEntry, type LedgerEntry } from './ledger';

export const OUTBOX_LOCK = 'crm-comagic-outbox';
/** Jobs whose summaries and results are kept. */
export const KEPT_JOBS = 200;
/**
 * What the finished jobs' payloads (kept for the JSON/CSV export) may take together, in characters
 * of their JSON; older ones keep results only. By size, not by count: five 10,000-deal jobs would
 * hold about 40 MB, five single deals a few KB.
 */
export const KEPT_PAYLOAD_CHARS = 12_000_000;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

let tail: Promise<unknown> = Promise.resolve();

/** One at a time in this process, in call order. */
function inProcessLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn);
  tail = run.catch(() => undefined);
  return run;
}

export function withOutboxLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? locks.request(OUTBOX_LOCK, fn) : inProcessLock(fn);
}

/**
 * Deal ext_id → ledger entry over the stored compact entries: a step reads and writes a few deals of
 * a ledger that may hold tens of thousands, so only those are converted.
 */
export class LedgerDeals {
  private readonly entries: Map<string, CompactEntry>;

  constructor(stored: Record<string, CompactEntry>) {
    this.entries = new Map(Object.entries(stored));
  }

  get size(): number {
    return this.entries.size;
  }

  get(dealExtId: string): LedgerEntry | undefined {
    const compact = this.entries.get(dealExtId);
    return compact && expandEntry(compact);
  }

  set(dealExtId: string, entry: LedgerEntry): void {
    this.entries.set(dealExtId, compactEntry(entry));
  }

  toStored(): Record<string, CompactEntry> {
    return Object.fromEntries(this.entries);
  }
}

export interface LedgerState {
  deals: LedgerDeals;
  /** Funnel ext_id → fingerprint of the mapping it was last made to match. */
  funnels: Map<string, string>;
}

export async function readLedger(): Promise<LedgerState> {
  const stored = await syncLedgerStore.get();
  return { deals: new LedgerDeals(stored.d), funnels: new Map(Object.entries(stored.f)) };
}

export function updateLedger(change: (ledger: LedgerState) => void): Promise<void> {
  return withOutboxLock(async () => {
    const ledger = await readLedger();
    change(ledger);
    await syncLedgerStore.set({ v: 1, d: ledger.deals.toStored(), f: Object.fromEntries(ledger.funnels) });
  });
}

export async function listJobs(): Promise<JobSummary[]> {
  return (await syncJobsStore.get()).jobs;
}

/**
 * Per job, the payload arrays this worker wrote to its item or read from it (`null` once dropped):
 * a step rewrites the item only when its payloads are none of these.
 */
const heldDeals = new Map<string, WeakSet<JobDeal[]> | null>();

function itemHolds(id: string, deals: JobDetail['deals']): boolean {
  const held = heldDeals.get(id);
  return held !== undefined && (deals === null ? held === null : held?.has(deals) === true);
}

export async function readDetail(id: string): Promise<JobDetail | null> {
  const stored = await syncJobDetailStore.get(id);
  const detail = stored ? loadDetail({ ...stored, deals: await syncJobDetailStore.getDeals(id) }) : null;
  if (detail?.deals) {
    const held = heldDeals.get(id);
    if (held) held.add(detail.deals);
    else if (held === undefined) heldDeals.set(id, new WeakSet([detail.deals]));
  }
  return detail;
}

async function storeJob(id: string, detail: JobDetail): Promise<void> {
  if (!itemHolds(id, detail.deals)) {
    await syncJobDetailStore.setDeals(id, storeDetail(detail).deals);
    heldDeals.set(id, detail.deals ? new WeakSet([detail.deals]) : null);
  }
  await syncJobDetailStore.set(id, storeDetail({ ...detail, deals: null }));
}

export function writeDetail(id: string, detail: JobDetail): Promise<void> {
  return withOutboxLock(() => storeJob(id, detail));
}

/** One batch of a whole-deal export's read deals, in an item of its own. */
export function writeReadBatch(id: string, batch: number, deals: readonly JobDeal[]): Promise<void> {
  return withOutboxLock(() => syncJobReadStore.set(id, batch, storeDeals(deals)));
}

/** The deals of a whole-deal export's first `batches` batches, in order; a batch gone or broken gives none. */
export async function readReadBatches(id: string, batches: number): Promise<JobDeal[]> {
  const deals: JobDeal[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const stored = await syncJobReadStore.get(id, batch);
    deals.push(...((stored && loadDeals(stored)) ?? []));
  }
  return deals;
}

export function dropReadBatches(id: string, batches: number): Promise<void> {
  return withOutboxLock(() => syncJobReadStore.remove(id, batches));
}

/** Detail first, then the summary: a job in the index always has its detail. */
export function addJob(summary: JobSummary, detail: JobDetail): Promise<void> {
  return withOutboxLock(async () => {
    await storeJob(summary.id, detail);
    const jobs = [...(await listJobs()), summary];
    const dropped = jobs.length > KEPT_JOBS ? removableOldest(jobs, jobs.length - KEPT_JOBS) : [];
    await syncJobsStore.set({ v: 1, jobs: jobs.filter((job) => !dropped.includes(job.id)) });
    for (const id of dropped) {
      await syncJobDetailStore.remove(id);
      heldDeals.delete(id);
    }
  });
}

function removableOldest(jobs: JobSummary[], count: number): string[] {
  return jobs
    .filter((job) => isFinished(job.status))
    .slice(0, count)
    .map((job) => job.id);
}

/** Applies `change` to the stored summaries it returns a new value for; returns them all. */
export function updateSummaries(change: (job: JobSummary) => JobSummary | null): Promise<JobSummary[]> {
  return withOutboxLock(async () => {
    const jobs = (await listJobs()).map((job) => change(job) ?? job);
    await syncJobsStore.set({ v: 1, jobs });
    return jobs;
  });
}

export async function updateSummary(
  id: string,
  change: (job: JobSummary) => JobSummary | null,
): Promise<JobSummary | null> {
  const jobs = await updateSummaries((job) => (job.id === id ? change(job) : null));
  return jobs.find((job) => job.id === id) ?? null;
}

/** Counts, reading and step progress of the summary, from the detail. */
export function progressOf(detail: JobDetail): Pick<JobSummary, 'counts' | 'steps' | 'reading'> {
  const { reading } = detail;
  return {
    counts: countResults(detail.results),
    steps: { done: detail.cursor, total: detail.plan?.steps.length ?? 0 },
    reading: reading && { done: reading.done, total: reading.cards.length },
  };
}

/**
 * After a job finished: finished jobs keep their payloads, newest first, while they take at most
 * `KEPT_PAYLOAD_CHARS` together (the newest always keeps its own); the older ones drop theirs.
 */
export async function dropOldPayloads(budget = KEPT_PAYLOAD_CHARS): Promise<void> {
  const finished = (await listJobs()).filter((job) => isFinished(job.status)).reverse();
  let kept = 0;
  for (const [index, job] of finished.entries()) {
    const size = await syncJobDetailStore.payloadSize(job.id);
    if (size === 0) continue;
    kept += size;
    if (index === 0 || kept <= budget) continue;
    const detail = await readDetail(job.id);
    if (detail?.deals) await writeDetail(job.id, { ...detail, deals: null, plan: null });
  }
}

/**
 * "Clear finished exports": every finished job leaves the log with its stored items (payloads,
 * plan, results, read batches). What CoMagic holds (the ledger) stays. Returns how many left.
 */
export function clearFinishedJobs(): Promise<number> {
  return withOutboxLock(async () => {
    const jobs = await listJobs();
    const finished = jobs.filter((job) => isFinished(job.status)).map((job) => job.id);
    await syncJobsStore.set({ v: 1, jobs: jobs.filter((job) => !finished.includes(job.id)) });
    for (const id of finished) {
      await syncJobDetailStore.remove(id);
      heldDeals.delete(id);
    }
    return finished.length;
  });
}
