/**
 * A job: one user action (send one deal, export a board). Its summary (status, counts) sits in the
 * outbox index; its detail (the payloads, the plan and per-deal results) in an item of its own, in
 * a compact stored form parsed with zod on read.
 */
import { z } from 'zod';
import {
  CrmCompanyCreate,
  DealContact,
  DealEmployee,
  DealHistoryRecord,
  DealUserFieldCreate,
} from '../comagic/schemas';
import type { Localized } from '../i18n';
import { MappingConfigSchema } from '../mapping/funnel';
import type { MappingProblem } from '../mapping/problems';
import type { DealMapping } from '../mapping/records';
import { capText, MAX_STORED_TEXT, type Migrated, migrate, parseEach, versionField } from '../versioned';
import { JOB_STATUSES, type JobStatus } from './job-status';
import type { PlanReads, Step } from './planner';

/** A deal page's address as stored: longer than a name, never cut as short. */
const MAX_STORED_URL = 2048;
/** A problem's message quotes page text inside a sentence that says what to do: room for both. */
const MAX_STORED_MESSAGE = 1000;

export type JobKind = 'deal' | 'board';
/** Who paused a job: the user, or a problem of the connection that a fixed token or setting resumes. */
export type PauseReason = 'user' | 'auth' | 'access' | 'component' | 'connection' | 'crm' | 'storage';
export type DealOutcome = 'pending' | 'sent' | 'skipped' | 'failed';

export interface DealCounts {
  total: number;
  sent: number;
  skipped: number;
  failed: number;
  pending: number;
}

export interface JobSummary {
  id: string;
  kind: JobKind;
  label: string;
  site: string;
  dryRun: boolean;
  status: JobStatus;
  pauseReason: PauseReason | null;
  /** What the user should know now: why it waits or stopped, and what to do. */
  message: Localized | null;
  /** Epoch ms at which a waiting job goes on. */
  resumeAt: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  counts: DealCounts;
  steps: { done: number; total: number };
  /** A whole-deal export's reading of its deals from the CRM; `null` for a job that reads nothing. */
  reading: { done: number; total: number } | null;
}

export interface FailureReason {
  /** The API's mnemonic or the mapping problem's code. */
  code: string;
  field: string | null;
  message: Localized;
  action: Localized;
}

export interface DealResult {
  dealExtId: string;
  status: DealOutcome;
  /** Epoch ms of the last change. */
  at: number;
  reason: FailureReason | null;
}

/** A deal as the job holds it: the mapping's payloads, or why it cannot be sent. */
export interface JobDeal {
  dealExtId: string;
  crmDealId: string | null;
  records: DealHistoryRecord[];
  contacts: DealContact[];
  employee: DealEmployee | null;
  /** The company its records name, and the user fields they fill (made before them). */
  company?: CrmCompanyCreate;
  userFields?: DealUserFieldCreate[];
  problems: MappingProblem[];
  sendable: boolean;
  /** Read from a board card only (see DealPayloads.partial). */
  partial: boolean;
}

/** What the plan sends for one deal (the fingerprint to record is the deal's own, see fingerprintDeal). */
export interface Outgoing {
  /** Index of the first record sent, or an update record built from the last one. */
  from: number;
  update: { stageTime: string; modifiedAt: string } | null;
}

export interface JobPlan {
  steps: Step[];
  outgoing: Record<string, Outgoing>;
  /** What planning read to learn what CoMagic holds; absent in plans made before it was counted. */
  reads?: PlanReads;
}

/** One board card whose deal a whole-deal export reads from the CRM. */
export interface ReadCard {
  dealExtId: string;
  crmDealId: string;
  name: string;
  /** The deal's page, for a CRM read by rendering its pages. */
  url: string;
  /** What the board card showed (see `cardKey`): the deal is not read again while it stays the same. */
  key: string;
}

/** How a whole-deal export reads its deals: the CRM's own endpoints, or each deal's page rendered. */
export type ReadVia = 'api' | 'page';

