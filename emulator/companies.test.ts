// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { inspect } from './control';
import { call, dealRecord, expectError, expectOk, seedFunnel, upload, useEmulator } from './testing';

const emulator = useEmulator();

beforeEach(async () => {
  expectOk(
    await call(emulator(), 'create.deal_contacts', {
      contacts: [
        { ext_id: 'c1', name: 'A' },
        { ext_id: 'c2', name: 'B' },
      ],
    }),
  );
});

const company = (extra: Record<string, unknown> = {}) => ({ ext_id: 'co1', name: 'Acme', ...extra });
const create = (extra: Record<string, unknown> = {}) =>
  call(emulator(), 'create.crm_company', company(extra));
const update = (extra: Record<string, unknown>) => call(emulator(), 'update.crm_company', company(extra));
const stored = async () => (await inspect(emulator().origin)).companies;

describe('create.crm_company', () => {
  it('stores the company with its phones, e-mails, contacts and description, answering data {}', async () => {
    const answer = await create({
      phones: ['+74951234567', '74957654321'],
      emails: ['info@acme.test'],
      contact_ext_ids: ['c1', 'c2'],
      description: 'Wholesale',
    });
    expect(expectOk(answer)).toEqual({});
    expect(await stored()).toEqual([
      {
        ext_id: 'co1',
        name: 'Acme',
        phones: ['74951234567', '74957654321'],
        emails: ['info@acme.test'],
        contact_ext_ids: ['c1', 'c2'],
        description: 'Wholesale',
        is_removed: false,
        component: 'dataapi',
      },
    ]);
  });

  it('refuses an ext_id already used, even by a company marked removed', async () => {
    expectOk(await create());
    expectError(await create({ name: 'Other' }), 'duplicate_entity', 'ext_id');
    expectOk(await update({ is_removed: true }));
    expectError(await create(), 'duplicate_entity', 'ext_id');
    expect((await stored()).map((c) => c.name)).toEqual(['Acme']);
  });

  it('refuses unknown or repeated contacts and more than 1000 of them', async () => {
    expectError(await create({ contact_ext_ids: ['c1', 'cX'] }), 'entity_not_found', 'contact_ext_ids.1');
    expectError(
      await create({ contact_ext_ids: ['c1', 'c1'] }),
      'invalid_parameter_value',
      'contact_ext_ids.1',
    );
    const many = Array.from({ length: 1001 }, (_, i) => `c${i}`);
    expectError(await create({ contact_ext_ids: many }), 'data_limit_exceeded', 'contact_ext_ids');
    expect(await stored()).toEqual([]);
  });

  it('refuses phones outside E.164, repeated e-mails, unknown keys and a missing name', async () => {
    expectError(await create({ phones: ['8 (495) 123-45-67'] }), 'invalid_parameter_value', 'phones.0');
    expectError(await create({ phones: ['074951234567'] }), 'invalid_parameter_value', 'phones.0');
    expectError(await create({ emails: ['a@x.ru', 'A@x.ru'] }), 'invalid_parameter_value', 'emails.1');
    // phone_numbers is a contact's key; the company's is phones.
    expectError(await create({ phone_numbers: ['74951234567'] }), 'unexpected_parameters', 'phone_numbers');
    expectError(await create({ is_removed: false }), 'unexpected_parameters', 'is_removed');
    expectError(
      await call(emulator(), 'create.crm_company', { ext_id: 'co1' }),
      'required_parameter_missed',
      'name',
    );
    expect(await stored()).toEqual([]);
  });
});

describe('update.crm_company', () => {
  it('needs the name, replaces the arrays given, clears with null and keeps what was left out', async () => {
    expectOk(
      await create({
        phones: ['74951234567'],
        emails: ['a@x.ru'],
        contact_ext_ids: ['c1'],
        description: 'D',
      }),
    );
    expectError(
      await call(emulator(), 'update.crm_company', { ext_id: 'co1' }),
      'required_parameter_missed',
      'name',
    );
    expectOk(await update({ name: 'Acme Ltd', contact_ext_ids: ['c2'], emails: null, description: null }));
    expect(await stored()).toEqual([
      expect.objectContaining({
        name: 'Acme Ltd',
        phones: ['74951234567'],
        emails: [],
        contact_ext_ids: ['c2'],
        description: null,
      }),
    ]);
  });

  it('marks a company removed and back; is_removed cannot be cleared', async () => {
    expectOk(await create());
    expectOk(await update({ is_removed: true }));
    expect((await stored())[0]?.is_removed).toBe(true);
    expectError(await update({ is_removed: null }), 'invalid_parameter_value', 'is_removed');
    expectError(await update({ is_removed: 'yes' }), 'invalid_parameter_value', 'is_removed');
    expectOk(await update({ is_removed: false }));
    expect((await stored())[0]?.is_removed).toBe(false);
  });

  it('refuses an unknown company, the skeleton-only keys and unknown contacts', async () => {
    expectError(await update({}), 'entity_not_found', 'ext_id');
    expectOk(await create());
    expectError(await update({ phone_numbers: ['74951234567'] }), 'unexpected_parameters', 'phone_numbers');
    expectError(
      await update({ created_date_time: '2026-03-02 10:15:00' }),
      'unexpected_parameters',
      'created_date_time',
    );
    expectError(await update({ contact_ext_ids: ['cX'] }), 'entity_not_found', 'contact_ext_ids.0');
  });
});

