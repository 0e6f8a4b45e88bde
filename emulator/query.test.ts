// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { call, expectError, expectOk, useEmulator } from './testing';

const emulator = useEmulator();

beforeEach(async () => {
  const contacts = [
    { ext_id: 'c1', name: 'Anna', phone_numbers: ['79001111111'], emails: ['anna@x.ru'] },
    { ext_id: 'c2', name: 'boris', phone_numbers: ['79002222222'] },
    { ext_id: 'c3', name: 'Alex', emails: ['alex@y.ru'] },
    { ext_id: 'c4', name: 'Vera' },
  ];
  expectOk(await call(emulator(), 'create.deal_contacts', { contacts }));
});

const ids = async (params: Record<string, unknown>) => {
  const answer = await call(emulator(), 'get.deal_contacts', { ...params, fields: ['ext_id'] });
  return (expectOk(answer) as { ext_id: string }[]).map((row) => row.ext_id);
};

const simple = (field: string, operator: string, value?: unknown) => ({ filter: { field, operator, value } });

describe('paging', () => {
  it('pages with limit and offset and reports total_items of the whole match', async () => {
    const answer = await call(emulator(), 'get.deal_contacts', { limit: 2, offset: 1, fields: ['ext_id'] });
    expect(expectOk(answer)).toEqual([{ ext_id: 'c2' }, { ext_id: 'c3' }]);
    expect(answer.result?.metadata.total_items).toBe(4);
  });

  it('accepts limit 10000 and offset 100000, rejects larger or fractional ones', async () => {
    expect(await ids({ limit: 10000, offset: 100000 })).toEqual([]);
    expectError(
      await call(emulator(), 'get.deal_contacts', { limit: 10001 }),
      'invalid_parameter_value',
      'limit',
    );
    expectError(
      await call(emulator(), 'get.deal_contacts', { offset: 100001 }),
      'invalid_parameter_value',
      'offset',
    );
    expectError(
      await call(emulator(), 'get.deal_contacts', { limit: 1.5 }),
      'invalid_parameter_value',
      'limit',
    );
    expectError(await call(emulator(), 'get.deal_contacts', { limit: '10' }), 'data_type_error', 'limit');
  });
});

describe('fields', () => {
  it('returns only the requested fields', async () => {
    const rows = expectOk(
      await call(emulator(), 'get.deal_contacts', { fields: ['name', 'emails'], limit: 1 }),
    );
    expect(rows).toEqual([{ name: 'Anna', emails: ['anna@x.ru'] }]);
  });

  it('rejects an unknown field name', async () => {
    const error = expectError(
      await call(emulator(), 'get.deal_contacts', { fields: ['phone'] }),
      'unexpected_parameters',
    );
    expect(error.data.value).toBe('phone');
  });
});

describe('sort', () => {
  it('sorts by several keys in both directions', async () => {
    expect(await ids({ sort: [{ field: 'name', order: 'desc' }] })).toEqual(['c2', 'c4', 'c1', 'c3']);
    expect(await ids({ sort: [{ field: 'component' }, { field: 'ext_id', order: 'desc' }] })).toEqual([
      'c4',
      'c3',
      'c2',
      'c1',
    ]);
  });

  it('rejects sorting on a non-sortable field, an unknown field and a bad order', async () => {
    expectError(
      await call(emulator(), 'get.deal_contacts', { sort: [{ field: 'emails' }] }),
      'sort_prohibited',
    );
    expectError(
      await call(emulator(), 'get.deal_contacts', { sort: [{ field: 'age' }] }),
      'unexpected_parameters',
    );
    expectError(
      await call(emulator(), 'get.deal_contacts', { sort: [{ field: 'name', order: 'up' }] }),
      'invalid_parameter_value',
      'sort.0.order',
    );
  });
});

