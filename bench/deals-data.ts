/**
 * The planning and delivery data set: a board of deals that each went through all five stages of
 * the pipeline (five timeline visits), each with its own contact, owned by one of 20 employees.
 */
import type { CrmBoard, CrmDeal, CrmStage } from '../utils/crm/model';
import { generateMapping, type MappingConfig } from '../utils/mapping/funnel';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from '../utils/mapping/records';

export const NOW = '2026-03-10T09:00:00Z';
const SITE = 'https://crm.example.com';
const PIPELINE = { id: 'main', name: 'Sales' };
const OWNERS = 20;
const DAY_MS = 86_400_000;

/** The five stages every deal goes through; the lost column exists but no deal is in it. */
const VISITED: CrmStage[] = [
  { id: 'new', name: 'New', outcome: 'in_progress' },
  { id: 'qualified', name: 'Qualified', outcome: 'in_progress' },
  { id: 'proposal', name: 'Proposal', outcome: 'in_progress' },
  { id: 'negotiation', name: 'Negotiation', outcome: 'in_progress' },
  { id: 'won', name: 'Closed Won', outcome: 'won' },
];
const STAGES: CrmStage[] = [...VISITED, { id: 'lost', name: 'Closed Lost', outcome: 'lost' }];

export const settings: MappingSettings = { ...DEFAULT_MAPPING_SETTINGS, accountTimeZone: 'Europe/Moscow' };

function deal(index: number): CrmDeal {
  const id = `d${index}`;
  const start = Date.parse('2025-01-01T09:00:00Z') + (index % 360) * DAY_MS + index * 1000;
  const history = VISITED.map((stage, step) => ({
    stage,
    enteredAt: new Date(start + step * 3 * DAY_MS).toISOString(),
    source: 'timeline' as const,
    estimated: false,
  }));
  const owner = index % OWNERS;
  return {
    crm: 'espocrm',
    id,
    url: `${SITE}/#Opportunity/view/${id}`,
    name: `Deal ${index + 1}`,
    pipeline: PIPELINE,
    stage: VISITED.at(-1) ?? null,
    amount: { amount: 1000 + index, currency: 'RUB', rounded: false },
    createdAt: history[0]?.enteredAt ?? null,
    modifiedAt: history.at(-1)?.enteredAt ?? null,
    closedAt: history.at(-1)?.enteredAt ?? null,
    owner: { id: `u${owner}`, name: `Owner ${owner + 1}` },
    contacts: [
      {
        id: `c${index}`,
        name: `Contact ${index + 1}`,
        phones: [`+7 900 ${String(index).padStart(7, '0')}`],
        emails: [`contact${index}@example.com`],
        createdAt: null,
      },
    ],
    history,
  };
}

export function dealsBoard(count: number): CrmBoard {
  return {
    crm: 'espocrm',
    url: `${SITE}/#Opportunity/kanban`,
    pipeline: PIPELINE,
    stages: STAGES,
    deals: Array.from({ length: count }, (_, index) => deal(index)),
    incompleteStages: [],
  };
}

export function mappingConfig(): MappingConfig {
  return generateMapping({ crm: 'espocrm', site: SITE, pipeline: PIPELINE, stages: STAGES }, settings).config;
}
