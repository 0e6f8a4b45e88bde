import { describe, expect, it } from 'vitest';
import type { DealContact, DealHistoryRecord } from '../comagic/schemas';
import { type DealPayloads, validateDealPayloads } from './validate';

const RULES = {
  funnelExtId: 'main',
  stageExtIds: new Set(['main:new', 'main:proposal', 'main:won']),
  now: '2026-04-01 12:00:00',
};

function record(overrides: Partial<DealHistoryRecord> = {}): DealHistoryRecord {
  return {
    ext_id: '5f1',
    name: 'Supply contract',
    created_date_time: '2026-03-02 10:15:00',
    modified_stage_date_time: '2026-03-02 10:15:00',
    sales_funnel_ext_id: 'main',
    stage_ext_id: 'main:new',
    contact_ext_ids: ['c-17'],
    main_contact_ext_id: 'c-17',
    employee_ext_id: 'u-3',
    revenue: 1000,
    ...overrides,
  };
}

const CONTACT: DealContact = { ext_id: 'c-17', name: 'Ivan', phone_numbers: ['79001234567'] };

function payloads(overrides: Partial<DealPayloads> = {}): DealPayloads {
  return {
    records: [
      record(),
      record({
        stage_ext_id: 'main:won',
        modified_stage_date_time: '2026-03-09 16:40:00',
        closed_date_time: '2026-03-09 16:40:00',
      }),
    ],
    contacts: [CONTACT],
    employee: { ext_id: 'u-3', name: 'Anna' },
    ...overrides,
  };
}

const check = (overrides: Partial<DealPayloads>) =>
  validateDealPayloads(payloads(overrides), RULES).map((found) => [found.code, found.field, found.severity]);

