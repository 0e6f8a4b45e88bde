import { describe, expect, it } from 'vitest';
import {
  config,
  contact,
  deal,
  NOW,
  STAGES,
  settings,
  stage,
  UNKNOWN_CRM,
  visit,
} from '../../tests/support/crm-model';
import { DealHistoryRecord } from '../comagic/schemas';
import { confirmSyntheticStage } from './funnel';
import { mapDeal } from './records';

const CONTEXT = { now: NOW };
const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);
const stageTimes = (records: { stage_ext_id: string; modified_stage_date_time: string }[]) =>
  records.map((record) => [record.stage_ext_id, record.modified_stage_date_time]);

const HISTORY = [
  visit(STAGES.new, '2026-03-02T10:15:00+03:00', { source: 'created' }),
  visit(STAGES.qualified, '2026-03-03T09:00:00+03:00'),
  visit(STAGES.proposal, '2026-03-05T12:00:00+03:00'),
];

describe('mapDeal: history', () => {
  it('sends one record per visit, oldest first, each accepted by the client schema', () => {
    const mapping = mapDeal(deal({ history: HISTORY }), config(), settings(), CONTEXT);
    expect(mapping.problems).toEqual([]);
    expect(mapping.sendable).toBe(true);
    expect(stageTimes(mapping.records)).toEqual([
      ['main:new', '2026-03-02 10:15:00'],
      ['main:qualified', '2026-03-03 09:00:00'],
      ['main:proposal', '2026-03-05 12:00:00'],
    ]);
    for (const record of mapping.records) expect(DealHistoryRecord.parse(record)).toEqual(record);
    expect(mapping.records[0]).toEqual({
      ext_id: '5f1',
      name: 'Supply contract',
      created_date_time: '2026-03-02 10:15:00',
      modified_date_time: '2026-03-02 10:15:00',
      modified_stage_date_time: '2026-03-02 10:15:00',
      sales_funnel_ext_id: 'main',
      stage_ext_id: 'main:new',
      contact_ext_ids: ['c-17'],
      main_contact_ext_id: 'c-17',
      employee_ext_id: 'u-3',
      revenue: 120000,
    });
  });

  it('sorts a history given out of order, with a warning', () => {
    const shuffled = [HISTORY[2]!, HISTORY[0]!, HISTORY[1]!];
    const mapping = mapDeal(deal({ history: shuffled }), config(), settings(), CONTEXT);
    expect(stageTimes(mapping.records).map(([stageExtId]) => stageExtId)).toEqual([
      'main:new',
      'main:qualified',
      'main:proposal',
    ]);
    expect(codes(mapping.problems)).toEqual(['history_reordered']);
  });

  it('merges consecutive visits of one stage, keeping the first time, but not a later return', () => {
    const history = [
      visit(STAGES.new, '2026-03-02T10:15:00+03:00'),
      visit(STAGES.new, '2026-03-02T11:00:00+03:00'),
      visit(STAGES.qualified, '2026-03-03T09:00:00+03:00'),
      visit(STAGES.new, '2026-03-04T09:00:00+03:00'),
    ];
    const mapping = mapDeal(deal({ history, stage: STAGES.new }), config(), settings(), CONTEXT);
    expect(stageTimes(mapping.records)).toEqual([
      ['main:new', '2026-03-02 10:15:00'],
      ['main:qualified', '2026-03-03 09:00:00'],
      ['main:new', '2026-03-04 09:00:00'],
    ]);
    expect(mapping.visits.map((v) => v.recordIndex)).toEqual([0, 1, 2]);
  });

  it('starts with the stage at creation, at the creation time', () => {
    const history = [
      visit(STAGES.new, '2026-03-02T00:00:00+03:00', { source: 'created', estimated: true }),
      visit(STAGES.proposal, '2026-03-05T12:00:00+03:00'),
    ];
    const mapping = mapDeal(deal({ history }), config(), settings(), CONTEXT);
    expect(stageTimes(mapping.records)[0]).toEqual(['main:new', '2026-03-02 10:15:00']);
  });

  it('puts closed_date_time on the won record only: the deal close time, else the stage time', () => {
    const history = [...HISTORY, visit(STAGES.won, '2026-03-09T16:40:00+03:00')];
    const closedAt = '2026-03-09T17:00:00+03:00';
    const withClose = mapDeal(deal({ history, stage: STAGES.won, closedAt }), config(), settings(), CONTEXT);
    expect(withClose.records.map((r) => r.closed_date_time)).toEqual([
      undefined,
      undefined,
      undefined,
      '2026-03-09 17:00:00',
    ]);
    const withoutClose = mapDeal(deal({ history, stage: STAGES.won }), config(), settings(), CONTEXT);
    expect(withoutClose.records.at(-1)?.closed_date_time).toBe('2026-03-09 16:40:00');
  });

  it('marks an earlier lost record closed at its own time when the deal was reopened', () => {
    const history = [
      visit(STAGES.new, '2026-03-02T10:15:00+03:00'),
      visit(STAGES.lost, '2026-03-03T10:00:00+03:00'),
      visit(STAGES.won, '2026-03-04T10:00:00+03:00'),
    ];
    const mapping = mapDeal(
      deal({ history, stage: STAGES.won, closedAt: '2026-03-04T11:00:00+03:00' }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.records.map((r) => r.closed_date_time)).toEqual([
      undefined,
      '2026-03-03 10:00:00',
      '2026-03-04 11:00:00',
    ]);
  });

  it('reports a stage the mapping does not know, and the deal is not sendable', () => {
    const history = [
      visit(STAGES.new, '2026-03-02T10:15:00+03:00'),
      visit(stage('demo', 'Demo'), '2026-03-03T10:00:00+03:00'),
    ];
    const mapping = mapDeal(deal({ history, stage: stage('demo', 'Demo') }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['stage_unmapped']);
    expect(mapping.problems[0]).toMatchObject({
      dealExtId: '5f1',
      crmDealId: '5f1',
      field: 'history[1].stage',
    });
    expect(mapping.problems[0]?.message.en).toContain('Demo');
    expect(mapping.sendable).toBe(false);
  });

  it('matches a stage by name when the page gives its label instead of its id', () => {
    const label = { ...STAGES.qualified, id: STAGES.qualified.name.toUpperCase() };
    const history = [
      visit(STAGES.new, '2026-03-02T10:15:00+03:00'),
      visit(label, '2026-03-03T09:00:00+03:00'),
    ];
    const mapping = mapDeal(deal({ history, stage: label }), config(), settings(), CONTEXT);
    const byName = mapDeal(
      deal({ history: HISTORY.slice(0, 2), stage: STAGES.qualified }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.problems).toEqual([]);
    expect(stageTimes(mapping.records)).toEqual(stageTimes(byName.records));
  });

  it('maps a won or lost stage the mapping does not list to the funnel’s won or lost stage', () => {
    const lost = stage('Закрыто (проиграно)', 'Закрыто (проиграно)');
    const history = [
      visit(STAGES.new, '2026-03-02T10:15:00+03:00'),
      visit({ ...lost, outcome: 'lost' }, '2026-03-03T09:00:00+03:00'),
    ];
    const mapped = mapDeal(
      deal({ history, stage: { ...lost, outcome: 'lost' } }),
      config(),
      settings(),
      CONTEXT,
    );
    const failed = config().stages.find((entry) => entry.status === 'failed')!;
    expect(mapped.records.at(-1)?.stage_ext_id).toBe(failed.extId);
    const unknown = mapDeal(
      deal({ history: [history[0]!, visit(lost, '2026-03-03T09:00:00+03:00')], stage: lost }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(codes(unknown.problems)).toContain('stage_unmapped');
  });

  it('warns when the history ends in another stage than the current one', () => {
    const mapping = mapDeal(deal({ history: HISTORY.slice(0, 2) }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['current_stage_not_in_history']);
    expect(mapping.sendable).toBe(true);
  });

  it('takes the first stage time of the history for an unknown creation time, with a warning', () => {
    const mapping = mapDeal(
      deal({ history: HISTORY.slice(1), createdAt: null }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.records[0]?.created_date_time).toBe('2026-03-03 09:00:00');
    expect(codes(mapping.problems)).toEqual(['created_from_history']);
    expect(mapping.sendable).toBe(true);
  });

  it("gives each record its own change time as modified_date_time, the newest the deal's last change", () => {
    const modified = (records: DealHistoryRecord[]) => records.map((record) => record.modified_date_time);
    const later = mapDeal(
      deal({ history: HISTORY, modifiedAt: '2026-03-05T15:30:00+03:00' }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(modified(later.records)).toEqual([
      '2026-03-02 10:15:00',
      '2026-03-03 09:00:00',
      '2026-03-05 15:30:00',
    ]);
    // Without the deal's last change, or with one older than its last stage, each record's own time.
    for (const modifiedAt of [null, '2026-03-01T08:00:00+03:00']) {
      const mapping = mapDeal(deal({ history: HISTORY, modifiedAt }), config(), settings(), CONTEXT);
      expect(modified(mapping.records)).toEqual([
        '2026-03-02 10:15:00',
        '2026-03-03 09:00:00',
        '2026-03-05 12:00:00',
      ]);
    }
  });

  it('rejects a deal in another pipeline', () => {
    const mapping = mapDeal(
      deal({ pipeline: { id: 'other', name: 'Other' } }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(codes(mapping.problems)).toEqual(['pipeline_mismatch']);
    expect(mapping.records).toEqual([]);
  });

  it('sends nothing for a deal without an id and says why', () => {
    const mapping = mapDeal(deal({ id: null }), config(), settings(), CONTEXT);
    expect(mapping).toMatchObject({ dealExtId: null, records: [], sendable: false });
    expect(codes(mapping.problems)).toEqual(['deal_without_id']);
  });

  it('uses the ext_id template and prefix for deal, contact and employee', () => {
    const mapping = mapDeal(deal(), config(), settings({ prefix: 'espo-', extIdTemplate: 'd{id}' }), CONTEXT);
    expect(mapping.dealExtId).toBe('espo-d5f1');
    expect(mapping.contacts[0]?.ext_id).toBe('espo-dc-17');
    expect(mapping.employee?.ext_id).toBe('espo-du-3');
  });

  it('carries setup problems (a proposed lost stage, a bad time zone) onto the deal', () => {
    const proposed = config([STAGES.new, STAGES.proposal, STAGES.won], UNKNOWN_CRM);
    const withProposal = mapDeal(deal(), proposed, settings(), CONTEXT);
    expect(codes(withProposal.problems)).toEqual(['terminal_stage_proposed']);
    expect(withProposal.sendable).toBe(true);
    expect(mapDeal(deal(), confirmSyntheticStage(proposed, 'failed'), settings(), CONTEXT).problems).toEqual(
      [],
    );
    const badZone = mapDeal(deal(), config(), settings({ accountTimeZone: 'Mars/Olympus' }), CONTEXT);
    expect(codes(badZone.problems)).toEqual(['time_zone_invalid']);
    expect(badZone.records).toEqual([]);
  });
});

describe('mapDeal: a creation time the CRM did not show', () => {
  const card = (overrides: Parameters<typeof deal>[0] = {}) =>
    deal({ history: [], createdAt: null, modifiedAt: null, ...overrides });
  const createdOf = (mapping: { records: { created_date_time: string }[] }) =>
    mapping.records.map((record) => record.created_date_time);

  it('holds a deal back with an error rather than send the export time as its creation', () => {
    const mapping = mapDeal(card(), config(), settings({ estimateStageTime: 'first_seen' }), CONTEXT);
    expect(mapping.problems.map((p) => [p.code, p.severity])).toEqual([['created_unknown', 'error']]);
    expect(mapping.sendable).toBe(false);
    expect(mapping.problems[0]?.message.en).toBe(
      'The CRM did not show when this deal was created; CoMagic ties calls only up to 30 days before creation. Send it from its page, or send anyway with the time estimated.',
    );
    expect(mapping.problems[0]?.message.ru).toContain('30 дней');
  });

  it('does not take a closed card’s close time or an earlier sighting for its creation either', () => {
    const won = { ...STAGES.won, outcome: 'won' as const };
    const closed = mapDeal(
      card({ stage: won, closedAt: '2026-03-04T09:30:00+03:00' }),
      config(),
      settings(),
      {
        now: NOW,
        firstSeenAt: null,
      },
    );
    const seen = mapDeal(card(), config(), settings({ estimateStageTime: 'first_seen' }), {
      now: NOW,
      firstSeenAt: '2026-03-20T08:00:00+03:00',
    });
    for (const mapping of [closed, seen]) {
      expect(codes(mapping.problems)).toEqual(['created_unknown']);
      expect(mapping.sendable).toBe(false);
    }
  });

  it('holds back a deal whose only history is what exports observed', () => {
    const observed = [
      visit(STAGES.new, '2026-03-10T09:00:00+03:00', { source: 'observed', estimated: true }),
      visit(STAGES.proposal, '2026-03-20T09:00:00+03:00', { source: 'observed' }),
    ];
    const mapping = mapDeal(card({ history: observed }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['created_unknown']);
    expect(mapping.sendable).toBe(false);
  });

  it('sends the estimate with a warning naming it when estimated creation times are allowed', () => {
    const mapping = mapDeal(
      card({ modifiedAt: '2026-03-05T12:00:00+03:00' }),
      config(),
      settings({ allowEstimatedCreation: true }),
      CONTEXT,
    );
    expect(mapping.problems.map((p) => [p.code, p.severity])).toEqual([['created_unknown', 'warning']]);
    expect(mapping.problems[0]?.message.en).toContain('sent as created at 2026-03-05 12:00:00');
    expect(createdOf(mapping)).toEqual(['2026-03-05 12:00:00']);
    expect(mapping.sendable).toBe(true);
  });

  it('needs no estimate when the CRM shows the creation time', () => {
    const mapping = mapDeal(card({ createdAt: '2026-03-02T10:15:00+03:00' }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['stage_time_fallback']);
    expect(createdOf(mapping)).toEqual(['2026-03-02 10:15:00']);
    expect(mapping.sendable).toBe(true);
  });
});

describe('mapDeal: an Odoo lead archived as lost', () => {
  const odooStages = [stage('New'), stage('Qualified'), stage('Won', 'Won', 'won')];
  const odoo = () => config(odooStages, 'odoo');
  const lostIn = (overrides: Parameters<typeof deal>[0] = {}) => {
    const qualified = stage('Qualified', 'Qualified', 'lost');
    return deal({
      crm: 'odoo',
      stage: qualified,
      modifiedAt: null,
      history: [
        visit(stage('New'), '2026-03-02T10:15:00+03:00', { source: 'created' }),
        visit(qualified, '2026-03-03T09:00:00+03:00'),
      ],
      ...overrides,
    });
  };

  it('is sent on from its stage into the funnel’s lost stage, at its close time', () => {
    const mapping = mapDeal(lostIn({ closedAt: '2026-03-04T15:00:00+03:00' }), odoo(), settings(), CONTEXT);
    expect(stageTimes(mapping.records)).toEqual([
      ['main:New', '2026-03-02 10:15:00'],
      ['main:Qualified', '2026-03-03 09:00:00'],
      ['main:lost', '2026-03-04 15:00:00'],
    ]);
    expect(mapping.records[2]?.closed_date_time).toBe('2026-03-04 15:00:00');
    expect(mapping.visits[2]).toMatchObject({ recordIndex: 2, estimated: false });
    expect(mapping.sendable).toBe(true);
  });

  it('takes the time it entered the stage, as an estimate, when the page shows no close time', () => {
    const mapping = mapDeal(lostIn(), odoo(), settings(), CONTEXT);
    expect(stageTimes(mapping.records).at(-1)).toEqual(['main:lost', '2026-03-03 09:00:00']);
    expect(mapping.visits.at(-1)).toMatchObject({ estimated: true });
  });

  it('leaves a lead that is not lost, and other CRMs’ stages, as they are', () => {
    const open = lostIn({
      stage: stage('Qualified'),
      history: [visit(stage('New'), '2026-03-02T10:15:00+03:00')],
    });
    expect(mapDeal(open, odoo(), settings(), CONTEXT).records).toHaveLength(1);
    const espo = config([stage('New'), stage('Qualified'), stage('Won', 'Won', 'won')]);
    expect(stageTimes(mapDeal(lostIn(), espo, settings(), CONTEXT).records).at(-1)?.[0]).toBe(
      'main:Qualified',
    );
  });
});

describe('mapDeal: time zones', () => {
  it('formats in the account zone, not the CRM offset', () => {
    const mapping = mapDeal(
      deal({ createdAt: '2026-03-02T07:15:00Z', history: [visit(STAGES.proposal, '2026-03-02T07:15:00Z')] }),
      config(),
      settings({ accountTimeZone: 'Asia/Yekaterinburg' }),
      CONTEXT,
    );
    expect(mapping.records[0]?.created_date_time).toBe('2026-03-02 12:15:00');
  });

  it('follows a daylight-saving change', () => {
    const history = [
      visit(STAGES.new, '2026-03-08T06:30:00Z'), // 01:30 EST
      visit(STAGES.proposal, '2026-03-08T07:30:00Z'), // 03:30 EDT: 02:30 does not exist that night
    ];
    const mapping = mapDeal(
      deal({ createdAt: '2026-03-08T06:30:00Z', modifiedAt: null, history }),
      config(),
      settings({ accountTimeZone: 'America/New_York' }),
      CONTEXT,
    );
    expect(stageTimes(mapping.records)).toEqual([
      ['main:new', '2026-03-08 01:30:00'],
      ['main:proposal', '2026-03-08 03:30:00'],
    ]);
  });
});

describe('mapDeal: a board card without history', () => {
  const card = (overrides: Parameters<typeof deal>[0] = {}) => deal({ history: [], ...overrides });
  const FIRST_SEEN = '2026-03-20T08:00:00+03:00';

  it.each([
    ['modified', '2026-03-05 12:00:00', false],
    ['created', '2026-03-02 10:15:00', false],
    ['first_seen', '2026-03-20 08:00:00', true],
  ] as const)(
    'estimates the stage time from the %s time and marks it estimated',
    (estimate, time, observed) => {
      const mapping = mapDeal(card(), config(), settings({ estimateStageTime: estimate }), {
        now: NOW,
        firstSeenAt: FIRST_SEEN,
      });
      expect(stageTimes(mapping.records)).toEqual([['main:proposal', time]]);
      expect(mapping.visits).toEqual([{ recordIndex: 0, source: 'board', estimated: true, observed }]);
      expect(mapping.problems).toEqual([]);
    },
  );

  it('takes the close time as the time a closed card entered its won stage', () => {
    const won = { ...STAGES.won, outcome: 'won' as const };
    const card = deal({ history: [], stage: won, closedAt: '2026-03-04T09:30:00+03:00' });
    const mapping = mapDeal(card, config(), settings(), { now: NOW, firstSeenAt: null });
    expect(stageTimes(mapping.records)).toEqual([[mapping.records[0]!.stage_ext_id, '2026-03-04 09:30:00']]);
    expect(mapping.records[0]).toMatchObject({
      created_date_time: '2026-03-02 10:15:00',
      closed_date_time: '2026-03-04 09:30:00',
    });
    expect(mapping.sendable).toBe(true);
  });

  it('falls back from the modified time to the creation time, with a warning', () => {
    const mapping = mapDeal(
      card({ modifiedAt: null }),
      config(),
      settings({ estimateStageTime: 'modified' }),
      CONTEXT,
    );
    expect(stageTimes(mapping.records)).toEqual([['main:proposal', '2026-03-02 10:15:00']]);
    expect(codes(mapping.problems)).toEqual(['stage_time_fallback']);
    expect(mapping.problems[0]?.message.en).toContain('creation time');
  });

  it('falls back from the creation time to the modified time', () => {
    const mapping = mapDeal(
      card({ createdAt: null }),
      config(),
      settings({ estimateStageTime: 'created' }),
      CONTEXT,
    );
    expect(stageTimes(mapping.records)).toEqual([['main:proposal', '2026-03-05 12:00:00']]);
    expect(codes(mapping.problems)).toEqual(['stage_time_fallback', 'created_unknown']);
    expect(mapping.sendable).toBe(false);
  });

  it('falls back to the first sighting, which is now for a deal never seen before', () => {
    const mapping = mapDeal(
      card({ createdAt: null, modifiedAt: null }),
      config(),
      settings({ estimateStageTime: 'modified' }),
      CONTEXT,
    );
    expect(stageTimes(mapping.records)).toEqual([['main:proposal', '2026-04-01 12:00:00']]);
    expect(mapping.visits[0]?.observed).toBe(true);
    expect(codes(mapping.problems)).toEqual(['stage_time_fallback', 'created_unknown']);
    expect(mapping.sendable).toBe(false);
  });

  it('treats a deal never seen before as first seen now, without a warning', () => {
    const mapping = mapDeal(card(), config(), settings({ estimateStageTime: 'first_seen' }), CONTEXT);
    expect(stageTimes(mapping.records)).toEqual([['main:proposal', '2026-04-01 12:00:00']]);
    expect(mapping.problems).toEqual([]);
  });

  it('moves an estimated stage time before creation up to the creation time', () => {
    const mapping = mapDeal(
      card({ modifiedAt: '2026-03-01T00:00:00+03:00' }),
      config(),
      settings({ estimateStageTime: 'modified' }),
      CONTEXT,
    );
    expect(stageTimes(mapping.records)).toEqual([['main:proposal', '2026-03-02 10:15:00']]);
    expect(codes(mapping.problems)).toEqual(['stage_time_clamped']);
  });

  it('reports a card with no stage at all', () => {
    const mapping = mapDeal(card({ stage: null }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['stage_missing']);
    expect(mapping.sendable).toBe(false);
  });

  it('warns that a rounded board amount is sent as revenue', () => {
    const mapping = mapDeal(
      card({ amount: { amount: 39600, currency: 'USD', rounded: true } }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.records[0]?.revenue).toBe(39600);
    expect(codes(mapping.problems)).toEqual(['revenue_rounded']);
  });

  it('sends no revenue when there is no amount', () => {
    const mapping = mapDeal(card({ amount: null }), config(), settings(), CONTEXT);
    expect(mapping.records[0]).not.toHaveProperty('revenue');
  });
});

describe('mapDeal: contacts and employee', () => {
  it('normalises phones and e-mails and sends the contact pair, the first contact as main', () => {
    const contacts = [
      contact({
        id: 'c-1',
        phones: ['8 (900) 123-45-67'],
        emails: [' Ivan@Example.com '],
        createdAt: '2026-02-01T09:00:00Z',
      }),
      contact({ id: 'c-2', name: 'Olga', phones: ['+7 912 000-11-22'], emails: [] }),
    ];
    const mapping = mapDeal(deal({ contacts }), config(), settings(), CONTEXT);
    expect(mapping.contacts).toEqual([
      {
        ext_id: 'c-1',
        name: 'Ivan Petrov',
        created_date_time: '2026-02-01 12:00:00',
        phone_numbers: ['79001234567'],
        emails: ['ivan@example.com'],
      },
      { ext_id: 'c-2', name: 'Olga', phone_numbers: ['79120001122'] },
    ]);
    expect(mapping.records[0]).toMatchObject({ contact_ext_ids: ['c-1', 'c-2'], main_contact_ext_id: 'c-1' });
  });

  it('sends a contact with neither phone nor e-mail by name, with a warning', () => {
    const mapping = mapDeal(
      deal({ contacts: [contact({ phones: [], emails: [] })] }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.contacts).toEqual([{ ext_id: 'c-17', name: 'Ivan Petrov' }]);
    expect(codes(mapping.problems)).toEqual(['contact_unreachable']);
    expect(mapping.sendable).toBe(true);
  });

  it('leaves out invalid phones and e-mails with a warning each', () => {
    const mapping = mapDeal(
      deal({ contacts: [contact({ phones: ['12', '+7 900 123-45-67'], emails: ['not-an-email'] })] }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.contacts[0]).toEqual({
      ext_id: 'c-17',
      name: 'Ivan Petrov',
      phone_numbers: ['79001234567'],
    });
    expect(codes(mapping.problems)).toEqual(['phone_numbers_rejected', 'emails_rejected']);
  });

  it('names only the bad e-mails, not repeats of a good one', () => {
    const emails = ['ivan@example.com', ' IVAN@example.com', '', 'ivan@', 'olga@example.com'];
    const mapping = mapDeal(deal({ contacts: [contact({ emails })] }), config(), settings(), CONTEXT);
    expect(mapping.contacts[0]?.emails).toEqual(['ivan@example.com', 'olga@example.com']);
    const rejected = mapping.problems.find((problem) => problem.code === 'emails_rejected');
    expect(rejected?.message.en).toContain(': ivan@ is not valid');
  });

  it('drops a contact with no name, phone or e-mail, and sends no contact pair without contacts', () => {
    const mapping = mapDeal(
      deal({ contacts: [contact({ name: ' ', phones: [], emails: [] })] }),
      config(),
      settings(),
      CONTEXT,
    );
    expect(mapping.contacts).toEqual([]);
    expect(mapping.records[0]).not.toHaveProperty('contact_ext_ids');
    expect(mapping.records[0]).not.toHaveProperty('main_contact_ext_id');
    expect(codes(mapping.problems)).toEqual(['contact_dropped']);
  });

  it('names a nameless contact after its phone and gives a contact without id a stable derived id', () => {
    const nameless = contact({ id: null, name: '', emails: [] });
    const first = mapDeal(deal({ contacts: [nameless] }), config(), settings(), CONTEXT);
    const again = mapDeal(deal({ id: '77', contacts: [nameless] }), config(), settings(), CONTEXT);
    expect(first.contacts[0]).toMatchObject({ name: '79001234567' });
    expect(first.contacts[0]?.ext_id).toMatch(/^n-[0-9a-f]{16}$/);
    expect(again.contacts[0]?.ext_id).toBe(first.contacts[0]?.ext_id);
  });

  it('sends a duplicated contact once', () => {
    const mapping = mapDeal(deal({ contacts: [contact(), contact()] }), config(), settings(), CONTEXT);
    expect(mapping.contacts).toHaveLength(1);
    expect(mapping.records[0]?.contact_ext_ids).toEqual(['c-17']);
  });

  it('derives the employee id from the name when the owner has none', () => {
    const anna = mapDeal(
      deal({ owner: { id: null, name: 'Anna  Smirnova' } }),
      config(),
      settings(),
      CONTEXT,
    );
    const same = mapDeal(deal({ owner: { id: null, name: 'anna smirnova' } }), config(), settings(), CONTEXT);
    const other = mapDeal(deal({ owner: { id: null, name: 'Boris Orlov' } }), config(), settings(), CONTEXT);
    expect(anna.employee).toEqual({ ext_id: same.employee?.ext_id, name: 'Anna Smirnova' });
    expect(other.employee?.ext_id).not.toBe(anna.employee?.ext_id);
    expect(anna.records[0]?.employee_ext_id).toBe(anna.employee?.ext_id);
  });

  it('sends no employee when the owner is unknown', () => {
    const mapping = mapDeal(deal({ owner: null }), config(), settings(), CONTEXT);
    expect(mapping.employee).toBeNull();
    expect(mapping.records[0]).not.toHaveProperty('employee_ext_id');
  });
});

describe('mapDeal: names', () => {
  it('caps a 100 KB deal name at 255 characters with a warning and still sends the deal', () => {
    const name = `Big ${'сделка '.repeat(15_000)}`;
    const mapping = mapDeal(deal({ name }), config(), settings(), CONTEXT);
    expect(mapping.records[0]?.name.length).toBeLessThanOrEqual(255);
    expect(mapping.records[0]?.name.startsWith('Big сделка сделка')).toBe(true);
    expect(codes(mapping.problems)).toEqual(['name_truncated']);
    expect(mapping.sendable).toBe(true);
  });

  it('rejects a deal with an empty name', () => {
    const mapping = mapDeal(deal({ name: ' \n ' }), config(), settings(), CONTEXT);
    expect(codes(mapping.problems)).toEqual(['name_empty']);
    expect(mapping.sendable).toBe(false);
  });
});
