/**
 * Executes one job of the outbox with the API client, step by step, recording each finished step.
 * A bad record is taken out of its batch (by the error's field path, else by bisection) and the rest
 * goes on; after an ambiguous failure CoMagic is asked what it holds before anything is re-sent.
 */
import {
  type ComagicClient,
  type ComagicError,
  type ComagicErrorInfo,
  countedPages,
  type DealContact,
  type DealContactRow,
  type DealHistoryRecord,
  describeError,
  inFilters,
  isComagicError,
  MAX_LIMIT,
  METHODS,
  type SalesFunnelRow,
  where,
} from '../comagic';
import { apiNow } from '../comagic/api-time';
import { fill, type Localized } from '../i18n';
import { fnv1a64 } from '../mapping/ext-ids';
import { funnelCreatePayload } from '../mapping/funnel';
import { hasError, type MappingProblem } from '../mapping/problems';
import type { FailureReason, JobDeal, JobDetail, JobPlan, JobSummary, Outgoing, PauseReason } from './job';
import { outgoingRecords } from './job';
import { canMove, type ErrorOutcome, errorOutcome, type JobStatus, RUNNABLE_STATUSES } from './job-status';
import {
  decideDeal,
  deliveryCleared,
  fingerprintDeal,
  type LedgerEntry,
  recordDelivered,
  refsChanged,
  repairNeed,
  undelivered,
} from './ledger';
import {
  type LedgerState,
  listJobs,
  progressOf,
  readDetail,
  readLedger,
  updateLedger,
  updateSummaries,
  updateSummary,
  writeDetail,
} from './outbox';
import {
  buildPlan,
  type ComagicState,
  companiesOf,
  contactsOf,
  employeesOf,
  type OutgoingDeal,
  type Step,
  type UploadItem,
  userFieldsOf,
} from './planner';
import { type DealReader, dropReading, readCards, rememberWholeReads } from './reading';
import { DEALS_PER_READ, HELD_FIELDS, needsReconcile, readHeld, reconciledEntry } from './reconcile';

export interface RunnerContext {
  /** `null` when no connection is set up. */
  client: ComagicClient | null;
  now: () => number;
  /** The account's zone, for the `modified_date_time` of update records. */
  timeZone: string;
  scheduleWake: (atMs: number) => void;
  /** The service was stopped (the worker is going away): write nothing more. */
  isStopped: () => boolean;
  /** Reads a whole-deal export's deals from the CRM; `null` where nothing can (tests of sending only). */
  reader: DealReader | null;
}

/** `next`: go on with the next job; `halt`: the queue waits (rate limit, connection, stop). */
export type RunResult = 'next' | 'halt';

const FUNNEL_STEPS: readonly Step['kind'][] = [
  'create_funnel',
  'update_funnel',
  'create_stage',
  'update_stage',
];

const TEXT = {
  fixAndResend: {
    en: 'Fix the deal in the CRM or the mapping in Options → Mapping, then send it again (or use "Retry failed").',
    ru: 'Исправьте сделку в CRM или сопоставление в Настройках → Сопоставление и отправьте её снова (или нажмите «Повторить неудачные»).',
  },
  olderThanHeld: {
    en: 'CoMagic already holds a later stage for this deal. Check the stage dates in the CRM; older stages cannot be added.',
    ru: 'В CoMagic у этой сделки уже есть более поздний этап. Проверьте даты этапов в CRM: более ранние этапы добавить нельзя.',
  },
  missingRef: {
    en: 'Something the deal refers to (contact, employee, stage) is missing in CoMagic. Send the deal again to create it.',
    ru: 'В CoMagic нет того, на что ссылается сделка (контакт, сотрудник, этап). Отправьте сделку снова, чтобы создать недостающее.',
  },
  waitLimit: {
    en: 'The CoMagic request limit is spent. The job goes on by itself at {time}.',
    ru: 'Лимит запросов к CoMagic исчерпан. Задание продолжится само в {time}.',
  },
  waitTransient: {
    en: 'CoMagic does not answer properly ({mnemonic}). The job tries again by itself at {time}.',
    ru: 'CoMagic отвечает с ошибкой ({mnemonic}). Задание повторит попытку само в {time}.',
  },
  connectionPaused: {
    en: '{error} The jobs go on by themselves once the connection is fixed in Options.',
    ru: '{error} Задания продолжатся сами, когда подключение будет исправлено в Настройках.',
  },
  noConnection: {
    en: 'No CoMagic connection is set up. Enter the API key in Options; the job then goes on by itself.',
    ru: 'Подключение к CoMagic не настроено. Укажите ключ API в Настройках, и задание продолжится само.',
  },
  jobFailed: {
    en: 'The job stopped: {error}',
    ru: 'Задание остановлено: {error}',
  },
  notSent: {
    en: 'Not sent: the job stopped before this deal.',
    ru: 'Не отправлено: задание остановилось раньше этой сделки.',
  },
  noReader: {
    en: 'This export reads its deals from the CRM, which cannot be done here. Export the board again.',
    ru: 'Эта выгрузка читает сделки из CRM, а здесь это невозможно. Выгрузите доску заново.',
  },
  payloadGone: {
    en: 'The job’s data is no longer stored, so it cannot go on. Export the deals again.',
    ru: 'Данные задания больше не хранятся, продолжить его нельзя. Выгрузите сделки заново.',
  },
} satisfies Record<string, Localized>;

