// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, configure, inspect } from './control';
import { call, dealRecord, expectError, expectOk, seedFunnel, upload, useEmulator } from './testing';

const emulator = useEmulator();

beforeEach(async () => {
  await seedFunnel(emulator());
});

const at = (time: string, stage: string, extra: Record<string, unknown> = {}) =>
  dealRecord({ modified_stage_date_time: time, stage_ext_id: stage, ...extra });

const history = async (dealExtId = 'd1') =>
  ((await inspect(emulator().origin)).deals[dealExtId] ?? []).map(
    (r) => `${r.stage_ext_id}@${r.modified_stage_date_time.slice(8, 10)}${r.is_generated ? '*' : ''}`,
  );

describe('is_generated fill-in', () => {
  it('fills skipped in_process stages on a forward move, stamped with the new record time', async () => {
    expectOk(
      await upload(emulator(), [at('2026-03-02 10:15:00', 'new'), at('2026-03-04 10:00:00', 'offer')]),
    );
    expect(await history()).toEqual(['new@02', 'talk@04*', 'offer@04']);
  });

  it('fills every later in_process stage on a move to success', async () => {
    expectOk(await upload(emulator(), [at('2026-03-02 10:15:00', 'new')]));
    expectOk(
      await upload(emulator(), [
        at('2026-03-06 10:00:00', 'won', { closed_date_time: '2026-03-06 10:00:00' }),
      ]),
    );
    expect(await history()).toEqual(['new@02', 'talk@06*', 'offer@06*', 'won@06']);
  });

  it('generates nothing on a move to failed, backwards, or for the first record', async () => {
    expectOk(await upload(emulator(), [at('2026-03-03 10:00:00', 'talk')]));
    expectOk(await upload(emulator(), [at('2026-03-04 10:00:00', 'new')]));
    expectOk(await upload(emulator(), [at('2026-03-05 10:00:00', 'lost')]));
    expect(await history()).toEqual(['talk@03', 'new@04', 'lost@05']);
  });

  it('returns generated rows from get.deals_history and lets them be filtered', async () => {
    expectOk(
      await upload(emulator(), [at('2026-03-02 10:15:00', 'new'), at('2026-03-04 10:00:00', 'offer')]),
    );
    const generated = expectOk(
      await call(emulator(), 'get.deals_history', {
        filter: { field: 'is_generated', operator: '=', value: true },
      }),
    ) as { stage_ext_id: string; is_generated: boolean }[];
    expect(generated.map((r) => [r.stage_ext_id, r.is_generated])).toEqual([['talk', true]]);
  });
});

describe('re-sends', () => {
  it('updates the last record from a record of the same stage at the same time, adding no stage visit', async () => {
    expectOk(await upload(emulator(), [at('2026-03-02 10:15:00', 'new'), at('2026-03-03 10:00:00', 'talk')]));
    expectOk(
      await upload(emulator(), [
        at('2026-03-03 10:00:00', 'talk', { revenue: 5, name: 'Supply contract II', comments: 'discount' }),
      ]),
    );
    expect(await history()).toEqual(['new@02', 'talk@03']);
    const [first, last] = (await inspect(emulator().origin)).deals.d1 ?? [];
    expect(last).toMatchObject({ revenue: 5, name: 'Supply contract II', comments: 'discount' });
    expect(first).toMatchObject({ revenue: null, name: 'Supply contract', comments: null });
  });

  it('updates the owner and, with modified_date_time moved forward, the contacts', async () => {
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Anna' }));
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e2', name: 'Boris' }));
    expectOk(
      await call(emulator(), 'create.deal_contacts', {
        contacts: [
          { ext_id: 'c1', name: 'A' },
          { ext_id: 'c2', name: 'B' },
        ],
      }),
    );
    const linked = (contact: string, modified: string, employee: string) =>
      at('2026-03-03 10:00:00', 'talk', {
        contact_ext_ids: [contact],
        main_contact_ext_id: contact,
        employee_ext_id: employee,
        modified_date_time: modified,
      });
    expectOk(await upload(emulator(), [linked('c1', '2026-03-03 10:00:00', 'e1')]));
    expectOk(await upload(emulator(), [linked('c1', '2026-03-03 10:00:00', 'e2')]));
    expectOk(await upload(emulator(), [linked('c2', '2026-03-05 09:00:00', 'e2')]));
    expect((await inspect(emulator().origin)).deals.d1).toEqual([
      expect.objectContaining({
        contact_ext_ids: ['c2'],
        employee_ext_id: 'e2',
        modified_date_time: '2026-03-05 09:00:00',
      }),
    ]);
  });

  it('refuses new contacts or a new communication while neither modified_date_time nor the stage time moved', async () => {
    expectOk(
      await call(emulator(), 'create.deal_contacts', {
        contacts: [
          { ext_id: 'c1', name: 'A' },
          { ext_id: 'c2', name: 'B' },
        ],
      }),
    );
    const modified = { modified_date_time: '2026-03-03 10:00:00' };
    const pair = (contact: string) => ({ contact_ext_ids: [contact], main_contact_ext_id: contact });
    expectOk(await upload(emulator(), [at('2026-03-03 10:00:00', 'talk', { ...modified, ...pair('c1') })]));
    expectError(
      await upload(emulator(), [at('2026-03-03 10:00:00', 'talk', { ...modified, ...pair('c2') })]),
      'invalid_date_time',
      'deals.0.modified_date_time',
    );
    expectError(
      await upload(emulator(), [
        at('2026-03-03 10:00:00', 'talk', {
          ...modified,
          ...pair('c1'),
          communication_id: 7,
          communication_type: 'call',
        }),
      ]),
      'invalid_date_time',
      'deals.0.modified_date_time',
    );
    // A later stage time relinks without moving modified_date_time.
    expectOk(await upload(emulator(), [at('2026-03-04 10:00:00', 'offer', { ...modified, ...pair('c2') })]));
    expect((await inspect(emulator().origin)).deals.d1?.map((r) => r.contact_ext_ids)).toEqual([
      ['c1'],
      ['c2'],
    ]);
  });

  it('applies the update rule inside one call too: the later of two equal records wins', async () => {
    expectOk(
      await upload(emulator(), [
        at('2026-03-03 10:00:00', 'talk', { revenue: 1 }),
        at('2026-03-03 10:00:00', 'talk', { revenue: 2 }),
      ]),
    );
    expect((await inspect(emulator().origin)).deals.d1?.map((r) => r.revenue)).toEqual([2]);
  });

  it('stores a new record for the same stage at a later time', async () => {
    expectOk(await upload(emulator(), [at('2026-03-03 10:00:00', 'talk')]));
    expectOk(await upload(emulator(), [at('2026-03-04 10:00:00', 'talk')]));
    expect(await history()).toEqual(['talk@03', 'talk@04']);
  });

  it('rejects a re-send of the whole history once newer records are stored', async () => {
    const full = [at('2026-03-02 10:15:00', 'new'), at('2026-03-03 10:00:00', 'talk')];
    expectOk(await upload(emulator(), full));
    expectError(await upload(emulator(), full), 'invalid_date_time', 'deals.0.modified_stage_date_time');
  });
});

