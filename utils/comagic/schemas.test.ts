import { describe, expect, it } from 'vitest';
import { DealHistoryRecord, isDateTime, LIST_METHODS, LoginUserResult, SalesFunnelCreate } from './schemas';

const record = {
  ext_id: 'd-1',
  name: 'Deal',
  created_date_time: '2026-03-02 10:15:00',
  modified_stage_date_time: '2026-03-02 10:15:00',
  sales_funnel_ext_id: 'f',
  stage_ext_id: 's',
};

const problems = (value: unknown) => {
  const parsed = DealHistoryRecord.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe('isDateTime', () => {
  it('accepts YYYY-MM-DD hh:mm:ss naming a real moment only', () => {
    expect(['2026-03-02 10:15:00', '2024-02-29 23:59:59'].map(isDateTime)).toEqual([true, true]);
    const bad = [
      '2026-03-02T10:15:00',
      '2026-03-02 10:15',
      '2025-02-29 10:00:00',
      '2026-13-01 00:00:00',
      '2026-03-02 24:00:00',
      '2026-03-02 10:15:00Z',
    ];
    expect(bad.map(isDateTime)).toEqual(bad.map(() => false));
  });

  it('knows month lengths and the Gregorian leap years', () => {
    const days = ['2026-04-30', '2026-04-31', '2000-02-29', '1900-02-29', '2400-02-29', '2100-02-29'];
    expect(days.map((day) => isDateTime(`${day} 00:00:00`))).toEqual([true, false, true, false, true, false]);
  });

  it('counts years 0000–0099 as 1900–1999, like Date.UTC', () => {
    expect(['0000-02-29 12:00:00', '0004-02-29 12:00:00'].map(isDateTime)).toEqual([false, true]);
  });

  it('refuses non-ASCII digits and day or month zero', () => {
    const bad = ['2026-03-0\u0661 10:00:00', '2026-00-10 10:00:00', '2026-03-00 10:00:00'];
    expect(bad.map(isDateTime)).toEqual(bad.map(() => false));
  });
});

describe('DealHistoryRecord', () => {
  it('accepts a minimal record and refuses extra keys', () => {
    expect(problems(record)).toEqual([]);
    expect(problems({ ...record, currency: 'RUB' })).toEqual(['']);
  });

  it('enforces the contact pair with the main contact inside the list', () => {
    expect(problems({ ...record, contact_ext_ids: ['c-1'] })).toEqual(['main_contact_ext_id']);
    expect(problems({ ...record, contact_ext_ids: ['c-1'], main_contact_ext_id: 'c-2' })).toEqual([
      'main_contact_ext_id',
    ]);
    expect(problems({ ...record, contact_ext_ids: ['c-1'], main_contact_ext_id: 'c-1' })).toEqual([]);
  });

  it('enforces the communication pair and the allowed types', () => {
    expect(problems({ ...record, communication_id: 5 })).toEqual(['communication_type']);
    expect(problems({ ...record, communication_id: 5, communication_type: 'fax' })).toEqual([
      'communication_type',
    ]);
    expect(problems({ ...record, communication_id: 5, communication_type: 'call' })).toEqual([]);
  });

  it('refuses stage and close times before the creation time', () => {
    expect(
      problems({
        ...record,
        modified_stage_date_time: '2026-03-01 00:00:00',
        closed_date_time: '2026-03-01 00:00:00',
      }),
    ).toEqual(['modified_stage_date_time', 'closed_date_time']);
  });
});

describe('SalesFunnelCreate', () => {
  it('needs 1..100 in-process stages with an order up to 10000, and terminal stages without one', () => {
    const stages = (inProcess: unknown[], success: unknown = { ext_id: 'w', name: 'Won' }) => ({
      ext_id: 'f',
      name: 'F',
      stages: { in_process: inProcess, success, failed: { ext_id: 'l', name: 'Lost' } },
    });
    expect(SalesFunnelCreate.safeParse(stages([{ ext_id: 'a', name: 'A', order: 10 }])).success).toBe(true);
    expect(SalesFunnelCreate.safeParse(stages([])).success).toBe(false);
    expect(SalesFunnelCreate.safeParse(stages([{ ext_id: 'a', name: 'A', order: 10_001 }])).success).toBe(
      false,
    );
    const success = { ext_id: 'w', name: 'Won', order: 1 };
    expect(SalesFunnelCreate.safeParse(stages([{ ext_id: 'a', name: 'A', order: 1 }], success)).success).toBe(
      false,
    );
  });
});

describe('result schemas', () => {
  it('let extra fields through but check the ones we read', () => {
    const row = { ext_id: 'e', name: 'N', hired: true };
    expect(LIST_METHODS['get.deal_employees'].row.parse(row)).toEqual(row);
    expect(LIST_METHODS['get.deal_employees'].row.safeParse({ ext_id: 'e' }).success).toBe(false);
  });

  it('reads the session expiry from expire_at or expire', () => {
    expect(LoginUserResult.parse({ access_token: 't', expire: 1_700_000_000 }).expire).toBe(1_700_000_000);
    expect(LoginUserResult.safeParse({ expire_at: 1 }).success).toBe(false);
  });
});