const errorText = (info: ComagicErrorInfo): Localized => ({
  en: describeError(info, 'en'),
  ru: describeError(info, 'ru'),
});

/** An error that is not the API's (a bug, a refused write) is a fatal one, with its message. */
function errorInfoOf(error: unknown): ComagicErrorInfo {
  if (isComagicError(error)) return error.info;
  return {
    class: 'fatal',
    code: null,
    mnemonic: 'internal',
    field: null,
    value: null,
    message: error instanceof Error ? error.message : String(error),
  };
}

function apiFailure(info: ComagicErrorInfo): FailureReason {
  const action =
    info.mnemonic === 'invalid_date_time'
      ? TEXT.olderThanHeld
      : info.mnemonic === 'entity_not_found'
        ? TEXT.missingRef
        : TEXT.fixAndResend;
  return { code: info.mnemonic, field: info.field, message: errorText(info), action };
}

function problemFailure(problem: MappingProblem): FailureReason {
  return { code: problem.code, field: problem.field, message: problem.message, action: TEXT.fixAndResend };
}

export function funnelFingerprint(detail: Pick<JobDetail, 'config'>): string | null {
  const { params } = funnelCreatePayload(detail.config);
  return params ? fnv1a64(JSON.stringify(params)) : null;
}

/** `deals.17.stage_ext_id` → 17 (for `prefix` `deals`). */
export function itemIndex(field: string | null, prefix: string): number | null {
  const match = field ? new RegExp(`^${prefix}\\.(\\d+)(?:\\.|$)`).exec(field) : null;
  return match ? Number(match[1]) : null;
}

const formatTime = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

interface QueuedRecord {
  dealExtId: string;
  record: DealHistoryRecord;
  /** The deal's last outgoing record: once it lands, the deal is sent. */
  final: boolean;
}

interface JobContact {
  /** The first payload the deals give for it. */
  payload: DealContact;
  dealExtIds: string[];
}

/** Contact ext_id → its payload and the deals that name it, so a step never scans every deal. */
function contactsIndex(deals: Iterable<JobDeal>): Map<string, JobContact> {
  const index = new Map<string, JobContact>();
  for (const deal of deals) {
    for (const contact of deal.contacts) {
      const known = index.get(contact.ext_id);
      if (!known) index.set(contact.ext_id, { payload: contact, dealExtIds: [deal.dealExtId] });
      else if (known.dealExtIds.at(-1) !== deal.dealExtId) known.dealExtIds.push(deal.dealExtId);
    }
  }
  return index;
}

class JobRun {
  /**
   * The ledger as this run last read or wrote it. Deliveries are recorded only by the running job,
   * and one job runs at a time, so after the first read the run's own writes keep it current.
   */
  private ledger: LedgerState | null = null;
  private contactsById: Map<string, JobContact> | null = null;

  constructor(
    private readonly id: string,
    private readonly detail: JobDetail,
    private readonly deals: Map<string, JobDeal>,
    private readonly ctx: RunnerContext,
    private readonly dryRun: boolean,
  ) {}

  private get client(): ComagicClient {
    if (!this.ctx.client) throw new Error('no client');
    return this.ctx.client;
  }

  private now(): number {
    return this.ctx.now();
  }

  private setResult(dealExtId: string, status: 'sent' | 'skipped') {
    const current = this.detail.results[dealExtId];
    if (!current || current.status === 'failed') return;
    this.detail.results[dealExtId] = { dealExtId, status, at: this.now(), reason: null };
  }

  failDeal(dealExtId: string, reason: FailureReason): void {
    const current = this.detail.results[dealExtId];
    if (current?.status === 'failed') return;
    this.detail.results[dealExtId] = { dealExtId, status: 'failed', at: this.now(), reason };
  }

  private isFailed(dealExtId: string): boolean {
    return this.detail.results[dealExtId]?.status === 'failed';
  }

  async save(): Promise<void> {
    if (this.ctx.isStopped()) return;
    await writeDetail(this.id, this.detail);
    const progress = progressOf(this.detail);
    await updateSummary(this.id, (job) => ({ ...job, ...progress }));
  }

  // Planning.