describe('validateDealPayloads', () => {
  it('passes a valid deal', () => {
    expect(validateDealPayloads(payloads(), RULES)).toEqual([]);
  });

  it('passes a stage time equal to the creation time and equal consecutive stage times', () => {
    const records = [record(), record({ stage_ext_id: 'main:proposal' })];
    expect(check({ records })).toEqual([]);
  });

  it('passes a date equal to now and rejects one a second later', () => {
    expect(check({ records: [record({ modified_stage_date_time: RULES.now })] })).toEqual([]);
    expect(check({ records: [record({ modified_stage_date_time: '2026-04-01 12:00:01' })] })).toEqual([
      ['date_in_future', 'records[0].modified_stage_date_time', 'error'],
    ]);
  });

  it('reports a future creation date once for all records', () => {
    const future = {
      created_date_time: '2026-05-01 00:00:00',
      modified_stage_date_time: '2026-05-01 00:00:00',
    };
    const found = check({ records: [record(future), record({ ...future, stage_ext_id: 'main:proposal' })] });
    expect(found).toEqual([
      ['date_in_future', 'records[0].created_date_time', 'error'],
      ['date_in_future', 'records[0].modified_stage_date_time', 'error'],
    ]);
  });

  it('rejects a stage time before the creation time', () => {
    expect(check({ records: [record({ modified_stage_date_time: '2026-03-02 10:14:59' })] })).toEqual([
      ['stage_before_created', 'records[0].modified_stage_date_time', 'error'],
    ]);
  });

  it('rejects stage times that go back', () => {
    const records = [
      record({ modified_stage_date_time: '2026-03-05 00:00:00' }),
      record({ stage_ext_id: 'main:proposal', modified_stage_date_time: '2026-03-04 00:00:00' }),
    ];
    expect(check({ records })).toEqual([
      ['stage_time_decreasing', 'records[1].modified_stage_date_time', 'error'],
    ]);
  });

  it('rejects a stage or funnel the config does not have', () => {
    expect(check({ records: [record({ stage_ext_id: 'main:demo' })] })).toEqual([
      ['stage_not_in_funnel', 'records[0].stage_ext_id', 'error'],
    ]);
    expect(check({ records: [record({ sales_funnel_ext_id: 'other' })] })).toEqual([
      ['stage_not_in_funnel', 'records[0].stage_ext_id', 'error'],
    ]);
  });

  it('rejects a close date before creation', () => {
    expect(check({ records: [record({ closed_date_time: '2026-03-01 00:00:00' })] })).toEqual([
      ['closed_before_created', 'records[0].closed_date_time', 'error'],
    ]);
  });

  it('rejects a broken contact pair or a main contact outside the list', () => {
    const withoutMain = record();
    delete withoutMain.main_contact_ext_id;
    expect(check({ records: [withoutMain] })).toEqual([
      ['contact_pair_invalid', 'records[0].main_contact_ext_id', 'error'],
    ]);
    expect(check({ records: [record({ main_contact_ext_id: 'c-99' })] })).toEqual([
      ['contact_pair_invalid', 'records[0].main_contact_ext_id', 'error'],
    ]);
  });

  it('rejects a contact or employee referenced but not created', () => {
    expect(check({ contacts: [] })).toEqual([['contact_missing', 'records[0].contact_ext_ids', 'error']]);
    expect(check({ employee: null })).toEqual([['employee_missing', 'records[0].employee_ext_id', 'error']]);
  });

  it('warns about a contact without phones or e-mails', () => {
    expect(check({ contacts: [{ ext_id: 'c-17', name: 'Ivan' }] })).toEqual([
      ['contact_unreachable', 'contacts[0]', 'warning'],
    ]);
  });

  it('rejects an empty name and a name over 255 characters, and passes one of 255', () => {
    expect(check({ records: [record({ name: '' })] })).toEqual([['name_empty', 'records[0].name', 'error']]);
    expect(check({ records: [record({ name: 'x'.repeat(255) })] })).toEqual([]);
    expect(check({ records: [record({ name: 'x'.repeat(256) })] })).toEqual([
      ['name_too_long', 'records[0].name', 'error'],
    ]);
    expect(check({ contacts: [{ ...CONTACT, name: ' ' }] })).toEqual([
      ['name_empty', 'contacts[0].name', 'error'],
    ]);
    expect(check({ employee: { ext_id: 'u-3', name: 'y'.repeat(300) } })).toEqual([
      ['name_too_long', 'employee.name', 'error'],
    ]);
  });

  it('handles a 100 KB name without failing', () => {
    const found = check({ records: [record({ name: 'x'.repeat(100_000) })] });
    expect(found).toEqual([['name_too_long', 'records[0].name', 'error']]);
  });

  it('checks the stage fields of every record, not only of the first', () => {
    // Records sharing the deal part (the same arrays, as mapping builds them), like a mapped deal's.
    const first = record();
    const later = (overrides: Partial<DealHistoryRecord>) =>
      check({ records: [first, { ...first, stage_ext_id: 'main:won', ...overrides }] }).filter(
        ([code]) => code === 'schema_invalid',
      );
    expect(later({ modified_stage_date_time: '2026-03-05 25:00:00' })).toEqual([
      ['schema_invalid', 'records[1].modified_stage_date_time', 'error'],
    ]);
    expect(later({ closed_date_time: '2026-03-32 10:00:00' })).toEqual([
      ['schema_invalid', 'records[1].closed_date_time', 'error'],
    ]);
  });

  it("reports what only the client's schema catches: a malformed date, a bad phone", () => {
    expect(check({ records: [record({ created_date_time: '2026-02-30 10:00:00' })] })).toContainEqual([
      'schema_invalid',
      'records[0].created_date_time',
      'error',
    ]);
    expect(check({ contacts: [{ ...CONTACT, phone_numbers: ['+7 900'] }] })).toEqual([
      ['schema_invalid', 'contacts[0].phone_numbers.0', 'error'],
    ]);
  });

  it('says what to fix in both languages', () => {
    const [problem] = validateDealPayloads(
      payloads({ records: [record({ closed_date_time: '2026-03-01 00:00:00' })] }),
      RULES,
    );
    expect(problem?.message.en).toMatch(/close date/);
    expect(problem?.message.ru).toMatch(/дату закрытия/);
  });
});
