/**
 * What each deal already has in CoMagic, by deal ext_id: the last stage sent (time and ext_id), a
 * fingerprint of the deal's data as sent, and what the extension saw of it (first sighting, last
 * observed stage). Pure: storage lives in utils/storage.ts, this module only decides and updates.
 */

import { laterThan } from '../comagic/api-time';
import type { DealContact, DealEmployee, DealHistoryRecord } from '../comagic/schemas';
import type { CrmStage } from '../crm/model';
import { fnv1a64 } from '../mapping/ext-ids';
import { capText } from '../versioned';

export interface Observation {
  stage: CrmStage;
  /** Epoch ms of the export that saw the deal in `stage`. */
  at: number;
}

export interface LedgerEntry {
  /** `modified_stage_date_time` of the last record CoMagic accepted; `null` before the first. */
  lastStageTime: string | null;
  lastStageExtId: string | null;
  /** Of the deal's data as last sent (see `fingerprintDeal`). */
  fingerprint: string | null;
  /** `modified_date_time` of the last update record sent. */
  lastModified: string | null;
  /** `created_date_time` as first sent: a later, poorer snapshot (a board card) must not move it. */
  created: string | null;
  /**
   * Every delivery so far came from a board card (a partial view): CoMagic may lack stages older
   * than the last it holds. `false` also for entries stored before this was recorded (unknown).
   */
  partialOnly: boolean;
  /** Epoch ms. */
  firstSeenAt: number;
  observed: Observation | null;
  /**
   * Epoch ms when CoMagic last confirmed this entry (accepted a record, or was read for it): after
   * a day another browser may have sent the deal since, so CoMagic is asked again before sending.
   */
  confirmedAt?: number;
}

/** The parts of a deal mapping the ledger judges. */
export interface DealPayloads {
  records: DealHistoryRecord[];
  contacts: DealContact[];
  employee: DealEmployee | null;
  /** Read from a board card, not the deal's page: a partial view of a deal (no contacts, owner, history). */
  partial?: boolean;
}

/** Whether exporting a deal would send anything, by what the ledger holds of it. */
export type LedgerDealStatus = 'new' | 'changed' | 'unchanged';

export type DealDecision =
  /** Never delivered, or new stages since: these records, oldest first. */
  | { status: 'new' | 'moved'; records: DealHistoryRecord[] }
  /** Same stage, other data: one update record. */
  | { status: 'changed'; records: [DealHistoryRecord] }
  | { status: 'unchanged'; records: [] };

/** JSON with sorted keys, so equal data always hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    let json = '';
    for (const key of Object.keys(object).sort()) {
      const item = object[key];
      if (item === undefined) continue;
      json += `${json === '' ? '' : ','}${JSON.stringify(key)}:${stableJson(item)}`;
    }
    return `{${json}}`;
  }
  return JSON.stringify(value);
}

const hash = (value: unknown) => fnv1a64(stableJson(value));

/** The first half of a fingerprint: the deal's contacts and owner. */
function refsHash(deal: DealPayloads): string {
  const contacts = [...deal.contacts].sort((a, b) => (a.ext_id < b.ext_id ? -1 : 1));
  return hash({ contacts, employee: deal.employee });
}

/**
 * Every field sent for the deal except what a stage move changes by itself (stage and times): its
 * contacts and owner (the first 16 digits, see `refsChanged`), then the current record's data.
 * Equal fingerprints mean nothing needs sending.
 */
export function fingerprintDeal(deal: DealPayloads): string {
  const last = deal.records.at(-1);
  const current = last
    ? { ...last, stage_ext_id: undefined, modified_stage_date_time: undefined, modified_date_time: undefined }
    : null;
  return refsHash(deal) + hash(current);
}

/**
 * Whether the deal's contacts or owner differ from those last sent (CoMagic must be checked). Hashes
 * only when something was sent before: a first export of a large board computes no fingerprint here.
 */
export function refsChanged(deal: DealPayloads, entry: LedgerEntry | null): boolean {
  const sent = entry?.fingerprint;
  return !sent || sent.slice(0, 16) !== refsHash(deal);
}

