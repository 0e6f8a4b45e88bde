/**
 * What a finished export leaves in storage.local, built with the extension's own mapping, planning
 * and stored forms: for the storage bench (bench/storage.ts) and the quota test (utils/sync). Names
 * are Cyrillic, as in a Russian CRM account: they take two bytes a letter in UTF-8.
 */
import { dealsBoard, mappingConfig, NOW, settings } from '../../bench/deals-data';
import type { CrmBoard, CrmStage } from '../../utils/crm/model';
import { mapBoard } from '../../utils/mapping/board';
import { defaultSitePrefix } from '../../utils/mapping/ext-ids';
import type { DealMapping } from '../../utils/mapping/records';
import { type JobDetail, type JobPlan, type JobSummary, jobDealOf } from '../../utils/sync/job';
import {
  compactEntry,
  fingerprintDeal,
  type LedgerEntry,
  recordDelivered,
  recordObserved,
  type StoredLedger,
} from '../../utils/sync/ledger';
import { buildPlan } from '../../utils/sync/planner';

export const EXPORT_SITE = 'https://crm.example.com';

const STAGE_NAMES: Record<string, string> = {
  new: 'Новая заявка',
  qualified: 'Квалификация',
  proposal: 'Коммерческое предложение',
  negotiation: 'Переговоры',
  won: 'Успешно реализовано',
  lost: 'Закрыто и не реализовано',
};
const SURNAMES = ['Кузнецова', 'Смирнов', 'Иванова', 'Попов', 'Соколова', 'Лебедев', 'Новикова', 'Морозов'];
const GIVEN = ['Екатерина Сергеевна', 'Александр Петрович', 'Мария Ивановна', 'Дмитрий Олегович'];

const russian = (stage: CrmStage): CrmStage => ({ ...stage, name: STAGE_NAMES[stage.id] ?? stage.name });

/** The bench's board of deals (five stage visits, a contact and an owner each) with Russian names. */
export function russianBoard(count: number): CrmBoard {
  const board = dealsBoard(count);
  return {
    ...board,
    pipeline: { ...board.pipeline, name: 'Продажи оборудования' },
    stages: board.stages.map(russian),
    deals: board.deals.map((deal, index) => ({
      ...deal,
      name: `Поставка складского оборудования, договор № ${index + 1}`,
      pipeline: deal.pipeline && { ...deal.pipeline, name: 'Продажи оборудования' },
      stage: deal.stage && russian(deal.stage),
      owner: deal.owner && { ...deal.owner, name: `${SURNAMES[(index % 20) % 8]} ${GIVEN[index % 4]}` },
      contacts: deal.contacts.map((contact) => ({
        ...contact,
        name: `${SURNAMES[(index + 3) % 8]} ${GIVEN[(index + 1) % 4]}`,
      })),
      history: deal.history.map((visit) => ({ ...visit, stage: russian(visit.stage) })),
    })),
  };
}

/** The board mapped as an export maps it, with the site's derived ext_id prefix. */
export function mappedExport(count: number): { board: CrmBoard; mappings: DealMapping[] } {
  const board = russianBoard(count);
  const config = { ...mappingConfig(), pipelineName: board.pipeline.name };
  const prefixed = { ...settings, prefix: defaultSitePrefix(EXPORT_SITE) };
  return { board, mappings: mapBoard(board, config, prefixed, { now: NOW }).deals };
}

/** A stored job summary: a finished board export of nothing, unless told otherwise. */
export function jobSummary(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job',
    kind: 'board',
    label: 'Продажи',
    site: EXPORT_SITE,
    dryRun: false,
    status: 'done',
    pauseReason: null,
    message: null,
    resumeAt: null,
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    counts: { total: 0, sent: 0, skipped: 0, failed: 0, pending: 0 },
    steps: { done: 0, total: 0 },
    reading: null,
    ...overrides,
  };
}

/** A finished export of these mappings: every deal sent, its summary and its detail with the plan. */
export function finishedJob(id: string, mappings: DealMapping[]): { summary: JobSummary; detail: JobDetail } {
  const deals = mappings.map(jobDealOf);
  const planned = buildPlan({
    config: mappingConfig(),
    deals: deals.map((deal) => ({
      dealExtId: deal.dealExtId,
      records: deal.records,
      contacts: deal.contacts,
      employee: deal.employee,
      checkRefs: true,
    })),
    comagic: { funnel: { row: null }, employees: new Set(), contacts: new Map() },
  });
  const plan: JobPlan = {
    steps: planned.steps,
    outgoing: Object.fromEntries(deals.map((deal) => [deal.dealExtId, { from: 0, update: null }])),
  };
  const at = Date.parse(NOW);
  const results = Object.fromEntries(
    deals.map((deal) => [
      deal.dealExtId,
      { dealExtId: deal.dealExtId, status: 'sent' as const, at, reason: null },
    ]),
  );
  const total = deals.length;
  const summary = jobSummary({
    id,
    label: 'Продажи оборудования',
    createdAt: at,
    startedAt: at,
    finishedAt: at + 60_000,
    counts: { total, sent: total, skipped: 0, failed: 0, pending: 0 },
    steps: { done: plan.steps.length, total: plan.steps.length },
  });
  const detail: JobDetail = {
    config: mappingConfig(),
    reading: null,
    deals,
    plan,
    cursor: plan.steps.length,
    results,
    attempts: 0,
  };
  return { summary, detail };
}

/** The ledger entry a delivered deal leaves: its last record, fingerprint, and the stage it was seen in. */
export function deliveredEntry(mapping: DealMapping, at: number): LedgerEntry {
  const last = mapping.records.at(-1);
  if (!last) throw new Error(`${mapping.dealExtId} has no record`);
  const seen = recordObserved(null, { id: 'won', name: STAGE_NAMES.won as string, outcome: 'won' }, at);
  return recordDelivered(seen, last, fingerprintDeal(mapping), at);
}

/**
 * The ledger of `count` delivered deals, as stored: each deal's entry is one of `mappings` (cycled),
 * under an ext_id of its own shaped like an EspoCRM id (17 hex digits) behind the site's prefix.
 */
export function storedLedgerOf(count: number, mappings: DealMapping[]): StoredLedger {
  const prefix = defaultSitePrefix(EXPORT_SITE);
  const at = Date.parse(NOW);
  const entries = mappings.map((mapping) => compactEntry(deliveredEntry(mapping, at)));
  const d: StoredLedger['d'] = {};
  for (let index = 0; index < count; index++) {
    d[`${prefix}${(0x64f0a1b2c3d4e0 + index).toString(16).padStart(17, '0')}`] = entries[
      index % entries.length
    ] as StoredLedger['d'][string];
  }
  return { v: 1, d, f: { [mappingConfig().funnel.extId]: 'f'.repeat(32) } };
}

/** What chrome counts against storage.local's quota: each key and its value's JSON, in UTF-8 bytes. */
export function quotaBytes(items: Record<string, unknown>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(items)) {
    if (value !== undefined) bytes += Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));
  }
  return bytes;
}

/** chrome.storage.local.QUOTA_BYTES without unlimitedStorage. */
export const CHROME_LOCAL_QUOTA = 10_485_760;
