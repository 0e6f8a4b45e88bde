// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  call,
  dealRecord,
  expectError,
  expectOk,
  funnelParams,
  seedFunnel,
  upload,
  useEmulator,
} from './testing';

const emulator = useEmulator();

type FunnelRow = {
  ext_id: string;
  name: string;
  stages: { stage_ext_id: string; stage_name: string; stage_status: string; stage_order: number }[];
};

const getFunnel = async (extId = 'f1') => {
  const rows = expectOk(
    await call(emulator(), 'get.sales_funnel', { filter: { field: 'ext_id', operator: '=', value: extId } }),
  ) as FunnelRow[];
  return rows[0];
};

const inProcess = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ ext_id: `s${i}`, name: `Stage ${i}`, order: i + 1 }));

const withStages = (stages: Record<string, unknown>) => ({
  ...funnelParams(),
  stages: { ...funnelParams().stages, ...stages },
});

describe('create.sales_funnel', () => {
  it('creates a funnel with its stages; terminal stages at 10010 and 10020', async () => {
    expect(expectOk(await call(emulator(), 'create.sales_funnel', funnelParams()))).toEqual({ ext_id: 'f1' });
    const funnel = await getFunnel();
    expect(funnel?.name).toBe('Main');
    expect(funnel?.stages).toEqual([
      { stage_ext_id: 'new', stage_name: 'New', stage_status: 'in_process', stage_order: 10 },
      { stage_ext_id: 'talk', stage_name: 'Talk', stage_status: 'in_process', stage_order: 20 },
      { stage_ext_id: 'offer', stage_name: 'Offer', stage_status: 'in_process', stage_order: 30 },
      { stage_ext_id: 'won', stage_name: 'Won', stage_status: 'success', stage_order: 10010 },
      { stage_ext_id: 'lost', stage_name: 'Lost', stage_status: 'failed', stage_order: 10020 },
    ]);
  });

  it('rejects a used ext_id with duplicate_entity', async () => {
    await seedFunnel(emulator());
    expectError(await call(emulator(), 'create.sales_funnel', funnelParams()), 'duplicate_entity', 'ext_id');
  });

  it('accepts 100 in_process stages and rejects 101 with data_limit_exceeded', async () => {
    expectOk(await call(emulator(), 'create.sales_funnel', withStages({ in_process: inProcess(100) })));
    const tooMany = { ...withStages({ in_process: inProcess(101) }), ext_id: 'f2' };
    expectError(
      await call(emulator(), 'create.sales_funnel', tooMany),
      'data_limit_exceeded',
      'stages.in_process',
    );
  });

  it('rejects an empty in_process list', async () => {
    const answer = await call(emulator(), 'create.sales_funnel', withStages({ in_process: [] }));
    expectError(answer, 'invalid_parameter_value', 'stages.in_process');
  });

  it('accepts order 10000 and rejects 10001', async () => {
    const at = (order: number) => withStages({ in_process: [{ ext_id: 'a', name: 'A', order }] });
    expectOk(await call(emulator(), 'create.sales_funnel', at(10000)));
    const answer = await call(emulator(), 'create.sales_funnel', { ...at(10001), ext_id: 'f2' });
    expectError(answer, 'invalid_parameter_value', 'stages.in_process.0.order');
  });

  it('requires the success and failed stages', async () => {
    const { success: _success, ...rest } = funnelParams().stages;
    const answer = await call(emulator(), 'create.sales_funnel', { ...funnelParams(), stages: rest });
    expectError(answer, 'required_parameter_missed', 'stages.success');
  });

  it('rejects an order on a terminal stage and an array of success stages', async () => {
    const withOrder = withStages({ success: { ext_id: 'won', name: 'Won', order: 40 } });
    expectError(
      await call(emulator(), 'create.sales_funnel', withOrder),
      'unexpected_parameters',
      'stages.success.order',
    );
    const asArray = withStages({ failed: [{ ext_id: 'lost', name: 'Lost' }] });
    expectError(await call(emulator(), 'create.sales_funnel', asArray), 'data_type_error', 'stages.failed');
  });

  it('rejects repeated stage ext_ids inside one funnel', async () => {
    const repeated = withStages({ success: { ext_id: 'new', name: 'Won' } });
    expectError(
      await call(emulator(), 'create.sales_funnel', repeated),
      'duplicate_entity',
      'stages.success.ext_id',
    );
  });

  it('allows the same stage ext_ids in another funnel', async () => {
    await seedFunnel(emulator(), 'f1');
    expectOk(await call(emulator(), 'create.sales_funnel', funnelParams('f2')));
  });

  it('rejects wrong types and over-long names', async () => {
    expectError(
      await call(emulator(), 'create.sales_funnel', { ...funnelParams(), name: 12 }),
      'data_type_error',
      'name',
    );
    expectError(
      await call(emulator(), 'create.sales_funnel', { ...funnelParams(), name: 'x'.repeat(256) }),
      'invalid_parameter_value',
      'name',
    );
    expectOk(await call(emulator(), 'create.sales_funnel', { ...funnelParams(), name: 'x'.repeat(255) }));
  });

  it('rejects an ext_id longer than 64 characters', async () => {
    const answer = await call(emulator(), 'create.sales_funnel', {
      ...funnelParams(),
      ext_id: 'f'.repeat(65),
    });
    expectError(answer, 'invalid_parameter_value', 'ext_id');
  });
});