/**
 * Records after the last one CoMagic holds. A record older than that one would be rejected (and
 * fail its whole batch); a repeat of the last stage is no transition.
 */
export function recordsAfterLast(records: DealHistoryRecord[], entry: LedgerEntry): DealHistoryRecord[] {
  const { lastStageTime, lastStageExtId } = entry;
  if (lastStageTime === null) return records;
  const lastIndex = records.findLastIndex(
    (record) => record.modified_stage_date_time === lastStageTime && record.stage_ext_id === lastStageExtId,
  );
  const newer =
    lastIndex >= 0
      ? records.slice(lastIndex + 1)
      : records.filter((record) => record.modified_stage_date_time > lastStageTime);
  const firstMove = newer.findIndex((record) => record.stage_ext_id !== lastStageExtId);
  return firstMove < 0 ? [] : newer.slice(firstMove);
}

/**
 * What to send for one deal. `modifiedAt` is now as the API writes it (account zone): an update
 * record needs a `modified_date_time` later than before and the last stage time unchanged.
 */
export function decideDeal(deal: DealPayloads, entry: LedgerEntry | null, modifiedAt: string): DealDecision {
  if (!entry || entry.lastStageTime === null) return { status: 'new', records: deal.records };
  const pending = recordsAfterLast(deal.records, entry);
  if (pending.length > 0) return { status: 'moved', records: pending };
  const current = deal.records.at(-1);
  // A board card shows less than the deal page that may have sent the deal: it never overwrites it.
  if (!current || deal.partial || fingerprintDeal(deal) === entry.fingerprint) {
    return { status: 'unchanged', records: [] };
  }
  const update: DealHistoryRecord = {
    ...current,
    modified_stage_date_time: entry.lastStageTime,
    modified_date_time: laterThan(modifiedAt, entry.lastModified ?? entry.lastStageTime),
  };
  return { status: 'changed', records: [update] };
}

/** For the popup: whether exporting the deal would send anything. */
export function dealStatus(deal: DealPayloads, entry: LedgerEntry | null): LedgerDealStatus {
  if (!entry || entry.lastStageTime === null) return 'new';
  if (recordsAfterLast(deal.records, entry).length > 0) return 'changed';
  return deal.partial || fingerprintDeal(deal) === entry.fingerprint ? 'unchanged' : 'changed';
}

export function newEntry(firstSeenAt: number): LedgerEntry {
  return {
    lastStageTime: null,
    lastStageExtId: null,
    fingerprint: null,
    lastModified: null,
    created: null,
    partialOnly: false,
    firstSeenAt,
    observed: null,
  };
}

/**
 * After CoMagic accepted `record` (read from a board card when `partial`). The fingerprint is set
 * with the deal's last outgoing record only, so a job stopped half-way still counts the deal as changed.
 */
export function recordDelivered(
  entry: LedgerEntry | null,
  record: DealHistoryRecord,
  fingerprint: string | null,
  now: number,
  partial = false,
): LedgerEntry {
  const base = entry ?? newEntry(now);
  const first = base.lastStageTime === null;
  return {
    ...base,
    lastStageTime: record.modified_stage_date_time,
    lastStageExtId: record.stage_ext_id,
    lastModified: record.modified_date_time ?? base.lastModified,
    created: base.created ?? record.created_date_time,
    partialOnly: first ? partial : base.partialOnly && partial,
    fingerprint: fingerprint ?? base.fingerprint,
    confirmedAt: now,
  };
}

/**
 * The deal was deleted in CoMagic: nothing of it is delivered any more. What the extension saw of
 * it in the CRM (first sighting, last observed stage) stays: it is not CoMagic's.
 */
export function deliveryCleared(entry: LedgerEntry): LedgerEntry {
  return { ...newEntry(entry.firstSeenAt), observed: entry.observed };
}

