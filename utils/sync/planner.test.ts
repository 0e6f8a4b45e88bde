import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contact, dealMapping, FUNNEL, stageId, testConfig } from '../../tests/support/deal-mapping';
import type { SalesFunnelRow } from '../comagic/schemas';
import {
  BATCH_LIMIT,
  buildPlan,
  type ComagicState,
  minimumRequestCount,
  type OutgoingDeal,
  type Step,
  uploadBatches,
} from './planner';

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

/** testConfig with these in-process orders (crm stage id → order) and the rest as it is. */
function withOrders(orders: Record<string, number>, config = testConfig()) {
  return {
    ...config,
    stages: config.stages.map((stage) =>
      stage.crmStageId !== null && orders[stage.crmStageId] !== undefined
        ? { ...stage, order: orders[stage.crmStageId] as number }
        : stage,
    ),
  };
}

/** The in-process orders CoMagic holds after each funnel step, checked unique at every step. */
function ordersThrough(row: SalesFunnelRow, steps: Step[]): Map<string, number> {
  const orders = new Map(
    row.stages.filter((s) => s.stage_status === 'in_process').map((s) => [s.stage_ext_id, s.stage_order]),
  );
  for (const step of steps) {
    if (step.kind === 'create_stage') orders.set(step.params.ext_id, step.params.order);
    if (step.kind === 'update_stage' && step.params.order !== undefined)
      orders.set(step.params.ext_id, step.params.order);
    expect(new Set(orders.values()).size).toBe(orders.size);
  }
  return orders;
}

