// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configure, inspect, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { callLog, launchEmulator, rejection, testClient } from '../../tests/support/emulator';
import { where } from './paging';
import type { DealHistoryRecord } from './schemas';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator({ accountName: 'Shop', reportCurrency: 'KZT' });
});
afterAll(() => emulator.close());
beforeEach(() => reset(emulator.origin));

const funnel = {
  ext_id: 'f-main',
  name: 'Main',
  stages: {
    in_process: [{ ext_id: 'f-main:new', name: 'New', order: 10 }],
    success: { ext_id: 'f-main:won', name: 'Won' },
    failed: { ext_id: 'f-main:lost', name: 'Lost' },
  },
};

function record(overrides: Partial<DealHistoryRecord> = {}): DealHistoryRecord {
  return {
    ext_id: 'd-1',
    name: 'Supply contract',
    created_date_time: '2026-03-02 10:15:00',
    modified_date_time: '2026-03-02 10:15:00',
    modified_stage_date_time: '2026-03-02 10:15:00',
    sales_funnel_ext_id: 'f-main',
    stage_ext_id: 'f-main:new',
    ...overrides,
  };
}

describe('CRM companies through the client', () => {
  it('creates a company (data {}), finds it, updates it and deletes it', async () => {
    const { client } = testClient(emulator);
    await client.call('create.deal_contacts', { contacts: [{ ext_id: 'c-1', name: 'Anna' }] });
    expect(
      await client.call('create.crm_company', {
        ext_id: 'co-1',
        name: 'Acme',
        phones: ['+74951234567'],
        emails: ['info@acme.test'],
        contact_ext_ids: ['c-1'],
      }),
    ).toEqual({});
    const found = await client.getAllIn('get.crm_companies', 'ext_id', ['co-1', 'co-2'], {
      fields: ['ext_id', 'name', 'phones', 'description'],
    });
    expect(found).toEqual([{ ext_id: 'co-1', name: 'Acme', phones: ['74951234567'], description: null }]);
    await client.call('update.crm_company', { ext_id: 'co-1', name: 'Acme Ltd', description: 'Wholesale' });
    const [row] = (await client.list('get.crm_companies', { fields: ['name', 'description'] })).rows;
    expect(row).toEqual({ name: 'Acme Ltd', description: 'Wholesale' });
    await client.call('delete.crm_company', { ext_id: 'co-1' });
    expect((await client.list('get.crm_companies')).totalItems).toBe(0);
  });

  it('reads the default rows, which leave out description and is_removed', async () => {
    const { client } = testClient(emulator);
    await client.call('create.crm_company', { ext_id: 'co-1', name: 'Acme', description: 'D' });
    const { rows } = await client.list('get.crm_companies');
    expect(rows).toEqual([expect.objectContaining({ ext_id: 'co-1', name: 'Acme', component: 'dataapi' })]);
    expect(rows[0]).not.toHaveProperty('description');
  });

  it('surfaces a second create of one ext_id as the API’s duplicate_entity', async () => {
    const { client } = testClient(emulator);
    await client.call('create.crm_company', { ext_id: 'co-1', name: 'Acme' });
    const info = await rejection(client.call('create.crm_company', { ext_id: 'co-1', name: 'Acme' }));
    expect(info).toMatchObject({
      class: 'validation',
      code: -32602,
      mnemonic: 'duplicate_entity',
      field: 'ext_id',
    });
  });
});

describe('deal user fields through the client', () => {
  it('creates, lists, renames and deletes a field', async () => {
    const { client } = testClient(emulator);
    expect(
      await client.call('create.deal_user_field', {
        ext_id: 'uf-p',
        name: 'Probability',
        data_type: 'numeric',
      }),
    ).toEqual({ ext_id: 'uf-p' });
    await client.call('update.deal_user_field', { ext_id: 'uf-p', name: 'Chance' });
    expect(
      (await client.list('get.deal_user_fields', { filter: where('data_type', '=', 'numeric') })).rows,
    ).toEqual([{ ext_id: 'uf-p', name: 'Chance', data_type: 'numeric' }]);
    await client.call('delete.deal_user_field', { ext_id: 'uf-p' });
    expect((await client.list('get.deal_user_fields')).totalItems).toBe(0);
  });
});

describe('upload.deals_history with company, source, tags, comments and user fields', () => {
  it('stores every field the client sends', async () => {
    const { client } = testClient(emulator);
    await client.call('create.sales_funnel', funnel);
    await client.call('create.crm_company', { ext_id: 'co-1', name: 'Acme' });
    await client.call('create.deal_user_field', {
      ext_id: 'uf-p',
      name: 'Probability',
      data_type: 'numeric',
    });
    await client.call('upload.deals_history', {
      deals: [
        record({
          company_ext_id: 'co-1',
          source: 'Web site',
          comments: 'Called twice',
          tags: [{ ext_id: 't-vip', name: 'VIP' }],
          user_fields: [{ ext_id: 'uf-p', value: '60' }],
        }),
      ],
    });
    expect((await inspect(emulator.origin)).deals['d-1']).toEqual([
      expect.objectContaining({
        company_ext_id: 'co-1',
        source: 'Web site',
        comments: 'Called twice',
        tags: [{ ext_id: 't-vip', name: 'VIP' }],
        tag_ext_ids: ['t-vip'],
        user_fields: [{ ext_id: 'uf-p', value: '60' }],
      }),
    ]);
    const [row] = await client.getAll('get.deals_history', { fields: ['source', 'comments', 'tag_ext_ids'] });
    expect(row).toEqual({ source: 'Web site', comments: 'Called twice', tag_ext_ids: ['t-vip'] });
  });

  it('updates the stored deal from a re-send of its last stage with changed revenue and name', async () => {
    const { client } = testClient(emulator);
    await client.call('create.sales_funnel', funnel);
    await client.call('upload.deals_history', { deals: [record({ revenue: 100 })] });
    await client.call('upload.deals_history', {
      deals: [
        record({ revenue: 250, name: 'Supply contract (signed)', modified_date_time: '2026-03-03 09:00:00' }),
      ],
    });
    const rows = await client.getAll('get.deals_history', { fields: ['name', 'revenue'] });
    expect(rows).toEqual([{ name: 'Supply contract (signed)', revenue: 250 }]);
  });

  it('refuses an overlong source locally, before anything is sent', async () => {
    const { client } = testClient(emulator);
    const info = await rejection(
      client.call('upload.deals_history', { deals: [record({ source: 's'.repeat(256) })] }),
    );
    expect(info).toMatchObject({ class: 'validation', field: 'deals.0.source' });
    expect(await callLog(emulator)).toEqual([]);
  });
});

describe('getobj.account through the client', () => {
  it('reads the name, time zone, report currency and components', async () => {
    const { client } = testClient(emulator);
    expect(await client.call('getobj.account', {})).toMatchObject({
      app_name: 'Shop',
      timezone: 'Europe/Moscow',
      report_currency: 'KZT',
      components: ['sales_funnel'],
    });
  });

  it('sends user_id for a partner account and reads the client it acts for', async () => {
    await configure(emulator.origin, { partnerUserIds: [501] });
    const { client } = testClient(emulator);
    expect(await client.call('getobj.account', { user_id: 501 })).toMatchObject({
      user_id: 501,
      is_agent_app: true,
    });
    const info = await rejection(client.call('getobj.account', {}));
    expect(info).toMatchObject({
      class: 'validation',
      mnemonic: 'required_parameter_missed',
      field: 'user_id',
    });
  });
});