describe('get.deals_history', () => {
  it('returns one row per record with the documented fields', async () => {
    expectOk(await upload(emulator(), [at('2026-03-02 10:15:00', 'new', { revenue: 10, comments: 'c' })]));
    const [row] = expectOk(await call(emulator(), 'get.deals_history')) as Record<string, unknown>[];
    expect(Object.keys(row ?? {}).sort()).toEqual(
      [
        'ext_id',
        'name',
        'created_date_time',
        'closed_date_time',
        'modified_stage_date_time',
        'main_contact_ext_id',
        'contact_ext_ids',
        'revenue',
        'sales_funnel_ext_id',
        'stage_ext_id',
        'source',
        'communication_id',
        'communication_type',
        'tag_ext_ids',
        'employee_ext_id',
        'is_generated',
        'comments',
      ].sort(),
    );
    expect(row).toMatchObject({
      ext_id: 'd1',
      revenue: 10,
      comments: 'c',
      is_generated: false,
      closed_date_time: null,
    });
  });

  it('reads the records of some deals with ext_id in […]', async () => {
    expectOk(
      await upload(emulator(), [
        at('2026-03-02 10:15:00', 'new'),
        at('2026-03-02 10:15:00', 'new', { ext_id: 'd2' }),
        at('2026-03-02 10:15:00', 'new', { ext_id: 'd3' }),
      ]),
    );
    const answer = await call(emulator(), 'get.deals_history', {
      filter: { field: 'ext_id', operator: 'in', value: ['d1', 'd3'] },
      fields: ['ext_id'],
    });
    expect(expectOk(answer)).toEqual([{ ext_id: 'd1' }, { ext_id: 'd3' }]);
    expect(answer.result?.metadata.total_items).toBe(2);
  });
});

describe('delete.deals', () => {
  it('deletes all records of one deal; unknown deals are entity_not_found', async () => {
    expectOk(
      await upload(emulator(), [
        at('2026-03-02 10:15:00', 'new'),
        at('2026-03-02 10:15:00', 'new', { ext_id: 'd2' }),
      ]),
    );
    expectOk(await call(emulator(), 'delete.deals', { ext_id: 'd1' }));
    expect(Object.keys((await inspect(emulator().origin)).deals)).toEqual(['d2']);
    expectError(await call(emulator(), 'delete.deals', { ext_id: 'd1' }), 'entity_not_found', 'ext_id');
  });

  it('lets a deleted deal start again with an older history', async () => {
    expectOk(await upload(emulator(), [at('2026-03-05 10:00:00', 'talk')]));
    expectOk(await call(emulator(), 'delete.deals', { ext_id: 'd1' }));
    expectOk(await upload(emulator(), [at('2026-03-03 10:00:00', 'new')]));
  });
});

describe('get.deals_in_processing', () => {
  it('answers count 0 without a processing delay', async () => {
    expectOk(await upload(emulator(), [at('2026-03-02 10:15:00', 'new')]));
    expect(expectOk(await call(emulator(), 'get.deals_in_processing'))).toEqual({ count: 0 });
  });

  it('counts uploaded deals until the configured delay passes on the emulator clock', async () => {
    await configure(emulator().origin, { processingDelayMs: 5000 });
    expectOk(
      await upload(emulator(), [
        at('2026-03-02 10:15:00', 'new'),
        at('2026-03-02 10:15:00', 'new', { ext_id: 'd2' }),
      ]),
    );
    expect(expectOk(await call(emulator(), 'get.deals_in_processing'))).toEqual({ count: 2 });
    await advanceClock(emulator().origin, 5);
    expect(expectOk(await call(emulator(), 'get.deals_in_processing'))).toEqual({ count: 0 });
  });
});
