/**
 * CoMagic as the ledger a team shares. Each browser keeps its own ledger, so before deals this one
 * does not know (or confirmed more than a day ago) are sent, CoMagic is asked what it holds of them:
 * a deal a colleague already sent is recorded as held and sends nothing, one that moved since sends
 * only the records after CoMagic's last stage (an older one would be refused, failing its batch).
 */
import { countedPages, type Page } from '../comagic/paging';
import type { DealHistoryRecord, DealHistoryRow, Filter } from '../comagic/schemas';
import { MAX_LIMIT } from '../comagic/schemas';
import { type DealPayloads, deliveryCleared, fingerprintDeal, type LedgerEntry, newEntry } from './ledger';

/** A ledger entry CoMagic confirmed longer ago than this may be stale: another browser may have sent since. */
export const CONFIRMATION_TTL_MS = 24 * 60 * 60 * 1000;

/** Deals per read: a call answers at most this many rows, and a deal held whole has one row at its last stage's day. */
export const DEALS_PER_READ = MAX_LIMIT;

/** What is needed to tell where CoMagic's history of a deal ends and whether its data is ours. */
export const HELD_FIELDS = [
  'ext_id',
  'stage_ext_id',
  'modified_stage_date_time',
  'created_date_time',
  'is_generated',
  'name',
  'revenue',
  'employee_ext_id',
  'main_contact_ext_id',
  'contact_ext_ids',
  'closed_date_time',
  'source',
] as const satisfies readonly (keyof DealHistoryRow)[];

/** The filter fields reconciliation uses. */
export type HistoryFilter = Filter<'ext_id' | 'modified_stage_date_time'>;

export type HeldRow = Pick<DealHistoryRow, (typeof HELD_FIELDS)[number]>;

/** Reads one page of `get.deals_history` with `HELD_FIELDS`, `limit` DEALS_PER_READ. */
export type ReadHistoryPage = (filter: HistoryFilter, offset: number) => Promise<Page<HeldRow>>;

export function needsReconcile(entry: LedgerEntry | null, now: number): boolean {
  if (!entry || entry.lastStageTime === null || entry.confirmedAt === undefined) return true;
  return now - entry.confirmedAt >= CONFIRMATION_TTL_MS;
}

/** At most: one read per DEALS_PER_READ deals (plus, for those not held at their last stage's day, one more). */
export function reconcileReads(deals: number): number {
  return Math.ceil(deals / DEALS_PER_READ);
}

export interface DealToCheck {
  dealExtId: string;
  /** `modified_stage_date_time` of the deal's last record as the CRM shows it now. */
  lastStageTime: string;
}

const dayStart = (dateTime: string) => `${dateTime.slice(0, 10)} 00:00:00`;

/**
 * The rows of each deal from the day of its last record on, in one filter per DEALS_PER_READ deals:
 * a deal CoMagic holds up to date answers with about one row, not its whole history. Deals are
 * grouped by that day, so the filter has one branch per day, not per deal.
 */
export function recentRowsFilters(deals: readonly DealToCheck[]): HistoryFilter[] {
  const filters: HistoryFilter[] = [];
  for (let start = 0; start < deals.length; start += DEALS_PER_READ) {
    const byDay = new Map<string, string[]>();
    for (const deal of deals.slice(start, start + DEALS_PER_READ)) {
      const day = dayStart(deal.lastStageTime);
      const ids = byDay.get(day) ?? [];
      ids.push(deal.dealExtId);
      byDay.set(day, ids);
    }
    const branches = [...byDay].map(
      ([day, ids]): HistoryFilter => ({
        filters: [
          { field: 'ext_id', operator: 'in', value: ids },
          { field: 'modified_stage_date_time', operator: '>=', value: day },
        ],
        condition: 'and',
      }),
    );
    filters.push(
      branches.length === 1 ? (branches[0] as HistoryFilter) : { filters: branches, condition: 'or' },
    );
  }
  return filters;
}

export function allRowsFilters(dealExtIds: readonly string[]): HistoryFilter[] {
  const filters: HistoryFilter[] = [];
  for (let start = 0; start < dealExtIds.length; start += DEALS_PER_READ) {
    filters.push({ field: 'ext_id', operator: 'in', value: dealExtIds.slice(start, start + DEALS_PER_READ) });
  }
  return filters;
}

/**
 * Each deal's last row: the latest stage time; at equal times the record sent, not one CoMagic
 * generated for a skipped stage (stamped with the same time, stored before it).
 */