export interface JobReading {
  crm: string;
  via: ReadVia;
  /** The tab the export started from: read through it while it shows this CRM. */
  tabId: number | null;
  cards: ReadCard[];
  /** Cards read (or given up on), in order. */
  done: number;
  /**
   * The read deals are kept in this many items of their own, a batch each, until every card is read
   * (then they join the job's deals): writing a batch costs its own deals, not every deal read so far.
   */
  batches: number;
}

export interface JobDetail {
  config: z.infer<typeof MappingConfigSchema>;
  /** `null` when the job reads nothing from the CRM (its deals came with it). */
  reading: JobReading | null;
  /** `null` once the job is old enough that only its results are kept. */
  deals: JobDeal[] | null;
  plan: JobPlan | null;
  /** Steps finished. */
  cursor: number;
  results: Record<string, DealResult>;
  /** Tries of the current step that ended in a transient failure. */
  attempts: number;
  /** Deals deleted in CoMagic before they are uploaded whole (see EnqueueInput.repair). */
  repair?: string[];
}

export interface Job extends JobSummary {
  results: DealResult[];
  /** The cards a whole-deal export reads (their names name the deals that could not be read). */
  cards: ReadCard[];
  deals: JobDeal[] | null;
  plan: JobPlan | null;
}

export interface EnqueueInput {
  kind: JobKind;
  label: string;
  site: string;
  config: z.infer<typeof MappingConfigSchema>;
  mappings: DealMapping[];
  dryRun: boolean;
  /**
   * A whole-deal export: the cards whose deals the job reads from the CRM before it plans (then
   * `mappings` are the board's own, for what was observed), and the deals left out as unchanged.
   */
  reading?: {
    crm: string;
    via: ReadVia;
    tabId: number | null;
    cards: ReadCard[];
    unchanged: string[];
    /** Cards the CRM could not say the record of: reported, not read. */
    unidentified: { key: string; reason: FailureReason }[];
  };
  /**
   * Deal ext_ids CoMagic holds a poorer history of (see `repairNeed`): each is deleted there, then
   * uploaded with all its records. Only ever from the user's confirmed click.
   */
  repair?: string[];
}

export function jobDealOf(mapping: DealMapping, index: number): JobDeal {
  return {
    dealExtId: mapping.dealExtId ?? `#${index + 1}`,
    crmDealId: mapping.crmDealId,
    records: mapping.records,
    contacts: mapping.contacts,
    employee: mapping.employee,
    ...(mapping.company ? { company: mapping.company } : {}),
    ...(mapping.userFields?.length ? { userFields: mapping.userFields } : {}),
    problems: mapping.problems,
    sendable: mapping.sendable && mapping.dealExtId !== null,
    partial: mapping.partial,
  };
}

export function countResults(results: Record<string, DealResult>): DealCounts {
  const counts: DealCounts = { total: 0, sent: 0, skipped: 0, failed: 0, pending: 0 };
  for (const result of Object.values(results)) {
    counts.total += 1;
    counts[result.status] += 1;
  }
  return counts;
}

/** The records the plan sends for a deal, oldest first. */
export function outgoingRecords(deal: JobDeal, outgoing: Outgoing): DealHistoryRecord[] {
  if (!outgoing.update) return deal.records.slice(outgoing.from);
  const last = deal.records.at(-1);
  if (!last) return [];
  return [
    {
      ...last,
      modified_stage_date_time: outgoing.update.stageTime,
      modified_date_time: outgoing.update.modifiedAt,
    },
  ];
}

// Stored form. Records of a deal repeat most fields; they are kept once per deal (`b`) with only
// what differs per record (`r`), which keeps a 1000-deal job near 1 MB.

