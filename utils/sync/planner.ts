/**
 * The steps that bring CoMagic to what the deals need, in the API's order (funnel and stages,
 * employees, contacts, history) and in as few requests as the API allows. Pure: what CoMagic
 * holds comes in as data, read beforehand by the runner.
 */
import type {
  CrmCompanyCreate,
  DealContact,
  DealContactRow,
  DealEmployee,
  DealHistoryRecord,
  DealUserFieldCreate,
  SalesFunnelCreate,
  SalesFunnelRow,
  SalesFunnelStageCreate,
  SalesFunnelStageUpdate,
  SalesFunnelUpdate,
} from '../comagic/schemas';
import { funnelCreatePayload, type MappingConfig } from '../mapping/funnel';
import { forDeal, issue, type MappingProblem } from '../mapping/problems';

/** `upload.deals_history` and `create.deal_contacts` take at most this many items per call. */
export const BATCH_LIMIT = 1000;

/** One deal's share of the work, after the ledger decided what it still needs. */
export interface OutgoingDeal {
  dealExtId: string;
  /** Records to upload, oldest first. */
  records: DealHistoryRecord[];
  contacts: DealContact[];
  employee: DealEmployee | null;
  /** Its contacts or owner may be new or changed since last sent: check them in CoMagic. */
  checkRefs: boolean;
  /** Deleted in CoMagic before its upload, which then carries all its records (see `repairNeed`). */
  repair?: boolean;
  /** The company its records name (`company_ext_id`). */
  company?: CrmCompanyCreate | null;
  /** The user fields its records fill. */
  userFields?: DealUserFieldCreate[];
}

/** What CoMagic holds, as read before planning. */
export interface ComagicState {
  /** `'in_sync'`: the funnel was made to match this mapping before and the mapping has not changed. */
  funnel: { row: SalesFunnelRow | null } | 'in_sync';
  employees: ReadonlySet<string>;
  contacts: ReadonlyMap<string, DealContactRow>;
  /** Ext_ids of the companies CoMagic holds, of those the work names; none read: none held. */
  companies?: ReadonlySet<string>;
  /** Ext_ids of the deal user fields CoMagic holds. */
  userFields?: ReadonlySet<string>;
}

/**
 * The reads made before planning to learn what CoMagic holds, kept to a budget: the history of the
 * deals this browser's ledger did not know (utils/sync/reconcile.ts), then the funnel, employees and
 * contacts the work needs.
 */
export interface PlanReads {
  /** Deals CoMagic was asked about. */
  deals: number;
  /** `get.deals_history` calls. */
  history: number;
  /** `get.sales_funnel`, `get.deal_employees` and `get.deal_contacts` calls. */
  entities: number;
}

export interface PlanInput {
  config: MappingConfig;
  deals: OutgoingDeal[];
  comagic: ComagicState;
}

/** [deal ext_id, first record index, end index] into the deal's outgoing records. */
export type UploadItem = [dealExtId: string, from: number, to: number];

export type Step =
  | { kind: 'create_funnel'; params: SalesFunnelCreate }
  | { kind: 'update_funnel'; params: SalesFunnelUpdate }
  | { kind: 'create_stage'; params: SalesFunnelStageCreate }
  | { kind: 'update_stage'; params: SalesFunnelStageUpdate }
  | { kind: 'create_employee'; params: DealEmployee }
  /** One call per company: `create.crm_company` takes one. */
  | { kind: 'create_company'; params: CrmCompanyCreate }
  | { kind: 'create_user_field'; params: DealUserFieldCreate }
  /** Contact ext_ids; the payloads come from the deals. */
  | { kind: 'create_contacts'; contacts: string[] }
  | { kind: 'update_contact'; contact: string }
  | { kind: 'delete_deal'; deal: string }
  | { kind: 'upload'; items: UploadItem[] };

export interface Plan {
  steps: Step[];
  /** Problems of the funnel: when one is an error, nothing can be sent. */
  problems: MappingProblem[];
}

interface FunnelDiff {
  create: SalesFunnelCreate | null;
  rename: SalesFunnelUpdate | null;
  newStages: SalesFunnelStageCreate[];
  changedStages: SalesFunnelStageUpdate[];
  problems: MappingProblem[];
}

const NO_FUNNEL_CHANGE: FunnelDiff = {
  create: null,
  rename: null,
  newStages: [],
  changedStages: [],
  problems: [],
};

