/** What CoMagic (the emulator) must hold after the demo run, compared with what the CRM pages show. */
import type { EmulatorSnapshot } from '../emulator/control';
import type { DealRecord } from '../emulator/store';

export interface ExpectedVisit {
  stageId: string;
  /** `YYYY-MM-DD hh:mm:ss` in the account's zone. */
  at: string;
}

export interface CrmExpectation {
  label: string;
  funnelExtId: string;
  /** CRM stage id → CoMagic stage ext_id, from the saved mapping. */
  stageExtIdOf: Record<string, string>;
  dealExtIdOf: (crmId: string) => string;
  boardDeals: { id: string; name: string; stageId: string }[];
  /** The deal sent from its page: its history, contact and owner as the page shows them. */
  sent: {
    id: string;
    name: string;
    history: ExpectedVisit[];
    contact: { name: string; email: string };
    owner: string;
  } | null;
}

const sentRecords = (records: DealRecord[]) => records.filter((record) => !record.is_generated);

function boardMismatches(snapshot: EmulatorSnapshot, crm: CrmExpectation): string[] {
  const problems: string[] = [];
  if (!snapshot.funnels.some((funnel) => funnel.ext_id === crm.funnelExtId)) {
    problems.push(`${crm.label}: no funnel ${crm.funnelExtId} in CoMagic`);
  }
  for (const deal of crm.boardDeals) {
    const records = snapshot.deals[crm.dealExtIdOf(deal.id)];
    const expected = crm.stageExtIdOf[deal.stageId];
    const last = records?.at(-1)?.stage_ext_id;
    if (!records) problems.push(`${crm.label}: deal ${deal.id} "${deal.name}" is not in CoMagic`);
    else if (last !== expected) {
      problems.push(
        `${crm.label}: deal ${deal.id} "${deal.name}" is in stage ${last}, the board shows ${expected}`,
      );
    }
  }
  return problems;
}

function sentMismatches(snapshot: EmulatorSnapshot, crm: CrmExpectation): string[] {
  const sent = crm.sent;
  if (!sent) return [];
  const label = `${crm.label}: sent deal ${sent.id} "${sent.name}"`;
  const records = snapshot.deals[crm.dealExtIdOf(sent.id)] ?? [];
  const problems: string[] = [];
  const held = sentRecords(records).map((r) => `${r.stage_ext_id} @ ${r.modified_stage_date_time}`);
  const shown = sent.history.map(
    (v) => `${crm.stageExtIdOf[v.stageId] ?? `unmapped ${v.stageId}`} @ ${v.at}`,
  );
  if (held.join('\n') !== shown.join('\n')) {
    problems.push(`${label}: CoMagic holds [${held.join(', ')}], the page shows [${shown.join(', ')}]`);
  }
  const last = records.at(-1);
  const contacts = snapshot.contacts.filter((c) => last?.contact_ext_ids?.includes(c.ext_id));
  if (!contacts.some((c) => c.name === sent.contact.name && c.emails.includes(sent.contact.email))) {
    const held = contacts.map((c) => `${c.name} <${c.emails.join(', ')}>`).join('; ') || 'none';
    problems.push(
      `${label}: contact ${sent.contact.name} <${sent.contact.email}> is not in CoMagic (it holds ${held})`,
    );
  }
  const owner = snapshot.employees.find((employee) => employee.ext_id === last?.employee_ext_id);
  if (owner?.name !== sent.owner) {
    problems.push(`${label}: owner ${sent.owner} is not in CoMagic (it holds ${owner?.name ?? 'none'})`);
  }
  return problems;
}

/** Every difference between what CoMagic holds and what the pages show; empty when they agree. */
export function mismatches(snapshot: EmulatorSnapshot, crms: CrmExpectation[]): string[] {
  return crms.flatMap((crm) => [...boardMismatches(snapshot, crm), ...sentMismatches(snapshot, crm)]);
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