type Fields = Record<string, unknown>;

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function compactRecords(records: readonly Fields[]): { b: Fields; r: Fields[] } {
  const first = records[0] ?? {};
  const base: Fields = {};
  for (const [key, value] of Object.entries(first)) {
    if (records.every((record) => sameValue(record[key], value))) base[key] = value;
  }
  const rest = records.map((record) =>
    Object.fromEntries(Object.entries(record).filter(([key]) => !(key in base))),
  );
  return { b: base, r: rest };
}

export function expandRecords(compact: { b: Fields; r: Fields[] }): Fields[] {
  return compact.r.map((rest) => ({ ...compact.b, ...rest }));
}

const LocalizedSchema = z.object({ en: z.string(), ru: z.string() });

const ProblemSchema = z.object({
  dealExtId: z.string().nullable(),
  crmDealId: z.string().nullable(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  field: z.string(),
  message: LocalizedSchema,
});

const StoredDealSchema = z.object({
  id: z.string(),
  c: z.string().nullable(),
  h: z.object({ b: z.record(z.string(), z.unknown()), r: z.array(z.record(z.string(), z.unknown())) }),
  k: z.array(DealContact),
  e: DealEmployee.nullable(),
  /** The company and user fields (added after version 2's first release: optional). */
  co: CrmCompanyCreate.optional(),
  uf: z.array(DealUserFieldCreate).optional(),
  p: z.array(ProblemSchema),
  ok: z.boolean(),
  pt: z.boolean().optional(),
});

const SimpleStep = z.object({
  kind: z.enum([
    'create_funnel',
    'update_funnel',
    'create_stage',
    'update_stage',
    'create_employee',
    'create_company',
    'create_user_field',
  ]),
  params: z.record(z.string(), z.unknown()),
});

const StepSchema = z.union([
  SimpleStep,
  z.object({ kind: z.literal('create_contacts'), contacts: z.array(z.string()) }),
  z.object({ kind: z.literal('update_contact'), contact: z.string() }),
  z.object({ kind: z.literal('delete_deal'), deal: z.string() }),
  z.object({ kind: z.literal('upload'), items: z.array(z.tuple([z.string(), z.number(), z.number()])) }),
]);

// What every step writes again is kept in arrays of short tuples: objects keyed by deal, with
// tens of thousands of keys, were several times slower to write and read back (measured).

/** [deal ext_id, from] or, for an update record, [deal ext_id, from, stage time, modified at]. */
const StoredOutgoingSchema = z.union([
  z.tuple([z.string(), z.number()]),
  z.tuple([z.string(), z.number(), z.string(), z.string()]),
]);
type StoredOutgoing = z.infer<typeof StoredOutgoingSchema>;

const FailureSchema = z.object({
  code: z.string(),
  field: z.string().nullable(),
  message: LocalizedSchema,
  action: LocalizedSchema,
});

const OutcomeSchema = z.enum(['pending', 'sent', 'skipped', 'failed']);
/** [deal ext_id, outcome, epoch ms, reason]. */
const StoredResultSchema = z.tuple([z.string(), OutcomeSchema, z.number(), FailureSchema.nullable()]);

/** [deal ext_id, CRM deal id, name, url, card key]. */
const StoredReadCardSchema = z.tuple([z.string(), z.string(), z.string(), z.string(), z.string()]);

const StoredReadingSchema = z.object({
  crm: z.string(),
  via: z.enum(['api', 'page']),
  tab: z.number().nullable(),
  cards: z.array(StoredReadCardSchema),
  done: z.number(),
  batches: z.number().optional(),
});

/**
 * The stored job's shape version. Version 1 kept the plan's outgoing records and the results in
 * objects keyed by deal; version 2 (the compact form) in arrays of tuples. `JOB_STEPS` migrates.
 */
export const JOB_VERSION = 2;

export const StoredJobDetailSchema = z.object({
  v: z.literal(JOB_VERSION),
  config: MappingConfigSchema,
  /** Absent in jobs stored before whole-deal exports. */
  reading: StoredReadingSchema.nullable().optional(),
  deals: z.array(StoredDealSchema).nullable(),
  plan: z
    .object({
      steps: z.array(StepSchema),
      outgoing: z.array(StoredOutgoingSchema),
      reads: z.object({ deals: z.number(), history: z.number(), entities: z.number() }).optional(),
    })
    .nullable(),
  cursor: z.number(),
  attempts: z.number(),
  results: z.array(StoredResultSchema),
  /** Absent when the job repairs no deal. */
  repair: z.array(z.string()).optional(),
});
export type StoredJobDetail = z.infer<typeof StoredJobDetailSchema>;

export const JobSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['deal', 'board']),
  label: z.string(),
  site: z.string(),
  dryRun: z.boolean(),
  status: z.enum(JOB_STATUSES),
  pauseReason: z.enum(['user', 'auth', 'access', 'component', 'connection', 'crm', 'storage']).nullable(),
  message: LocalizedSchema.nullable(),
  resumeAt: z.number().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  counts: z.object({
    total: z.number(),
    sent: z.number(),
    skipped: z.number(),
    failed: z.number(),
    pending: z.number(),
  }),
  steps: z.object({ done: z.number(), total: z.number() }),
  /** Absent in jobs stored before whole-deal exports. */
  reading: z
    .object({ done: z.number(), total: z.number() })
    .nullable()
    .optional()
    .transform((reading) => reading ?? null),
});

