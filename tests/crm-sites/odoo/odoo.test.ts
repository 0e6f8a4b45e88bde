import { describe, expect, it } from 'vitest';
import type { DemoPipeline } from '../../../demo/data';
import { boardView, dealView } from './pages';
import { odooRpc, RpcError } from './rpc';

// A hand-made Odoo 18 pipeline (en_US, zone Europe/Moscow = UTC+3): a won lead whose customer has a
// phone and a mobile, three stage visits skipping Qualified, and an open lead with no customer.
const mitchell = { id: '2', name: 'Mitchell Admin' };
const fleet = {
  id: '4100',
  name: 'Fleet telematics for Orbitway',
  amount: 30000,
  company: 'Orbitway Logistics',
  contact: 'Jonas Weber',
  date: '2025-07-01',
  stageId: 'Won',
  owner: mitchell,
  contacts: [
    {
      id: '300',
      name: 'Jonas Weber',
      phones: ['74955550777', '79161234567'],
      emails: ['jonas@orbitway.example'],
    },
  ],
  history: [
    { stageId: 'New', at: new Date('2025-06-02T06:00:00Z') },
    { stageId: 'Proposition', at: new Date('2025-06-09T07:00:00Z') },
    { stageId: 'Won', at: new Date('2025-06-20T15:45:00Z') },
  ],
  amountChanges: [],
  comments: [],
};
const books = {
  id: '4101',
  name: 'Support plan',
  amount: 2000,
  company: 'Tallow Books',
  contact: '',
  date: '2025-09-01',
  stageId: 'New',
  owner: mitchell,
  contacts: [],
  history: [{ stageId: 'New', at: new Date('2025-06-22T09:30:00Z') }],
  amountChanges: [{ at: new Date('2025-06-23T10:00:00Z'), from: 1500, to: 2000 }],
  comments: [{ at: new Date('2025-06-24T08:00:00Z'), by: mitchell, text: 'Перезвонить после праздников.' }],
};
const pipeline: DemoPipeline = {
  crm: 'odoo',
  stages: ['New', 'Qualified', 'Proposition', 'Won'].map((name) => ({ id: name, name })),
  deals: [fleet, books],
};
const now = new Date('2026-03-01T12:00:00Z');

const parse = (html: string) => new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

