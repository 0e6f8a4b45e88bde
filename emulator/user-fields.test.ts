// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { inspect } from './control';
import { call, dealRecord, expectError, expectOk, seedFunnel, upload, useEmulator } from './testing';

const emulator = useEmulator();

const field = (extId: string, dataType = 'string', name = `Field ${extId}`) =>
  call(emulator(), 'create.deal_user_field', { ext_id: extId, name, data_type: dataType });
const stored = async () => (await inspect(emulator().origin)).user_fields;

describe('create.deal_user_field', () => {
  it('stores a numeric or a string field and answers its ext_id', async () => {
    expect(expectOk(await field('p', 'numeric', 'Probability'))).toEqual({ ext_id: 'p' });
    expect(expectOk(await field('d', 'string', 'Close date'))).toEqual({ ext_id: 'd' });
    expect(await stored()).toEqual([
      { ext_id: 'p', name: 'Probability', data_type: 'numeric' },
      { ext_id: 'd', name: 'Close date', data_type: 'string' },
    ]);
  });

  it('refuses another data type, a used ext_id and missing or unknown keys', async () => {
    expectError(await field('x', 'date'), 'invalid_parameter_value', 'data_type');
    expectOk(await field('p'));
    expectError(await field('p'), 'duplicate_entity', 'ext_id');
    expectError(
      await call(emulator(), 'create.deal_user_field', { ext_id: 'q', name: 'Q' }),
      'required_parameter_missed',
      'data_type',
    );
    expectError(
      await call(emulator(), 'create.deal_user_field', {
        ext_id: 'q',
        name: 'Q',
        data_type: 'string',
        value: '1',
      }),
      'unexpected_parameters',
      'value',
    );
    expect((await stored()).map((f) => f.ext_id)).toEqual(['p']);
  });
});

describe('update.deal_user_field', () => {
  it('renames a field (the name is required; the data type cannot change) and answers its ext_id', async () => {
    expectOk(await field('p', 'numeric'));
    expect(
      expectOk(await call(emulator(), 'update.deal_user_field', { ext_id: 'p', name: 'Chance' })),
    ).toEqual({
      ext_id: 'p',
    });
    expectError(
      await call(emulator(), 'update.deal_user_field', { ext_id: 'p' }),
      'required_parameter_missed',
      'name',
    );
    expectError(
      await call(emulator(), 'update.deal_user_field', { ext_id: 'p', name: 'C', data_type: 'string' }),
      'unexpected_parameters',
      'data_type',
    );
    expectError(
      await call(emulator(), 'update.deal_user_field', { ext_id: 'x', name: 'X' }),
      'entity_not_found',
      'ext_id',
    );
    expect(await stored()).toEqual([{ ext_id: 'p', name: 'Chance', data_type: 'numeric' }]);
  });
});

describe('get.deal_user_fields', () => {
  it('filters and sorts on ext_id, name and data_type', async () => {
    expectOk(await field('b', 'numeric', 'Beta'));
    expectOk(await field('a', 'string', 'Alpha'));
    expectOk(await field('c', 'numeric', 'Gamma'));
    const numeric = expectOk(
      await call(emulator(), 'get.deal_user_fields', {
        filter: { field: 'data_type', operator: '=', value: 'numeric' },
        sort: [{ field: 'name', order: 'desc' }],
      }),
    ) as { ext_id: string }[];
    expect(numeric.map((row) => row.ext_id)).toEqual(['c', 'b']);
    const answer = await call(emulator(), 'get.deal_user_fields', { limit: 1 });
    expect(answer.result?.metadata.total_items).toBe(3);
  });
});

describe('delete.deal_user_field', () => {
  it('deletes a field no deal has a value of, refuses one in use, and an unknown one', async () => {
    await seedFunnel(emulator());
    expectOk(await field('used'));
    expectOk(await field('free'));
    expectOk(await upload(emulator(), [dealRecord({ user_fields: [{ ext_id: 'used', value: 'yes' }] })]));
    expectError(
      await call(emulator(), 'delete.deal_user_field', { ext_id: 'used' }),
      'dependency_error',
      'ext_id',
    );
    expectOk(await call(emulator(), 'delete.deal_user_field', { ext_id: 'free' }));
    expectError(
      await call(emulator(), 'delete.deal_user_field', { ext_id: 'free' }),
      'entity_not_found',
      'ext_id',
    );
    expect((await stored()).map((f) => f.ext_id)).toEqual(['used']);
  });
});
