import { describe, expect, it } from 'vitest';
import { config, deal, NOW, STAGES, settings, visit } from '../../tests/support/crm-model';
import {
  CrmCompanyCreate,
  DealHistoryRecord,
  DealUserFieldCreate,
  MAX_TEXT_LENGTH,
} from '../comagic/schemas';
import { capText, revenueIn, userFieldExtId } from './deal-extras';
import { mapDeal } from './records';

const CONTEXT = { now: NOW };
const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);
const HISTORY = [
  visit(STAGES.new, '2026-03-02T10:15:00+03:00', { source: 'created' }),
  visit(STAGES.proposal, '2026-03-05T12:00:00+03:00'),
];

describe('mapDeal: company, source, tags, comments', () => {
  const rich = deal({
    history: HISTORY,
    company: {
      id: 'acc004',
      name: '  Orbitway   Logistics ',
      phones: ['+49 30 5550 1200', 'not a phone'],
      emails: ['Office@Orbitway.example'],
    },
    source: 'Partner',
    tags: ['vip', 'export', 'vip'],
    description: 'Renewal of 40 trackers.\nCall Lena before 10:00.',
  });

  it('creates the company from its own phones and e-mails and names it on every record', () => {
    const mapping = mapDeal(rich, config(), settings(), CONTEXT);
    expect(mapping.company).toEqual({
      ext_id: 'acc004',
      name: 'Orbitway Logistics',
      phones: ['493055501200'],
      emails: ['office@orbitway.example'],
    });
    expect(CrmCompanyCreate.parse(mapping.company)).toEqual(mapping.company);
    // Never a contact: the company's phone is not among the deal's contacts.
    expect(mapping.contacts.flatMap((contact) => contact.phone_numbers ?? [])).not.toContain('493055501200');
    expect(mapping.records.map((record) => record.company_ext_id)).toEqual(['acc004', 'acc004']);
    expect(codes(mapping.problems)).toEqual(['phone_numbers_rejected']);
  });

  it('sends source, comments and each tag once on every record, as the client schema takes them', () => {
    const mapping = mapDeal(rich, config(), settings(), CONTEXT);
    for (const record of mapping.records) {
      expect(DealHistoryRecord.parse(record)).toEqual(record);
      expect(record.source).toBe('Partner');
      expect(record.comments).toBe('Renewal of 40 trackers.\nCall Lena before 10:00.');
      expect(record.tags?.map((tag) => tag.name)).toEqual(['vip', 'export']);
    }
    const [first, second] = mapping.records;
    expect(first?.tags).toEqual(second?.tags);
  });

  it('gives a company without a CRM id a stable ext_id from its name, and sends nothing for a deal without them', () => {
    const named = (name: string) =>
      mapDeal(deal({ history: HISTORY, company: { name } }), config(), settings(), CONTEXT).company?.ext_id;
    expect(named('Acme')).toBe(named(' acme '));
    expect(named('Acme')).not.toBe(named('Globex'));
    const plain = mapDeal(deal({ history: HISTORY }), config(), settings(), CONTEXT);
    expect(plain.company).toBeUndefined();
    for (const field of ['company_ext_id', 'source', 'comments', 'tags', 'user_fields']) {
      expect(plain.records.every((record) => !(field in record))).toBe(true);
    }
  });

  it('trims a text over the cap with a warning, and the deal still goes', () => {
    const long = 'word '.repeat(100);
    const mapping = mapDeal(
      deal({ history: HISTORY, description: long, source: 'x'.repeat(300), tags: ['t'.repeat(400)] }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.sendable).toBe(true);
    const [record] = mapping.records;
    expect(record?.comments?.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(record?.comments?.endsWith('word…')).toBe(true);
    expect(record?.source?.length).toBe(MAX_TEXT_LENGTH);
    expect(record?.tags?.[0]?.name.length).toBe(MAX_TEXT_LENGTH);
    expect(mapping.problems.map((problem) => [problem.code, problem.field, problem.severity])).toEqual([
      ['text_truncated', 'deal.source', 'warning'],
      ['text_truncated', 'deal.description', 'warning'],
      ['text_truncated', 'tags[0]', 'warning'],
    ]);
    for (const problem of mapping.problems) expect(problem.message.ru).toContain('Сделка отправляется');
  });

  it('keeps a surrogate pair whole where it cuts', () => {
    const { text, truncated } = capText(`${'a'.repeat(253)}😀😀`);
    expect(truncated).toBe(true);
    expect(text).toBe(`${'a'.repeat(253)}…`);
  });
});

describe('mapDeal: user fields', () => {
  const withFields = deal({
    history: HISTORY,
    amount: { amount: 1000, currency: 'RUB', rounded: false },
    fields: { probability: '80', closeDate: '2026-05-15', rating: 'high' },
  });
  const userFields = [
    { crmField: 'probability', name: 'Probability, %', dataType: 'numeric' as const },
    { crmField: 'closeDate', name: 'Expected close', dataType: 'string' as const },
    { crmField: 'currency', name: 'Currency', dataType: 'string' as const },
    { crmField: 'rating', name: 'Rating', dataType: 'numeric' as const },
    { crmField: 'missing', name: 'Not on this deal', dataType: 'string' as const },
  ];

  it('sends the chosen fields the deal has as strings, and defines each for create.deal_user_field', () => {
    const mapping = mapDeal(withFields, config(), settings({ userFields }), CONTEXT);
    expect(mapping.records[0]?.user_fields).toEqual([
      { ext_id: 'field:probability', value: '80' },
      { ext_id: 'field:closeDate', value: '2026-05-15' },
      { ext_id: 'field:currency', value: 'RUB' },
    ]);
    expect(mapping.userFields).toEqual([
      { ext_id: 'field:probability', name: 'Probability, %', data_type: 'numeric' },
      { ext_id: 'field:closeDate', name: 'Expected close', data_type: 'string' },
      { ext_id: 'field:currency', name: 'Currency', data_type: 'string' },
    ]);
    for (const field of mapping.userFields ?? []) expect(DealUserFieldCreate.parse(field)).toEqual(field);
    for (const record of mapping.records) expect(DealHistoryRecord.parse(record)).toEqual(record);
  });

  it('leaves a numeric field empty for a value that is not a number, saying so, and sends the deal', () => {
    const mapping = mapDeal(withFields, config(), settings({ userFields }), CONTEXT);
    expect(mapping.sendable).toBe(true);
    expect(mapping.problems.map((problem) => [problem.code, problem.field])).toEqual([
      ['user_field_not_numeric', 'user_fields.rating'],
    ]);
  });

  it('gives a field key outside ASCII a stable ASCII ext_id', () => {
    expect(userFieldExtId('Бюджет')).toMatch(/^field:h-[0-9a-z]+$/);
    expect(userFieldExtId('Бюджет')).toBe(userFieldExtId('Бюджет'));
    expect(userFieldExtId('Бюджет')).not.toBe(userFieldExtId('Срок'));
  });
});

describe('mapDeal: revenue in the report currency', () => {
  const inCurrency = (currency: string | null, amount = 1000) =>
    deal({ history: HISTORY, amount: { amount, currency, rounded: false } });
  const currency = (rates: Record<string, number> = {}) => ({ reportCurrency: 'RUB', rates });

  it('sends an amount in the report currency, or with none shown, as it is', () => {
    for (const shown of ['RUB', '₽', null]) {
      const mapping = mapDeal(inCurrency(shown), config(), settings({ currency: currency() }), CONTEXT);
      expect(mapping.records.map((record) => record.revenue)).toEqual([1000, 1000]);
      expect(mapping.problems).toEqual([]);
    }
  });

  it('converts another currency at the rate in settings, saying so', () => {
    const mapping = mapDeal(
      inCurrency('USD', 1234.5),
      config(),
      settings({ currency: currency({ USD: 91.25 }) }),
      CONTEXT,
    );
    expect(mapping.records.map((record) => record.revenue)).toEqual([112648.13, 112648.13]);
    expect(mapping.sendable).toBe(true);
    expect(codes(mapping.problems)).toEqual(['revenue_converted']);
    expect(mapping.problems[0]?.message.en).toContain('91.25');
  });

  it('holds back a deal in a currency without a rate: never a bare number in the wrong currency', () => {
    const mapping = mapDeal(
      inCurrency('EUR'),
      config(),
      settings({ currency: currency({ USD: 91 }) }),
      CONTEXT,
    );
    expect(mapping.sendable).toBe(false);
    expect(mapping.problems.map((problem) => [problem.code, problem.severity])).toEqual([
      ['currency_unconverted', 'error'],
    ]);
    expect(mapping.problems[0]?.message.en).toContain('Options → Mapping → Currency rates');
    expect(mapping.problems[0]?.message.ru).toContain('Курсы валют');
  });

  it('does not convert while the report currency is unknown (not connected yet)', () => {
    const issues: never[] = [];
    expect(revenueIn(50, 'USD', { reportCurrency: null, rates: { USD: 90 } }, issues)).toBe(50);
    expect(issues).toEqual([]);
  });
});