describe('filter operators', () => {
  it.each([
    ['=', 'name', 'Anna', ['c1']],
    ['!=', 'name', 'Anna', ['c2', 'c3', 'c4']],
    ['<', 'ext_id', 'c2', ['c1']],
    ['>', 'ext_id', 'c2', ['c3', 'c4']],
    ['<=', 'ext_id', 'c2', ['c1', 'c2']],
    ['>=', 'ext_id', 'c3', ['c3', 'c4']],
    ['in', 'ext_id', ['c2', 'c4', 'c9'], ['c2', 'c4']],
    ['not_in', 'ext_id', ['c2', 'c4'], ['c1', 'c3']],
    ['like', 'name', 'A%', ['c1', 'c3']],
    ['like', 'name', 'a%', []],
    ['ilike', 'name', 'a%', ['c1', 'c3']],
    ['not_ilike', 'name', 'a%', ['c2', 'c4']],
    ['like', 'emails', '%@y.ru', ['c3']],
    ['overlap', 'phone_numbers', ['79002222222', '70000000000'], ['c2']],
    ['not_overlap', 'phone_numbers', ['79002222222'], ['c1', 'c3', 'c4']],
    ['=', 'emails', 'anna@x.ru', ['c1']],
  ])('%s on %s with %j', async (operator, field, value, expected) => {
    expect(await ids(simple(field, operator, value))).toEqual(expected);
  });

  it.each([
    ['^A', ['c1', 'c3']],
    ['^a', []],
    ['ri', ['c2']],
    ['^[[:upper:]][[:lower:]]{3}$', ['c1', 'c3', 'c4']],
    ['(nn|ex)', ['c1', 'c3']],
  ])('regexp %j on name: POSIX, unanchored, case-sensitive', async (pattern, expected) => {
    expect(await ids(simple('name', 'regexp', pattern))).toEqual(expected);
  });

  it('regexp tests each item of an array field', async () => {
    expect(await ids(simple('emails', 'regexp', '@x\\.ru$'))).toEqual(['c1']);
  });

  it('regexp refuses an invalid pattern, an unknown POSIX class and a non-string value', async () => {
    const get = (value: unknown) => call(emulator(), 'get.deal_contacts', simple('name', 'regexp', value));
    expectError(await get('(A'), 'invalid_parameter_value', 'filter.value');
    expectError(await get('[[:letter:]]'), 'invalid_parameter_value', 'filter.value');
    expectError(await get(5), 'invalid_parameter_value', 'filter.value');
  });

  it.each([
    ['# = "79001111111"', ['c1']],
    ['@# > 0', ['c1', 'c2']],
    ['@# = 0', ['c3', 'c4']],
    ['$ @> ["79002222222"]', ['c2']],
    ['$ <@ ["79001111111", "79003333333"]', ['c1', 'c3', 'c4']],
    ['$ && ["79001111111", "79002222222"]', ['c1', 'c2']],
    ['# IN ("79002222222", "70000000000")', ['c2']],
    ['#0 = "79002222222"', ['c2']],
    ['NOT # = "79001111111" AND $ IS array', ['c2', 'c3', 'c4']],
    ['#($ = "79001111111" OR $ = "79002222222")', ['c1', 'c2']],
    ['(# = "79001111111") or (# = "79002222222")', ['c1', 'c2']],
  ])('jsquery %j on phone_numbers', async (query, expected) => {
    expect(await ids(simple('phone_numbers', 'jsquery', query))).toEqual(expected);
  });

  it('jsquery matches no scalar field: the docs type it for objects and arrays', async () => {
    expect(await ids(simple('name', 'jsquery', '$ = "Anna"'))).toEqual([]);
  });

  it.each([
    ['# ==', 'a doubled operator'],
    ['#: = "79001111111"', 'the "every" path, which the emulator does not read'],
    ['# = "a" AND', 'a dangling AND'],
    ['$ @> {"a": 1}', 'an object literal'],
    ['@# > "1"', 'a string compared by <'],
    ['# = "\\q"', 'a string with an escape JSON does not have'],
  ])('jsquery refuses %j (%s)', async (query) => {
    expectError(
      await call(emulator(), 'get.deal_contacts', simple('phone_numbers', 'jsquery', query)),
      'invalid_parameter_value',
      'filter.value',
    );
  });

  it('tests for null with is_null, is_not_null and = null', async () => {
    await call(emulator(), 'create.sales_funnel', {
      ext_id: 'f1',
      name: 'F',
      stages: {
        in_process: [{ ext_id: 'a', name: 'A', order: 1 }],
        success: { ext_id: 'w', name: 'W' },
        failed: { ext_id: 'l', name: 'L' },
      },
    });
    const record = (ext_id: string, source?: string) => ({
      ext_id,
      name: 'D',
      created_date_time: '2026-03-01 10:00:00',
      modified_stage_date_time: '2026-03-01 10:00:00',
      sales_funnel_ext_id: 'f1',
      stage_ext_id: 'a',
      ...(source ? { source } : {}),
    });
    expectOk(await call(emulator(), 'upload.deals_history', { deals: [record('d1', 'site'), record('d2')] }));
    const extIds = async (filter: unknown) =>
      (
        expectOk(await call(emulator(), 'get.deals_history', { filter, fields: ['ext_id'] })) as {
          ext_id: string;
        }[]
      ).map((r) => r.ext_id);
    expect(await extIds({ field: 'source', operator: 'is_null', value: null })).toEqual(['d2']);
    expect(await extIds({ field: 'source', operator: 'is_not_null', value: null })).toEqual(['d1']);
    expect(await extIds({ field: 'source', operator: '=', value: null })).toEqual(['d2']);
    expect(
      await extIds({ field: 'created_date_time', operator: '>=', value: '2026-03-01 00:00:00' }),
    ).toEqual(['d1', 'd2']);
  });

  it('combines filters in nested and/or trees', async () => {
    const tree = {
      filter: {
        condition: 'or',
        filters: [
          { field: 'ext_id', operator: '=', value: 'c4' },
          {
            condition: 'and',
            filters: [
              { field: 'name', operator: 'ilike', value: 'a%' },
              { field: 'emails', operator: 'like', value: '%x.ru' },
            ],
          },
        ],
      },
    };
    expect(await ids(tree)).toEqual(['c1', 'c4']);
  });

  it('rejects a non-filterable field, an unknown field, an unknown operator and a bad value', async () => {
    const get = (params: Record<string, unknown>) => call(emulator(), 'get.deal_contacts', params);
    expectError(await get(simple('created_date_time', '=', 'x')), 'filter_prohibited');
    expectError(await get(simple('age', '=', 1)), 'unexpected_parameters', 'filter.field');
    expectError(await get(simple('name', 'regexp_x', 'a')), 'invalid_parameter_value', 'filter.operator');
    expectError(await get(simple('ext_id', 'in', 'c1')), 'invalid_parameter_value', 'filter.value');
    expectError(
      await get({ filter: { filters: [], condition: 'and' } }),
      'invalid_parameter_value',
      'filter.filters',
    );
    expectError(
      await get({ filter: { filters: [simple('name', '=', 'A').filter], condition: 'xor' } }),
      'invalid_parameter_value',
      'filter.condition',
    );
  });

  it('applies the same list parameters to funnels and employees', async () => {
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e1', name: 'Zoe' }));
    expectOk(await call(emulator(), 'create.deal_employees', { ext_id: 'e2', name: 'Adam' }));
    const employees = expectOk(
      await call(emulator(), 'get.deal_employees', { sort: [{ field: 'name' }], fields: ['ext_id'] }),
    );
    expect(employees).toEqual([{ ext_id: 'e2' }, { ext_id: 'e1' }]);
    expectError(
      await call(emulator(), 'get.sales_funnel', { sort: [{ field: 'stages' }] }),
      'sort_prohibited',
    );
  });
});
