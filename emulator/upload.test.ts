// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { inspect } from './control';
import { call, dealRecord, expectError, expectOk, seedFunnel, upload, useEmulator } from './testing';

const emulator = useEmulator();

beforeEach(async () => {
  await seedFunnel(emulator());
  expectOk(
    await call(emulator(), 'create.deal_contacts', {
      contacts: [
        { ext_id: 'c1', name: 'A' },
        { ext_id: 'c2', name: 'B' },
      ],
    }),
  );
  expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }));
});

const storedDeals = async () => (await inspect(emulator().origin)).deals;

describe('upload.deals_history: accepted records', () => {
  it('stores a full record and answers an empty object', async () => {
    expectOk(await call(emulator(), 'create.crm_company', { ext_id: 'co1', name: 'Acme' }));
    expectOk(
      await call(emulator(), 'create.deal_user_field', {
        ext_id: 'uf1',
        name: 'Probability',
        data_type: 'numeric',
      }),
    );
    const record = dealRecord({
      contact_ext_ids: ['c1', 'c2'],
      main_contact_ext_id: 'c2',
      employee_ext_id: 'e1',
      revenue: 120000,
      comments: 'urgent',
      source: 'site',
      communication_id: 5001,
      communication_type: 'call',
      tags: [{ ext_id: 't1', name: 'VIP' }],
      modified_date_time: '2026-03-02 11:00:00',
      company_ext_id: 'co1',
      user_fields: [{ ext_id: 'uf1', value: '60' }],
      child_customer_id: 7,
    });
    expect(expectOk(await upload(emulator(), [record]))).toEqual({});
    expect((await storedDeals()).d1).toEqual([
      expect.objectContaining({
        ext_id: 'd1',
        stage_ext_id: 'new',
        contact_ext_ids: ['c1', 'c2'],
        main_contact_ext_id: 'c2',
        revenue: 120000,
        tag_ext_ids: ['t1'],
        tags: [{ ext_id: 't1', name: 'VIP' }],
        user_fields: [{ ext_id: 'uf1', value: '60' }],
        company_ext_id: 'co1',
        comments: 'urgent',
        source: 'site',
        modified_date_time: '2026-03-02 11:00:00',
        is_generated: false,
      }),
    ]);
  });

  it('accepts 29 February of a leap year', async () => {
    expectOk(await upload(emulator(), [dealRecord({ modified_date_time: '2024-02-29 23:59:59' })]));
  });

  it('defaults modified_date_time to the call time in the account zone', async () => {
    expectOk(await upload(emulator(), [dealRecord()]));
    expect((await storedDeals()).d1?.[0]?.modified_date_time).toBe('2026-03-10 12:00:00');
  });

  it('accepts 1000 records and rejects 1001 with data_limit_exceeded', async () => {
    const records = (n: number) => Array.from({ length: n }, (_, i) => dealRecord({ ext_id: `d${i}` }));
    expectOk(await upload(emulator(), records(1000)));
    expectError(await upload(emulator(), records(1001)), 'data_limit_exceeded', 'deals');
  });

  it('accepts created_date_time equal to now in the account zone and rejects one second later', async () => {
    const now = '2026-03-10 12:00:00';
    expectOk(
      await upload(emulator(), [dealRecord({ created_date_time: now, modified_stage_date_time: now })]),
    );
    const later = '2026-03-10 12:00:01';
    const answer = await upload(emulator(), [
      dealRecord({ ext_id: 'd2', created_date_time: later, modified_stage_date_time: later }),
    ]);
    expectError(answer, 'invalid_date_time', 'deals.0.created_date_time');
  });
});

