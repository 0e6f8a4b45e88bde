/** Small builders of neutral-model data for the mapping tests. */
import type { CrmBoard, CrmContact, CrmDeal, CrmId, CrmStage, StageVisit } from '../../utils/crm/model';
import { generateMapping, type MappingConfig } from '../../utils/mapping/funnel';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from '../../utils/mapping/records';

export function stage(id: string, name = id, outcome: CrmStage['outcome'] = null): CrmStage {
  return { id, name, outcome };
}

export const STAGES = {
  new: stage('new', 'New'),
  qualified: stage('qualified', 'Qualified'),
  proposal: stage('proposal', 'Proposal'),
  won: stage('won', 'Closed Won'),
  lost: stage('lost', 'Closed Lost'),
} as const;

export const PIPELINE = { id: 'main', name: 'Sales' };

export function visit(
  crmStage: CrmStage,
  enteredAt: string,
  overrides: Partial<StageVisit> = {},
): StageVisit {
  return { stage: crmStage, enteredAt, source: 'timeline', estimated: false, ...overrides };
}

export function contact(overrides: Partial<CrmContact> = {}): CrmContact {
  return {
    id: 'c-17',
    name: 'Ivan Petrov',
    phones: ['+7 900 123-45-67'],
    emails: ['ivan@example.com'],
    createdAt: null,
    ...overrides,
  };
}

export function deal(overrides: Partial<CrmDeal> = {}): CrmDeal {
  return {
    crm: 'espocrm',
    id: '5f1',
    url: 'https://crm.example.com/#Opportunity/view/5f1',
    name: 'Supply contract',
    pipeline: PIPELINE,
    stage: STAGES.proposal,
    amount: { amount: 120000, currency: 'RUB', rounded: false },
    createdAt: '2026-03-02T10:15:00+03:00',
    modifiedAt: '2026-03-05T12:00:00+03:00',
    closedAt: null,
    owner: { id: 'u-3', name: 'Anna Smirnova' },
    contacts: [contact()],
    history: [],
    ...overrides,
  };
}

export function board(deals: CrmDeal[], overrides: Partial<CrmBoard> = {}): CrmBoard {
  return {
    crm: 'espocrm',
    url: 'https://crm.example.com/#Opportunity/kanban',
    pipeline: PIPELINE,
    stages: Object.values(STAGES),
    deals,
    incompleteStages: [],
    ...overrides,
  };
}

export function settings(overrides: Partial<MappingSettings> = {}): MappingSettings {
  return { ...DEFAULT_MAPPING_SETTINGS, accountTimeZone: 'Europe/Moscow', ...overrides };
}

/** A CRM the extension knows nothing of (a recipe's): it does not say which stages are won or lost. */
export const UNKNOWN_CRM = 'recipe:test';

/** The generated mapping of the test pipeline: new 10, qualified 20, proposal 30, won, lost. */
export function config(stages: CrmStage[] = Object.values(STAGES), crm: CrmId = 'espocrm'): MappingConfig {
  return generateMapping(
    { crm, site: 'https://crm.example.com', pipeline: PIPELINE, stages },
    { extIdTemplate: '{id}', prefix: '' },
  ).config;
}

export const NOW = '2026-04-01T12:00:00+03:00';
