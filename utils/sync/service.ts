/**
 * The one thing the background wires: a queue of jobs that advance in the background, one at a
 * time in order, resumed after a restart (`resumePending` on start-up and on an alarm).
 */
import type { ComagicClient } from '../comagic';
import { fill, type Localized } from '../i18n';
import {
  type DealResult,
  type EnqueueInput,
  type Job,
  type JobDetail,
  type JobSummary,
  jobDealOf,
} from './job';
import { canMove } from './job-status';
import { type LedgerEntry, recordObserved } from './ledger';
import {
  addJob,
  dropOldPayloads,
  listJobs,
  progressOf,
  readDetail,
  readLedger,
  updateLedger,
  updateSummaries,
  updateSummary,
} from './outbox';
import { type DealReader, dropReading } from './reading';
import { type RunnerContext, type RunResult, runJob } from './runner';

export interface SyncServiceOptions {
  /** A client for the saved connection, or `null` when none is set up. */
  clientFactory: () => Promise<ComagicClient | null>;
  now: () => number;
  /** Asks the background to call `resumePending()` at that time (an alarm). */
  scheduleWake: (atMs: number) => void;
  /** The CoMagic account's IANA zone; Moscow (CoMagic's default) when unknown. */
  accountTimeZone?: () => Promise<string | null>;
  /** Reads whole-deal exports' deals from the CRM (utils/background/whole-reads.ts). */
  reader?: DealReader;
}

export interface SyncService {
  /** Returns once the job is durably written; it then advances in the background. */
  enqueue(input: EnqueueInput): Promise<string>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** A new job with the failed deals of `id`; its id. */
  retryFailed(id: string): Promise<string>;
  /** Newest first. */
  jobs(): Promise<JobSummary[]>;
  job(id: string): Promise<Job | null>;
  resumePending(): Promise<void>;
  /** The token or endpoint changed: jobs paused for the connection go on. */
  onConnectionChanged(): Promise<void>;
  /** For the popup's per-deal status (see `dealStatus` in ledger.ts). */
  ledgerEntries(dealExtIds: readonly string[]): Promise<Record<string, LedgerEntry>>;
  /** Resolves when no job is being worked on. */
  idle(): Promise<void>;
  /** Stops working (the worker is going away): the running call's outcome is not written. */
  dispose(): void;
}

const DEFAULT_TIME_ZONE = 'Europe/Moscow';

const STORAGE_FAILED: Localized = {
  en: 'Storage full: clear finished exports (Options → Activity → Clear finished exports), then press Resume. The browser could not store this export’s progress ({error}).',
  ru: 'Хранилище заполнено: очистите завершённые выгрузки (Настройки → Журнал → «Очистить завершённые выгрузки») и нажмите «Продолжить». Браузер не смог сохранить ход этой выгрузки ({error}).',
};

function storageMessage(error: unknown): Localized {
  return fill(STORAGE_FAILED, { error: error instanceof Error ? error.message : String(error) });
}

function blankSummary(id: string, input: EnqueueInput, now: number): JobSummary {
  return {
    id,
    kind: input.kind,
    label: input.label,
    site: input.site,
    dryRun: input.dryRun,
    status: 'queued',
    pauseReason: null,
    message: null,
    resumeAt: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    counts: { total: 0, sent: 0, skipped: 0, failed: 0, pending: 0 },
    steps: { done: 0, total: 0 },
    reading: input.reading ? { done: 0, total: input.reading.cards.length } : null,
  };
}

function newDetail(input: EnqueueInput, now: number): JobDetail {
  if (input.reading) return readingDetail(input, input.reading, now);
  const deals = [];
  const results: Record<string, DealResult> = {};
  for (const [index, mapping] of input.mappings.entries()) {
    const deal = jobDealOf(mapping, index);
    if (results[deal.dealExtId]) continue;
    deals.push(deal);
    results[deal.dealExtId] = { dealExtId: deal.dealExtId, status: 'pending', at: now, reason: null };
  }
  const detail: JobDetail = {
    config: input.config,
    reading: null,
    deals,
    plan: null,
    cursor: 0,
    results,
    attempts: 0,
  };
  return input.repair?.length ? { ...detail, repair: input.repair } : detail;
}

/** A whole-deal export starts with no deals: they come as the job reads them from the CRM. */
function readingDetail(
  input: EnqueueInput,
  { crm, via, tabId, cards, unchanged, unidentified }: NonNullable<EnqueueInput['reading']>,
  now: number,
): JobDetail {
  const results: Record<string, DealResult> = {};
  for (const card of cards) {
    results[card.dealExtId] = { dealExtId: card.dealExtId, status: 'pending', at: now, reason: null };
  }
  for (const dealExtId of unchanged) {
    results[dealExtId] ??= { dealExtId, status: 'skipped', at: now, reason: null };
  }
  for (const { key, reason } of unidentified) {
    results[key] ??= { dealExtId: key, status: 'failed', at: now, reason };
  }
  return {
    config: input.config,
    reading: { crm, via, tabId, cards, done: 0, batches: 0 },
    deals: [],
    plan: null,
    cursor: 0,
    results,
    attempts: 0,
  };
}

