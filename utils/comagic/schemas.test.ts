import { describe, expect, it } from 'vitest';
import {
  AccountObject,
  CrmCompanyCreate,
  CrmCompanyUpdate,
  DealContact,
  DealHistoryRecord,
  DealUserFieldCreate,
  isDateTime,
  LIST_METHODS,
  LoginUserResult,
  MAX_TEXT_LENGTH,
  METHODS,
  SalesFunnelCreate,
} from './schemas';

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

describe('DealHistoryRecord: company, source, tags, comments, user fields, lead', () => {
  const full = {
    ...record,
    company_ext_id: 'co-1',
    lead_ext_id: 'lead-1',
    source: 'Web site',
    comments: 'Called twice',
    tags: [
      { ext_id: 't-1', name: 'VIP' },
      { ext_id: 't-2', name: 'Wholesale' },
    ],
    user_fields: [{ ext_id: 'uf-probability', value: '60' }],
  };

  it('accepts every documented deal field', () => {
    expect(problems(full)).toEqual([]);
  });

  it(`refuses blank text and text over ${MAX_TEXT_LENGTH} characters, which the emulator refuses`, () => {
    const long = 'x'.repeat(MAX_TEXT_LENGTH + 1);
    expect(problems({ ...full, source: long, comments: '  ' })).toEqual(['comments', 'source']);
    expect(problems({ ...full, source: 'x'.repeat(MAX_TEXT_LENGTH) })).toEqual([]);
    expect(problems({ ...full, tags: [{ ext_id: 't-1', name: long }] })).toEqual(['tags.0.name']);
    expect(problems({ ...full, user_fields: [{ ext_id: 'uf', value: '' }] })).toEqual([
      'user_fields.0.value',
    ]);
  });

  it('refuses a tag or a user field given twice in one record', () => {
    const tag = { ext_id: 't-1', name: 'VIP' };
    expect(problems({ ...full, tags: [tag, { ...tag, name: 'Other' }] })).toEqual(['tags']);
    const field = { ext_id: 'uf', value: '1' };
    expect(problems({ ...full, user_fields: [field, field] })).toEqual(['user_fields']);
  });

  it('types a user field value as a string and refuses extra keys in tags and user fields', () => {
    expect(problems({ ...full, user_fields: [{ ext_id: 'uf', value: 60 }] })).toEqual([
      'user_fields.0.value',
    ]);
    expect(problems({ ...full, tags: [{ ext_id: 't', name: 'T', color: 'red' }] })).toEqual(['tags.0']);
  });
});