  /** Decides per deal from the ledger, reads what CoMagic holds and stores the plan. */
  async plan(): Promise<MappingProblem[]> {
    const ledger = await readLedger();
    const modifiedAt = apiNow(this.now(), this.ctx.timeZone);
    const outgoing: Record<string, Outgoing> = {};
    const work: OutgoingDeal[] = [];
    const repairs = new Set(this.detail.repair);
    const reconciled = await this.reconcile(ledger, repairs);
    for (const deal of this.deals.values()) {
      if (this.isFailed(deal.dealExtId)) continue;
      if (!deal.sendable) {
        const problem = deal.problems.find((found) => found.severity === 'error');
        this.failDeal(
          deal.dealExtId,
          problem
            ? problemFailure(problem)
            : { code: 'nothing_to_send', field: null, message: TEXT.fixAndResend, action: TEXT.fixAndResend },
        );
        continue;
      }
      const held = ledger.deals.get(deal.dealExtId) ?? null;
      // Checked again here: a second repair queued before the first ran finds nothing to repair.
      const repair = repairs.has(deal.dealExtId) && repairNeed(deal, held) !== null;
      // A repaired deal is deleted in CoMagic before its upload: planned as if never sent.
      const entry = repair ? null : held;
      const decision = decideDeal(deal, entry, modifiedAt);
      if (decision.status === 'unchanged') {
        this.setResult(deal.dealExtId, 'skipped');
        continue;
      }
      const update = decision.status === 'changed' ? decision.records[0] : null;
      outgoing[deal.dealExtId] = {
        from: update
          ? deal.records.length - 1
          : deal.records.indexOf(decision.records[0] as DealHistoryRecord),
        update: update
          ? {
              stageTime: update.modified_stage_date_time,
              modifiedAt: update.modified_date_time ?? modifiedAt,
            }
          : null,
      };
      work.push({
        dealExtId: deal.dealExtId,
        records: decision.records,
        contacts: deal.contacts,
        employee: deal.employee,
        checkRefs: refsChanged(deal, entry),
        company: deal.company ?? null,
        userFields: deal.userFields ?? [],
        repair,
      });
    }
    const fingerprint = funnelFingerprint(this.detail);
    const inSync =
      fingerprint !== null && ledger.funnels.get(this.detail.config.funnel.extId) === fingerprint;
    if (work.length === 0 && inSync) {
      const reads = { deals: reconciled.deals, history: reconciled.calls, entities: 0 };
      this.detail.plan = { steps: [], outgoing, reads };
      return [];
    }
    const { comagic, calls } = await this.readComagic(work, inSync);
    const reads = { deals: reconciled.deals, history: reconciled.calls, entities: calls };
    const { steps, problems } = buildPlan({ config: this.detail.config, deals: work, comagic });
    this.detail.plan = { steps, outgoing, reads };
    if (hasError(problems)) return problems;
    if (!steps.some((step) => FUNNEL_STEPS.includes(step.kind))) await this.markFunnelInSync();
    return problems;
  }

  /**
   * Asks CoMagic what it holds of the deals this browser's ledger does not know or confirmed over a
   * day ago (another browser may have sent them), and takes the answer into `ledger`, stored too
   * unless a dry run: the plan then sends only what CoMagic lacks. The deals asked about and the
   * `get.deals_history` calls it took.
   */
  private async reconcile(
    ledger: LedgerState,
    repairs: ReadonlySet<string>,
  ): Promise<{ deals: number; calls: number }> {
    const client = this.ctx.client;
    const now = this.now();
    const toCheck = [...this.deals.values()].filter(
      (deal) =>
        deal.sendable &&
        deal.records.length > 0 &&
        !repairs.has(deal.dealExtId) &&
        !this.isFailed(deal.dealExtId) &&
        needsReconcile(ledger.deals.get(deal.dealExtId) ?? null, now),
    );
    if (!client || toCheck.length === 0) return { deals: 0, calls: 0 };
    const { held, reads } = await readHeld(
      toCheck.map((deal) => ({
        dealExtId: deal.dealExtId,
        lastStageTime: (deal.records.at(-1) as DealHistoryRecord).modified_stage_date_time,
      })),
      (filter, offset) =>
        client.list('get.deals_history', { filter, offset, limit: DEALS_PER_READ, fields: [...HELD_FIELDS] }),
    );
    const entries = new Map<string, LedgerEntry>();
    for (const deal of toCheck) {
      const local = ledger.deals.get(deal.dealExtId) ?? null;
      const entry = reconciledEntry(deal, held.get(deal.dealExtId) ?? null, local, now);
      if (entry) entries.set(deal.dealExtId, entry);
    }
    for (const [dealExtId, entry] of entries) ledger.deals.set(dealExtId, entry);
    if (!this.dryRun && !this.ctx.isStopped() && entries.size > 0) {
      await updateLedger((stored) => {
        // What the browser observed since the read above stays its own.
        for (const [dealExtId, entry] of entries) {
          const observed = stored.deals.get(dealExtId)?.observed ?? entry.observed;
          stored.deals.set(dealExtId, { ...entry, observed });
        }
      });
    }
    return { deals: toCheck.length, calls: reads };
  }