/** The job index's shape version (unchanged since the first); `JOB_INDEX_STEPS` would migrate. */
export const JOB_INDEX_VERSION = 1;
export const JOB_INDEX_STEPS: Record<number, (value: never) => unknown> = {};

export interface StoredJobIndex {
  v: typeof JOB_INDEX_VERSION;
  jobs: JobSummary[];
}

/**
 * A current-version index, job by job: a summary that does not pass is dropped (and counted), the
 * others kept, so one broken job never empties the whole log. `null` when it is not an index.
 */
export function parseJobIndex(value: unknown): { index: StoredJobIndex; dropped: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { v, jobs } = value as Record<string, unknown>;
  if (v !== JOB_INDEX_VERSION || !Array.isArray(jobs)) return null;
  const { kept, dropped } = parseEach(jobs, (job) => {
    const parsed = JobSummarySchema.safeParse(job);
    return parsed.success ? (parsed.data as JobSummary) : null;
  });
  return { index: { v: JOB_INDEX_VERSION, jobs: kept }, dropped };
}

/** Page text in a summary, capped where it is stored (a job's label is a pipeline's or a deal's name). */
export function storedSummary(job: JobSummary): JobSummary {
  return job.label.length > MAX_STORED_TEXT ? { ...job, label: capText(job.label) } : job;
}

type Keyed = Record<string, unknown>;
const isKeyed = (value: unknown): value is Keyed =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `JOB_STEPS[n]` turns a version-n stored job into version n + 1. */
export const JOB_STEPS = {
  /** Version 1's objects keyed by deal become version 2's arrays of tuples. */
  1: (v1: unknown): unknown => {
    if (!isKeyed(v1)) return v1;
    const plan = isKeyed(v1.plan) ? v1.plan : null;
    const outgoing =
      plan && isKeyed(plan.outgoing)
        ? Object.entries(plan.outgoing).map(([dealExtId, sent]) => {
            const { from, update } = (sent ?? {}) as { from?: unknown; update?: Keyed | null };
            return update ? [dealExtId, from, update.stageTime, update.modifiedAt] : [dealExtId, from];
          })
        : plan?.outgoing;
    const results = isKeyed(v1.results)
      ? Object.entries(v1.results).map(([dealExtId, row]) => [dealExtId, ...(Array.isArray(row) ? row : [])])
      : v1.results;
    return { ...v1, v: 2, ...(plan ? { plan: { ...plan, outgoing } } : {}), results };
  },
} as const;