describe('phone numbers', () => {
  const contact = (phone: string) =>
    DealContact.safeParse({ ext_id: 'c', name: 'C', phone_numbers: [phone] }).success;

  it('are E.164 with or without the plus', () => {
    expect(['79001234567', '+79001234567', '442079460958', '+1234567'].map(contact)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('refuse a leading zero, more than 15 digits, spaces, fewer than 7 digits and a doubled plus', () => {
    const bad = ['089001234567', '8790012345678901', '+7 900 123 45 67', '123456', '++79001234567'];
    expect(bad.map(contact)).toEqual(bad.map(() => false));
  });
});

describe('CrmCompanyCreate / CrmCompanyUpdate', () => {
  const company = { ext_id: 'co-1', name: 'Acme', phones: ['74951234567'], emails: ['info@acme.test'] };

  it('take the documented fields only', () => {
    expect(
      CrmCompanyCreate.safeParse({ ...company, contact_ext_ids: ['c-1'], description: 'D' }).success,
    ).toBe(true);
    expect(CrmCompanyCreate.safeParse({ ...company, is_removed: true }).success).toBe(false);
    expect(CrmCompanyUpdate.safeParse({ ...company, is_removed: true }).success).toBe(true);
    // The update page's JSON skeleton names these, its table does not.
    expect(CrmCompanyUpdate.safeParse({ ...company, phone_numbers: ['74951234567'] }).success).toBe(false);
    expect(CrmCompanyUpdate.safeParse({ ...company, created_date_time: '2026-03-02 10:15:00' }).success).toBe(
      false,
    );
  });

  it('need a name on update too, as the table says', () => {
    expect(CrmCompanyUpdate.safeParse({ ext_id: 'co-1', description: 'D' }).success).toBe(false);
  });

  it('hold at most 1000 contacts, unique e-mails and E.164 phones', () => {
    const contacts = (n: number) => Array.from({ length: n }, (_, i) => `c-${i}`);
    expect(CrmCompanyCreate.safeParse({ ...company, contact_ext_ids: contacts(1000) }).success).toBe(true);
    expect(CrmCompanyCreate.safeParse({ ...company, contact_ext_ids: contacts(1001) }).success).toBe(false);
    expect(CrmCompanyCreate.safeParse({ ...company, emails: ['a@b.test', 'a@b.test'] }).success).toBe(false);
    expect(CrmCompanyCreate.safeParse({ ...company, phones: ['8 (495) 123-45-67'] }).success).toBe(false);
  });

  it('answer data {} on create, unlike the other create methods', () => {
    expect(METHODS['create.crm_company'].data.safeParse({}).success).toBe(true);
  });
});

describe('deal user fields', () => {
  it('are numeric or string', () => {
    const field = (data_type: string) =>
      DealUserFieldCreate.safeParse({ ext_id: 'uf', name: 'Probability', data_type }).success;
    expect(['numeric', 'string', 'date'].map(field)).toEqual([true, true, false]);
  });

  it('change only their name on update', () => {
    const update = METHODS['update.deal_user_field'].params;
    expect(update.safeParse({ ext_id: 'uf', name: 'P' }).success).toBe(true);
    expect(update.safeParse({ ext_id: 'uf', name: 'P', data_type: 'string' }).success).toBe(false);
    expect(update.safeParse({ ext_id: 'uf' }).success).toBe(false);
  });

  it('are listed, filtered and sorted by ext_id, name and data_type only', () => {
    const params = LIST_METHODS['get.deal_user_fields'].params;
    expect(
      params.safeParse({
        filter: { field: 'data_type', operator: '=', value: 'numeric' },
        sort: [{ field: 'name' }],
      }).success,
    ).toBe(true);
    expect(params.safeParse({ filter: { field: 'value', operator: '=', value: '1' } }).success).toBe(false);
  });
});

describe('getobj.account', () => {
  const answer = {
    app_id: 1,
    app_name: 'Shop',
    timezone: 'Asia/Yekaterinburg',
    report_currency: 'KZT',
    components: ['sales_funnel'],
    lang: 'ru',
  };

  it('reads the name, time zone, report currency and components, and lets other fields through', () => {
    expect(AccountObject.parse(answer)).toEqual(answer);
    const { report_currency: _currency, ...withoutCurrency } = answer;
    expect(AccountObject.safeParse(withoutCurrency).success).toBe(false);
  });

  it('takes user_id (a partner acting for a client) and nothing else', () => {
    const params = METHODS['getobj.account'].params;
    expect(params.safeParse({ user_id: 42 }).success).toBe(true);
    expect(params.safeParse({}).success).toBe(true);
    expect(params.safeParse({ app_id: 1 }).success).toBe(false);
  });
});

describe('get.crm_companies', () => {
  const params = LIST_METHODS['get.crm_companies'].params;

  it('filters on every row field but sorts on neither description nor is_removed', () => {
    expect(params.safeParse({ filter: { field: 'is_removed', operator: '=', value: false } }).success).toBe(
      true,
    );
    expect(
      params.safeParse({ filter: { field: 'description', operator: 'ilike', value: '%x%' } }).success,
    ).toBe(true);
    expect(params.safeParse({ sort: [{ field: 'description' }] }).success).toBe(false);
    expect(params.safeParse({ sort: [{ field: 'is_removed' }] }).success).toBe(false);
    expect(params.safeParse({ sort: [{ field: 'name', order: 'desc' }] }).success).toBe(true);
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