export function lastHeldRows(rows: Iterable<HeldRow>): Map<string, HeldRow> {
  const last = new Map<string, HeldRow>();
  for (const row of rows) {
    const held = last.get(row.ext_id);
    const later =
      !held ||
      row.modified_stage_date_time > held.modified_stage_date_time ||
      (row.modified_stage_date_time === held.modified_stage_date_time && !row.is_generated);
    if (later) last.set(row.ext_id, row);
  }
  return last;
}

export interface HeldReading {
  /** Deal ext_id → CoMagic's last row of it; a deal asked about and absent here CoMagic lacks. */
  held: Map<string, HeldRow>;
  /** `get.deals_history` calls made. */
  reads: number;
}

async function readAll(
  filters: readonly HistoryFilter[],
  readPage: ReadHistoryPage,
  into: HeldRow[],
): Promise<number> {
  let reads = 0;
  for (const filter of filters) {
    const { rows, calls } = await countedPages((offset) => readPage(filter, offset), DEALS_PER_READ);
    into.push(...rows);
    reads += calls;
  }
  return reads;
}

/**
 * What CoMagic holds of `deals`: first the rows from each deal's last-record day on (about one per
 * deal held up to date); then, only for the deals that found none, all their rows, to tell a deal
 * CoMagic lacks from one it holds at an older stage.
 */
export async function readHeld(
  deals: readonly DealToCheck[],
  readPage: ReadHistoryPage,
): Promise<HeldReading> {
  const rows: HeldRow[] = [];
  let reads = await readAll(recentRowsFilters(deals), readPage, rows);
  const found = new Set(rows.map((row) => row.ext_id));
  const notFound = deals.filter((deal) => !found.has(deal.dealExtId)).map((deal) => deal.dealExtId);
  if (notFound.length > 0) reads += await readAll(allRowsFilters(notFound), readPage, rows);
  return { held: lastHeldRows(rows), reads };
}

const sameIds = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) => {
  const left = new Set(a ?? []);
  return left.size === new Set(b ?? []).size && (b ?? []).every((id) => left.has(id));
};

/** CoMagic's last row carries what the deal's last record would send (an update record would change nothing). */
export function rowMatches(row: HeldRow, record: DealHistoryRecord): boolean {
  return (
    row.stage_ext_id === record.stage_ext_id &&
    row.modified_stage_date_time === record.modified_stage_date_time &&
    row.created_date_time === record.created_date_time &&
    row.name === record.name &&
    (row.revenue ?? null) === (record.revenue ?? null) &&
    (row.employee_ext_id ?? null) === (record.employee_ext_id ?? null) &&
    (row.main_contact_ext_id ?? null) === (record.main_contact_ext_id ?? null) &&
    sameIds(row.contact_ext_ids, record.contact_ext_ids) &&
    (row.closed_date_time ?? null) === (record.closed_date_time ?? null) &&
    (row.source ?? null) === (record.source ?? null)
  );
}

/**
 * The ledger entry CoMagic's answer stands for, confirmed `now`; `null` when neither holds the
 * deal. Held at the deal's last record with its data, or at a later stage than the CRM shows here
 * (another browser read the CRM after this one): the deal's own fingerprint, so nothing is sent.
 * Held at an older stage: only the records after it go. What the browser saw of the deal stays.
 */
export function reconciledEntry(
  deal: DealPayloads,
  row: HeldRow | null,
  local: LedgerEntry | null,
  now: number,
): LedgerEntry | null {
  if (!row) return local ? deliveryCleared(local) : null;
  const last = deal.records.at(-1);
  const base = local ?? newEntry(now);
  const samePlace =
    local?.lastStageTime === row.modified_stage_date_time && local.lastStageExtId === row.stage_ext_id;
  const ahead =
    last !== undefined &&
    (row.modified_stage_date_time > last.modified_stage_date_time ||
      (row.modified_stage_date_time === last.modified_stage_date_time &&
        row.stage_ext_id !== last.stage_ext_id));
  const upToDate = last !== undefined && (ahead || rowMatches(row, last));
  return {
    ...base,
    lastStageTime: row.modified_stage_date_time,
    lastStageExtId: row.stage_ext_id,
    fingerprint: upToDate ? fingerprintDeal(deal) : samePlace ? base.fingerprint : null,
    lastModified: samePlace ? base.lastModified : null,
    created: row.created_date_time,
    partialOnly: samePlace ? base.partialOnly : false,
    confirmedAt: now,
  };
}
