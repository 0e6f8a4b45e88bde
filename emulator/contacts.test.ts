// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { inspect } from './control';
import { call, expectError, expectOk, useEmulator } from './testing';

const emulator = useEmulator();

const contact = (extId: string, extra: Record<string, unknown> = {}) => ({
  ext_id: extId,
  name: `Contact ${extId}`,
  ...extra,
});
const create = (contacts: unknown[]) => call(emulator(), 'create.deal_contacts', { contacts });
const getAll = async (params: Record<string, unknown> = {}) =>
  expectOk(await call(emulator(), 'get.deal_contacts', params)) as Record<string, unknown>[];

describe('create.deal_contacts', () => {
  it('stores contacts and answers an empty object', async () => {
    const answer = await create([
      contact('c1', {
        phone_numbers: ['79001234567'],
        emails: ['a@example.com'],
        created_date_time: '2026-03-01 09:00:00',
      }),
      contact('c2'),
    ]);
    expect(expectOk(answer)).toEqual({});
    expect(await getAll()).toEqual([
      {
        ext_id: 'c1',
        name: 'Contact c1',
        created_date_time: '2026-03-01 09:00:00',
        phone_numbers: ['79001234567'],
        emails: ['a@example.com'],
        component: 'dataapi',
      },
      {
        ext_id: 'c2',
        name: 'Contact c2',
        created_date_time: '2026-03-10 12:00:00',
        phone_numbers: [],
        emails: [],
        component: 'dataapi',
      },
    ]);
  });

  it('accepts 1000 contacts and rejects 1001 with data_limit_exceeded', async () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => contact(`${prefix}${i}`));
    expectOk(await create(many(1000, 'a')));
    expectError(await create(many(1001, 'b')), 'data_limit_exceeded', 'contacts');
  });

  it('rejects an existing ext_id with duplicate_entity and stores nothing of that call', async () => {
    expectOk(await create([contact('c1')]));
    expectError(await create([contact('c2'), contact('c1')]), 'duplicate_entity', 'contacts.1.ext_id');
    expect((await getAll()).map((c) => c.ext_id)).toEqual(['c1']);
  });

  it('takes E.164 phones with or without the plus and stores them as digits', async () => {
    expectOk(await create([contact('c1', { phone_numbers: ['+79001234567', '442079460958'] })]));
    expect((await inspect(emulator().origin)).contacts[0]?.phone_numbers).toEqual([
      '79001234567',
      '442079460958',
    ]);
  });

  it.each([
    ['a leading zero', '089001234567'],
    ['more than 15 digits', '7900123456789012'],
    ['fewer than 7 digits', '790012'],
    ['a doubled plus', '++79001234567'],
    ['a plus inside', '7+9001234567'],
  ])('rejects a phone with %s', async (_name, phone) => {
    expectError(
      await create([contact('c1', { phone_numbers: [phone] })]),
      'invalid_parameter_value',
      'contacts.0.phone_numbers.0',
    );
  });

  it('rejects an ext_id repeated inside one call', async () => {
    expectError(await create([contact('c1'), contact('c1')]), 'duplicate_entity', 'contacts.1.ext_id');
  });

  it('fails the whole call on one bad item, reporting its path and value', async () => {
    const error = expectError(
      await create([contact('c1'), contact('c2', { phone_numbers: ['+7 900 123-45-67'] })]),
      'invalid_parameter_value',
      'contacts.1.phone_numbers.0',
    );
    expect(error.data.value).toBe('+7 900 123-45-67');
    expect((await inspect(emulator().origin)).contacts).toEqual([]);
  });

  it('rejects repeated e-mails, a bad e-mail, a bad date, a missing name and unknown keys', async () => {
    expectError(
      await create([contact('c1', { emails: ['a@x.ru', 'A@x.ru'] })]),
      'invalid_parameter_value',
      'contacts.0.emails.1',
    );
    expectError(
      await create([contact('c1', { emails: ['not-mail'] })]),
      'invalid_parameter_value',
      'contacts.0.emails.0',
    );
    expectError(
      await create([contact('c1', { created_date_time: '2026-03-01T09:00:00Z' })]),
      'invalid_parameter_value',
      'contacts.0.created_date_time',
    );
    expectError(await create([{ ext_id: 'c1' }]), 'required_parameter_missed', 'contacts.0.name');
    expectError(
      await create([contact('c1', { phone: '7900' })]),
      'unexpected_parameters',
      'contacts.0.phone',
    );
    expectError(await create([contact('c1', { emails: 'a@x.ru' })]), 'data_type_error', 'contacts.0.emails');
  });
});

describe('update, get and delete deal_contacts', () => {
  it('replaces the arrays and keeps omitted fields', async () => {
    expectOk(
      await create([contact('c1', { phone_numbers: ['79001234567', '79007654321'], emails: ['a@x.ru'] })]),
    );
    expectOk(
      await call(emulator(), 'update.deal_contacts', { ext_id: 'c1', phone_numbers: ['79000000000'] }),
    );
    const [stored] = await getAll();
    expect(stored).toMatchObject({ name: 'Contact c1', phone_numbers: ['79000000000'], emails: ['a@x.ru'] });
  });

  it('clears an array with null and refuses to clear the name', async () => {
    expectOk(await create([contact('c1', { emails: ['a@x.ru'] })]));
    expectOk(await call(emulator(), 'update.deal_contacts', { ext_id: 'c1', emails: null }));
    expect((await getAll())[0]?.emails).toEqual([]);
    expectError(
      await call(emulator(), 'update.deal_contacts', { ext_id: 'c1', name: null }),
      'invalid_parameter_value',
      'name',
    );
  });

  it('rejects updating or deleting an unknown contact', async () => {
    expectError(
      await call(emulator(), 'update.deal_contacts', { ext_id: 'no', name: 'X' }),
      'entity_not_found',
      'ext_id',
    );
    expectError(
      await call(emulator(), 'delete.deal_contacts', { ext_id: 'no' }),
      'entity_not_found',
      'ext_id',
    );
  });

  it('deletes a contact', async () => {
    expectOk(await create([contact('c1'), contact('c2')]));
    expectOk(await call(emulator(), 'delete.deal_contacts', { ext_id: 'c1' }));
    expect((await getAll()).map((c) => c.ext_id)).toEqual(['c2']);
  });

  it('filters on phone_numbers with overlap but refuses to sort on them', async () => {
    expectOk(
      await create([
        contact('c1', { phone_numbers: ['79001111111'] }),
        contact('c2', { phone_numbers: ['79002222222'] }),
      ]),
    );
    const found = await getAll({
      filter: { field: 'phone_numbers', operator: 'overlap', value: ['79002222222'] },
    });
    expect(found.map((c) => c.ext_id)).toEqual(['c2']);
    expectError(
      await call(emulator(), 'get.deal_contacts', { sort: [{ field: 'phone_numbers' }] }),
      'sort_prohibited',
    );
    expectError(
      await call(emulator(), 'get.deal_contacts', {
        filter: { field: 'created_date_time', operator: '=', value: 'x' },
      }),
      'filter_prohibited',
    );
  });
});