describe('get.crm_companies', () => {
  beforeEach(async () => {
    expectOk(await create({ phones: ['74951234567'], description: 'Wholesale' }));
    expectOk(
      await call(emulator(), 'create.crm_company', { ext_id: 'co2', name: 'Bolt', emails: ['b@x.ru'] }),
    );
    expectOk(await call(emulator(), 'update.crm_company', { ext_id: 'co2', name: 'Bolt', is_removed: true }));
  });

  it('answers the default fields without description and is_removed, which come when asked for', async () => {
    const rows = expectOk(await call(emulator(), 'get.crm_companies', { sort: [{ field: 'name' }] }));
    expect(rows).toEqual([
      {
        ext_id: 'co1',
        name: 'Acme',
        component: 'dataapi',
        phones: ['74951234567'],
        emails: [],
        contact_ext_ids: [],
        contact_ids: null,
      },
      {
        ext_id: 'co2',
        name: 'Bolt',
        component: 'dataapi',
        phones: [],
        emails: ['b@x.ru'],
        contact_ext_ids: [],
        contact_ids: null,
      },
    ]);
    const asked = expectOk(
      await call(emulator(), 'get.crm_companies', { fields: ['ext_id', 'description', 'is_removed'] }),
    );
    expect(asked).toEqual([
      { ext_id: 'co1', description: 'Wholesale', is_removed: false },
      { ext_id: 'co2', description: null, is_removed: true },
    ]);
  });

  it('filters on is_removed and phones, and refuses to sort on description or is_removed', async () => {
    const live = expectOk(
      await call(emulator(), 'get.crm_companies', {
        filter: { field: 'is_removed', operator: '=', value: false },
      }),
    ) as { ext_id: string }[];
    expect(live.map((row) => row.ext_id)).toEqual(['co1']);
    const byPhone = expectOk(
      await call(emulator(), 'get.crm_companies', {
        filter: { field: 'phones', operator: 'overlap', value: ['74951234567'] },
      }),
    ) as { ext_id: string }[];
    expect(byPhone.map((row) => row.ext_id)).toEqual(['co1']);
    expectError(
      await call(emulator(), 'get.crm_companies', { sort: [{ field: 'description' }] }),
      'sort_prohibited',
    );
    expectError(
      await call(emulator(), 'get.crm_companies', { sort: [{ field: 'is_removed' }] }),
      'sort_prohibited',
    );
  });
});

describe('delete.crm_company', () => {
  it('deletes a company no deal names, refuses one a deal names, and an unknown one', async () => {
    await seedFunnel(emulator());
    expectOk(await create());
    expectOk(await call(emulator(), 'create.crm_company', { ext_id: 'co2', name: 'Bolt' }));
    expectOk(await upload(emulator(), [dealRecord({ company_ext_id: 'co1' })]));
    expectError(
      await call(emulator(), 'delete.crm_company', { ext_id: 'co1' }),
      'dependency_error',
      'ext_id',
    );
    expectOk(await call(emulator(), 'delete.crm_company', { ext_id: 'co2' }));
    expectError(
      await call(emulator(), 'delete.crm_company', { ext_id: 'co2' }),
      'entity_not_found',
      'ext_id',
    );
    expect((await stored()).map((c) => c.ext_id)).toEqual(['co1']);
    // Once the deal is gone, so is the link.
    expectOk(await call(emulator(), 'delete.deals', { ext_id: 'd1' }));
    expectOk(await call(emulator(), 'delete.crm_company', { ext_id: 'co1' }));
  });
});