/** A stored job of any known version, in the current form. */
export function parseStoredDetail(value: unknown): Migrated<StoredJobDetail> {
  return migrate(value, {
    current: JOB_VERSION,
    versionOf: versionField('v'),
    steps: JOB_STEPS,
    parse: (migrated) => {
      const parsed = StoredJobDetailSchema.safeParse(migrated);
      return parsed.success ? parsed.data : null;
    },
  });
}

function storeOutgoing(dealExtId: string, { from, update }: Outgoing): StoredOutgoing {
  return update ? [dealExtId, from, update.stageTime, update.modifiedAt] : [dealExtId, from];
}

function loadOutgoing(stored: NonNullable<StoredJobDetail['plan']>['outgoing']): Record<string, Outgoing> {
  return Object.fromEntries(
    stored.map(([dealExtId, from, stageTime, modifiedAt]) => [
      dealExtId,
      { from, update: stageTime === undefined ? null : { stageTime, modifiedAt: modifiedAt as string } },
    ]),
  );
}

function loadResults(stored: StoredJobDetail['results']): Record<string, DealResult> {
  return Object.fromEntries(
    stored.map(([dealExtId, status, at, reason]) => [dealExtId, { dealExtId, status, at, reason }]),
  );
}

/** A plan never changes once made: its stored form is built once, not at every step. */
const storedPlans = new WeakMap<JobPlan, NonNullable<StoredJobDetail['plan']>>();

function storePlan(plan: JobPlan): NonNullable<StoredJobDetail['plan']> {
  let stored = storedPlans.get(plan);
  if (!stored) {
    const outgoing = Object.entries(plan.outgoing).map(([dealExtId, sent]) => storeOutgoing(dealExtId, sent));
    stored = plan.reads
      ? { steps: plan.steps, outgoing, reads: plan.reads }
      : { steps: plan.steps, outgoing };
    storedPlans.set(plan, stored);
  }
  return stored;
}

function storeReading(reading: JobReading): NonNullable<StoredJobDetail['reading']> {
  return {
    crm: reading.crm,
    via: reading.via,
    tab: reading.tabId,
    cards: reading.cards.map((card) => [
      card.dealExtId,
      capText(card.crmDealId),
      capText(card.name),
      capText(card.url, MAX_STORED_URL),
      card.key,
    ]),
    done: reading.done,
    batches: reading.batches,
  };
}

function loadReading(stored: StoredJobDetail['reading']): JobReading | null {
  if (!stored) return null;
  return {
    crm: stored.crm,
    via: stored.via,
    tabId: stored.tab,
    cards: stored.cards.map(([dealExtId, crmDealId, name, url, key]) => ({
      dealExtId,
      crmDealId,
      name,
      url,
      key,
    })),
    done: stored.done,
    batches: stored.batches ?? 0,
  };
}

export function storeDetail(detail: JobDetail): StoredJobDetail {
  return {
    v: JOB_VERSION,
    config: detail.config,
    reading: detail.reading && storeReading(detail.reading),
    deals: detail.deals && storeDeals(detail.deals),
    plan: detail.plan && storePlan(detail.plan),
    cursor: detail.cursor,
    attempts: detail.attempts,
    results: Object.values(detail.results).map((result) => [
      result.dealExtId,
      result.status,
      result.at,
      result.reason && storedReason(result.reason),
    ]),
    ...(detail.repair?.length ? { repair: detail.repair } : {}),
  };
}

export type StoredDeals = z.infer<typeof StoredDealSchema>[];
export const StoredDealsSchema = z.array(StoredDealSchema);

/**
 * A job's deals (and a read batch's) as stored: version 1 was the bare array, version 2 carries its
 * version beside it. `null` when neither, or a newer version's (see `versionOfDeals`).
 */
export const StoredDealsItemSchema = z.object({ v: z.literal(JOB_VERSION), d: StoredDealsSchema });
export type StoredDealsItem = z.infer<typeof StoredDealsItemSchema>;