  /** What CoMagic holds of the funnel, employees and contacts the work needs: one read per kind per 10,000. */
  private async readComagic(
    work: OutgoingDeal[],
    inSync: boolean,
  ): Promise<{ comagic: ComagicState; calls: number }> {
    const client = this.ctx.client;
    if (!client) {
      const funnel = inSync ? ('in_sync' as const) : { row: null };
      return { comagic: { funnel, employees: new Set(), contacts: new Map() }, calls: 0 };
    }
    let calls = 0;
    let funnel: ComagicState['funnel'] = 'in_sync';
    if (!inSync) {
      const page = await client.list('get.sales_funnel', {
        filter: where('ext_id', '=', this.detail.config.funnel.extId),
      });
      calls += 1;
      funnel = { row: (page.rows[0] as SalesFunnelRow | undefined) ?? null };
    }
    const employees = new Set<string>();
    for (const filter of inFilters('ext_id', [...employeesOf(work).keys()], MAX_LIMIT)) {
      const read = await countedPages(
        (offset) =>
          client.list('get.deal_employees', { filter, offset, limit: MAX_LIMIT, fields: ['ext_id'] }),
        MAX_LIMIT,
      );
      calls += read.calls;
      for (const row of read.rows) employees.add(row.ext_id);
    }
    const contacts = new Map<string, DealContactRow>();
    for (const filter of inFilters('ext_id', [...contactsOf(work).keys()], MAX_LIMIT)) {
      const read = await countedPages(
        (offset) => client.list('get.deal_contacts', { filter, offset, limit: MAX_LIMIT }),
        MAX_LIMIT,
      );
      calls += read.calls;
      for (const row of read.rows) contacts.set(row.ext_id, row as DealContactRow);
    }
    // The companies and user fields the records name, looked up before any is made.
    const companies = new Set<string>();
    for (const filter of inFilters('ext_id', [...companiesOf(work).keys()], MAX_LIMIT)) {
      const read = await countedPages(
        (offset) =>
          client.list('get.crm_companies', { filter, offset, limit: MAX_LIMIT, fields: ['ext_id'] }),
        MAX_LIMIT,
      );
      calls += read.calls;
      for (const row of read.rows) companies.add(row.ext_id);
    }
    const userFields = new Set<string>();
    if (userFieldsOf(work).size > 0) {
      const read = await countedPages(
        (offset) => client.list('get.deal_user_fields', { offset, limit: MAX_LIMIT, fields: ['ext_id'] }),
        MAX_LIMIT,
      );
      calls += read.calls;
      for (const row of read.rows) userFields.add(row.ext_id);
    }
    return { comagic: { funnel, employees, contacts, companies, userFields }, calls };
  }

  private async markFunnelInSync(): Promise<void> {
    const fingerprint = funnelFingerprint(this.detail);
    if (this.dryRun || fingerprint === null || this.ctx.isStopped()) return;
    const funnelExtId = this.detail.config.funnel.extId;
    await updateLedger((ledger) => {
      ledger.funnels.set(funnelExtId, fingerprint);
    });
  }

  // Steps.

  private get planned(): JobPlan {
    if (!this.detail.plan) throw new Error('no plan');
    return this.detail.plan;
  }

  private contact(extId: string): JobContact | undefined {
    this.contactsById ??= contactsIndex(this.deals.values());
    return this.contactsById.get(extId);
  }

  private dealsWithContact(contactExtId: string): string[] {
    return this.contact(contactExtId)?.dealExtIds ?? [];
  }

  private contactPayload(extId: string): DealContact {
    const found = this.contact(extId);
    if (!found) throw new Error(`contact ${extId} is not in the job`);
    return found.payload;
  }

  /** `ambiguous`: an earlier try of this step may have landed without us hearing the answer. */
  async runStep(step: Step, ambiguous: boolean): Promise<void> {
    switch (step.kind) {
      case 'create_funnel':
        return this.create(() => this.client.call('create.sales_funnel', step.params));
      case 'create_stage':
        return this.create(() => this.client.call('create.sales_funnel_stages', step.params));
      case 'update_funnel':
        await this.client.call('update.sales_funnel', step.params);
        return;
      case 'update_stage':
        await this.client.call('update.sales_funnel_stages', step.params);
        return;
      case 'create_employee':
        return this.createEmployee(step);
      case 'create_company':
        return this.create(() => this.client.call('create.crm_company', step.params));
      case 'create_user_field':
        return this.create(() => this.client.call('create.deal_user_field', step.params));
      case 'create_contacts':
        return this.createContacts(
          step.contacts.filter((id) => this.contactStillNeeded(id)),
          ambiguous,
        );
      case 'update_contact':
        return this.updateContact(step.contact);
      case 'delete_deal':
        return this.deleteDeal(step.deal);
      case 'upload':
        return this.upload(step.items, ambiguous);
    }
  }

