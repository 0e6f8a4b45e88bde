/**
 * What CoMagic (the emulator) must hold after the demo run, compared with what the CRMs show: every
 * deal of both boards whole (every stage visit and its time, its contacts, its owner, its creation).
 */
import type { EmulatorSnapshot } from '../emulator/control';
import { apiTime } from '../tests/crm-sites/format';
import { compileExtIds } from '../utils/mapping/ext-ids';
import type { MappingConfig } from '../utils/mapping/funnel';
import { createdAt, type DemoPipeline } from './data';

export interface ExpectedVisit {
  stageId: string;
  /** `YYYY-MM-DD hh:mm:ss` in the account's zone. */
  at: string;
}

export interface ExpectedContact {
  name: string;
  /**
   * Other names the CRM shows the contact under, which a reader may take as the name: Odoo shows a
   * company's person as "Company, Person" (the partner's display name).
   */
  alsoNamed?: string[];
  /** E.164 digits, as CoMagic stores them. */
  phones: string[];
  emails: string[];
}

/** One deal as its CRM shows it: what CoMagic must hold for it after the run. */
export interface ExpectedDeal {
  id: string;
  name: string;
  /** Every stage visit, oldest first. */
  history: ExpectedVisit[];
  /** `YYYY-MM-DD hh:mm:ss` in the account's zone. */
  createdAt: string;
  contacts: ExpectedContact[];
  owner: string;
}

export interface CrmExpectation {
  label: string;
  funnelExtId: string;
  /** CRM stage id → CoMagic stage ext_id, from the saved mapping. */
  stageExtIdOf: Record<string, string>;
  dealExtIdOf: (crmId: string) => string;
  /** Every deal of the board. */
  deals: ExpectedDeal[];
}

/**
 * What CoMagic must hold for `pipeline`'s deals (all, or `only` these) under the mapping the
 * extension saved and the ext_id prefix in use.
 */
export function expectationOf(
  pipeline: DemoPipeline,
  config: MappingConfig,
  { label, prefix = '', only }: { label: string; prefix?: string; only?: readonly string[] },
): CrmExpectation {
  const extIds = compileExtIds({ extIdTemplate: '{id}', prefix });
  const wanted = only ? new Set(only) : null;
  return {
    label,
    funnelExtId: config.funnel.extId,
    stageExtIdOf: Object.fromEntries(
      config.stages.flatMap((stage) => (stage.crmStageId === null ? [] : [[stage.crmStageId, stage.extId]])),
    ),
    dealExtIdOf: (id) => extIds.fromCrmId(id),
    deals: pipeline.deals
      .filter((deal) => !wanted || wanted.has(deal.id))
      .map((deal) => ({
        id: deal.id,
        name: deal.name,
        history: deal.history.map((visit) => ({ stageId: visit.stageId, at: apiTime(visit.at) })),
        createdAt: apiTime(createdAt(deal)),
        contacts: deal.contacts.map(({ name, phones, emails }) => ({
          name,
          // Odoo's lead form names a company's contact "Company, Person": a deal sent from its page says so.
          alsoNamed: pipeline.crm === 'odoo' ? [`${deal.company}, ${name}`] : [],
          phones,
          emails,
        })),
        owner: deal.owner.name,
      })),
  };
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

const describeContact = (c: ExpectedContact) => `${c.name} <${c.emails.join(', ')}> [${c.phones.join(', ')}]`;

function dealMismatches(snapshot: EmulatorSnapshot, crm: CrmExpectation, deal: ExpectedDeal): string[] {
  const label = `${crm.label}: deal ${deal.id} "${deal.name}"`;
  const records = snapshot.deals[crm.dealExtIdOf(deal.id)];
  if (!records || records.length === 0) return [`${label} is not in CoMagic`];
  const problems: string[] = [];
  const held = records
    .filter((record) => !record.is_generated)
    .map((record) => `${record.stage_ext_id} @ ${record.modified_stage_date_time}`);
  const shown = deal.history.map(
    (visit) => `${crm.stageExtIdOf[visit.stageId] ?? `unmapped ${visit.stageId}`} @ ${visit.at}`,
  );
  if (held.join('\n') !== shown.join('\n')) {
    problems.push(`${label}: CoMagic holds [${held.join(', ')}], the CRM shows [${shown.join(', ')}]`);
  }
  const last = records.at(-1);
  if (last?.created_date_time !== deal.createdAt) {
    problems.push(`${label}: created ${deal.createdAt}, CoMagic holds ${last?.created_date_time ?? 'none'}`);
  }
  const contacts = snapshot.contacts.filter((contact) => last?.contact_ext_ids?.includes(contact.ext_id));
  const heldContacts = contacts.map((c) =>
    describeContact({ name: c.name, emails: c.emails, phones: c.phone_numbers }),
  );
  const missing = deal.contacts.filter(
    (expected) =>
      !contacts.some(
        (c) =>
          (c.name === expected.name || expected.alsoNamed?.includes(c.name)) &&
          sameSet(c.phone_numbers, expected.phones) &&
          sameSet(c.emails, expected.emails),
      ),
  );
  if (missing.length > 0 || contacts.length !== deal.contacts.length) {
    problems.push(
      `${label}: contacts ${deal.contacts.map(describeContact).join('; ') || 'none'}, CoMagic holds ${heldContacts.join('; ') || 'none'}`,
    );
  }
  const owner = snapshot.employees.find((employee) => employee.ext_id === last?.employee_ext_id);
  if (owner?.name !== deal.owner) {
    problems.push(`${label}: owner ${deal.owner}, CoMagic holds ${owner?.name ?? 'none'}`);
  }
  return problems;
}

/** Every difference between what CoMagic holds and what the CRMs show; empty when they agree. */
export function mismatches(snapshot: EmulatorSnapshot, crms: CrmExpectation[]): string[] {
  return crms.flatMap((crm) => [
    ...(snapshot.funnels.some((funnel) => funnel.ext_id === crm.funnelExtId)
      ? []
      : [`${crm.label}: no funnel ${crm.funnelExtId} in CoMagic`]),
    ...crm.deals.flatMap((deal) => dealMismatches(snapshot, crm, deal)),
  ]);
}

export interface FunnelSummary {
  funnel: string;
  stages: number;
  deals: number;
  records: number;
  generated: number;
}

/** Per funnel: its stages, the deals in it and their history records, how many CoMagic generated. */
export function summarize(snapshot: EmulatorSnapshot): {
  funnels: FunnelSummary[];
  contacts: number;
  employees: number;
} {
  const funnels = snapshot.funnels.map((funnel) => {
    const deals = Object.values(snapshot.deals).filter((records) =>
      records.some((record) => record.sales_funnel_ext_id === funnel.ext_id),
    );
    const records = deals.flat();
    return {
      funnel: `${funnel.name} (${funnel.ext_id})`,
      stages: funnel.stages.length,
      deals: deals.length,
      records: records.length,
      generated: records.filter((record) => record.is_generated).length,
    };
  });
  return { funnels, contacts: snapshot.contacts.length, employees: snapshot.employees.length };
}

/** Rows as a plain text table with aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
