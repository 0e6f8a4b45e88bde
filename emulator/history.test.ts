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
  it('treats a record equal to the last stored one (same stage, same time) as a no-op', async () => {
    expectOk(await upload(emulator(), [at('2026-03-02 10:15:00', 'new'), at('2026-03-03 10:00:00', 'talk')]));
    expectOk(await upload(emulator(), [at('2026-03-03 10:00:00', 'talk', { revenue: 5 })]));
    expect(await history()).toEqual(['new@02', 'talk@03']);
    expect((await inspect(emulator().origin)).deals.d1?.[1]?.revenue).toBeNull();
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