function rpcFails(run: () => unknown): RpcError {
  try {
    run();
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error('expected an RpcError');
}

describe('Odoo call_kw', () => {
  const { callKw } = odooRpc(pipeline);
  const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    callKw({ model, method, args, kwargs });

  it('crm.lead read: many2one as [id, name], UTC date-times, false for empty', () => {
    expect(
      call('crm.lead', 'read', [[4100, 4101]], {
        fields: [
          'stage_id',
          'user_id',
          'partner_id',
          'create_date',
          'write_date',
          'expected_revenue',
          'email_from',
          'phone',
        ],
      }),
    ).toEqual([
      {
        id: 4100,
        stage_id: [4, 'Won'],
        user_id: [2, 'Mitchell Admin'],
        partner_id: [300, 'Orbitway Logistics, Jonas Weber'],
        create_date: '2025-06-02 06:00:00',
        write_date: '2025-06-20 15:45:00',
        expected_revenue: 30000,
        email_from: 'jonas@orbitway.example',
        phone: '+7 495 555 07 77',
      },
      {
        id: 4101,
        stage_id: [1, 'New'],
        user_id: [2, 'Mitchell Admin'],
        partner_id: false,
        create_date: '2025-06-22 09:30:00',
        write_date: '2025-06-23 10:00:00',
        expected_revenue: 2000,
        email_from: false,
        phone: false,
      },
    ]);
  });

  it('read refuses an unknown field and answers MissingError for a lead that is not there', () => {
    expect(rpcFails(() => call('crm.lead', 'read', [[4100], ['nope']])).exception).toBe(
      'builtins.ValueError',
    );
    const missing = rpcFails(() => call('crm.lead', 'read', [[4100, 9999]]));
    expect(missing.exception).toBe('odoo.exceptions.MissingError');
    expect(missing.message).toContain('crm.lead(9999,)');
  });

  it('search_read filters by domain, in Odoo order by default, with limit, offset and order', () => {
    const ids = (domain: unknown[], kwargs: Record<string, unknown> = {}) =>
      (call('crm.lead', 'search_read', [domain], { fields: ['name'], ...kwargs }) as { id: number }[]).map(
        (r) => r.id,
      );
    expect(ids([])).toEqual([4101, 4100]);
    expect(ids([], { order: 'id asc' })).toEqual([4100, 4101]);
    expect(ids([], { order: 'id', limit: 1, offset: 1 })).toEqual([4101]);
    expect(ids([['stage_id', '=', 4]])).toEqual([4100]);
    expect(ids([['stage_id', 'in', [1, 2]]])).toEqual([4101]);
    expect(ids([['stage_id.name', '=', 'Won']])).toEqual([4100]);
    expect(ids([['stage_id', '=', 'New']])).toEqual([4101]);
    expect(ids([['partner_id', '=', false]])).toEqual([4101]);
    expect(ids(['!', ['partner_id', '=', false]])).toEqual([4100]);
    expect(ids(['|', ['name', 'ilike', 'FLEET'], ['expected_revenue', '<', 2500]])).toEqual([4101, 4100]);
    expect(
      ids([
        ['name', '=ilike', 'support%'],
        ['type', '=', 'opportunity'],
      ]),
    ).toEqual([4101]);
    expect(rpcFails(() => ids([['name', 'near', 'x']])).message).toContain('Invalid leaf operator');
    expect(rpcFails(() => ids([['colour', '=', 'x']])).message).toContain('Invalid field');
  });

  it('search, search_count, crm.stage and res.partner answer as Odoo does', () => {
    expect(call('crm.lead', 'search', [[['user_id', '=', 2]]], { order: 'id' })).toEqual([4100, 4101]);
    expect(call('crm.lead', 'search_count', [[['stage_id.is_won', '=', true]]])).toBe(1);
    expect(call('crm.stage', 'search_read', [[]], { fields: ['name', 'sequence', 'is_won'] })).toEqual([
      { id: 1, name: 'New', sequence: 1, is_won: false },
      { id: 2, name: 'Qualified', sequence: 2, is_won: false },
      { id: 3, name: 'Proposition', sequence: 3, is_won: false },
      { id: 4, name: 'Won', sequence: 4, is_won: true },
    ]);
    expect(
      call('res.partner', 'read', [[300]], { fields: ['name', 'email', 'phone', 'mobile', 'parent_id'] }),
    ).toEqual([
      {
        id: 300,
        name: 'Jonas Weber',
        email: 'jonas@orbitway.example',
        phone: '+7 495 555 07 77',
        mobile: '+7 916 123 45 67',
        parent_id: [200, 'Orbitway Logistics'],
      },
    ]);
    expect(rpcFails(() => call('crm.lead', 'write', [[4100], { name: 'x' }])).exception).toBe(
      'builtins.AttributeError',
    );
  });
});

describe('Odoo call_kw: tags, UTM, notes and the customer company', () => {
  const { callKw } = odooRpc(pipeline);
  const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    callKw({ model, method, args, kwargs });

  it('a lead reads its tag ids, UTM many2ones and html notes; crm.tag names them; the company partner has its own phone', () => {
    const fields = ['tag_ids', 'source_id', 'medium_id', 'campaign_id', 'description', 'partner_id'];
    expect(call('crm.lead', 'read', [[4100], fields])).toEqual([
      {
        id: 4100,
        tag_ids: [],
        source_id: [1, 'Search engine'],
        medium_id: [1, 'Banner'],
        campaign_id: [1, 'Spring sale'],
        description:
          '<p>Fleet telematics for Orbitway for Orbitway Logistics.</p><p>Call back on Monday.</p>',
        partner_id: [300, 'Orbitway Logistics, Jonas Weber'],
      },
    ]);
    expect(call('crm.lead', 'read', [[4101], ['tag_ids', 'description', 'campaign_id']])).toEqual([
      { id: 4101, tag_ids: [1], description: false, campaign_id: false },
    ]);
    expect(call('crm.tag', 'search_read', [[]], { fields: ['name'] })).toEqual([
      { id: 2, name: 'Export' },
      { id: 3, name: 'Renewal' },
      { id: 1, name: 'VIP' },
    ]);
    expect(call('res.partner', 'read', [[200], ['name', 'is_company', 'phone', 'email']])).toEqual([
      {
        id: 200,
        name: 'Orbitway Logistics',
        is_company: true,
        phone: '+7 495 600 10 30',
        email: 'info1@orbitwaylogistics.example',
      },
    ]);
  });
});

describe('Odoo /mail/thread/messages', () => {
  const { threadMessages } = odooRpc(pipeline);

  it('newest first: stage tracking with the old and new stage, the won subtype, the creation note', () => {
    const answer = threadMessages({ thread_model: 'crm.lead', thread_id: 4100 }) as {
      data: Record<string, Record<string, unknown>[]>;
      messages: number[];
    };
    expect(answer.messages).toEqual([10002, 10001, 10000]);
    expect(
      answer.data['mail.message']?.map((m) => [
        m.id,
        m.date,
        m.subtype_description,
        m.message_type,
        m.trackingValues,
      ]),
    ).toEqual([
      [
        10002,
        '2025-06-20 15:45:00',
        'Opportunity won',
        'notification',
        [
          {
            id: 100020,
            fieldInfo: {
              changedField: 'Stage',
              currencyId: false,
              floatPrecision: null,
              fieldType: 'many2one',
              isPropertyField: false,
            },
            newValue: 'Won',
            oldValue: 'Proposition',
          },
        ],
      ],
      [
        10001,
        '2025-06-09 07:00:00',
        'Stage changed',
        'notification',
        [
          {
            id: 100010,
            fieldInfo: {
              changedField: 'Stage',
              currencyId: false,
              floatPrecision: null,
              fieldType: 'many2one',
              isPropertyField: false,
            },
            newValue: 'Proposition',
            oldValue: 'New',
          },
        ],
      ],
      [10000, '2025-06-02 06:00:00', 'Lead/Opportunity created', 'notification', []],
    ]);
    expect(answer.data['mail.message']?.[0]).toMatchObject({
      author: { id: 3, type: 'partner' },
      model: 'crm.lead',
      res_id: 4100,
    });
    expect(answer.data['res.partner']).toEqual([
      expect.objectContaining({ id: 3, name: 'Mitchell Admin', userId: 2 }),
    ]);
  });

  it('pages with limit and before; a revenue edit is tracked without a subtype; a comment has a body', () => {
    expect(
      (threadMessages({ thread_model: 'crm.lead', thread_id: 4100, limit: 1 }) as { messages: number[] })
        .messages,
    ).toEqual([10002]);
    expect(
      (threadMessages({ thread_model: 'crm.lead', thread_id: 4100, before: 10002 }) as { messages: number[] })
        .messages,
    ).toEqual([10001, 10000]);
    const books = threadMessages({ thread_model: 'crm.lead', thread_id: 4101 }) as {
      data: Record<string, Record<string, unknown>[]>;
    };
    expect(books.data['mail.message']?.[0]).toMatchObject({
      id: 10066,
      message_type: 'comment',
      body: '<p>Перезвонить после праздников.</p>',
      is_discussion: true,
      subtype_description: false,
      trackingValues: [],
    });
    expect(books.data['mail.message']?.[1]).toMatchObject({
      id: 10065,
      message_type: 'notification',
      subtype_description: false,
      trackingValues: [
        expect.objectContaining({
          oldValue: 1500,
          newValue: 2000,
          fieldInfo: expect.objectContaining({ fieldType: 'monetary' }),
        }),
      ],
    });
    expect(threadMessages({ thread_model: 'crm.lead', thread_id: 1 })).toEqual({ data: {}, messages: [] });
  });
});

describe('Odoo views (the pages)', () => {
  it('the board: one column per stage, cards with no record id; the client keeps the ids in card order', () => {
    const view = boardView(pipeline);
    const board = parse(view.html).querySelector('div.o_kanban_renderer.o_kanban_grouped');
    const columns = [...(board?.querySelectorAll('div.o_kanban_group') ?? [])];
    expect(
      columns.map((column) => text(column.querySelector('div.o_column_title > span.text-truncate'))),
    ).toEqual(['New', 'Qualified', 'Proposition', 'Won']);
    const cards = [...(board?.querySelectorAll('article.o_kanban_record') ?? [])];
    expect(cards.map((card) => text(card.querySelector(':scope > span')))).toEqual([
      'Support plan',
      'Fleet telematics for Orbitway',
    ]);
    expect(view.cardIds).toEqual(['4101', '4100']);
    expect(view.html).not.toMatch(/4100|4101|data-res-id|href="\/odoo\/crm\//);
    expect(cards[1]?.querySelector('[name="user_id"] img')?.getAttribute('src')).toBe(
      '/web/image/res.users/2/avatar_128',
    );
    expect(cards.map((card) => [...card.querySelectorAll(':scope > span')].map(text))).toEqual([
      ['Support plan'],
      ['Fleet telematics for Orbitway', 'Orbitway Logistics, Jonas Weber'],
    ]);
  });

  it('the form shows the probability, the tags as badges and the Internal Notes tab open', () => {
    const form = parse(dealView(pipeline, books, now).html);
    expect((form.querySelector('.o_field_widget[name="probability"] input') as HTMLInputElement).value).toBe(
      '15',
    );
    expect([...form.querySelectorAll('.o_field_widget[name="tag_ids"] .o_tag_badge_text')].map(text)).toEqual(
      ['VIP'],
    );
    expect(text(form.querySelector('.o_field_widget[name="description"]'))).toBe('');
    const fleetForm = parse(dealView(pipeline, fleet, now).html);
    expect([...fleetForm.querySelectorAll('.o_field_widget[name="description"] p')].map(text)).toEqual([
      'Fleet telematics for Orbitway for Orbitway Logistics.',
      'Call back on Monday.',
    ]);
  });

  it('the form: the statusbar last stage first with data-value ids, the current one checked, the won ribbon', () => {
    const form = parse(dealView(pipeline, fleet, now).html);
    const buttons = [
      ...form.querySelectorAll(
        '.o_field_widget[name="stage_id"] button.o_arrow_button:not(.dropdown-toggle)',
      ),
    ];
    expect(
      buttons.map((b) => [
        b.getAttribute('data-value'),
        text(b.querySelector('span')),
        b.getAttribute('aria-checked'),
      ]),
    ).toEqual([
      ['4', 'Won', 'true'],
      ['3', 'Proposition', 'false'],
      ['2', 'Qualified', 'false'],
      ['1', 'New', 'false'],
    ]);
    expect(buttons[0]?.classList.contains('o_arrow_button_current')).toBe(true);
    expect(buttons[0]?.getAttribute('aria-current')).toBe('step');
    expect(form.querySelectorAll('.o_statusbar_status button.dropdown-toggle.d-none')).toHaveLength(3);
    expect(
      form.querySelector('div.ribbon.ribbon-top-right > span.text-bg-success')?.getAttribute('title'),
    ).toBe('Won');
    expect(parse(dealView(pipeline, books, now).html).querySelector('div.ribbon')).toBeNull();
    const value = (name: string) =>
      form.querySelector(`.o_field_widget[name="${name}"] input`)?.getAttribute('value');
    expect([
      value('name'),
      value('partner_id'),
      value('email_from'),
      value('phone'),
      value('user_id'),
    ]).toEqual([
      'Fleet telematics for Orbitway',
      'Orbitway Logistics, Jonas Weber',
      'jonas@orbitway.example',
      '+7 495 555 07 77',
      'Mitchell Admin',
    ]);
  });

  it('the chatter, newest first: subtype descriptions, Stage tracking lines, exact times in the date titles', () => {
    const form = parse(dealView(pipeline, fleet, now).html);
    const messages = [...form.querySelectorAll('.o-mail-Thread .o-mail-Message')];
    expect(
      messages.map((m) => [
        text(m.querySelector('.o-mail-Message-content p.mb-0')),
        text(m.querySelector('.o-mail-Message-trackingOld')) ?? null,
        text(m.querySelector('.o-mail-Message-trackingNew')) ?? null,
        text(m.querySelector('.o-mail-Message-trackingField')) ?? null,
        m.querySelector('small.o-mail-Message-date')?.getAttribute('title')?.replace(/\s/g, ' '),
      ]),
    ).toEqual([
      ['Opportunity won', 'Proposition', 'Won', '(Stage)', '6/20/2025, 6:45:00 PM'],
      ['Stage changed', 'New', 'Proposition', '(Stage)', '6/9/2025, 10:00:00 AM'],
      ['Lead/Opportunity created', null, null, null, '6/2/2025, 9:00:00 AM'],
    ]);
    expect(form.querySelector('.o-mail-Message-body')).toBeNull();
    const comment = parse(dealView(pipeline, books, now).html).querySelector('.o-mail-Message');
    expect([
      comment?.getAttribute('aria-label'),
      text(comment?.querySelector('.o-mail-Message-body')),
    ]).toEqual(['Message', 'Перезвонить после праздников.']);
    expect([...form.querySelectorAll('.o-mail-DateSection')].map(text)).toEqual([
      'Jun 20, 2025',
      'Jun 9, 2025',
      'Jun 2, 2025',
    ]);
  });
});