describe('update.sales_funnel and delete.sales_funnel', () => {
  it('renames a funnel and requires the name', async () => {
    await seedFunnel(emulator());
    expectError(
      await call(emulator(), 'update.sales_funnel', { ext_id: 'f1' }),
      'required_parameter_missed',
      'name',
    );
    expect(
      expectOk(await call(emulator(), 'update.sales_funnel', { ext_id: 'f1', name: 'Renamed' })),
    ).toEqual({});
    expect((await getFunnel())?.name).toBe('Renamed');
  });

  it('rejects updating or deleting an unknown funnel', async () => {
    expectError(
      await call(emulator(), 'update.sales_funnel', { ext_id: 'no', name: 'X' }),
      'entity_not_found',
      'ext_id',
    );
    expectError(
      await call(emulator(), 'delete.sales_funnel', { ext_id: 'no' }),
      'entity_not_found',
      'ext_id',
    );
  });

  it('deletes an empty funnel with its stages', async () => {
    await seedFunnel(emulator());
    expectOk(await call(emulator(), 'delete.sales_funnel', { ext_id: 'f1' }));
    expect(await getFunnel()).toBeUndefined();
  });

  it('refuses to delete a funnel with deals (dependency_error) until the deals are deleted', async () => {
    await seedFunnel(emulator());
    expectOk(await upload(emulator(), [dealRecord()]));
    expectError(await call(emulator(), 'delete.sales_funnel', { ext_id: 'f1' }), 'dependency_error');
    expectOk(await call(emulator(), 'delete.deals', { ext_id: 'd1' }));
    expectOk(await call(emulator(), 'delete.sales_funnel', { ext_id: 'f1' }));
  });
});