describe('upload.deals_history: rejected records', () => {
  const rejects = async (overrides: Record<string, unknown>, mnemonic: string, field: string) => {
    const error = expectError(
      await upload(emulator(), [dealRecord(), dealRecord({ ext_id: 'd2', ...overrides })]),
      mnemonic,
      field,
    );
    expect(await storedDeals()).toEqual({});
    return error;
  };

  it('reports the failing record by its 0-based path and the value as sent', async () => {
    const error = await rejects({ stage_ext_id: 'nope' }, 'entity_not_found', 'deals.1.stage_ext_id');
    expect(error.data.value).toBe('nope');
  });

  it.each([
    ['a missing stage', { stage_ext_id: undefined }, 'required_parameter_missed', 'deals.1.stage_ext_id'],
    ['an unknown key', { currency: 'RUB' }, 'unexpected_parameters', 'deals.1.currency'],
    ['a string revenue', { revenue: '100' }, 'data_type_error', 'deals.1.revenue'],
    ['a negative revenue', { revenue: -1 }, 'invalid_parameter_value', 'deals.1.revenue'],
    [
      'an ISO date',
      { created_date_time: '2026-03-02T10:15:00Z' },
      'invalid_parameter_value',
      'deals.1.created_date_time',
    ],
    [
      'a date without seconds',
      { modified_stage_date_time: '2026-03-02 10:15' },
      'invalid_parameter_value',
      'deals.1.modified_stage_date_time',
    ],
    [
      '30 February',
      { created_date_time: '2026-02-30 10:00:00' },
      'invalid_date_time',
      'deals.1.created_date_time',
    ],
    ['hour 24', { closed_date_time: '2026-03-05 24:00:00' }, 'invalid_date_time', 'deals.1.closed_date_time'],
    [
      '29 February of a common year',
      { modified_date_time: '2025-02-29 10:00:00' },
      'invalid_date_time',
      'deals.1.modified_date_time',
    ],
    [
      'a year before 100',
      { modified_date_time: '0099-12-31 10:00:00' },
      'invalid_date_time',
      'deals.1.modified_date_time',
    ],
    [
      'stage time before creation',
      { modified_stage_date_time: '2026-03-02 10:14:59' },
      'invalid_date_time',
      'deals.1.modified_stage_date_time',
    ],
    [
      'closed before creation',
      { closed_date_time: '2026-03-01 10:00:00' },
      'invalid_date_time',
      'deals.1.closed_date_time',
    ],
    ['an unknown funnel', { sales_funnel_ext_id: 'nope' }, 'entity_not_found', 'deals.1.sales_funnel_ext_id'],
    [
      'an unknown contact',
      { contact_ext_ids: ['c1', 'cX'], main_contact_ext_id: 'c1' },
      'entity_not_found',
      'deals.1.contact_ext_ids.1',
    ],
    ['an unknown employee', { employee_ext_id: 'eX' }, 'entity_not_found', 'deals.1.employee_ext_id'],
    [
      'contacts without main',
      { contact_ext_ids: ['c1'] },
      'invalid_parameters_combination',
      'deals.1.main_contact_ext_id',
    ],
    [
      'main without contacts',
      { main_contact_ext_id: 'c1' },
      'invalid_parameters_combination',
      'deals.1.contact_ext_ids',
    ],
    [
      'main outside the list',
      { contact_ext_ids: ['c1'], main_contact_ext_id: 'c2' },
      'invalid_parameter_value',
      'deals.1.main_contact_ext_id',
    ],
    [
      'communication id alone',
      { communication_id: 1 },
      'invalid_parameters_combination',
      'deals.1.communication_type',
    ],
    [
      'communication type alone',
      { communication_type: 'call' },
      'invalid_parameters_combination',
      'deals.1.communication_id',
    ],
    [
      'an unknown communication type',
      { communication_id: 1, communication_type: 'sms' },
      'invalid_parameter_value',
      'deals.1.communication_type',
    ],
    ['a name over 255 characters', { name: 'n'.repeat(256) }, 'invalid_parameter_value', 'deals.1.name'],
    ['an ext_id over 64 characters', { ext_id: 'd'.repeat(65) }, 'invalid_parameter_value', 'deals.1.ext_id'],
    [
      'a numeric user field value',
      { user_fields: [{ ext_id: 'uf', value: 5 }] },
      'data_type_error',
      'deals.1.user_fields.0.value',
    ],
    [
      'a user field never created',
      { user_fields: [{ ext_id: 'uf', value: '5' }] },
      'entity_not_found',
      'deals.1.user_fields.0.ext_id',
    ],
    ['a tag without name', { tags: [{ ext_id: 't1' }] }, 'required_parameter_missed', 'deals.1.tags.0.name'],
    [
      'a tag given twice',
      {
        tags: [
          { ext_id: 't1', name: 'VIP' },
          { ext_id: 't1', name: 'Other' },
        ],
      },
      'invalid_parameter_value',
      'deals.1.tags.1.ext_id',
    ],
    ['blank comments', { comments: '  ' }, 'invalid_parameter_value', 'deals.1.comments'],
    [
      'a source over 255 characters',
      { source: 's'.repeat(256) },
      'invalid_parameter_value',
      'deals.1.source',
    ],
    ['an unknown company', { company_ext_id: 'coX' }, 'entity_not_found', 'deals.1.company_ext_id'],
    ['a lead (leads are not emulated)', { lead_ext_id: 'l1' }, 'entity_not_found', 'deals.1.lead_ext_id'],
  ])('rejects %s and stores nothing', async (_name, overrides, mnemonic, field) => {
    await rejects(overrides, mnemonic, field);
  });

  it('accepts the contact pair with the main contact inside the list and the communication pair', async () => {
    const record = dealRecord({
      contact_ext_ids: ['c1'],
      main_contact_ext_id: 'c1',
      communication_id: 9,
      communication_type: 'chat',
    });
    expectOk(await upload(emulator(), [record]));
  });

  it('rejects an empty deals array and a non-array', async () => {
    expectError(await upload(emulator(), []), 'invalid_parameter_value', 'deals');
    expectError(
      await call(emulator(), 'upload.deals_history', { deals: dealRecord() }),
      'data_type_error',
      'deals',
    );
  });
});

