// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { call, expectError, expectOk, useEmulator } from './testing';

const emulator = useEmulator();
const getAll = async () =>
  expectOk(await call(emulator(), 'get.deal_employees')) as { ext_id: string; name: string }[];

describe('deal employees', () => {
  it('creates one employee per call and answers its ext_id', async () => {
    expect(expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }))).toEqual(
      { ext_id: 'e1' },
    );
    expect(await getAll()).toEqual([{ ext_id: 'e1', name: 'Anna' }]);
  });

  it('rejects a used ext_id, a missing name and an array of employees', async () => {
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }));
    expectError(
      await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Bob' }),
      'duplicate_entity',
      'ext_id',
    );
    expectError(
      await call(emulator(), 'create.deal_employees', { ext_id: 'e2' }),
      'required_parameter_missed',
      'name',
    );
    expectError(
      await call(emulator(), 'create.deal_employees', { employees: [{ ext_id: 'e3', name: 'C' }] }),
      'required_parameter_missed',
    );
  });

  it('renames and deletes an employee; unknown ones are entity_not_found', async () => {
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }));
    expectOk(await call(emulator(), 'update.deal_employees', { ext_id: 'e1', name: 'Anna K.' }));
    expect(await getAll()).toEqual([{ ext_id: 'e1', name: 'Anna K.' }]);
    expectOk(await call(emulator(), 'delete.deal_employees', { ext_id: 'e1' }));
    expect(await getAll()).toEqual([]);
    expectError(
      await call(emulator(), 'update.deal_employees', { ext_id: 'e1', name: 'X' }),
      'entity_not_found',
      'ext_id',
    );
    expectError(
      await call(emulator(), 'delete.deal_employees', { ext_id: 'e1' }),
      'entity_not_found',
      'ext_id',
    );
  });
});
