/**
 * The first part of a whole-deal export: its deals are read from the CRM, a few at a time, and each
 * read is written to the job before the next, so a worker killed mid-read goes on where it stopped.
 * How a deal is read (the tab, the CRM's endpoints, a rendered page) is the background's: a `DealReader`.
 */
import type { Localized } from '../i18n';
import type { MappingConfig } from '../mapping/funnel';
import { wholeReadsStore } from '../storage';
import type { FailureReason, JobDeal, JobDetail, JobReading, ReadCard } from './job';
import { dropReadBatches, readReadBatches, writeDetail, writeReadBatch } from './outbox';

/** Why reading stopped before the job's cards were all read. */
export type ReadStop =
  /** The CRM wants its user to log in again: the job pauses until the user resumes it. */
  | { kind: 'login'; message: Localized }
  /** No tab of the CRM is open to read through, or the CRM keeps failing: the job pauses. */
  | { kind: 'unreachable'; message: Localized }
  /** The CRM is busy: the job tries again by itself after a while. */
  | { kind: 'busy'; message: Localized; retryAfterMs: number };

export type CardOutcome =
  | { dealExtId: string; deal: JobDeal }
  | { dealExtId: string; failure: FailureReason };

export interface ReadBatch {
  /** One per card read or given up on, in the order asked; fewer when `stop` is set. */
  outcomes: CardOutcome[];
  /** The mapping with the stages the deals' histories showed that it lacked. */
  config: MappingConfig;
  stop: ReadStop | null;
}

export interface DealReader {
  /** Cards asked for at once: each batch's reads are written before the next batch. */
  batchSize(): Promise<number>;
  read(
    job: { id: string; site: string },
    reading: JobReading,
    cards: ReadCard[],
    config: MappingConfig,
  ): Promise<ReadBatch>;
  /** The export is over (read, cancelled or gone): whatever the reader opened for it is closed. */
  release(jobId: string): Promise<void>;
}

/** A cancelled export's read deals are of no use: their items go. */
export async function dropReading(id: string, detail: JobDetail): Promise<void> {
  if (!detail.reading?.batches) return;
  await dropReadBatches(id, detail.reading.batches);
  detail.reading.batches = 0;
  await writeDetail(id, detail);
}

export type ReadingResult =
  | { kind: 'done' }
  /** The user paused or cancelled the job meanwhile, or the worker is going away. */
  | { kind: 'interrupted' }
  | { kind: 'stopped'; stop: ReadStop };

/**
 * Reads the job's remaining cards. `stillRunning` tells whether the user paused or cancelled it
 * meanwhile; `progress` hands each batch's progress to the job's summary.
 */
export async function readCards(
  job: { id: string; site: string },
  detail: JobDetail,
  reader: DealReader,
  hooks: {
    stillRunning: () => Promise<boolean>;
    isStopped: () => boolean;
    progress: (detail: JobDetail) => Promise<void>;
    now: () => number;
  },
): Promise<ReadingResult> {
  const reading = detail.reading;
  if (!reading) return { kind: 'done' };
  const size = Math.max(1, await reader.batchSize());
  while (reading.done < reading.cards.length) {
    if (hooks.isStopped() || !(await hooks.stillRunning())) return { kind: 'interrupted' };
    const cards = reading.cards.slice(reading.done, reading.done + size);
    const batch = await reader.read(job, reading, cards, detail.config);
    if (hooks.isStopped()) return { kind: 'interrupted' };
    const outcomes = batch.outcomes.slice(0, cards.length);
    const at = hooks.now();
    for (const outcome of outcomes) {
      detail.results[outcome.dealExtId] =
        'deal' in outcome
          ? { dealExtId: outcome.dealExtId, status: 'pending', at, reason: null }
          : { dealExtId: outcome.dealExtId, status: 'failed', at, reason: outcome.failure };
    }
    // The batch's deals go in an item of their own before the job says the batch is read: a worker
    // stopped in between reads the batch again into the same item.
    const read = outcomes.flatMap((outcome) => ('deal' in outcome ? [outcome.deal] : []));
    if (read.length > 0) await writeReadBatch(job.id, reading.batches++, read);
    reading.done += outcomes.length;
    detail.config = batch.config;
    await writeDetail(job.id, detail);
    await hooks.progress(detail);
    if (batch.stop) return { kind: 'stopped', stop: batch.stop };
  }
  // Every card read: the batches join the job's deals (a deal read twice keeps its later reading).
  const deals = new Map((detail.deals ?? []).map((deal) => [deal.dealExtId, deal]));
  for (const deal of await readReadBatches(job.id, reading.batches)) deals.set(deal.dealExtId, deal);
  detail.deals = [...deals.values()];
  await writeDetail(job.id, detail);
  await dropReadBatches(job.id, reading.batches);
  reading.batches = 0;
  await writeDetail(job.id, detail);
  await reader.release(job.id);
  return { kind: 'done' };
}

/** The key a deal's card is remembered under: deal ext_ids of two sites may be the same. */
export const wholeReadKey = (site: string, dealExtId: string) => `${site} ${dealExtId}`;

/**
 * After a whole-deal export: each deal CoMagic now holds as read (sent, or already there) is
 * remembered with what its card showed, so the next export of an unchanged board reads nothing.
 */
export async function rememberWholeReads(detail: JobDetail): Promise<void> {
  if (!detail.reading) return;
  const reads = await wholeReadsStore.get();
  for (const card of detail.reading.cards) {
    const status = detail.results[card.dealExtId]?.status;
    const key = wholeReadKey(detail.config.site, card.dealExtId);
    if (status === 'sent' || status === 'skipped') reads[key] = card.key;
    else delete reads[key];
  }
  await wholeReadsStore.set(reads);
}

/** The deals of `cards` read whole before and unchanged on the board since. */
export async function unchangedSinceRead(site: string, cards: readonly ReadCard[]): Promise<Set<string>> {
  const reads = await wholeReadsStore.get();
  return new Set(
    cards
      .filter((card) => reads[wholeReadKey(site, card.dealExtId)] === card.key)
      .map((card) => card.dealExtId),
  );
}