describe('upload.deals_history: companies and user fields', () => {
  const rejectsOne = async (overrides: Record<string, unknown>, mnemonic: string, field: string) => {
    expectError(await upload(emulator(), [dealRecord(overrides)]), mnemonic, field);
    expect(await storedDeals()).toEqual({});
  };

  it('refuses a company marked removed and links one brought back', async () => {
    expectOk(await call(emulator(), 'create.crm_company', { ext_id: 'co1', name: 'Acme' }));
    expectOk(await call(emulator(), 'update.crm_company', { ext_id: 'co1', name: 'Acme', is_removed: true }));
    await rejectsOne({ company_ext_id: 'co1' }, 'entity_not_found', 'deals.0.company_ext_id');
    expectOk(
      await call(emulator(), 'update.crm_company', { ext_id: 'co1', name: 'Acme', is_removed: false }),
    );
    expectOk(await upload(emulator(), [dealRecord({ company_ext_id: 'co1' })]));
  });

  it('takes a numeric field value only as a number written as text; a string field takes any text', async () => {
    expectOk(
      await call(emulator(), 'create.deal_user_field', {
        ext_id: 'n',
        name: 'Probability',
        data_type: 'numeric',
      }),
    );
    expectOk(
      await call(emulator(), 'create.deal_user_field', {
        ext_id: 's',
        name: 'Close date',
        data_type: 'string',
      }),
    );
    for (const value of ['60 %', '1 500', '1,5', ''])
      await rejectsOne(
        { user_fields: [{ ext_id: 'n', value }] },
        'invalid_parameter_value',
        'deals.0.user_fields.0.value',
      );
    await rejectsOne(
      {
        user_fields: [
          { ext_id: 's', value: 'a' },
          { ext_id: 's', value: 'b' },
        ],
      },
      'invalid_parameter_value',
      'deals.0.user_fields.1.ext_id',
    );
    expectOk(
      await upload(emulator(), [
        dealRecord({
          user_fields: [
            { ext_id: 'n', value: '-1500.50' },
            { ext_id: 's', value: '2026-04-01' },
          ],
        }),
      ]),
    );
  });
});

describe('upload.deals_history: stage time ordering', () => {
  const at = (time: string, stage: string) =>
    dealRecord({ modified_stage_date_time: time, stage_ext_id: stage });

  it('rejects a record older than the last stored stage time of that deal', async () => {
    expectOk(await upload(emulator(), [at('2026-03-05 10:00:00', 'talk')]));
    const answer = await upload(emulator(), [at('2026-03-04 10:00:00', 'offer')]);
    expectError(answer, 'invalid_date_time', 'deals.0.modified_stage_date_time');
  });

  it('rejects an out-of-order record within one call and stores none of it', async () => {
    const answer = await upload(emulator(), [
      at('2026-03-05 10:00:00', 'talk'),
      at('2026-03-04 10:00:00', 'offer'),
    ]);
    expectError(answer, 'invalid_date_time', 'deals.1.modified_stage_date_time');
    expect(await storedDeals()).toEqual({});
  });

  it('accepts an equal stage time (a later stage at the same second)', async () => {
    expectOk(
      await upload(emulator(), [at('2026-03-05 10:00:00', 'talk'), at('2026-03-05 10:00:00', 'offer')]),
    );
    expect((await storedDeals()).d1?.map((r) => r.stage_ext_id)).toEqual(['talk', 'offer']);
  });

  it('judges each deal by its own history', async () => {
    expectOk(await upload(emulator(), [at('2026-03-05 10:00:00', 'talk')]));
    expectOk(
      await upload(emulator(), [
        dealRecord({ ext_id: 'd2', modified_stage_date_time: '2026-03-03 10:00:00' }),
      ]),
    );
  });
});
