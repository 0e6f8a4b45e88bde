import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SalesFunnelRow } from '../comagic/schemas';
import {
  BATCH_LIMIT,
  buildPlan,
  type ComagicState,
  minimumRequestCount,
  type OutgoingDeal,
  uploadBatches,
} from './planner';
import { contact, dealMapping, FUNNEL, stageId, testConfig } from './test-support';

function rowOf(config = testConfig()): SalesFunnelRow {
  return {
    ext_id: config.funnel.extId,
    name: config.funnel.name,
    stages: config.stages.map((stage, index) => ({
      stage_ext_id: stage.extId,
      stage_name: stage.name,
      stage_status: stage.status,
      stage_order: stage.order ?? 10_010 + index,
    })),
  };
}

const nothingHeld = (row: SalesFunnelRow | null): ComagicState => ({
  funnel: { row },
  employees: new Set(),
  contacts: new Map(),
});

function outgoing(id: string, stages: [string, string][], checkRefs = true): OutgoingDeal {
  const mapping = dealMapping(id, { stages });
  return {
    dealExtId: id,
    records: mapping.records,
    contacts: mapping.contacts,
    employee: mapping.employee,
    checkRefs,
  };
}

describe('funnel diff', () => {
  it('creates the whole funnel with its stages when CoMagic has none', () => {
    const { steps } = buildPlan({ config: testConfig(), deals: [], comagic: nothingHeld(null) });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      kind: 'create_funnel',
      params: {
        ext_id: FUNNEL,
        stages: {
          success: { ext_id: stageId('won') },
          failed: { ext_id: stageId('lost') },
          in_process: [
            { ext_id: stageId('new') },
            { ext_id: stageId('talks') },
            { ext_id: stageId('offer') },
          ],
        },
      },
    });
  });

  it('creates only the stages CoMagic is missing', () => {
    const row = rowOf();
    row.stages = row.stages.filter((stage) => stage.stage_ext_id !== stageId('talks'));
    const { steps } = buildPlan({ config: testConfig(), deals: [], comagic: nothingHeld(row) });
    expect(steps).toEqual([
      {
        kind: 'create_stage',
        params: { sales_funnel_ext_id: FUNNEL, ext_id: stageId('talks'), name: 'Talks', order: 20 },
      },
    ]);
  });

  it('renames the funnel and a stage the CRM renamed', () => {
    const config = testConfig();
    const renamed = {
      ...config,
      funnel: { ...config.funnel, name: 'Sales 2026' },
      stages: config.stages.map((stage) =>
        stage.crmStageId === 'offer' ? { ...stage, name: 'Proposal' } : stage,
      ),
    };
    const { steps } = buildPlan({ config: renamed, deals: [], comagic: nothingHeld(rowOf(config)) });
    expect(steps).toEqual([
      { kind: 'update_funnel', params: { ext_id: FUNNEL, name: 'Sales 2026' } },
      {
        kind: 'update_stage',
        params: { sales_funnel_ext_id: FUNNEL, ext_id: stageId('offer'), name: 'Proposal' },
      },
    ]);
  });

  it('moves a reordered stage with one update carrying the new order', () => {
    const config = testConfig();
    const reordered = {
      ...config,
      stages: config.stages.map((stage) => (stage.crmStageId === 'new' ? { ...stage, order: 25 } : stage)),
    };
    const { steps } = buildPlan({ config: reordered, deals: [], comagic: nothingHeld(rowOf(config)) });
    expect(steps).toEqual([
      { kind: 'update_stage', params: { sales_funnel_ext_id: FUNNEL, ext_id: stageId('new'), order: 25 } },
    ]);
  });

  it('plans nothing for a funnel CoMagic already holds as mapped', () => {
    const { steps, problems } = buildPlan({ config: testConfig(), deals: [], comagic: nothingHeld(rowOf()) });
    expect(steps).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('reports a won stage CoMagic lacks, which the API cannot add to an existing funnel', () => {
    const row = rowOf();
    row.stages = row.stages.filter((stage) => stage.stage_status !== 'success');
    const { problems } = buildPlan({ config: testConfig(), deals: [], comagic: nothingHeld(row) });
    expect(problems.map((problem) => problem.code)).toEqual(['terminal_stage_mismatch']);
  });
});