function funnelProblem(code: string, field: string, message: { en: string; ru: string }): MappingProblem {
  return forDeal([issue('error', code, field, message)], null, null)[0] as MappingProblem;
}

/** What differs between the mapping's funnel and CoMagic's; stages are created only in process. */
export function diffFunnel(config: MappingConfig, row: SalesFunnelRow | null): FunnelDiff {
  const { params, problems } = funnelCreatePayload(config);
  if (!params) return { ...NO_FUNNEL_CHANGE, problems };
  if (!row) return { ...NO_FUNNEL_CHANGE, create: params, problems };
  const funnel = params.ext_id;
  const existing = new Map(row.stages.map((stage) => [stage.stage_ext_id, stage]));
  const diff: FunnelDiff = {
    ...NO_FUNNEL_CHANGE,
    rename: row.name === params.name ? null : { ext_id: funnel, name: params.name },
    newStages: [],
    changedStages: [],
    problems: [...problems],
  };
  for (const stage of params.stages.in_process) {
    const held = existing.get(stage.ext_id);
    if (!held) {
      diff.newStages.push({ sales_funnel_ext_id: funnel, ...stage });
      continue;
    }
    const patch: SalesFunnelStageUpdate = { sales_funnel_ext_id: funnel, ext_id: stage.ext_id };
    if (held.stage_name !== stage.name) patch.name = stage.name;
    if (held.stage_order !== stage.order) patch.order = stage.order;
    if (patch.name !== undefined || patch.order !== undefined) diff.changedStages.push(patch);
  }
  const conflicts = heldOrderConflicts(params, row);
  if (conflicts.length > 0) return { ...NO_FUNNEL_CHANGE, problems: [...problems, ...conflicts] };
  for (const status of ['success', 'failed'] as const) {
    const stage = params.stages[status];
    const held = existing.get(stage.ext_id);
    if (!held || held.stage_status !== status) {
      diff.problems.push(
        funnelProblem('terminal_stage_mismatch', `stages.${stage.ext_id}`, {
          en: `CoMagic funnel "${row.name}" has no ${status === 'success' ? 'won' : 'lost'} stage ${stage.ext_id}, and CoMagic cannot add one to an existing funnel. Map the ${status === 'success' ? 'won' : 'lost'} stage to the funnel's own in Options → Mapping.`,
          ru: `В воронке CoMagic «${row.name}» нет ${status === 'success' ? 'успешного' : 'проигранного'} этапа ${stage.ext_id}, а добавить его в существующую воронку CoMagic не позволяет. Сопоставьте этот этап с этапом воронки в Настройках → Сопоставление.`,
        }),
      );
    } else if (held.stage_name !== stage.name) {
      diff.changedStages.push({ sales_funnel_ext_id: funnel, ext_id: stage.ext_id, name: stage.name });
    }
  }
  return diff;
}

/**
 * In-process orders must stay unique in CoMagic's funnel, which also holds stages the mapping no
 * longer lists: an order one of those has would be refused (`invalid_parameter_value` on `order`).
 */
function heldOrderConflicts(params: SalesFunnelCreate, row: SalesFunnelRow): MappingProblem[] {
  const mapped = new Set(params.stages.in_process.map((stage) => stage.ext_id));
  const heldByOrder = new Map(
    row.stages
      .filter((stage) => stage.stage_status === 'in_process' && !mapped.has(stage.stage_ext_id))
      .map((stage) => [stage.stage_order, stage]),
  );
  return params.stages.in_process.flatMap((stage) => {
    const held = heldByOrder.get(stage.order);
    if (!held) return [];
    return [
      funnelProblem('stage_order_taken', `stages.${stage.ext_id}.order`, {
        en: `CoMagic funnel "${row.name}" already has stage "${held.stage_name}" at order ${stage.order}, which the mapping gives to "${stage.name}"; CoMagic needs a different order for each stage. Change the order in Options → Mapping.`,
        ru: `В воронке CoMagic «${row.name}» этап «${held.stage_name}» уже имеет порядковый номер ${stage.order}, который сопоставление даёт этапу «${stage.name}»; CoMagic нужен свой номер для каждого этапа. Измените номер в Настройках → Сопоставление.`,
      }),
    ];
  });
}

/**
 * Order changes go out so that no two stages share an order in between: moves up from the highest
 * target, then moves down from the lowest; new stages after them, into orders now free.
 */
