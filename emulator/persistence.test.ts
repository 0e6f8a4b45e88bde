// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { injectFaults, inspect, reset } from './control';
import { startEmulator } from './server';
import { call, dealRecord, expectOk, FIXED_NOW, seedFunnel, upload } from './testing';

let directory: string;
let statePath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  statePath = join(directory, 'state.json');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const start = () => startEmulator({ port: 0, statePath, now: () => FIXED_NOW });

describe('statePath', () => {
  it('keeps funnels, contacts, employees and deal history across a restart', async () => {
    const first = await start();
    await seedFunnel(first);
    expectOk(await call(first, 'create.deal_contacts', { contacts: [{ ext_id: 'c1', name: 'A' }] }));
    expectOk(await call(first, 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }));
    expectOk(
      await upload(first, [
        dealRecord(),
        dealRecord({ stage_ext_id: 'offer', modified_stage_date_time: '2026-03-04 10:00:00' }),
      ]),
    );
    const before = await inspect(first.origin);
    await first.close();

    const second = await start();
    const after = await inspect(second.origin);
    expect(after.funnels).toEqual(before.funnels);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.employees).toEqual(before.employees);
    expect(after.deals).toEqual(before.deals);
    expect(after.deals.d1?.map((r) => r.is_generated)).toEqual([false, true, false]);
    await second.close();
  });

  it('keeps companies, user fields and each record’s tags and user field values across a restart', async () => {
    const first = await start();
    await seedFunnel(first);
    expectOk(await call(first, 'create.crm_company', { ext_id: 'co1', name: 'Acme' }));
    expectOk(await call(first, 'create.deal_user_field', { ext_id: 'uf', name: 'P', data_type: 'numeric' }));
    expectOk(
      await upload(first, [
        dealRecord({
          company_ext_id: 'co1',
          tags: [{ ext_id: 't1', name: 'VIP' }],
          user_fields: [{ ext_id: 'uf', value: '60' }],
        }),
      ]),
    );
    const before = await inspect(first.origin);
    await first.close();
    const second = await start();
    const after = await inspect(second.origin);
    expect(after.companies).toEqual(before.companies);
    expect(after.user_fields).toEqual([{ ext_id: 'uf', name: 'P', data_type: 'numeric' }]);
    expect(after.deals.d1?.[0]).toMatchObject({
      company_ext_id: 'co1',
      tags: [{ ext_id: 't1', name: 'VIP' }],
      user_fields: [{ ext_id: 'uf', value: '60' }],
    });
    await second.close();
  });

  it('loads a state file saved before companies, user fields and tags were kept', async () => {
    const first = await start();
    await seedFunnel(first);
    expectOk(await upload(first, [dealRecord()]));
    await first.close();
    const saved = JSON.parse(readFileSync(statePath, 'utf8'));
    const { companies: _companies, user_fields: _fields, ...older } = saved;
    for (const record of older.deals.d1) {
      delete record.tags;
      delete record.user_fields;
    }
    writeFileSync(statePath, JSON.stringify(older));
    const second = await start();
    const state = await inspect(second.origin);
    expect(state.companies).toEqual([]);
    expect(state.deals.d1?.[0]).toMatchObject({ tags: [], user_fields: [] });
    await second.close();
  });

  it('does not persist a rejected call', async () => {
    const emulator = await start();
    await seedFunnel(emulator);
    await upload(emulator, [dealRecord(), dealRecord({ ext_id: 'd2', stage_ext_id: 'nope' })]);
    await emulator.close();
    expect(JSON.parse(readFileSync(statePath, 'utf8')).deals).toEqual({});
  });

  it('answers -32603 internal_error without internals when the state cannot be written', async () => {
    const emulator = await startEmulator({ port: 0, statePath: join(directory, 'missing', 'state.json') });
    const answer = await call(emulator, 'create.deal_employees', { ext_id: 'e1', name: 'Anna' });
    expect(answer.error?.code).toBe(-32603);
    expect(answer.error?.data.mnemonic).toBe('internal_error');
    expect(JSON.stringify(answer)).not.toMatch(/ENOENT|at .*\.ts/);
    await emulator.close();
  });

  it('refuses to start on a corrupt state file', async () => {
    writeFileSync(statePath, JSON.stringify({ version: 1, funnels: 'x' }));
    await expect(start()).rejects.toThrow(/not valid/);
  });
});

describe('reset', () => {
  it('empties stored data, the call log and pending faults, on disk too', async () => {
    const emulator = await start();
    await seedFunnel(emulator);
    await injectFaults(emulator.origin, { mode: 'http502', count: 5 });
    await reset(emulator.origin);
    expect(await inspect(emulator.origin)).toEqual({
      funnels: [],
      contacts: [],
      employees: [],
      deals: {},
      companies: [],
      user_fields: [],
      calls: [],
    });
    expectOk(await call(emulator, 'get.account'));
    expect(JSON.parse(readFileSync(statePath, 'utf8')).funnels).toEqual([]);
    await emulator.close();
  });
});