describe('stage orders', () => {
  it('sends no funnel call while two in-process stages share an order, and says which', () => {
    const config = withOrders({ talks: 10 });
    for (const row of [null, rowOf()]) {
      const { steps, problems } = buildPlan({ config, deals: [], comagic: nothingHeld(row) });
      expect(steps).toEqual([]);
      expect(problems.map((p) => [p.code, p.severity])).toEqual([['stage_order_duplicate', 'error']]);
      expect(problems[0]?.message.en).toContain('"New" and "Talks" both have order 10');
    }
  });

  it('sends no funnel call for an order that is not positive', () => {
    const { steps, problems } = buildPlan({
      config: withOrders({ new: 0 }),
      deals: [],
      comagic: nothingHeld(null),
    });
    expect(steps).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['stage_order_invalid']);
  });

  it('reports an order that a stage CoMagic holds outside the mapping already has', () => {
    const row = rowOf();
    row.stages.push({ stage_ext_id: 'old', stage_name: 'Old', stage_status: 'in_process', stage_order: 15 });
    const config = {
      ...testConfig(),
      stages: [
        ...testConfig().stages,
        {
          crmStageId: 'demo',
          crmStageName: 'Demo',
          extId: stageId('demo'),
          name: 'Demo',
          status: 'in_process' as const,
          order: 15,
          userEdited: false,
        },
      ],
    };
    const { steps, problems } = buildPlan({ config, deals: [], comagic: nothingHeld(row) });
    expect(steps).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['stage_order_taken']);
    expect(problems[0]?.message.en).toContain('already has stage "Old" at order 15');
  });

  it('moves renumbered stages before creating the new one, never two stages at one order', () => {
    // A merge renumbered: talks 20 → 30, offer 30 → 40, and the new stage takes 20.
    const base = withOrders({ talks: 30, offer: 40 });
    const config = {
      ...base,
      stages: [
        ...base.stages,
        {
          crmStageId: 'demo',
          crmStageName: 'Demo',
          extId: stageId('demo'),
          name: 'Demo',
          status: 'in_process' as const,
          order: 20,
          userEdited: false,
        },
      ],
    };
    const row = rowOf();
    const { steps, problems } = buildPlan({ config, deals: [], comagic: nothingHeld(row) });
    expect(problems).toEqual([]);
    expect(steps.map((step) => step.kind)).toEqual(['update_stage', 'update_stage', 'create_stage']);
    expect(Object.fromEntries(ordersThrough(row, steps))).toEqual({
      [stageId('new')]: 10,
      [stageId('demo')]: 20,
      [stageId('talks')]: 30,
      [stageId('offer')]: 40,
    });
  });

  it('never has two stages at one order while renumbering keeps their sequence', () => {
    const orders = fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(orders, orders, (held, target) => {
        const [from, to] = [[...held].sort((a, b) => a - b), [...target].sort((a, b) => a - b)];
        const ids = ['new', 'talks', 'offer'];
        const row = rowOf(withOrders(Object.fromEntries(ids.map((id, i) => [id, from[i] as number]))));
        const config = withOrders(Object.fromEntries(ids.map((id, i) => [id, to[i] as number])));
        const { steps } = buildPlan({ config, deals: [], comagic: nothingHeld(row) });
        ordersThrough(row, steps);
      }),
    );
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

describe('companies and user fields', () => {
  const company = { ext_id: 'acc-1', name: 'Acme', phones: ['74950000000'] };
  const probability = { ext_id: 'field:probability', name: 'Probability', data_type: 'numeric' as const };
  const currency = { ext_id: 'field:currency', name: 'Currency', data_type: 'string' as const };
  const withRefs = (id: string, refs: Partial<OutgoingDeal>): OutgoingDeal => ({
    ...outgoing(id, [['new', '2026-03-01 10:00:00']]),
    ...refs,
  });
  const kinds = (steps: Step[]) => steps.map((step) => step.kind);

  it('makes each company and user field CoMagic lacks once, one per call, before the records naming them', () => {
    const deals = [
      withRefs('d1', { company, userFields: [probability] }),
      withRefs('d2', { company, userFields: [probability, currency] }),
    ];
    const { steps } = buildPlan({
      config: testConfig(),
      deals,
      comagic: { ...nothingHeld(null), funnel: 'in_sync' },
    });
    expect(
      steps.filter(
        (step) =>
          step.kind !== 'upload' && step.kind !== 'create_employee' && step.kind !== 'create_contacts',
      ),
    ).toEqual([
      { kind: 'create_company', params: company },
      { kind: 'create_user_field', params: probability },
      { kind: 'create_user_field', params: currency },
    ]);
    expect(kinds(steps).indexOf('create_user_field')).toBeLessThan(kinds(steps).indexOf('upload'));
    expect(kinds(steps).indexOf('create_company')).toBeLessThan(kinds(steps).indexOf('upload'));
  });

  it('makes none CoMagic already holds (looked up first), nor any for a deal with nothing to upload', () => {
    const held: ComagicState = {
      ...nothingHeld(null),
      funnel: 'in_sync',
      companies: new Set(['acc-1']),
      userFields: new Set(['field:probability']),
    };
    const deals = [
      withRefs('d1', { company, userFields: [probability] }),
      withRefs('d2', { records: [], company: { ext_id: 'acc-2', name: 'Globex' }, userFields: [currency] }),
    ];
    const input = { config: testConfig(), deals, comagic: held };
    const { steps } = buildPlan(input);
    expect(kinds(steps)).not.toContain('create_company');
    expect(kinds(steps)).not.toContain('create_user_field');
    const requests = minimumRequestCount(input);
    const withNothingHeld = minimumRequestCount({
      ...input,
      comagic: { ...held, companies: new Set(), userFields: new Set() },
    });
    expect(withNothingHeld - requests).toBe(2);
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

describe('repair', () => {
  const page: [string, string][] = [
    ['new', '2026-03-01 10:00:00'],
    ['talks', '2026-03-02 10:00:00'],
    ['offer', '2026-03-04 10:00:00'],
  ];
  const held: ComagicState = { funnel: 'in_sync', employees: new Set(['e-1']), contacts: new Map() };

  it('deletes the deal after its references are made and before its upload, which carries all its records', () => {
    const repaired = { ...outgoing('d1', page), repair: true };
    const { steps } = buildPlan({ config: testConfig(), deals: [repaired], comagic: held });
    expect(steps.map((step) => step.kind)).toEqual(['create_contacts', 'delete_deal', 'upload']);
    expect(steps[1]).toEqual({ kind: 'delete_deal', deal: 'd1' });
    expect(steps[2]).toEqual({ kind: 'upload', items: [['d1', 0, 3]] });
  });

  it('deletes only the deals repaired, all before the one upload the batch shares', () => {
    const deals = [
      { ...outgoing('d1', page, false), repair: true },
      outgoing('d2', page.slice(2), false),
      { ...outgoing('d3', page, false), repair: true },
    ];
    const input = { config: testConfig(), deals, comagic: held };
    const { steps } = buildPlan(input);
    expect(steps).toEqual([
      { kind: 'delete_deal', deal: 'd1' },
      { kind: 'delete_deal', deal: 'd3' },
      {
        kind: 'upload',
        items: [
          ['d1', 0, 3],
          ['d2', 0, 1],
          ['d3', 0, 3],
        ],
      },
    ]);
    expect(minimumRequestCount(input)).toBe(steps.length);
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