function orderedStageUpdates(changed: SalesFunnelStageUpdate[], row: SalesFunnelRow | null) {
  const heldOrder = new Map(row?.stages.map((stage) => [stage.stage_ext_id, stage.stage_order]) ?? []);
  const movesUp = (update: SalesFunnelStageUpdate) =>
    update.order !== undefined && update.order > (heldOrder.get(update.ext_id) ?? 0);
  const up = changed.filter(movesUp).sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
  const rest = changed
    .filter((update) => !movesUp(update))
    .sort((a, b) => (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY));
  return [...up, ...rest];
}

function funnelSteps(diff: FunnelDiff, row: SalesFunnelRow | null): Step[] {
  if (diff.create) return [{ kind: 'create_funnel', params: diff.create }];
  return [
    ...(diff.rename ? [{ kind: 'update_funnel' as const, params: diff.rename }] : []),
    ...orderedStageUpdates(diff.changedStages, row).map((params) => ({
      kind: 'update_stage' as const,
      params,
    })),
    ...diff.newStages.map((params) => ({ kind: 'create_stage' as const, params })),
  ];
}

/** First payload per ext_id, in the order the deals give them. */
export function contactsOf(deals: readonly OutgoingDeal[]): Map<string, DealContact> {
  const contacts = new Map<string, DealContact>();
  for (const deal of deals) {
    if (!deal.checkRefs) continue;
    for (const contact of deal.contacts)
      if (!contacts.has(contact.ext_id)) contacts.set(contact.ext_id, contact);
  }
  return contacts;
}

export function employeesOf(deals: readonly OutgoingDeal[]): Map<string, DealEmployee> {
  const employees = new Map<string, DealEmployee>();
  for (const deal of deals) {
    if (deal.checkRefs && deal.employee && !employees.has(deal.employee.ext_id)) {
      employees.set(deal.employee.ext_id, deal.employee);
    }
  }
  return employees;
}

const sameSet = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) => {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((item) => right.has(item));
};

const digitsOnly = (phones: readonly string[] | null | undefined) =>
  (phones ?? []).map((phone) => phone.replace(/^\+/, ''));

/** CoMagic's contact differs from what the CRM shows (arrays compared as sets). */
export function contactChanged(wanted: DealContact, held: DealContactRow): boolean {
  return (
    wanted.name !== held.name ||
    !sameSet(digitsOnly(wanted.phone_numbers), digitsOnly(held.phone_numbers)) ||
    !sameSet(
      (wanted.emails ?? []).map((email) => email.toLowerCase()),
      (held.emails ?? []).map((email) => email.toLowerCase()),
    ) ||
    (wanted.created_date_time !== undefined && wanted.created_date_time !== held.created_date_time)
  );
}

interface ContactDiff {
  missing: string[];
  changed: string[];
}

export function diffContacts(deals: readonly OutgoingDeal[], held: ComagicState['contacts']): ContactDiff {
  const diff: ContactDiff = { missing: [], changed: [] };
  for (const [extId, contact] of contactsOf(deals)) {
    const row = held.get(extId);
    if (!row) diff.missing.push(extId);
    else if (contactChanged(contact, row)) diff.changed.push(extId);
  }
  return diff;
}

/** First payload per ext_id of the companies the records to send name. */
export function companiesOf(deals: readonly OutgoingDeal[]): Map<string, CrmCompanyCreate> {
  const companies = new Map<string, CrmCompanyCreate>();
  for (const deal of deals) {
    if (deal.records.length > 0 && deal.company && !companies.has(deal.company.ext_id)) {
      companies.set(deal.company.ext_id, deal.company);
    }
  }
  return companies;
}

/** The user fields the records to send fill, by ext_id. */
export function userFieldsOf(deals: readonly OutgoingDeal[]): Map<string, DealUserFieldCreate> {
  const fields = new Map<string, DealUserFieldCreate>();
  for (const deal of deals) {
    if (deal.records.length === 0) continue;
    for (const field of deal.userFields ?? []) if (!fields.has(field.ext_id)) fields.set(field.ext_id, field);
  }
  return fields;
}

/** What the records name that CoMagic does not hold yet: each made once, before the records. */
export function missingRefs(deals: readonly OutgoingDeal[], comagic: ComagicState) {
  const heldCompanies = comagic.companies ?? new Set<string>();
  const heldFields = comagic.userFields ?? new Set<string>();
  return {
    companies: [...companiesOf(deals).values()].filter((company) => !heldCompanies.has(company.ext_id)),
    userFields: [...userFieldsOf(deals).values()].filter((field) => !heldFields.has(field.ext_id)),
  };
}