/** What CoMagic lacks of a deal it holds a poorer history of than the mapping (see `repairNeed`). */
export interface RepairNeed {
  /** `created_date_time` CoMagic holds; `null` when an older version did not record it. */
  held: string | null;
  /**
   * The mapping's records older than the last one CoMagic holds, which it can never take. The ledger
   * knows only the last record held: a deal an older version sent whole counts records it holds.
   */
  missing: number;
}

/**
 * Whether CoMagic holds a poorer history of the deal than this whole (not partial), sendable mapping:
 * a creation time other than the mapping's (a board card's estimate, or an older version's), or only
 * board cards' records so far while the mapping has older stages. Only a delete and a whole upload
 * fixes that (CoMagic refuses records older than the last it holds). `null`: nothing to repair.
 */
export function repairNeed(
  deal: DealPayloads & { sendable: boolean },
  entry: LedgerEntry | null,
): RepairNeed | null {
  if (!entry || entry.lastStageTime === null || deal.partial || !deal.sendable) return null;
  const created = deal.records[0]?.created_date_time;
  if (created === undefined) return null;
  const lastHeld = entry.lastStageTime;
  const missing = deal.records.filter((record) => record.modified_stage_date_time < lastHeld).length;
  const createdDiffers = entry.created !== null && entry.created !== created;
  const stagesLacking = entry.partialOnly && missing > 0;
  return createdDiffers || stagesLacking ? { held: entry.created, missing } : null;
}

/** The export saw the deal in `stage` at `at`; keeps the first sighting. */
export function recordObserved(entry: LedgerEntry | null, stage: CrmStage | null, at: number): LedgerEntry {
  const base = entry ?? newEntry(at);
  return stage ? { ...base, observed: { stage, at } } : base;
}

/**
 * The part of a deal's outgoing records the ledger does not show as delivered: what a re-run of an
 * interrupted call still has to send. An update record counts as delivered once its
 * `modified_date_time` is recorded.
 */
export function undelivered(
  records: DealHistoryRecord[],
  entry: LedgerEntry | undefined,
  isUpdate: boolean,
): DealHistoryRecord[] {
  if (!entry || entry.lastStageTime === null) return records;
  const { lastStageTime, lastModified } = entry;
  if (isUpdate) {
    const update = records[0];
    const done =
      update?.modified_stage_date_time === lastStageTime &&
      lastModified !== null &&
      update.modified_date_time !== undefined &&
      lastModified >= update.modified_date_time;
    return done ? [] : records;
  }
  const lastIndex = records.findLastIndex(
    (record) =>
      record.modified_stage_date_time === lastStageTime && record.stage_ext_id === entry.lastStageExtId,
  );
  // No match: the entry predates these records (they were chosen as newer than it).
  return lastIndex >= 0 ? records.slice(lastIndex + 1) : records;
}

// Stored form: one storage item, short keys, nulls left out (10 000 deals take about 1.6 MB).

export interface CompactEntry {
  t?: string;
  s?: string;
  f?: string;
  m?: string;
  c?: string;
  /** `partialOnly`, present only when true. */
  p?: 1;
  a: number;
  /** [stage id, stage name, outcome, epoch ms]. */
  o?: [string, string, CrmStage['outcome'], number];
  /**
   * `confirmedAt` as whole hours after the hour of `a`, left out when 0 (a deal first seen and
   * confirmed in the same hour, as most are: the ledger holds 10,000 deals). Rounded down: older, never newer.
   */
  k?: number;
}

const HOUR_MS = 3_600_000;
const OUTCOMES: readonly unknown[] = ['won', 'lost', 'in_progress', null];
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';

/**
 * What a zod object of the same fields would accept, checked by hand (as is the record of them
 * below): the whole ledger is parsed on every read, and with 10,000 deals zod's per-field and
 * per-key work was most of a delivery step.
 */
function isCompactEntry(value: unknown): value is CompactEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { t, s, f, m, c, p, a, o, k } = value as Record<string, unknown>;
  return (
    Number.isFinite(a) &&
    (k === undefined || Number.isFinite(k)) &&
    (p === undefined || p === 1) &&
    isOptionalString(t) &&
    isOptionalString(s) &&
    isOptionalString(f) &&
    isOptionalString(m) &&
    isOptionalString(c) &&
    (o === undefined ||
      (Array.isArray(o) &&
        o.length === 4 &&
        typeof o[0] === 'string' &&
        typeof o[1] === 'string' &&
        OUTCOMES.includes(o[2]) &&
        Number.isFinite(o[3])))
  );
}

