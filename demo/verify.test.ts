import { describe, expect, it } from 'vitest';
import type { EmulatorSnapshot } from '../emulator/control';
import type { DealRecord } from '../emulator/store';
import { type CrmExpectation, mismatches, summarize, table } from './verify';

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
  boardDeals: [
    { id: '1', name: 'One', stageId: 'C' },
    { id: '2', name: 'Two', stageId: 'A' },
  ],
  sent: {
    id: '1',
    name: 'One',
    history: [
      { stageId: 'A', at: '2025-01-01 10:00:00' },
      { stageId: 'C', at: '2025-01-03 10:00:00' },
    ],
    contact: { name: 'Ann', email: 'ann@example.com' },
    owner: 'Bob',
  },
};

function snapshot(deals: Record<string, DealRecord[]>): EmulatorSnapshot {
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
    contacts: [
      {
        ext_id: 'c1',
        name: 'Ann',
        created_date_time: '2025-01-01 10:00:00',
        phone_numbers: [],
        emails: ['ann@example.com'],
        component: 'dataapi',
      },
    ],
    employees: [{ ext_id: 'e1', name: 'Bob' }],
    deals,
    calls: [],
  };
}

const agreeing = {
  'x-1': [
    record('x-1', 'f:A', '2025-01-01 10:00:00'),
    record('x-1', 'f:B', '2025-01-03 10:00:00', { is_generated: true }),
    record('x-1', 'f:C', '2025-01-03 10:00:00'),
  ],
  'x-2': [record('x-2', 'f:A', '2025-02-01 10:00:00')],
};

describe('mismatches', () => {
  it('finds none when CoMagic holds every card in its stage and the sent deal as its page shows it', () => {
    expect(mismatches(snapshot(agreeing), [expectation])).toEqual([]);
  });

  it('names a board deal that is missing and one in another stage', () => {
    const found = mismatches(snapshot({ 'x-1': agreeing['x-1'], 'x-3': [] }), [
      { ...expectation, boardDeals: [...expectation.boardDeals, { id: '4', name: 'Four', stageId: 'B' }] },
    ]);
    expect(found.filter((m) => m.includes('"Two" is not in CoMagic'))).toHaveLength(1);
    expect(found.filter((m) => m.includes('"Four" is not in CoMagic'))).toHaveLength(1);
    const moved = mismatches(
      snapshot({ ...agreeing, 'x-2': [record('x-2', 'f:B', '2025-02-01 10:00:00')] }),
      [expectation],
    );
    expect(moved).toEqual(['CRM: deal 2 "Two" is in stage f:B, the board shows f:A']);
  });

  it('compares the sent deal records with its page history, in order, without generated ones', () => {
    const reordered = [agreeing['x-1'][2], agreeing['x-1'][0]] as DealRecord[];
    const found = mismatches(snapshot({ ...agreeing, 'x-1': reordered }), [
      { ...expectation, boardDeals: [] },
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('CoMagic holds [f:C @ 2025-01-03 10:00:00, f:A @ 2025-01-01 10:00:00]');
  });

  it('names a contact or an owner the sent deal does not carry', () => {
    const other = snapshot({
      ...agreeing,
      'x-1': agreeing['x-1'].map((r) => ({ ...r, contact_ext_ids: [], employee_ext_id: 'e2' })),
    });
    const found = mismatches(other, [expectation]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('contact Ann <ann@example.com> is not in CoMagic (it holds none)');
    expect(found[1]).toContain('owner Bob is not in CoMagic (it holds none)');
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