export function missingEmployees(deals: readonly OutgoingDeal[], held: ReadonlySet<string>): DealEmployee[] {
  return [...employeesOf(deals).values()].filter((employee) => !held.has(employee.ext_id));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Records in batches of ≤ 1000, as few as the total allows. A deal's records stay in one batch
 * unless keeping them together would cost an extra call; then it is split at the batch boundary,
 * oldest part first (batches go out in order, so the API's ordering rule still holds).
 */
export function uploadBatches(deals: readonly { dealExtId: string; count: number }[]): UploadItem[][] {
  const total = deals.reduce((sum, deal) => sum + deal.count, 0);
  const minimum = Math.ceil(total / BATCH_LIMIT);
  const batches: UploadItem[][] = [];
  let batch: UploadItem[] = [];
  let room = BATCH_LIMIT;
  let left = total;
  const close = () => {
    batches.push(batch);
    batch = [];
    room = BATCH_LIMIT;
  };
  for (const { dealExtId, count } of deals) {
    let from = 0;
    if (count > room && batch.length > 0) {
      const batchesLeftAfter = minimum - batches.length - 1;
      if (left <= batchesLeftAfter * BATCH_LIMIT) close();
    }
    while (from < count) {
      const take = Math.min(room, count - from);
      batch.push([dealExtId, from, from + take]);
      from += take;
      room -= take;
      left -= take;
      if (room === 0) close();
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export function buildPlan(input: PlanInput): Plan {
  const { config, deals, comagic } = input;
  const row = comagic.funnel === 'in_sync' ? null : comagic.funnel.row;
  const diff = comagic.funnel === 'in_sync' ? NO_FUNNEL_CHANGE : diffFunnel(config, row);
  const contacts = diffContacts(deals, comagic.contacts);
  const refs = missingRefs(deals, comagic);
  const uploads = uploadBatches(
    deals
      .filter((deal) => deal.records.length > 0)
      .map((deal) => ({ dealExtId: deal.dealExtId, count: deal.records.length })),
  );
  const steps: Step[] = [
    ...funnelSteps(diff, row),
    ...missingEmployees(deals, comagic.employees).map((params) => ({
      kind: 'create_employee' as const,
      params,
    })),
    ...chunks(contacts.missing, BATCH_LIMIT).map((ids) => ({
      kind: 'create_contacts' as const,
      contacts: ids,
    })),
    ...contacts.changed.map((contact) => ({ kind: 'update_contact' as const, contact })),
    ...refs.companies.map((params) => ({ kind: 'create_company' as const, params })),
    ...refs.userFields.map((params) => ({ kind: 'create_user_field' as const, params })),
    // Last before the uploads: the deal is missing from CoMagic for as short a time as can be.
    ...deals
      .filter((deal) => deal.repair && deal.records.length > 0)
      .map((deal) => ({ kind: 'delete_deal' as const, deal: deal.dealExtId })),
    ...uploads.map((items) => ({ kind: 'upload' as const, items })),
  ];
  return { steps, problems: diff.problems };
}

/**
 * The fewest write requests the API allows for this data: one per funnel, stage or employee change
 * (no arrays there), one per contact update and per deal repaired (deleted), and full batches of
 * 1000 for contacts and records.
 * Reads that learn CoMagic's state come on top; a benchmark compares the calls made with this.
 */
export function minimumRequestCount(input: PlanInput): number {
  const { config, deals, comagic } = input;
  let count = 0;
  if (comagic.funnel !== 'in_sync') {
    const diff = diffFunnel(config, comagic.funnel.row);
    count += diff.create ? 1 : (diff.rename ? 1 : 0) + diff.newStages.length + diff.changedStages.length;
  }
  count += missingEmployees(deals, comagic.employees).length;
  const contacts = diffContacts(deals, comagic.contacts);
  count += Math.ceil(contacts.missing.length / BATCH_LIMIT) + contacts.changed.length;
  const refs = missingRefs(deals, comagic);
  count += refs.companies.length + refs.userFields.length;
  count += deals.filter((deal) => deal.repair && deal.records.length > 0).length;
  const records = deals.reduce((sum, deal) => sum + deal.records.length, 0);
  return count + Math.ceil(records / BATCH_LIMIT);
}
