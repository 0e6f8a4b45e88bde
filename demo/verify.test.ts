import { describe, expect, it } from 'vitest';
import type { EmulatorSnapshot } from '../emulator/control';
import type { DealRecord } from '../emulator/store';
import { type CrmExpectation, mismatches, summarize, table } from './verify';

const ann = {
  ext_id: 'c1',
  name: 'Ann',
  created_date_time: '2025-01-01 10:00:00',
  phone_numbers: ['79001234567'],
  emails: ['ann@example.com'],
  component: 'dataapi' as const,
};

function record(extId: string, stage: string, at: string, extra: Partial<DealRecord> = {}): DealRecord {
  return {
    ext_id: extId,
    name: extId,
    created_date_time: '2025-01-01 10:00:00',
    modified_date_time: at,
    modified_stage_date_time: at,
    closed_date_time: null,
    sales_funnel_ext_id: 'f',
    stage_ext_id: stage,
    contact_ext_ids: ['c1'],
    main_contact_ext_id: 'c1',
    employee_ext_id: 'e1',
    lead_ext_id: null,
    company_ext_id: null,
    revenue: null,
    comments: null,
    source: null,
    communication_id: null,
    communication_type: null,
    tag_ext_ids: [],
    tags: [],
    user_fields: [],
    child_customer_id: null,
    is_generated: false,
    ...extra,
  };
}

const expectation: CrmExpectation = {
  label: 'CRM',
  funnelExtId: 'f',
  stageExtIdOf: { A: 'f:A', B: 'f:B', C: 'f:C' },
  dealExtIdOf: (id) => `x-${id}`,
  deals: [
    {
      id: '1',
      name: 'One',
      history: [
        { stageId: 'A', at: '2025-01-01 10:00:00' },
        { stageId: 'C', at: '2025-01-03 10:00:00' },
      ],
      createdAt: '2025-01-01 10:00:00',
      contacts: [
        { name: 'Ann', alsoNamed: ['Acme, Ann'], phones: ['79001234567'], emails: ['ann@example.com'] },
      ],
      owner: 'Bob',
    },
    {
      id: '2',
      name: 'Two',
      history: [{ stageId: 'A', at: '2025-02-01 10:00:00' }],
      createdAt: '2025-02-01 10:00:00',
      contacts: [],
      owner: 'Bob',
    },
  ],
};

function snapshot(deals: Record<string, DealRecord[]>, contacts = [ann]): EmulatorSnapshot {
  return {
    funnels: [
      {
        ext_id: 'f',
        name: 'Sales',
        stages: ['A', 'B', 'C'].map((s, i) => ({
          ext_id: `f:${s}`,
          name: s,
          status: 'in_process',
          order: i,
        })),
      },
    ],
    contacts,
    employees: [{ ext_id: 'e1', name: 'Bob' }],
    deals,
    companies: [],
    user_fields: [],
    calls: [],
  };
}

const one = (extra: Partial<DealRecord> = {}) => ({
  created_date_time: '2025-01-01 10:00:00',
  contact_ext_ids: ['c1'],
  ...extra,
});
const two = { created_date_time: '2025-02-01 10:00:00', contact_ext_ids: null, main_contact_ext_id: null };

const agreeing = {
  'x-1': [
    record('x-1', 'f:A', '2025-01-01 10:00:00', one()),
    record('x-1', 'f:B', '2025-01-03 10:00:00', one({ is_generated: true })),
    record('x-1', 'f:C', '2025-01-03 10:00:00', one()),
  ],
  'x-2': [record('x-2', 'f:A', '2025-02-01 10:00:00', two)],
};

