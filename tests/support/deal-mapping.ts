/** Test data for the sync tests: a small funnel mapping and deal mappings built by hand. */
import type { DealContact, DealHistoryRecord } from '../../utils/comagic/schemas';
import type { MappingConfig } from '../../utils/mapping/funnel';
import type { DealMapping } from '../../utils/mapping/records';

export const FUNNEL = 'crm-main';
export const stageId = (key: string) => `${FUNNEL}:${key}`;

export function testConfig(overrides: Partial<MappingConfig> = {}): MappingConfig {
  const inProcess = (id: string, name: string, order: number) => ({
    crmStageId: id,
    crmStageName: name,
    extId: stageId(id),
    name,
    status: 'in_process' as const,
    order,
    userEdited: false,
  });
  return {
    version: 1,
    crm: 'espocrm',
    site: 'https://crm.example.com',
    pipelineId: 'main',
    pipelineName: 'Sales',
    funnel: { extId: FUNNEL, name: 'Sales' },
    stages: [
      inProcess('new', 'New', 10),
      inProcess('talks', 'Talks', 20),
      inProcess('offer', 'Offer', 30),
      { ...inProcess('won', 'Won', 0), status: 'success', order: null },
      { ...inProcess('lost', 'Lost', 0), status: 'failed', order: null },
    ],
    ...overrides,
  };
}

export interface DealSpec {
  /** [stage key, YYYY-MM-DD hh:mm:ss] oldest first. */
  stages: [string, string][];
  name?: string;
  contact?: DealContact | null;
  employee?: string | null;
  revenue?: number;
  /** Read from a board card only. */
  partial?: boolean;
}

export function contact(id: string, overrides: Partial<DealContact> = {}): DealContact {
  return { ext_id: id, name: `Contact ${id}`, phone_numbers: ['79001234567'], ...overrides };
}

export function dealMapping(dealExtId: string, spec: DealSpec): DealMapping {
  const first = spec.stages[0]?.[1] ?? '2026-03-01 10:00:00';
  const person = spec.contact === undefined ? contact(`c-${dealExtId}`) : spec.contact;
  const employee = spec.employee === undefined ? 'e-1' : spec.employee;
  const records: DealHistoryRecord[] = spec.stages.map(([key, time]) => ({
    ext_id: dealExtId,
    name: spec.name ?? `Deal ${dealExtId}`,
    created_date_time: first,
    modified_stage_date_time: time,
    sales_funnel_ext_id: FUNNEL,
    stage_ext_id: stageId(key),
    ...(person ? { contact_ext_ids: [person.ext_id], main_contact_ext_id: person.ext_id } : {}),
    ...(employee ? { employee_ext_id: employee } : {}),
    ...(spec.revenue !== undefined ? { revenue: spec.revenue } : {}),
    ...(key === 'won' || key === 'lost' ? { closed_date_time: time } : {}),
  }));
  return {
    crmDealId: dealExtId,
    dealExtId,
    records,
    contacts: person ? [person] : [],
    employee: employee ? { ext_id: employee, name: `Employee ${employee}` } : null,
    visits: [],
    problems: [],
    sendable: records.length > 0,
    partial: spec.partial ?? false,
  };
}
