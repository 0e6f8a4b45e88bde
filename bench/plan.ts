/**
 * Mapping and planning of 10,000 deals × 5 stage visits in Node, with the runner's own steps:
 * `mapBoard`, then per deal the ledger's decision and fingerprint, then `buildPlan`.
 */
import type { DealHistoryRecord } from '../utils/comagic/schemas';
import { mapBoard } from '../utils/mapping/board';
import type { MappingConfig } from '../utils/mapping/funnel';
import type { DealMapping } from '../utils/mapping/records';
import {
  decideDeal,
  fingerprintDeal,
  type LedgerEntry,
  recordDelivered,
  refsChanged,
} from '../utils/sync/ledger';
import { buildPlan, type ComagicState, minimumRequestCount, type OutgoingDeal } from '../utils/sync/planner';
import { dealsBoard, mappingConfig, NOW, settings } from './deals-data';
import { below, equals, type Result, repeat, result } from './measure';

const DEALS = 10_000;
const RUNS = 5;
const COMMAND = 'npm run bench -- plan';
const MODIFIED_AT = '2026-03-10 12:00:00';
const EMPTY_COMAGIC: ComagicState = { funnel: { row: null }, employees: new Set(), contacts: new Map() };

function outgoing(mappings: DealMapping[], ledger: ReadonlyMap<string, LedgerEntry>): OutgoingDeal[] {
  return mappings.flatMap((deal) => {
    if (!deal.dealExtId || !deal.sendable) return [];
    const entry = ledger.get(deal.dealExtId) ?? null;
    const decision = decideDeal(deal, entry, MODIFIED_AT);
    if (decision.status === 'unchanged') return [];
    return [
      {
        dealExtId: deal.dealExtId,
        records: decision.records,
        contacts: deal.contacts,
        employee: deal.employee,
        checkRefs: refsChanged(deal, entry),
      },
    ];
  });
}

function mapAndPlan(config: MappingConfig) {
  const board = dealsBoard(DEALS);
  const started = process.cpuUsage();
  const mappings = mapBoard(board, config, settings, { now: NOW }).deals;
  const deals = outgoing(mappings, new Map());
  const plan = buildPlan({ config, deals, comagic: EMPTY_COMAGIC });
  const used = process.cpuUsage(started);
  return { cpuMs: (used.user + used.system) / 1000, mappings, deals, plan };
}

/** The ledger as a completed delivery of every deal leaves it. */
function deliveredLedger(mappings: DealMapping[]): Map<string, LedgerEntry> {
  const ledger = new Map<string, LedgerEntry>();
  for (const deal of mappings) {
    const last = deal.records.at(-1) as DealHistoryRecord | undefined;
    if (deal.dealExtId && last)
      ledger.set(deal.dealExtId, recordDelivered(null, last, fingerprintDeal(deal), 0));
  }
  return ledger;
}

export async function benchPlan(): Promise<Result[]> {
  const config = mappingConfig();
  // Only the last run's output is kept: holding every run's 10,000 mappings made each later run pay
  // for collecting a heap the extension never has.
  const kept: { last?: ReturnType<typeof mapAndPlan> } = {};
  const runs = await repeat(RUNS, () => {
    const run = mapAndPlan(config);
    kept.last = run;
    return { cpuMs: run.cpuMs, steps: run.plan.steps.length };
  });
  const last = kept.last;
  if (!last) throw new Error('no plan run');
  const records = last.deals.reduce((sum, deal) => sum + deal.records.length, 0);
  if (last.deals.length !== DEALS || records !== DEALS * 5) {
    throw new Error(
      `planned ${last.deals.length} deals / ${records} records, expected ${DEALS} / ${DEALS * 5}`,
    );
  }
  const minimum = minimumRequestCount({ config, deals: last.deals, comagic: EMPTY_COMAGIC });
  const again = outgoing(last.mappings, deliveredLedger(last.mappings));
  const rePlan = buildPlan({ config, deals: again, comagic: { ...EMPTY_COMAGIC, funnel: 'in_sync' } });
  return [
    result(
      'plan 10,000 deals × 5 visits: map + plan CPU',
      'ms',
      runs.map((run) => run.cpuMs),
      below(1000),
      COMMAND,
      '50,000 records, 10,000 contacts, 20 owners; process.cpuUsage around mapBoard + ledger decisions + buildPlan',
    ),
    result(
      'plan write requests (API minimum)',
      'requests',
      runs.map((run) => run.steps),
      equals(minimum),
      COMMAND,
      `minimumRequestCount for the same data = ${minimum}`,
    ),
    result(
      'plan unchanged re-export: upload steps',
      'requests',
      [rePlan.steps.filter((step) => step.kind === 'upload').length],
      equals(0),
      COMMAND,
      `ledger as left by a full delivery; all steps planned: ${rePlan.steps.length}`,
    ),
  ];
}
