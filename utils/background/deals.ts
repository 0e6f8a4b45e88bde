/**
 * From what a CRM page shows to what the popup previews and the outbox sends: the same mapping
 * output for both, so what the user previews is what goes over the wire.
 */

import { apiNow, apiTimeToInstant } from '../comagic/api-time';
import type { CrmBoard, CrmDeal, CrmId, CrmPipeline, CrmStage } from '../crm/model';
import { isValidTimeZone } from '../crm/parse/time-zone';
import { describeProblem } from '../crm/problem-text';
import type { ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';
import { mapBoard } from '../mapping/board';
import { compileExtIds } from '../mapping/ext-ids';
import { type ConfigResult, generateMapping, type MappingConfig, mergeNewStages } from '../mapping/funnel';
import type { MappingProblem } from '../mapping/problems';
import { type DealMapping, type MappingSettings, mapDeal } from '../mapping/records';
import type {
  AskFirstView,
  DealPreview,
  DealRow,
  DealStatus,
  ProblemView,
  RecordView,
  StageCount,
} from '../messaging';
import { sitePrefixOf } from '../settings';
import { accountStore, mappingKey, mappingStore, settingsStore } from '../storage';
import { dealStatus, decideDeal, type LedgerEntry, refsChanged, repairNeed } from '../sync/ledger';
import { observeTransition } from '../sync/observe';
import { needsReconcile, reconcileReads } from '../sync/reconcile';
import type { SyncService } from '../sync/service';
import { sameData } from './same-data';

export const DEFAULT_ACCOUNT_TIME_ZONE = 'Europe/Moscow';

/** The CRM's display time zone: the setting, else this browser's. */
export async function crmTimeZone(): Promise<string> {
  return (await settingsStore.get()).crmTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The account's zone: the setting, else what `get.account` said, else CoMagic's default. */
export async function accountTimeZone(): Promise<string> {
  const settings = await settingsStore.get();
  return settings.accountTimeZone ?? (await accountStore.get())?.timeZone ?? DEFAULT_ACCOUNT_TIME_ZONE;
}

export async function mappingSettingsFor(site: string): Promise<MappingSettings> {
  const settings = await settingsStore.get();
  return {
    extIdTemplate: settings.extIdTemplate,
    prefix: sitePrefixOf(settings, site),
    accountTimeZone: await accountTimeZone(),
    defaultPhoneCountry: settings.defaultPhoneCountry as MappingSettings['defaultPhoneCountry'],
    estimateStageTime: settings.estimateStageTime,
    allowEstimatedCreation: settings.allowEstimatedCreation,
    userFields: settings.userFields,
    currency: {
      reportCurrency: (await accountStore.get())?.reportCurrency ?? null,
      rates: settings.currencyRates,
    },
  };
}

/** What is mapped at once: a board's cards, or deals read on their own (a page, a whole-deal read). */
interface Source {
  crm: CrmId;
  pipeline: CrmPipeline;
  /** A board shows every stage, in order; deals only the stages they went through. */
  stages: CrmStage[];
  deals: CrmDeal[];
  board: CrmBoard | null;
}

function boardSource(board: CrmBoard): Source {
  return { crm: board.crm, pipeline: board.pipeline, stages: board.stages, deals: board.deals, board };
}

function dealsSource(deals: CrmDeal[], label: string | null): Source {
  const seen = new Map<string, CrmStage>();
  for (const deal of deals) {
    for (const visit of deal.history) seen.set(visit.stage.id, visit.stage);
    if (deal.stage) seen.set(deal.stage.id, deal.stage);
  }
  return {
    crm: deals[0]?.crm ?? 'espocrm',
    pipeline: deals[0]?.pipeline ?? { id: 'default', name: label ?? 'CRM' },
    stages: [...seen.values()],
    deals,
    board: null,
  };
}

/**
 * The pipeline's mapping: made from the page the first time, completed later with the stages a board
 * or a deal page shows that it lacks (a deal page's partial stage list never reorders a stored mapping).
 * Nothing is stored here (see `saveMapping`); `stored` is the mapping it started from.
 */
async function mappingFor(
  { crm, pipeline, stages }: Source,
  site: string,
  settings: MappingSettings,
): Promise<ConfigResult & { key: string; stored: MappingConfig | null }> {
  const key = mappingKey(site, crm, pipeline.id);
  const stored = await mappingStore.get(key);
  let result: ConfigResult;
  if (!stored) result = generateMapping({ crm, site, pipeline, stages }, settings);
  // A deal page adds the stages its history shows that the mapping lacks, as a board adds new columns;
  // the stored entries and their order stay as they are.
  else result = mergeNewStages(stored, stages);
  return { ...result, key, stored };
}

/**
 * Stores the mapping a preparation made or completed (the options page then lists it), unless the
 * stored one changed since it was read: the user's edit wins over what the page suggested.
 */
export async function saveMapping({
  key,
  config,
  storedConfig,
}: Pick<Prepared, 'key' | 'config' | 'storedConfig'>): Promise<void> {
  if (config === storedConfig) return;
  const current = await mappingStore.get(key);
  if (sameData(current, storedConfig)) await mappingStore.set(key, config);
}

/** For people; a problem both the mapping check and the deal's mapping found is listed once. */
export function problemViews(problems: MappingProblem[]): ProblemView[] {
  const seen = new Set<string>();
  return problems.flatMap((problem) => {
    const view = { severity: problem.severity, field: problem.field, message: localize(problem.message) };
    const key = `${view.severity}|${view.field}|${view.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [view];
  });
}

function statusOf(mapping: DealMapping, entry: LedgerEntry | null): DealStatus {
  if (!mapping.sendable) return 'problems';
  return dealStatus(mapping, entry);
}

function recordViews(mapping: DealMapping, config: MappingConfig): RecordView[] {
  const stageNames = new Map(config.stages.map((stage) => [stage.extId, stage.name]));
  return mapping.records.map((record, index) => {
    const visit = mapping.visits.find((v) => v.recordIndex === index);
    return {
      stageName: stageNames.get(record.stage_ext_id) ?? record.stage_ext_id,
      enteredAt: record.modified_stage_date_time,
      source: visit?.source ?? 'timeline',
      estimated: visit?.estimated ?? false,
      observed: visit?.observed ?? false,
      closed: record.closed_date_time !== undefined,
    };
  });
}

/**
 * The exact params of each call the deal needs (without the token), as the sync plans them: only
 * the records the ledger says CoMagic lacks, and the contacts and owner only when they are new or
 * changed since last sent. A deal that cannot be sent shows everything it would send once fixed.
 */
function payloadsOf(
  mapping: DealMapping,
  entry: LedgerEntry | null,
  modifiedAt: string | null,
): DealPreview['payloads'] {
  const planned = mapping.sendable && entry !== null && modifiedAt !== null;
  const records = planned ? decideDeal(mapping, entry, modifiedAt).records : mapping.records;
  const refs = !planned || refsChanged(mapping, entry);
  const payloads: DealPreview['payloads'] = [];
  if (refs && mapping.employee) payloads.push({ method: 'create.deal_employees', params: mapping.employee });
  if (refs && mapping.contacts.length > 0)
    payloads.push({ method: 'create.deal_contacts', params: { contacts: mapping.contacts } });
  // Made when CoMagic lacks them (looked up first), before the records that name them.
  if (records.length > 0 && mapping.company)
    payloads.push({ method: 'create.crm_company', params: mapping.company });
  if (records.length > 0) {
    for (const field of mapping.userFields ?? [])
      payloads.push({ method: 'create.deal_user_field', params: field });
  }
  if (records.length > 0) payloads.push({ method: 'upload.deals_history', params: { deals: records } });
  return payloads;
}

export interface Prepared {
  key: string;
  config: MappingConfig;
  /** The stored mapping `config` was made from (null: none yet); `config` itself when unchanged. */
  storedConfig: MappingConfig | null;
  configProblems: MappingProblem[];
  deals: { deal: CrmDeal; mapping: DealMapping; entry: LedgerEntry | null }[];
  boardProblems: MappingProblem[];
  /**
   * Now as the API writes it (account zone): the `modified_date_time` an update record would carry;
   * `null` when the zone is unusable (then no deal is sendable).
   */
  modifiedAt: string | null;
}

/** Maps what the page shows, with the transitions earlier exports observed. Stores nothing. */
export function prepare(report: ScrapeReport, site: string, sync: SyncService, now: Date): Promise<Prepared> {
  const source = report.board
    ? boardSource(report.board)
    : dealsSource(report.deal ? [report.deal] : [], report.adapterLabel);
  return prepareSource(source, site, sync, now);
}

/**
 * Deals read whole, mapped together as each one's page send would map it: one look at the stored
 * mapping, the settings and the ledger for them all (a whole-deal export maps a batch at a time).
 */
export function prepareDeals(
  deals: CrmDeal[],
  site: string,
  sync: SyncService,
  now: Date,
): Promise<Prepared> {
  return prepareSource(dealsSource(deals, null), site, sync, now);
}

async function prepareSource(source: Source, site: string, sync: SyncService, now: Date): Promise<Prepared> {
  const settings = await mappingSettingsFor(site);
  const { key, config, stored, problems: configProblems } = await mappingFor(source, site, settings);
  const crmDeals = source.deals;
  const extIds = compileExtIds(settings);
  const extIdOf = (deal: CrmDeal) => (deal.id ? extIds.fromCrmId(deal.id) : null);
  const ledger = await sync.ledgerEntries(crmDeals.flatMap((deal) => extIdOf(deal) ?? []));
  const nowIso = now.toISOString();
  const observed = crmDeals.map((deal) => {
    const extId = extIdOf(deal);
    const entry = (extId && ledger[extId]) || null;
    // A board card does not show when the deal was created; what was sent before does.
    const created =
      !deal.createdAt && entry?.created ? apiTimeToInstant(entry.created, settings.accountTimeZone) : null;
    const known = created ? { ...deal, createdAt: created } : deal;
    return { deal: observeTransition(known, entry, nowIso), entry };
  });
  let mappings: DealMapping[];
  let boardProblems: MappingProblem[] = [];
  if (source.board) {
    const firstSeenAt = new Map(
      observed.flatMap(({ deal, entry }) =>
        deal.id && entry ? [[deal.id, new Date(entry.firstSeenAt).toISOString()] as const] : [],
      ),
    );
    const board: CrmBoard = { ...source.board, deals: observed.map((o) => o.deal) };
    const mapped = mapBoard(board, config, settings, { now: nowIso, firstSeenAt });
    mappings = mapped.deals;
    boardProblems = mapped.problems;
  } else {
    mappings = observed.map(({ deal, entry }) =>
      mapDeal(deal, config, settings, {
        now: nowIso,
        firstSeenAt: entry ? new Date(entry.firstSeenAt).toISOString() : null,
      }),
    );
  }
  return {
    key,
    config,
    storedConfig: stored,
    configProblems,
    boardProblems,
    deals: observed.map((o, index) => ({ ...o, mapping: mappings[index]! })),
    modifiedAt: isValidTimeZone(settings.accountTimeZone)
      ? apiNow(now.getTime(), settings.accountTimeZone)
      : null,
  };
}

/** What sending these deals asks CoMagic first (another browser may have sent them); `null`: nothing. */
export function askFirstView(prepared: Prepared, now: number): AskFirstView | null {
  const deals = prepared.deals.filter(
    ({ mapping, entry }) => mapping.sendable && needsReconcile(entry, now),
  ).length;
  return deals > 0 ? { deals, reads: reconcileReads(deals) } : null;
}

export function rowKey(deal: CrmDeal, index: number): string {
  return deal.id ?? `#${index}`;
}

export function dealPreview(prepared: Prepared): DealPreview | null {
  const first = prepared.deals[0];
  if (!first) return null;
  const { deal, mapping, entry } = first;
  const repair = repairNeed(mapping, entry);
  return {
    key: rowKey(deal, 0),
    deal,
    dealExtId: mapping.dealExtId,
    status: statusOf(mapping, entry),
    records: recordViews(mapping, prepared.config),
    payloads: payloadsOf(mapping, entry, prepared.modifiedAt),
    problems: problemViews([...prepared.configProblems, ...mapping.problems]),
    ...(repair ? { repair } : {}),
  };
}

/**
 * One formatter for every row: `Number.prototype.toLocaleString` builds a new one per call, which
 * costs ~150 ms over a 5,000-card board in Chrome's service worker (~10 ms with this one).
 */
const amountFormat = new Intl.NumberFormat();

function amountText(deal: CrmDeal): string | null {
  if (!deal.amount) return null;
  const { amount, currency } = deal.amount;
  const figure = amountFormat.format(amount);
  return currency ? `${figure} ${currency}` : figure;
}

export function boardRows(
  prepared: Prepared,
  report: ScrapeReport,
): { rows: DealRow[]; stages: StageCount[] } {
  const counts = new Map<string, number>();
  const rows = prepared.deals.map(({ deal, mapping, entry }, index) => {
    const stageId = deal.stage?.id ?? null;
    if (stageId !== null) counts.set(stageId, (counts.get(stageId) ?? 0) + 1);
    const problems = mapping.problems.filter((p) => p.severity === 'error').map((p) => localize(p.message));
    return {
      key: rowKey(deal, index),
      dealId: deal.id,
      name: deal.name,
      stageId,
      stageName: deal.stage?.name ?? '',
      amount: amountText(deal),
      status: statusOf(mapping, entry),
      problems,
    };
  });
  const incomplete = new Set(report.board?.incompleteStages ?? []);
  const stages = (report.board?.stages ?? []).map((stage) => ({
    id: stage.id,
    name: stage.name,
    count: counts.get(stage.id) ?? 0,
    incomplete: incomplete.has(stage.id),
  }));
  return { rows, stages };
}

/** The adapter's own problems (what it could not read), for people. */
export function scrapeProblemViews(report: ScrapeReport): ProblemView[] {
  return report.problems.map((problem) => ({
    severity: problem.severity,
    field: problem.field,
    message: describeProblem(problem),
  }));
}
