// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configure, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { callLog, KEY, launchEmulator, rejection, testClient } from '../../tests/support/emulator';
import { ComagicClient } from './client';
import { where } from './paging';
import type { DealHistoryRecord, SalesFunnelCreate } from './schemas';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => reset(emulator.origin));

const funnel: SalesFunnelCreate = {
  ext_id: 'f-main',
  name: 'Main',
  stages: {
    in_process: [
      { ext_id: 'f-main:new', name: 'New', order: 10 },
      { ext_id: 'f-main:talks', name: 'Talks', order: 20 },
    ],
    success: { ext_id: 'f-main:won', name: 'Won' },
    failed: { ext_id: 'f-main:lost', name: 'Lost' },
  },
};

function record(overrides: Partial<DealHistoryRecord> = {}): DealHistoryRecord {
  return {
    ext_id: 'd-1',
    name: 'Supply contract',
    created_date_time: '2026-03-02 10:15:00',
    modified_stage_date_time: '2026-03-02 10:15:00',
    sales_funnel_ext_id: 'f-main',
    stage_ext_id: 'f-main:new',
    contact_ext_ids: ['c-1'],
    main_contact_ext_id: 'c-1',
    employee_ext_id: 'e-1',
    revenue: 120000,
    ...overrides,
  };
}

describe('ComagicClient methods against the emulator', () => {
  it('get.account returns the account list with its time zone', async () => {
    const { client } = testClient(emulator);
    const accounts = await client.call('get.account', {});
    expect(accounts).toEqual([expect.objectContaining({ name: 'Demo account', timezone: 'Europe/Moscow' })]);
  });

  it('sends JSON-RPC 2.0 with the token in params.access_token and a fresh UUID per call', async () => {
    const bodies: Record<string, unknown>[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    };
    const { client } = testClient(emulator, { fetch: recordingFetch });
    await client.call('get.account', {});
    await client.call('get.deals_in_processing', {});
    expect(bodies).toEqual([
      { jsonrpc: '2.0', id: expect.any(String), method: 'get.account', params: { access_token: KEY } },
      {
        jsonrpc: '2.0',
        id: expect.any(String),
        method: 'get.deals_in_processing',
        params: { access_token: KEY },
      },
    ]);
    const ids = bodies.map((body) => body.id);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await callLog(emulator)).map((call) => call.id)).toEqual(ids);
  });

  it('creates, reads, renames and deletes a funnel and its stages', async () => {
    const { client } = testClient(emulator);
    expect(await client.call('create.sales_funnel', funnel)).toEqual({ ext_id: 'f-main' });
    await client.call('update.sales_funnel', { ext_id: 'f-main', name: 'Main pipeline' });
    expect(
      await client.call('create.sales_funnel_stages', {
        sales_funnel_ext_id: 'f-main',
        ext_id: 'f-main:offer',
        name: 'Offer',
        order: 30,
      }),
    ).toEqual({ ext_id: 'f-main:offer' });
    await client.call('update.sales_funnel_stages', {
      sales_funnel_ext_id: 'f-main',
      ext_id: 'f-main:offer',
      name: 'Offer sent',
      order: 25,
    });
    await client.call('delete.sales_funnel_stages', {
      sales_funnel_ext_id: 'f-main',
      ext_id: 'f-main:talks',
    });

    const { rows, totalItems } = await client.list('get.sales_funnel', {
      filter: where('ext_id', '=', 'f-main'),
    });
    expect(totalItems).toBe(1);
    expect(rows[0]?.name).toBe('Main pipeline');
    expect(
      rows[0]?.stages.map((stage) => [stage.stage_ext_id, stage.stage_name, stage.stage_status]),
    ).toEqual([
      ['f-main:new', 'New', 'in_process'],
      ['f-main:offer', 'Offer sent', 'in_process'],
      ['f-main:won', 'Won', 'success'],
      ['f-main:lost', 'Lost', 'failed'],
    ]);

    await client.call('delete.sales_funnel', { ext_id: 'f-main' });
    expect((await client.list('get.sales_funnel')).rows).toEqual([]);
  });

  it('creates, lists (with fields), updates and deletes contacts', async () => {
    const { client } = testClient(emulator);
    await client.call('create.deal_contacts', {
      contacts: [
        { ext_id: 'c-1', name: 'Anna', phone_numbers: ['79000000001'], emails: ['anna@example.com'] },
        { ext_id: 'c-2', name: 'Boris', created_date_time: '2026-03-01 09:00:00' },
      ],
    });
    await client.call('update.deal_contacts', { ext_id: 'c-2', emails: ['boris@example.com'] });
    const page = await client.list('get.deal_contacts', {
      fields: ['ext_id', 'emails'],
      sort: [{ field: 'ext_id' }],
    });
    expect(page).toEqual({
      rows: [
        { ext_id: 'c-1', emails: ['anna@example.com'] },
        { ext_id: 'c-2', emails: ['boris@example.com'] },
      ],
      totalItems: 2,
    });
    await client.call('delete.deal_contacts', { ext_id: 'c-1' });
    expect(
      (await client.getAll('get.deal_contacts', { fields: ['ext_id'] })).map((row) => row.ext_id),
    ).toEqual(['c-2']);
  });

  it('creates, lists, updates and deletes deal employees', async () => {
    const { client } = testClient(emulator);
    expect(await client.call('create.deal_employees', { ext_id: 'e-1', name: 'Olga' })).toEqual({
      ext_id: 'e-1',
    });
    await client.call('update.deal_employees', { ext_id: 'e-1', name: 'Olga K.' });
    expect((await client.list('get.deal_employees')).rows).toEqual([{ ext_id: 'e-1', name: 'Olga K.' }]);
    await client.call('delete.deal_employees', { ext_id: 'e-1' });
    expect((await client.list('get.deal_employees')).totalItems).toBe(0);
  });

  it('uploads deal history, reads it back, reports processing and deletes the deal', async () => {
    const { client } = testClient(emulator);
    await client.call('create.sales_funnel', funnel);
    await client.call('create.deal_contacts', { contacts: [{ ext_id: 'c-1', name: 'Anna' }] });
    await client.call('create.deal_employees', { ext_id: 'e-1', name: 'Olga' });
    await client.call('upload.deals_history', {
      deals: [
        record(),
        record({
          modified_stage_date_time: '2026-03-09 16:40:00',
          closed_date_time: '2026-03-09 16:40:00',
          stage_ext_id: 'f-main:won',
        }),
      ],
    });
    const history = await client.getAll('get.deals_history', {
      filter: where('ext_id', '=', 'd-1'),
      fields: ['stage_ext_id', 'modified_stage_date_time', 'is_generated'],
      sort: [{ field: 'modified_stage_date_time', order: 'asc' }],
    });
    expect(history).toEqual([
      { stage_ext_id: 'f-main:new', modified_stage_date_time: '2026-03-02 10:15:00', is_generated: false },
      { stage_ext_id: 'f-main:talks', modified_stage_date_time: '2026-03-09 16:40:00', is_generated: true },
      { stage_ext_id: 'f-main:won', modified_stage_date_time: '2026-03-09 16:40:00', is_generated: false },
    ]);
    expect(await client.call('get.deals_in_processing', {})).toEqual({ count: 0 });
    await client.call('delete.deals', { ext_id: 'd-1' });
    expect((await client.list('get.deals_history')).totalItems).toBe(0);
  });
});