  /** A create answered `duplicate_entity` exists already: ours from a try whose answer was lost. */
  private async create(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (isComagicError(error) && error.info.mnemonic === 'duplicate_entity') return;
      throw error;
    }
  }

  private async createEmployee(step: Extract<Step, { kind: 'create_employee' }>): Promise<void> {
    try {
      await this.create(() => this.client.call('create.deal_employees', step.params));
    } catch (error) {
      if (!isComagicError(error) || error.info.class !== 'validation') throw error;
      for (const deal of this.deals.values()) {
        if (deal.employee?.ext_id === step.params.ext_id)
          this.failDeal(deal.dealExtId, apiFailure(error.info));
      }
    }
  }

  private contactStillNeeded(contactExtId: string): boolean {
    return this.dealsWithContact(contactExtId).some((dealExtId) => !this.isFailed(dealExtId));
  }

  private failContact(contactExtId: string, info: ComagicErrorInfo): void {
    for (const dealExtId of this.dealsWithContact(contactExtId)) this.failDeal(dealExtId, apiFailure(info));
  }

  private async createContacts(ids: string[], ambiguous: boolean): Promise<void> {
    let pending = ids;
    if (ambiguous && pending.length > 0) pending = await this.contactsNotHeld(pending);
    if (pending.length === 0) return;
    try {
      await this.client.call('create.deal_contacts', {
        contacts: pending.map((id) => this.contactPayload(id)),
      });
    } catch (error) {
      if (!isComagicError(error) || error.info.class !== 'validation') throw error;
      if (error.info.mnemonic === 'duplicate_entity') {
        const missing = await this.contactsNotHeld(pending);
        if (missing.length < pending.length) return this.createContacts(missing, false);
      }
      const index = itemIndex(error.info.field, 'contacts');
      const bad = index === null ? (pending.length === 1 ? pending[0] : undefined) : pending[index];
      if (bad !== undefined) {
        this.failContact(bad, error.info);
        return this.createContacts(
          pending.filter((id) => id !== bad),
          false,
        );
      }
      const half = Math.ceil(pending.length / 2);
      await this.createContacts(pending.slice(0, half), false);
      await this.createContacts(pending.slice(half), false);
    }
  }

  private async contactsNotHeld(ids: string[]): Promise<string[]> {
    const held = await this.client.getAllIn('get.deal_contacts', 'ext_id', ids, { fields: ['ext_id'] });
    const heldIds = new Set(held.map((row) => row.ext_id));
    return ids.filter((id) => !heldIds.has(id));
  }

  private async updateContact(extId: string): Promise<void> {
    if (!this.contactStillNeeded(extId)) return;
    try {
      await this.client.call('update.deal_contacts', this.contactPayload(extId));
    } catch (error) {
      if (!isComagicError(error) || error.info.class !== 'validation') throw error;
      this.failContact(extId, error.info);
    }
  }

  /**
   * A deal not found is not there: what a re-run after a lost answer sees. The ledger entry is
   * cleared only after, so a run stopped in between deletes again and finds nothing.
   */
  private async deleteDeal(dealExtId: string): Promise<void> {
    // A deal failed before its upload (a refused contact) would be left deleted.
    if (this.isFailed(dealExtId)) return;
    try {
      await this.client.call('delete.deals', { ext_id: dealExtId });
    } catch (error) {
      if (!isComagicError(error) || error.info.mnemonic !== 'entity_not_found') throw error;
    }
    if (this.ctx.isStopped()) return;
    let written: LedgerState | null = null;
    await updateLedger((ledger) => {
      const entry = ledger.deals.get(dealExtId);
      if (entry) ledger.deals.set(dealExtId, deliveryCleared(entry));
      written = ledger;
    });
    this.ledger = written;
  }

  private queuedRecords(items: UploadItem[]): QueuedRecord[] {
    const ledger = this.ledger;
    const queued: QueuedRecord[] = [];
    for (const [dealExtId, from, to] of items) {
      const deal = this.deals.get(dealExtId);
      const outgoing = this.planned.outgoing[dealExtId];
      if (!deal || !outgoing || this.isFailed(dealExtId)) continue;
      const all = outgoingRecords(deal, outgoing);
      const left = undelivered(all, ledger?.deals.get(dealExtId), outgoing.update !== null);
      const firstLeft = all.length - left.length;
      all.slice(Math.max(from, firstLeft), to).forEach((record, offset) => {
        const index = Math.max(from, firstLeft) + offset;
        queued.push({ dealExtId, record, final: index === all.length - 1 });
      });
    }
    return queued;
  }

  private async upload(items: UploadItem[], ambiguous: boolean): Promise<void> {
    this.ledger ??= await readLedger();
    let queued = this.queuedRecords(items);
    if (ambiguous && queued.length > 0) queued = await this.dropHeld(queued);
    await this.sendRecords(queued);
  }

  /**
   * Records CoMagic already holds (the same stage at the same time in get.deals_history) are
   * recorded as delivered and left out; an older record it does not hold stays, to be reported.
   */
  private async dropHeld(queued: QueuedRecord[]): Promise<QueuedRecord[]> {
    const dealIds = [...new Set(queued.map((item) => item.dealExtId))];
    const rows = await this.client.getAllIn('get.deals_history', 'ext_id', dealIds, {
      fields: ['ext_id', 'stage_ext_id', 'modified_stage_date_time'],
    });
    const byDeal = new Map<string, { stage: string; time: string }[]>();
    for (const row of rows) {
      const list = byDeal.get(row.ext_id) ?? [];
      list.push({ stage: row.stage_ext_id, time: row.modified_stage_date_time });
      byDeal.set(row.ext_id, list);
    }
    const held: QueuedRecord[] = [];
    const left: QueuedRecord[] = [];
    for (const item of queued) {
      const stored = byDeal.get(item.dealExtId) ?? [];
      const { modified_stage_date_time: time, stage_ext_id: stage } = item.record;
      // An update record repeats the last stage: re-sending it is harmless, and it cannot be told apart.
      const isUpdate = this.planned.outgoing[item.dealExtId]?.update !== null;
      const isHeld = !isUpdate && stored.some((row) => row.time === time && row.stage === stage);
      (isHeld ? held : left).push(item);
    }
    if (held.length > 0) await this.delivered(held);
    return left;
  }

  private async delivered(items: QueuedRecord[]): Promise<void> {
    const now = this.now();
    for (const item of items) if (item.final) this.setResult(item.dealExtId, 'sent');
    if (this.ctx.isStopped()) return;
    let written: LedgerState | null = null;
    await updateLedger((ledger) => {
      for (const item of items) {
        const deal = item.final ? this.deals.get(item.dealExtId) : undefined;
        const fingerprint = deal ? fingerprintDeal(deal) : null;
        ledger.deals.set(
          item.dealExtId,
          recordDelivered(
            ledger.deals.get(item.dealExtId) ?? null,
            item.record,
            fingerprint,
            now,
            this.deals.get(item.dealExtId)?.partial,
          ),
        );
      }
      written = ledger;
    });
    // Only once stored: a failed write leaves the run believing less was delivered, never more.
    this.ledger = written;
  }

  /** One call for the batch; a validation error takes out the deal it names, or halves the batch. */
  private async sendRecords(queued: QueuedRecord[]): Promise<void> {
    if (queued.length === 0) return;
    try {
      await this.client.call('upload.deals_history', { deals: queued.map((item) => item.record) });
    } catch (error) {
      if (!isComagicError(error) || error.info.class !== 'validation') throw error;
      return this.isolate(queued, error);
    }
    await this.delivered(queued);
  }

  private async isolate(queued: QueuedRecord[], error: ComagicError): Promise<void> {
    if (error.info.mnemonic === 'invalid_date_time') {
      // Also what a lost answer followed by the client's own retry looks like: check first.
      const left = await this.dropHeld(queued);
      if (left.length < queued.length) return this.sendRecords(left);
    }
    const index = itemIndex(error.info.field, 'deals');
    const dealIds = [...new Set(queued.map((item) => item.dealExtId))];
    const bad = index === null ? (dealIds.length === 1 ? dealIds[0] : undefined) : queued[index]?.dealExtId;
    if (bad !== undefined) {
      this.failDeal(bad, apiFailure(error.info));
      return this.sendRecords(queued.filter((item) => item.dealExtId !== bad));
    }
    const firstHalf = new Set(dealIds.slice(0, Math.ceil(dealIds.length / 2)));
    await this.sendRecords(queued.filter((item) => firstHalf.has(item.dealExtId)));
    await this.sendRecords(queued.filter((item) => !firstHalf.has(item.dealExtId)));
  }

  // Dry run.

  /**
   * Every payload the plan would send, checked against the API's schemas; bad deals are failed and
   * the others stay `pending` (would be sent).
   */
  validatePlan(): void {
    for (const step of this.planned.steps) {
      if (step.kind === 'upload') {
        this.validateItems(
          this.queuedRecords(step.items).map((item) => ({ dealIds: [item.dealExtId], payload: item.record })),
          'upload.deals_history',
          'deals',
        );
      } else if (step.kind === 'create_contacts') {
        this.validateItems(
          step.contacts.map((id) => ({
            dealIds: this.dealsWithContact(id),
            payload: this.contactPayload(id),
          })),
          'create.deal_contacts',
          'contacts',
        );
      }
    }
  }

  private validateItems(
    items: { dealIds: string[]; payload: unknown }[],
    method: 'upload.deals_history' | 'create.deal_contacts',
    key: 'deals' | 'contacts',
  ): void {
    if (items.length === 0) return;
    const checked = METHODS[method].params.safeParse({ [key]: items.map((item) => item.payload) });
    if (checked.success) return;
    for (const issue of checked.error.issues) {
      const index = typeof issue.path[1] === 'number' ? issue.path[1] : null;
      const item = index === null ? undefined : items[index];
      const info: ComagicErrorInfo = {
        class: 'validation',
        code: null,
        mnemonic: 'invalid_parameter_value',
        field: issue.path.join('.'),
        value: null,
        message: issue.message,
      };
      for (const dealExtId of item?.dealIds ?? []) this.failDeal(dealExtId, apiFailure(info));
    }
  }

  // Running.

  async execute(interrupted: boolean): Promise<RunResult> {
    const steps = this.planned.steps;
    const startCursor = this.detail.cursor;
    while (this.detail.cursor < steps.length) {
      if (this.ctx.isStopped()) return 'halt';
      const current = (await listSummary(this.id))?.status;
      if (current !== 'running') return 'next';
      const index = this.detail.cursor;
      const step = steps[index] as Step;
      const ambiguous = this.detail.attempts > 0 || (interrupted && index === startCursor);
      try {
        await this.runStep(step, ambiguous);
      } catch (error) {
        if (this.ctx.isStopped()) return 'halt';
        const handled = await this.onError(error);
        if (handled === 'retry') continue;
        return handled;
      }
      if (this.ctx.isStopped()) return 'halt';
      this.detail.cursor = index + 1;
      this.detail.attempts = 0;
      const next = steps[index + 1];
      if (FUNNEL_STEPS.includes(step.kind) && (!next || !FUNNEL_STEPS.includes(next.kind))) {
        await this.markFunnelInSync();
      }
      await this.save();
    }
    return this.finish('done', null);
  }

  private async onError(error: unknown): Promise<RunResult | 'retry'> {
    const info = errorInfoOf(error);
    const outcome = errorOutcome(info, this.detail.attempts);
    if ('tries' in outcome) {
      this.detail.attempts = outcome.tries;
      await this.save();
    }
    return outcome.kind === 'retry' ? 'retry' : this.stopFor(outcome, info);
  }

  /** The error policy's outcome (utils/sync/job-status.ts), while planning or running a step alike. */
  async stopFor(
    outcome: Exclude<ErrorOutcome, { kind: 'retry' }>,
    info: ComagicErrorInfo,
  ): Promise<RunResult> {
    switch (outcome.kind) {
      case 'wait': {
        const text = outcome.cause === 'rate' ? TEXT.waitLimit : TEXT.waitTransient;
        const time = formatTime(this.now() + outcome.ms);
        return this.wait(outcome.ms, fill(text, { mnemonic: info.mnemonic, time }));
      }
      case 'pause':
        await this.save();
        await pauseForConnection(outcome.reason, errorText(info));
        return 'halt';
      case 'fail':
        for (const result of Object.values(this.detail.results)) {
          if (result.status === 'pending') this.failDeal(result.dealExtId, apiFailure(info));
        }
        return this.finish('failed', fill(TEXT.jobFailed, { error: errorText(info) }));
    }
  }

  private async wait(ms: number, message: Localized): Promise<RunResult> {
    const resumeAt = this.now() + ms;
    await this.save();
    await setStatus(this.id, 'waiting', { resumeAt, message });
    this.ctx.scheduleWake(resumeAt);
    return 'halt';
  }

  async finish(status: 'done' | 'failed', message: Localized | null): Promise<RunResult> {
    if (status === 'failed') {
      for (const result of Object.values(this.detail.results)) {
        if (result.status === 'pending') {
          this.failDeal(result.dealExtId, {
            code: 'job_failed',
            field: null,
            message: TEXT.notSent,
            action: TEXT.fixAndResend,
          });
        }
      }
    }
    await this.save();
    if (!this.dryRun) await rememberWholeReads(this.detail);
    await setStatus(this.id, status, { message, finishedAt: this.now() });
    return 'next';
  }

  failAll(problems: MappingProblem[]): Promise<RunResult> {
    const problem = problems.find((found) => found.severity === 'error') as MappingProblem;
    for (const result of Object.values(this.detail.results)) {
      if (result.status === 'pending') this.failDeal(result.dealExtId, problemFailure(problem));
    }
    return this.finish('failed', problem.message);
  }
}