describe('mismatches', () => {
  it('finds none when CoMagic holds every deal whole: visits, creation, contacts, owner', () => {
    expect(mismatches(snapshot(agreeing), [expectation])).toEqual([]);
  });

  it('names a deal that is missing', () => {
    expect(mismatches(snapshot({ 'x-1': agreeing['x-1'] }), [expectation])).toEqual([
      'CRM: deal 2 "Two" is not in CoMagic',
    ]);
  });

  it('compares every deal records with its history, in order, without generated ones', () => {
    const moved = { ...agreeing, 'x-2': [record('x-2', 'f:B', '2025-02-01 10:00:00', two)] };
    expect(mismatches(snapshot(moved), [expectation])).toEqual([
      'CRM: deal 2 "Two": CoMagic holds [f:B @ 2025-02-01 10:00:00], the CRM shows [f:A @ 2025-02-01 10:00:00]',
    ]);
    const lateVisit = {
      ...agreeing,
      'x-1': [agreeing['x-1'][0], record('x-1', 'f:C', '2025-01-03 11:00:00', one())] as DealRecord[],
    };
    expect(mismatches(snapshot(lateVisit), [expectation])).toEqual([
      'CRM: deal 1 "One": CoMagic holds [f:A @ 2025-01-01 10:00:00, f:C @ 2025-01-03 11:00:00], the CRM shows [f:A @ 2025-01-01 10:00:00, f:C @ 2025-01-03 10:00:00]',
    ]);
  });

  it('names a creation time CoMagic holds otherwise', () => {
    const created = {
      ...agreeing,
      'x-2': [
        record('x-2', 'f:A', '2025-02-01 10:00:00', { ...two, created_date_time: '2025-02-02 10:00:00' }),
      ],
    };
    expect(mismatches(snapshot(created), [expectation])).toEqual([
      'CRM: deal 2 "Two": created 2025-02-01 10:00:00, CoMagic holds 2025-02-02 10:00:00',
    ]);
  });

  it('names a contact missing, one without its phone or under another name, and one a deal without contacts does not have', () => {
    const untied = { ...agreeing, 'x-1': agreeing['x-1'].map((r) => ({ ...r, contact_ext_ids: [] })) };
    expect(mismatches(snapshot(untied), [expectation])).toEqual([
      'CRM: deal 1 "One": contacts Ann <ann@example.com> [79001234567], CoMagic holds none',
    ]);
    const noPhone = { ...ann, phone_numbers: [] };
    expect(mismatches(snapshot(agreeing, [noPhone]), [expectation])).toEqual([
      'CRM: deal 1 "One": contacts Ann <ann@example.com> [79001234567], CoMagic holds Ann <ann@example.com> []',
    ]);
    const shownOtherwise = { ...ann, name: 'Acme, Ann' };
    expect(mismatches(snapshot(agreeing, [shownOtherwise]), [expectation])).toEqual([]);
    const renamed = { ...ann, name: 'Anne' };
    expect(mismatches(snapshot(agreeing, [renamed]), [expectation])).toEqual([
      'CRM: deal 1 "One": contacts Ann <ann@example.com> [79001234567], CoMagic holds Anne <ann@example.com> [79001234567]',
    ]);
    const extra = {
      ...agreeing,
      'x-2': [record('x-2', 'f:A', '2025-02-01 10:00:00', { ...two, contact_ext_ids: ['c1'] })],
    };
    expect(mismatches(snapshot(extra), [expectation])).toEqual([
      'CRM: deal 2 "Two": contacts none, CoMagic holds Ann <ann@example.com> [79001234567]',
    ]);
  });

  it('names an owner the deal does not carry', () => {
    const other = {
      ...agreeing,
      'x-2': [record('x-2', 'f:A', '2025-02-01 10:00:00', { ...two, employee_ext_id: 'e2' })],
    };
    expect(mismatches(snapshot(other), [expectation])).toEqual([
      'CRM: deal 2 "Two": owner Bob, CoMagic holds none',
    ]);
  });

  it('names a missing funnel', () => {
    const noFunnel = { ...snapshot(agreeing), funnels: [] };
    expect(mismatches(noFunnel, [expectation])).toEqual(['CRM: no funnel f in CoMagic']);
  });
});

describe('summarize', () => {
  it('counts per funnel its stages, deals, records and generated records, and the contacts and employees', () => {
    expect(summarize(snapshot(agreeing))).toEqual({
      funnels: [{ funnel: 'Sales (f)', stages: 3, deals: 2, records: 4, generated: 1 }],
      contacts: 1,
      employees: 1,
    });
  });
});

describe('table', () => {
  it('pads the first column to the left and the others to the right', () => {
    expect(
      table(
        ['name', 'n'],
        [
          ['ab', 1],
          ['c', 100],
        ],
      ).split('\n'),
    ).toEqual(['name    n', '----  ---', 'ab      1', 'c     100']);
  });
});