describe('paging', () => {
  const contacts = Array.from({ length: 25 }, (_, i) => ({
    ext_id: `c-${String(i).padStart(2, '0')}`,
    name: `N${i}`,
  }));

  it('pages until total_items, one request per page', async () => {
    const { client } = testClient(emulator);
    await client.call('create.deal_contacts', { contacts });
    const sizes: number[] = [];
    for await (const page of client.pages('get.deal_contacts', { limit: 10, fields: ['ext_id'] }))
      sizes.push(page.length);
    expect(sizes).toEqual([10, 10, 5]);
    const all = await client.getAll('get.deal_contacts', { limit: 10, fields: ['ext_id'] });
    expect(all.map((row) => row.ext_id)).toEqual(contacts.map((contact) => contact.ext_id));
    const gets = (await callLog(emulator)).filter((call) => call.method === 'get.deal_contacts');
    expect(gets).toHaveLength(6);
  });

  it('splits an `in` filter over many ids into chunks, combined with the caller filter', async () => {
    const { client } = testClient(emulator);
    await client.call('create.deal_contacts', { contacts });
    const wanted = [...contacts.map((contact) => contact.ext_id), 'c-unknown'];
    const rows = await client.getAllIn(
      'get.deal_contacts',
      'ext_id',
      wanted,
      {
        fields: ['ext_id'],
        filter: where('name', '!=', 'N3'),
      },
      10,
    );
    expect(rows.map((row) => row.ext_id).sort()).toEqual(
      contacts.map((contact) => contact.ext_id).filter((id) => id !== 'c-03'),
    );
    const gets = (await callLog(emulator)).filter((call) => call.method === 'get.deal_contacts');
    expect(gets).toHaveLength(3);
  });
});