async function listSummary(id: string): Promise<JobSummary | null> {
  return (await listJobs()).find((job) => job.id === id) ?? null;
}

/** Only a running job changes status here: a pause or cancel by the user wins over the runner. */
function setStatus(
  id: string,
  status: JobStatus,
  patch: Partial<Pick<JobSummary, 'message' | 'resumeAt' | 'finishedAt'>>,
): Promise<JobSummary | null> {
  return updateSummary(id, (job) =>
    job.status === 'running' && canMove(job.status, status)
      ? { ...job, status, pauseReason: null, resumeAt: null, ...patch }
      : null,
  );
}

/** A token, rights or component problem stops every job until the connection changes. */
export async function pauseForConnection(reason: PauseReason, error: Localized): Promise<void> {
  const text = fill(TEXT.connectionPaused, { error });
  await updateSummaries((job) =>
    canMove(job.status, 'paused')
      ? { ...job, status: 'paused', pauseReason: reason, message: text, resumeAt: null }
      : null,
  );
}

/**
 * A whole-deal export's reading; `null` once every card is read, else what the queue does next: a
 * job paused for a CRM login lets the others go on, a busy CRM makes it wait for an alarm.
 */
async function readWhole(
  id: string,
  site: string,
  detail: JobDetail,
  ctx: RunnerContext,
): Promise<RunResult | null> {
  if (!ctx.reader) {
    await setStatus(id, 'failed', { message: TEXT.noReader, finishedAt: ctx.now() });
    return 'next';
  }
  const read = await readCards({ id, site }, detail, ctx.reader, {
    stillRunning: async () => (await listSummary(id))?.status === 'running',
    isStopped: ctx.isStopped,
    progress: async (done) => {
      await updateSummary(id, (job) => ({ ...job, ...progressOf(done) }));
    },
    now: ctx.now,
  });
  if (read.kind === 'done') return null;
  if (read.kind === 'interrupted') {
    if (ctx.isStopped()) return 'halt';
    if ((await listSummary(id))?.status === 'cancelled') await dropReading(id, detail);
    return 'next';
  }
  const { stop } = read;
  if (stop.kind === 'busy') {
    const resumeAt = ctx.now() + stop.retryAfterMs;
    await setStatus(id, 'waiting', { resumeAt, message: stop.message });
    ctx.scheduleWake(resumeAt);
    return 'halt';
  }
  await updateSummary(id, (job) =>
    job.status === 'running'
      ? { ...job, status: 'paused', pauseReason: 'crm', message: stop.message, resumeAt: null }
      : null,
  );
  return 'next';
}