/** The stored ledger's shape version; `LEDGER_STEPS` brings an older one to it. */
export const LEDGER_VERSION = 1;

export interface StoredLedger {
  v: typeof LEDGER_VERSION;
  /** Deal ext_id → entry. */
  d: Record<string, CompactEntry>;
  /** Funnel ext_id → fingerprint of the funnel last made to match the mapping. */
  f: Record<string, string>;
}

/** `LEDGER_STEPS[n]` turns a version-n ledger into version n + 1 (none yet: version 1 is the first). */
export const LEDGER_STEPS: Record<number, (value: never) => unknown> = {};

export const EMPTY_STORED_LEDGER: StoredLedger = { v: 1, d: {}, f: {} };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A current-version ledger, entry by entry: a bad entry is dropped (and counted) and the others kept,
 * so one broken entry never makes every deal look new. `null` when it is not a ledger at all.
 */
export function parseStoredLedger(value: unknown): { ledger: StoredLedger; dropped: number } | null {
  if (!isRecord(value) || value.v !== LEDGER_VERSION || !isRecord(value.d)) return null;
  let dropped = 0;
  const d: Record<string, CompactEntry> = {};
  for (const [dealExtId, entry] of Object.entries(value.d)) {
    if (isCompactEntry(entry)) d[dealExtId] = entry;
    else dropped += 1;
  }
  const f: Record<string, string> = {};
  for (const [funnelExtId, fingerprint] of Object.entries(isRecord(value.f) ? value.f : {})) {
    if (typeof fingerprint === 'string') f[funnelExtId] = fingerprint;
    else dropped += 1;
  }
  return { ledger: { v: LEDGER_VERSION, d, f }, dropped };
}

export function compactEntry(entry: LedgerEntry): CompactEntry {
  const compact: CompactEntry = { a: entry.firstSeenAt };
  if (entry.lastStageTime !== null) compact.t = entry.lastStageTime;
  if (entry.lastStageExtId !== null) compact.s = entry.lastStageExtId;
  if (entry.fingerprint !== null) compact.f = entry.fingerprint;
  if (entry.lastModified !== null) compact.m = entry.lastModified;
  if (entry.created !== null) compact.c = entry.created;
  if (entry.partialOnly) compact.p = 1;
  if (entry.confirmedAt !== undefined) {
    const hours = Math.floor(entry.confirmedAt / HOUR_MS) - Math.floor(entry.firstSeenAt / HOUR_MS);
    if (hours > 0) compact.k = hours;
  }
  if (entry.observed) {
    const { stage, at } = entry.observed;
    // A stage's title is page text: a 200 KB column title must not be kept per deal. Its id is not
    // cut (a cut id would no longer match the board's, and read as a move at every export).
    compact.o = [stage.id, capText(stage.name), stage.outcome, at];
  }
  return compact;
}

export function expandEntry(compact: CompactEntry): LedgerEntry {
  const entry: LedgerEntry = {
    lastStageTime: compact.t ?? null,
    lastStageExtId: compact.s ?? null,
    fingerprint: compact.f ?? null,
    lastModified: compact.m ?? null,
    created: compact.c ?? null,
    partialOnly: compact.p === 1,
    firstSeenAt: compact.a,
    observed: compact.o
      ? { stage: { id: compact.o[0], name: compact.o[1], outcome: compact.o[2] }, at: compact.o[3] }
      : null,
  };
  // A delivered entry was confirmed by CoMagic at least in the hour it was first seen.
  if (compact.k !== undefined || compact.t !== undefined) {
    entry.confirmedAt = (Math.floor(compact.a / HOUR_MS) + (compact.k ?? 0)) * HOUR_MS;
  }
  return entry;
}