describe('validation', () => {
  it('rejects an extra key before sending, naming the field', async () => {
    const { client } = testClient(emulator);
    const params = { ext_id: 'e-1', name: 'Olga', phone: '1' } as unknown as { ext_id: string; name: string };
    const info = await rejection(client.call('create.deal_employees', params));
    expect(info).toMatchObject({
      class: 'validation',
      code: null,
      mnemonic: 'unexpected_parameters',
      field: 'phone',
    });
    expect(await callLog(emulator)).toEqual([]);
  });

  it('rejects a malformed date-time inside a batch with its path, before sending', async () => {
    const { client } = testClient(emulator);
    const bad = record({ ext_id: 'd-2', modified_stage_date_time: '2026-03-02T10:15:00Z' });
    const info = await rejection(client.call('upload.deals_history', { deals: [record(), bad] }));
    expect(info).toMatchObject({
      class: 'validation',
      mnemonic: 'invalid_parameter_value',
      field: 'deals.1.modified_stage_date_time',
      value: '2026-03-02T10:15:00Z',
    });
    expect(await callLog(emulator)).toEqual([]);
  });

  it('reports a missing required parameter and a broken contact pair locally', async () => {
    const { client } = testClient(emulator);
    const missing = await rejection(
      client.call('update.sales_funnel', { ext_id: 'f' } as unknown as { ext_id: string; name: string }),
    );
    expect(missing).toMatchObject({ mnemonic: 'required_parameter_missed', field: 'name' });
    const pair = await rejection(
      client.call('upload.deals_history', { deals: [record({ main_contact_ext_id: 'c-9' })] }),
    );
    expect(pair).toMatchObject({ class: 'validation', field: 'deals.0.main_contact_ext_id' });
    expect(await callLog(emulator)).toEqual([]);
  });

  it('rejects a page size over 10 000 and a filter on a field the API cannot filter', async () => {
    const { client } = testClient(emulator);
    expect(await rejection(client.list('get.deal_employees', { limit: 10_001 }))).toMatchObject({
      field: 'limit',
    });
    const filter = where('created_date_time', '=', null) as unknown as ReturnType<typeof where<'ext_id'>>;
    expect(await rejection(client.list('get.deal_contacts', { filter }))).toMatchObject({
      class: 'validation',
      field: 'filter',
    });
  });

  it('classifies the API’s own validation error with its field path', async () => {
    const { client } = testClient(emulator);
    const info = await rejection(client.call('upload.deals_history', { deals: [record()] }));
    expect(info).toMatchObject({ class: 'validation', code: -32602, mnemonic: 'entity_not_found' });
    expect(info.field).toMatch(/^deals\.0\./);
    expect((await callLog(emulator)).map((call) => call.mnemonic)).toEqual(['entity_not_found']);
  });
});

describe('construction', () => {
  it('refuses a fetch timeout an MV3 worker would not survive', () => {
    const auth = { kind: 'key', token: 'k' } as const;
    expect(() => new ComagicClient({ endpoint: 'comagic', auth, timeoutMs: 30_000 })).toThrow(RangeError);
    expect(() => new ComagicClient({ endpoint: 'comagic', auth, timeoutMs: 25_000 })).not.toThrow();
  });
});

describe('ComagicClient for a partner key acting for a client', () => {
  it('sends user_id with every CRM method, which a partner account needs, and not with the auth ones', async () => {
    await configure(emulator.origin, { partnerUserIds: [4021] });
    const bodies: Record<string, unknown>[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    };
    const { client: withoutUser } = testClient(emulator);
    expect(await rejection(withoutUser.call('create.sales_funnel', funnel))).toMatchObject({
      mnemonic: 'required_parameter_missed',
      field: 'user_id',
    });
    const { client } = testClient(emulator, { fetch: recordingFetch, userId: 4021 });
    await client.call('create.sales_funnel', funnel);
    const rows = await client.list('get.sales_funnel', { filter: where('ext_id', '=', 'f-main') });
    expect(rows.rows.map((row) => row.ext_id)).toEqual(['f-main']);
    expect(bodies.map((body) => (body.params as Record<string, unknown>).user_id)).toEqual([4021, 4021]);
  });
});