export function parseStoredDeals(value: unknown): Migrated<StoredDeals> {
  return migrate(value, {
    current: JOB_VERSION,
    versionOf: (stored) => (Array.isArray(stored) ? 1 : versionField('v')(stored)),
    steps: { 1: (v1: unknown) => ({ v: 2, d: v1 }) },
    parse: (migrated) => {
      const parsed = StoredDealsItemSchema.safeParse(migrated);
      return parsed.success ? parsed.data.d : null;
    },
  });
}

/** Page text of a record as stored: names and free text capped (ext_ids and times are the mapping's own). */
function storedRecord(record: Fields): Fields {
  const capped: Fields = { ...record };
  for (const field of ['name', 'comments', 'source'] as const) {
    const value = record[field];
    if (typeof value === 'string' && value.length > MAX_STORED_TEXT) capped[field] = capText(value);
  }
  return capped;
}

const cappedName = <T extends { name?: string }>(value: T): T =>
  value.name !== undefined && value.name.length > MAX_STORED_TEXT
    ? { ...value, name: capText(value.name) }
    : value;

const cappedMessage = ({ en, ru }: Localized): Localized =>
  en.length > MAX_STORED_MESSAGE || ru.length > MAX_STORED_MESSAGE
    ? { en: capText(en, MAX_STORED_MESSAGE), ru: capText(ru, MAX_STORED_MESSAGE) }
    : { en, ru };

/** A reason quotes what the CRM or CoMagic said (page text, an error's text). */
function storedReason(reason: FailureReason): FailureReason {
  return { ...reason, message: cappedMessage(reason.message), action: cappedMessage(reason.action) };
}

function storedProblem(problem: MappingProblem): MappingProblem {
  return { ...problem, message: cappedMessage(problem.message) };
}

export function storeDeals(deals: readonly JobDeal[]): StoredDeals {
  return deals.map((deal) => ({
    id: deal.dealExtId,
    c: deal.crmDealId,
    h: compactRecords(deal.records.map(storedRecord)),
    k: deal.contacts.map(cappedName),
    e: deal.employee && cappedName(deal.employee),
    ...(deal.company ? { co: cappedName(deal.company) } : {}),
    ...(deal.userFields?.length ? { uf: deal.userFields } : {}),
    p: deal.problems.map(storedProblem),
    ok: deal.sendable,
    ...(deal.partial ? { pt: true } : {}),
  }));
}

/** `null` when a stored record no longer passes the API's schema (written by another version). */
export function loadDeals(stored: StoredDeals): JobDeal[] | null {
  const deals: JobDeal[] = [];
  for (const deal of stored) {
    const expanded = expandRecords(deal.h);
    // A deal the mapping already refused is never sent: its records may break the API's rules.
    const records = deal.ok ? DealHistoryRecord.array().safeParse(expanded) : null;
    if (records && !records.success) return null;
    deals.push({
      dealExtId: deal.id,
      crmDealId: deal.c,
      records: records ? records.data : (expanded as DealHistoryRecord[]),
      contacts: deal.k,
      employee: deal.e,
      ...(deal.co ? { company: deal.co } : {}),
      ...(deal.uf ? { userFields: deal.uf } : {}),
      problems: deal.p,
      sendable: deal.ok,
      partial: deal.pt ?? false,
    });
  }
  return deals;
}

/** `null` when a stored record no longer passes the API's schema (written by another version). */
export function loadDetail(stored: StoredJobDetail): JobDetail | null {
  const deals = stored.deals ? loadDeals(stored.deals) : null;
  if (stored.deals && !deals) return null;
  return {
    config: stored.config,
    reading: loadReading(stored.reading),
    deals,
    plan: stored.plan && {
      steps: stored.plan.steps as Step[],
      outgoing: loadOutgoing(stored.plan.outgoing),
      ...(stored.plan.reads ? { reads: stored.plan.reads } : {}),
    },
    cursor: stored.cursor,
    attempts: stored.attempts,
    results: loadResults(stored.results),
    ...(stored.repair ? { repair: stored.repair } : {}),
  };
}