describe('sales funnel stages', () => {
  const stage = (extra: Record<string, unknown> = {}) => ({
    sales_funnel_ext_id: 'f1',
    ext_id: 'check',
    name: 'Check',
    order: 25,
    ...extra,
  });

  it('creates an in_process stage in an existing funnel', async () => {
    await seedFunnel(emulator());
    expect(expectOk(await call(emulator(), 'create.sales_funnel_stages', stage()))).toEqual({
      ext_id: 'check',
    });
    const stages = (await getFunnel())?.stages.map(
      (s) => `${s.stage_ext_id}:${s.stage_status}:${s.stage_order}`,
    );
    expect(stages).toContain('check:in_process:25');
    expect(stages?.indexOf('check:in_process:25')).toBe(2);
  });

  it('rejects a stage of an unknown funnel, a used ext_id and an order over 10000', async () => {
    await seedFunnel(emulator());
    const unknown = await call(
      emulator(),
      'create.sales_funnel_stages',
      stage({ sales_funnel_ext_id: 'no' }),
    );
    expectError(unknown, 'entity_not_found', 'sales_funnel_ext_id');
    expectError(
      await call(emulator(), 'create.sales_funnel_stages', stage({ ext_id: 'talk' })),
      'duplicate_entity',
      'ext_id',
    );
    const tooHigh = await call(emulator(), 'create.sales_funnel_stages', stage({ order: 10001 }));
    expectError(tooHigh, 'invalid_parameter_value', 'order');
  });

  it('rejects a new stage once the funnel has 100 stages of any status', async () => {
    const ninetyEight = {
      ...funnelParams(),
      stages: { ...funnelParams().stages, in_process: inProcess(98) },
    };
    expectOk(await call(emulator(), 'create.sales_funnel', ninetyEight));
    const full = await call(emulator(), 'create.sales_funnel_stages', stage());
    expectError(full, 'data_limit_exceeded');
    expectOk(
      await call(emulator(), 'delete.sales_funnel_stages', { sales_funnel_ext_id: 'f1', ext_id: 's0' }),
    );
    expectOk(await call(emulator(), 'create.sales_funnel_stages', stage()));
  });

  it('updates name and order of an in_process stage', async () => {
    await seedFunnel(emulator());
    const params = { sales_funnel_ext_id: 'f1', ext_id: 'talk', name: 'Call', order: 35 };
    expectOk(await call(emulator(), 'update.sales_funnel_stages', params));
    const updated = (await getFunnel())?.stages.find((s) => s.stage_ext_id === 'talk');
    expect(updated).toMatchObject({ stage_name: 'Call', stage_order: 35 });
  });

  it('rejects an order for a terminal stage but allows renaming it', async () => {
    await seedFunnel(emulator());
    const withOrder = { sales_funnel_ext_id: 'f1', ext_id: 'won', order: 50 };
    expectError(
      await call(emulator(), 'update.sales_funnel_stages', withOrder),
      'invalid_parameter_value',
      'order',
    );
    expectOk(
      await call(emulator(), 'update.sales_funnel_stages', {
        sales_funnel_ext_id: 'f1',
        ext_id: 'won',
        name: 'Paid',
      }),
    );
  });

  it('rejects updating a stage that is not in that funnel', async () => {
    await seedFunnel(emulator());
    const answer = await call(emulator(), 'update.sales_funnel_stages', {
      sales_funnel_ext_id: 'f1',
      ext_id: 'x',
      name: 'X',
    });
    expectError(answer, 'entity_not_found', 'ext_id');
  });

  it('deletes an empty stage; refuses a stage with a deal in it, the last in_process stage and unknown ones', async () => {
    await seedFunnel(emulator());
    const del = (ext_id: string) =>
      call(emulator(), 'delete.sales_funnel_stages', { sales_funnel_ext_id: 'f1', ext_id });
    expectOk(await upload(emulator(), [dealRecord({ stage_ext_id: 'talk' })]));
    expectError(await del('talk'), 'dependency_error', 'ext_id');
    expectOk(await del('new'));
    expectOk(await del('offer'));
    expectOk(
      await upload(emulator(), [
        dealRecord({ stage_ext_id: 'won', modified_stage_date_time: '2026-03-03 10:00:00' }),
      ]),
    );
    expectError(await del('talk'), 'dependency_error', 'ext_id');
    expectError(await del('nope'), 'entity_not_found', 'ext_id');
  });

  it('refuses to delete a terminal stage', async () => {
    await seedFunnel(emulator());
    expectError(
      await call(emulator(), 'delete.sales_funnel_stages', { sales_funnel_ext_id: 'f1', ext_id: 'lost' }),
      'forbidden',
    );
  });
});