/** Runs one job as far as it goes now. */
export async function runJob(id: string, ctx: RunnerContext): Promise<RunResult> {
  const before = await listSummary(id);
  if (!before || !RUNNABLE_STATUSES.includes(before.status)) return 'next';
  if (before.status === 'waiting' && before.resumeAt !== null && before.resumeAt > ctx.now()) return 'halt';
  const interrupted = before.status === 'running';
  const started = await updateSummary(id, (job) =>
    canMove(job.status, 'running')
      ? { ...job, status: 'running', resumeAt: null, message: null, startedAt: job.startedAt ?? ctx.now() }
      : null,
  );
  if (started?.status !== 'running') return 'next';
  const detail = await readDetail(id);
  if (!detail?.deals) {
    await setStatus(id, 'failed', { message: TEXT.payloadGone, finishedAt: ctx.now() });
    return 'next';
  }
  if (!ctx.client && !before.dryRun) {
    await updateSummary(id, (job) =>
      job.status === 'running'
        ? { ...job, status: 'paused', pauseReason: 'connection', message: TEXT.noConnection }
        : null,
    );
    return 'halt';
  }
  if (detail.reading && detail.reading.done < detail.reading.cards.length) {
    const read = await readWhole(id, before.site, detail, ctx);
    if (read !== null) return read;
  }
  const run = new JobRun(
    id,
    detail,
    new Map(detail.deals.map((deal) => [deal.dealExtId, deal])),
    ctx,
    before.dryRun,
  );
  // Planning's tries are counted in this run only.
  for (let tries = 0; !detail.plan; ) {
    try {
      const problems = await run.plan();
      if (hasError(problems)) return run.failAll(problems);
      await run.save();
    } catch (error) {
      if (ctx.isStopped()) return 'halt';
      // A plan is stored whole or made again: never one whose making failed part-way.
      detail.plan = null;
      const info = errorInfoOf(error);
      const outcome = errorOutcome(info, tries);
      if (outcome.kind !== 'retry') return run.stopFor(outcome, info);
      tries = outcome.tries;
    }
  }
  if (before.dryRun) {
    run.validatePlan();
    return run.finish('done', null);
  }
  return run.execute(interrupted);
}