/** The CRM stage each deal is in now, read back through the mapping from its last record. */
function observations(input: EnqueueInput) {
  const byExtId = new Map(input.config.stages.map((stage) => [stage.extId, stage]));
  return input.mappings.flatMap((mapping) => {
    const stage = byExtId.get(mapping.records.at(-1)?.stage_ext_id ?? '');
    if (!mapping.dealExtId || !stage || stage.crmStageId === null) return [];
    const outcome = stage.status === 'success' ? 'won' : stage.status === 'failed' ? 'lost' : 'in_progress';
    return [
      {
        dealExtId: mapping.dealExtId,
        stage: { id: stage.crmStageId, name: stage.crmStageName, outcome } as const,
      },
    ];
  });
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  let disposed = false;
  let loop: Promise<void> | null = null;
  let again = false;

  async function context(): Promise<RunnerContext> {
    return {
      client: await options.clientFactory(),
      now: options.now,
      timeZone: (await options.accountTimeZone?.()) ?? DEFAULT_TIME_ZONE,
      scheduleWake: options.scheduleWake,
      isStopped: () => disposed,
      reader: options.reader ?? null,
    };
  }

  /** The first job that may run now; a waiting job holds the queue until its time. */
  async function nextJob(): Promise<JobSummary | null> {
    for (const job of await listJobs()) {
      if (job.status === 'queued' || job.status === 'running') return job;
      if (job.status === 'waiting') return (job.resumeAt ?? 0) <= options.now() ? job : null;
    }
    return null;
  }

  async function work(): Promise<void> {
    while (!disposed) {
      const job = await nextJob();
      if (!job) return;
      let result: RunResult;
      try {
        result = await runJob(job.id, await context());
      } catch (error) {
        if (disposed) return;
        // The browser refused a write (storage full, or broken): a job left "running" would be
        // planned again at every alarm. It pauses, saying why; the others may still go.
        await updateSummary(job.id, (current) =>
          canMove(current.status, 'paused')
            ? {
                ...current,
                status: 'paused',
                pauseReason: 'storage',
                message: storageMessage(error),
                resumeAt: null,
              }
            : null,
        ).catch(() => undefined);
        result = 'next';
      }
      if (result === 'halt') return;
      await dropOldPayloads();
    }
  }

  function kick(): void {
    if (disposed) return;
    if (loop) {
      again = true;
      return;
    }
    loop = work()
      .catch(() => undefined)
      .finally(() => {
        loop = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const service: SyncService = {
    async enqueue(input) {
      const id = crypto.randomUUID();
      const now = options.now();
      const detail = newDetail(input, now);
      if (!input.dryRun) {
        const seen = observations(input);
        await updateLedger((ledger) => {
          for (const { dealExtId, stage } of seen) {
            ledger.deals.set(dealExtId, recordObserved(ledger.deals.get(dealExtId) ?? null, stage, now));
          }
        });
      }
      await addJob({ ...blankSummary(id, input, now), ...progressOf(detail) }, detail);
      kick();
      return id;
    },

    async pause(id) {
      await updateSummary(id, (job) =>
        canMove(job.status, 'paused')
          ? { ...job, status: 'paused', pauseReason: 'user', resumeAt: null, message: null }
          : null,
      );
    },

    async resume(id) {
      await updateSummary(id, (job) =>
        canMove(job.status, 'queued') ? { ...job, status: 'queued', pauseReason: null, message: null } : null,
      );
      kick();
    },

    async cancel(id) {
      await updateSummary(id, (job) =>
        canMove(job.status, 'cancelled')
          ? { ...job, status: 'cancelled', finishedAt: options.now(), resumeAt: null, message: null }
          : null,
      );
      await options.reader?.release(id);
      const detail = await readDetail(id);
      if (detail) await dropReading(id, detail);
      kick();
    },

    async retryFailed(id) {
      const [summary, detail] = [(await listJobs()).find((job) => job.id === id), await readDetail(id)];
      if (!summary || !detail?.deals) throw new Error(`Job ${id} no longer holds its deals`);
      const failed = new Set(
        Object.values(detail.results)
          .filter((result) => result.status === 'failed')
          .map((result) => result.dealExtId),
      );
      const deals = detail.deals.filter((deal) => failed.has(deal.dealExtId));
      return service.enqueue({
        kind: summary.kind,
        label: summary.label,
        site: summary.site,
        config: detail.config,
        dryRun: false,
        mappings: deals.map((deal) => ({ ...deal, dealExtId: deal.dealExtId, visits: [] })),
      });
    },

    async jobs() {
      return (await listJobs()).reverse();
    },

    async job(id) {
      const summary = (await listJobs()).find((job) => job.id === id);
      const detail = summary ? await readDetail(id) : null;
      if (!summary || !detail) return null;
      return {
        ...summary,
        results: Object.values(detail.results),
        cards: detail.reading?.cards ?? [],
        deals: detail.deals,
        plan: detail.plan,
      };
    },

    async resumePending() {
      for (const job of await listJobs()) {
        if (job.status === 'waiting' && job.resumeAt !== null && job.resumeAt > options.now()) {
          options.scheduleWake(job.resumeAt);
        }
      }
      kick();
    },

    async onConnectionChanged() {
      await updateSummaries((job) =>
        canMove(job.status, 'queued') && job.pauseReason !== 'user' && job.pauseReason !== null
          ? { ...job, status: 'queued', pauseReason: null, message: null }
          : null,
      );
      kick();
    },

    async ledgerEntries(dealExtIds) {
      const { deals } = await readLedger();
      return Object.fromEntries(
        dealExtIds.flatMap((id) => {
          const entry = deals.get(id);
          return entry ? [[id, entry]] : [];
        }),
      );
    },

    async idle() {
      while (loop) await loop;
    },

    dispose() {
      disposed = true;
    },
  };
  return service;
}