describe('references', () => {
  it('creates missing employees one per call and missing contacts in one batch, updating changed ones', () => {
    const deals = [
      outgoing('d1', [['new', '2026-03-01 10:00:00']]),
      outgoing('d2', [['new', '2026-03-01 11:00:00']]),
      outgoing('d3', [['new', '2026-03-01 12:00:00']]),
    ];
    deals[1] = { ...(deals[1] as OutgoingDeal), employee: { ext_id: 'e-2', name: 'Ann' } };
    const held: ComagicState = {
      funnel: 'in_sync',
      employees: new Set(['e-1']),
      contacts: new Map([
        [
          'c-d2',
          {
            ext_id: 'c-d2',
            name: 'Contact c-d2',
            created_date_time: null,
            phone_numbers: ['79001234567'],
            emails: [],
            component: 'dataapi',
          },
        ],
        [
          'c-d3',
          {
            ext_id: 'c-d3',
            name: 'Old name',
            created_date_time: null,
            phone_numbers: [],
            emails: [],
            component: 'dataapi',
          },
        ],
      ]),
    };
    const { steps } = buildPlan({ config: testConfig(), deals, comagic: held });
    expect(steps.map((step) => step.kind)).toEqual([
      'create_employee',
      'create_contacts',
      'update_contact',
      'upload',
    ]);
    expect(steps[0]).toEqual({ kind: 'create_employee', params: { ext_id: 'e-2', name: 'Ann' } });
    expect(steps[1]).toEqual({ kind: 'create_contacts', contacts: ['c-d1'] });
    expect(steps[2]).toEqual({ kind: 'update_contact', contact: 'c-d3' });
  });

  it('leaves the references of deals whose data did not change alone', () => {
    const deals = [
      outgoing(
        'd1',
        [
          ['new', '2026-03-01 10:00:00'],
          ['talks', '2026-03-02 10:00:00'],
        ],
        false,
      ),
    ];
    const { steps } = buildPlan({
      config: testConfig(),
      deals,
      comagic: { ...nothingHeld(null), funnel: 'in_sync' },
    });
    expect(steps.map((step) => step.kind)).toEqual(['upload']);
  });

  it('splits more than 1000 new contacts into calls of at most 1000', () => {
    const deals = Array.from({ length: 1500 }, (_, i) => outgoing(`d${i}`, [['new', '2026-03-01 10:00:00']]));
    const { steps } = buildPlan({
      config: testConfig(),
      deals,
      comagic: { ...nothingHeld(null), funnel: 'in_sync', employees: new Set(['e-1']) },
    });
    const creates = steps.filter((step) => step.kind === 'create_contacts');
    expect(creates.map((step) => (step.kind === 'create_contacts' ? step.contacts.length : 0))).toEqual([
      1000, 500,
    ]);
    expect(
      new Set(creates.flatMap((step) => (step.kind === 'create_contacts' ? step.contacts : []))).size,
    ).toBe(1500);
  });
});

describe('upload batches', () => {
  it('keeps a deal in one batch when that costs no extra call, in order', () => {
    const batches = uploadBatches([
      { dealExtId: 'a', count: 600 },
      { dealExtId: 'b', count: 300 },
      { dealExtId: 'c', count: 200 },
    ]);
    expect(batches).toEqual([
      [
        ['a', 0, 600],
        ['b', 0, 300],
      ],
      [['c', 0, 200]],
    ]);
  });

  it('splits a deal at the boundary, oldest part first, when keeping it whole would cost a call', () => {
    const batches = uploadBatches([
      { dealExtId: 'a', count: 700 },
      { dealExtId: 'b', count: 600 },
      { dealExtId: 'c', count: 700 },
    ]);
    expect(batches).toEqual([
      [
        ['a', 0, 700],
        ['b', 0, 300],
      ],
      [
        ['b', 300, 600],
        ['c', 0, 700],
      ],
    ]);
  });

  it('sends every record exactly once, each deal in order, in the fewest batches of at most 1000', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1200 }), { maxLength: 30 }), (counts) => {
        const deals = counts.map((count, i) => ({ dealExtId: `d${i}`, count }));
        const batches = uploadBatches(deals);
        const total = counts.reduce((sum, count) => sum + count, 0);
        expect(batches).toHaveLength(Math.ceil(total / BATCH_LIMIT));
        for (const batch of batches) {
          expect(batch.reduce((sum, [, from, to]) => sum + to - from, 0)).toBeLessThanOrEqual(BATCH_LIMIT);
        }
        const flat = batches.flat();
        for (const { dealExtId, count } of deals) {
          const parts = flat.filter(([id]) => id === dealExtId);
          expect(parts[0]?.[1]).toBe(0);
          for (const [i, part] of parts.entries()) expect(part[1]).toBe(i === 0 ? 0 : parts[i - 1]?.[2]);
          expect(parts.at(-1)?.[2]).toBe(count);
        }
      }),
    );
  });
});

describe('minimumRequestCount', () => {
  it('is zero for a pipeline CoMagic already holds in full', () => {
    expect(
      minimumRequestCount({
        config: testConfig(),
        deals: [],
        comagic: { funnel: 'in_sync', employees: new Set(), contacts: new Map() },
      }),
    ).toBe(0);
  });

  it('counts one funnel call, one call per employee and one batch per 1000 contacts and records', () => {
    const deals = Array.from({ length: 1200 }, (_, i) => outgoing(`d${i}`, [['new', '2026-03-01 10:00:00']]));
    deals[0] = { ...(deals[0] as OutgoingDeal), employee: { ext_id: 'e-2', name: 'Ann' } };
    const input = { config: testConfig(), deals, comagic: nothingHeld(null) };
    // create.sales_funnel + 2 employees + 2 contact batches + 2 upload batches
    expect(minimumRequestCount(input)).toBe(7);
    expect(buildPlan(input).steps).toHaveLength(7);
  });

  it('matches the planned steps for any mix of held and missing data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 40 }),
        (specs) => {
          const held = new Map();
          const deals = specs.map(([contactHeld, checkRefs, moves], i) => {
            const stages: [string, string][] = [['new', '2026-03-01 10:00:00']];
            if (moves > 0) stages.push(['talks', '2026-03-02 10:00:00']);
            const deal = outgoing(`d${i}`, stages.slice(0, moves === 3 ? 0 : 2), checkRefs);
            const person = contact(`c-d${i}`);
            if (contactHeld)
              held.set(person.ext_id, {
                ...person,
                created_date_time: null,
                emails: [],
                component: 'dataapi',
              });
            return deal;
          });
          const input = {
            config: testConfig(),
            deals,
            comagic: { funnel: 'in_sync' as const, employees: new Set<string>(), contacts: held },
          };
          expect(buildPlan(input).steps).toHaveLength(minimumRequestCount(input));
        },
      ),
    );
  });
});
