import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tests/support/crm-fixtures';
import { type ApiReadContext, CrmReadError, type JsonFetch, type JsonRequest } from '../../api-read';
import { odooApiReader } from './api';
import { odooAdapter } from './index';

type Answers = Record<string, unknown>;

function answers(name: string): Answers {
  const path = join(import.meta.dirname, '../../../../tests/fixtures/odoo/api', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

interface Call {
  path: string;
  request: JsonRequest;
}

/** The `params` of a JSON-RPC call a test saw; fails the test when there was no such call. */
function paramsOf(call: Call | undefined): { args: unknown[]; kwargs: { domain?: unknown[] } } {
  if (!call) throw new Error('no such call');
  return (call.request.body as { params: { args: unknown[]; kwargs: { domain?: unknown[] } } }).params;
}

/** Odoo's JSON-RPC routes over the hand-written answers: `call_kw` keyed by `model.method`, other routes by path. */
function odooServer(data: Answers, error?: unknown) {
  const calls: Call[] = [];
  const fetchJson: JsonFetch = async (path, request = {}) => {
    calls.push({ path, request });
    if (error) return { jsonrpc: '2.0', id: null, error };
    const params = (request.body as { params: { model?: string; method?: string } }).params;
    const key = path.startsWith('/web/dataset/call_kw/') ? `${params.model}.${params.method}` : path;
    if (!(key in data)) throw new Error(`unexpected call ${key}`);
    return { jsonrpc: '2.0', id: null, result: data[key] };
  };
  return { fetchJson, calls };
}

function apiContext(context: Omit<ApiReadContext, 'cache'>): ApiReadContext {
  return { ...context, cache: new Map<string, unknown>() };
}

const pairs = [
  ['deal-17-en-history', 'lead-52-v17', '52'],
  ['deal-ru-won', 'lead-77-v18', '77'],
  ['deal-en-lost-no-contact', 'lead-63-v18-lost', '63'],
] as const;

describe('Odoo JSON reader', () => {
  for (const [page, answerFile, id] of pairs) {
    it(`reads lead ${id} (${answerFile}) as its form page ${page} reads it, with its contacts' record ids`, async () => {
      const { document, context } = loadFixture('odoo', page);
      const fromPage = odooAdapter.scrapeDeal(document, context);
      const { fetchJson } = odooServer(answers(answerFile));
      const fromApi = await odooApiReader.readDeal(id, fetchJson, apiContext(context));
      expect(fromApi.problems).toEqual([]);
      // The same deal, and each contact with its res.partner id besides (the form shows none).
      const contacts = fromApi.data?.contacts ?? [];
      expect(contacts.every((contact) => /^\d+$/.test(contact.id ?? ''))).toBe(true);
      const withoutIds = contacts.map((contact) => ({ ...contact, id: null }));
      // The company as the form names it: the endpoints add its partner id, phones and e-mails.
      const company = fromApi.data?.company;
      const named = company ? { company: { id: null, name: company.name } } : {};
      expect(fromApi.data && { ...fromApi.data, contacts: withoutIds, ...named }).toEqual(fromPage.data);
    });
  }

  it('reads the customer company with its own phones and e-mails, the tags by name and the UTM as one source', async () => {
    const { context } = loadFixture('odoo', 'deal-ru-won');
    const { fetchJson, calls } = odooServer(answers('lead-77-v18'));
    const shared = apiContext(context);
    const { data } = await odooApiReader.readDeal('77', fetchJson, shared);
    expect(data?.company).toEqual({
      id: '21',
      name: 'ООО «Ромашка»',
      phones: ['+7 495 123-45-67'],
      emails: ['zakaz@romashka.example'],
    });
    expect(data?.tags).toEqual(['Опт']);
    expect(data?.source).toBe('Поисковая система / Баннер / Весенняя распродажа');
    await odooApiReader.readDeal('77', fetchJson, shared);
    expect(calls.filter((call) => call.path === '/web/dataset/call_kw/crm.tag/search_read')).toHaveLength(1);
  });

  it("takes a person's parent company, read once per export, the person's creation time, and an html description as its lines", async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const data = answers('lead-52-v17');
    const lead = (data['crm.lead.read'] as Record<string, unknown>[])[0] ?? {};
    lead.description = '<p>Needs <b>20</b> seats &amp; a demo.</p><p>Call Hank<br>after lunch</p>';
    const parentReads: unknown[] = [];
    const server = odooServer(data);
    const fetchJson: JsonFetch = async (path, request) => {
      if (path !== '/web/dataset/call_kw/res.partner/read') return server.fetchJson(path, request);
      const [ids] = paramsOf({ path, request: request ?? {} }).args as [number[]];
      const person = {
        id: 9,
        name: 'Hank Scorpio',
        phone: '+1 555-0142',
        email: 'hank@globex.example',
        create_date: '2024-03-01 08:30:00',
      };
      const company = {
        id: 4,
        name: 'Globex Corporation',
        phone: '+1 555-0100',
        email: 'info@globex.example',
      };
      if (ids[0] === 4) parentReads.push(ids);
      const row =
        ids[0] === 4
          ? { ...company, is_company: true, parent_id: false }
          : { ...person, parent_id: [4, 'Globex Corporation'] };
      return { jsonrpc: '2.0', id: null, result: [row] };
    };
    const shared = apiContext(context);
    const first = await odooApiReader.readDeal('52', fetchJson, shared);
    await odooApiReader.readDeal('52', fetchJson, shared);
    expect(first.data?.company).toEqual({
      id: '4',
      name: 'Globex Corporation',
      phones: ['+1 555-0100'],
      emails: ['info@globex.example'],
    });
    expect(first.data?.contacts[0]?.phones).not.toContain('+1 555-0100');
    // The contact's own creation time, which CoMagic ties calls by.
    expect(first.data?.contacts[0]?.createdAt).toBe('2024-03-01T08:30:00.000Z');
    expect(first.data?.description).toBe('Needs 20 seats & a demo.\nCall Hank\nafter lunch');
    expect(parentReads).toHaveLength(1);
  });

  it.each([
    ['https://acme.odoo.com/odoo/crm', 'https://acme.odoo.com/odoo/crm/52'],
    ['https://acme.odoo.com/odoo/action-209', 'https://acme.odoo.com/odoo/crm/52'],
    [
      'https://erp.example.com/web#action=209&model=crm.lead&view_type=kanban',
      'https://erp.example.com/web#id=52&model=crm.lead&view_type=form',
    ],
  ])('read from the board %s, gives the lead its own address %s', async (boardUrl, leadUrl) => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const { fetchJson } = odooServer(answers('lead-52-v17'));
    const { data } = await odooApiReader.readDeal('52', fetchJson, apiContext({ ...context, url: boardUrl }));
    expect(data?.url).toBe(leadUrl);
  });

  it('names the lost stage in the language of the page it reads from', async () => {
    const { context } = loadFixture('odoo', 'deal-en-lost-no-contact');
    const { fetchJson } = odooServer(answers('lead-63-v18-lost'));
    const window = { document: new DOMParser().parseFromString('<html lang="ru-RU"></html>', 'text/html') };
    const shared = { ...apiContext({ ...context, locale: null }), window: window as unknown as Window };
    const { data } = await odooApiReader.readDeal('63', fetchJson, shared);
    expect(data?.stage).toEqual({ id: 'odoo:lost', name: 'Проиграно', outcome: 'lost' });
  });

  it('calls call_kw with a JSON-RPC 2.0 POST naming model, method, args and kwargs', async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const { fetchJson, calls } = odooServer(answers('lead-52-v17'));
    await odooApiReader.readDeal('52', fetchJson, apiContext(context));
    const read = calls.find((call) => call.path === '/web/dataset/call_kw/crm.lead/read');
    expect(read?.request.method).toBe('POST');
    expect(read?.request.body).toMatchObject({
      jsonrpc: '2.0',
      method: 'call',
      params: { model: 'crm.lead', method: 'read', kwargs: {} },
    });
    const args = paramsOf(read).args;
    expect(args[0]).toEqual([52]);
    expect(args[1]).toEqual(expect.arrayContaining(['stage_id', 'user_id', 'partner_id', 'create_date']));
    const messages = calls.find((call) => call.path === '/mail/thread/messages');
    expect(messages?.request.body).toMatchObject({
      params: { thread_id: 52, thread_model: 'crm.lead', limit: 100 },
    });
  });

  it('asks for the stages once per export', async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const { fetchJson, calls } = odooServer(answers('lead-52-v17'));
    const shared = apiContext(context);
    await odooApiReader.readDeal('52', fetchJson, shared);
    await odooApiReader.readDeal('52', fetchJson, shared);
    const count = (path: string) => calls.filter((call) => call.path === path).length;
    expect(count('/web/dataset/call_kw/crm.stage/search_read')).toBe(1);
    expect(count('/web/dataset/call_kw/crm.lead/read')).toBe(2);
  });

  it('adds the partner mobile where res.partner has one', async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const data = answers('lead-52-v17');
    data['res.partner.read'] = [
      { id: 9, name: 'Globex Corporation', phone: '+1 555-0142', mobile: '+1 555-0199' },
    ];
    const { data: deal } = await odooApiReader.readDeal(
      '52',
      odooServer(data).fetchJson,
      apiContext(context),
    );
    expect(deal?.contacts[0]?.phones).toEqual(['+1 555-0142', '+1 555-0199']);
  });

  it('reads the partner again without mobile where res.partner has none (19.0), once per export', async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const server = odooServer(answers('lead-52-v17'));
    const partnerReads: unknown[] = [];
    const fetchJson: JsonFetch = async (path, request) => {
      if (path !== '/web/dataset/call_kw/res.partner/read') return server.fetchJson(path, request);
      const fields = paramsOf({ path, request: request ?? {} }).args[1] as string[];
      partnerReads.push(fields);
      if (!fields.includes('mobile')) return server.fetchJson(path, request);
      return {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: { name: 'builtins.ValueError', message: "Invalid field 'mobile' on model 'res.partner'" },
        },
      };
    };
    const shared = apiContext(context);
    const first = await odooApiReader.readDeal('52', fetchJson, shared);
    await odooApiReader.readDeal('52', fetchJson, shared);
    expect(first.data?.contacts[0]?.phones).toEqual(['+1 555-0142']);
    const fields = ['name', 'phone', 'email', 'is_company', 'parent_id', 'create_date'];
    expect(partnerReads).toEqual([[...fields, 'mobile'], fields, fields]);
  });

  it('reads tracking values nested under fieldInfo, with bare values', async () => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const data = answers('lead-52-v17');
    data['/mail/thread/messages'] = {
      data: {
        'mail.message': [
          {
            id: 297,
            date: '2024-05-02 15:45:30',
            trackingValues: [
              {
                id: 1,
                fieldInfo: { changedField: 'Stage', fieldType: 'many2one' },
                newValue: 'Qualified',
                oldValue: 'New',
              },
              { id: 2, fieldInfo: { changedField: 'Salesperson' }, newValue: 'Mitchell Admin', oldValue: '' },
            ],
          },
        ],
      },
      messages: [297],
    };
    const { data: deal } = await odooApiReader.readDeal(
      '52',
      odooServer(data).fetchJson,
      apiContext(context),
    );
    expect(deal?.history.map((visit) => [visit.stage.id, visit.enteredAt])).toEqual([
      ['New', '2024-05-02T11:02:17.000Z'],
      ['Qualified', '2024-05-02T15:45:30.000Z'],
    ]);
  });

  it.each([
    [
      { code: 100, message: 'Odoo Session Expired', data: { name: 'odoo.http.SessionExpiredException' } },
      'auth',
    ],
    [
      { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.MissingError' } },
      'not_found',
    ],
    [{ code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessError' } }, 'refused'],
  ])('surfaces a JSON-RPC error %j as CrmReadError %s', async (error, failure) => {
    const { context } = loadFixture('odoo', 'deal-17-en-history');
    const read = odooApiReader.readDeal('52', odooServer({}, error).fetchJson, apiContext(context));
    await expect(read).rejects.toBeInstanceOf(CrmReadError);
    await expect(read).rejects.toMatchObject({ failure });
  });
});

describe('Odoo card ids', () => {
  const { document, context } = loadFixture('odoo', 'board-ru');
  const board = odooAdapter.scrapeBoard(document, context).data;
  if (!board) throw new Error('board-ru not read');

  it('finds each card by name, stage and customer in one search_read; unmatched and ambiguous cards get null', async () => {
    const rows = [
      {
        id: 77,
        name: 'Поставка кресел',
        stage_id: [1, 'Новая'],
        partner_id: [21, 'ООО «Ромашка»'],
        contact_name: false,
      },
      {
        id: 78,
        name: 'Поставка кресел',
        stage_id: [1, 'Новая'],
        partner_id: [22, 'ИП Козлов'],
        contact_name: false,
      },
      // The 18.0 card shows the lead's contact name where there is no partner.
      {
        id: 80,
        name: 'Облачное резервное копирование',
        stage_id: [1, 'Новая'],
        partner_id: false,
        contact_name: 'Иван Петров',
      },
      {
        id: 91,
        name: 'Обучение персонала',
        stage_id: [3, 'Предложение'],
        partner_id: false,
        contact_name: false,
      },
      {
        id: 92,
        name: 'Обучение персонала',
        stage_id: [3, 'Предложение'],
        partner_id: false,
        contact_name: false,
      },
    ];
    const { fetchJson, calls } = odooServer({ 'crm.lead.search_read': rows });
    const ids = await odooApiReader.cardIds?.(board, fetchJson, { ...context, cache: new Map() });
    expect(ids).toEqual(['77', '80', null]);
    expect(calls).toHaveLength(1);
    const kwargs = paramsOf(calls[0]).kwargs;
    expect(kwargs.domain).toEqual([
      ['type', '=', 'opportunity'],
      ['name', 'in', ['Поставка кресел', 'Облачное резервное копирование', 'Обучение персонала']],
      ['stage_id.name', 'in', ['Новая', 'Предложение', 'Выиграно']],
    ]);
  });

  it('takes the one lead of a card’s name and stage, whatever customer the card shows', async () => {
    // The card shows a company name where the lead holds no partner: still the only lead it can be.
    const rows = [
      { id: 77, name: 'Поставка кресел', stage_id: [1, 'Новая'], partner_id: false, contact_name: false },
      {
        id: 80,
        name: 'Облачное резервное копирование',
        stage_id: [1, 'Новая'],
        partner_id: false,
        contact_name: false,
      },
    ];
    const { fetchJson } = odooServer({ 'crm.lead.search_read': rows });
    const ids = await odooApiReader.cardIds?.(board, fetchJson, { ...context, cache: new Map() });
    expect(ids?.slice(0, 2)).toEqual(['77', '80']);
  });

  it('gives null to a card no lead fits', async () => {
    const { fetchJson } = odooServer({ 'crm.lead.search_read': [] });
    const ids = await odooApiReader.cardIds?.(board, fetchJson, { ...context, cache: new Map() });
    expect(ids).toEqual([null, null, null]);
  });
});

describe('Odoo stage ids of one pipeline', () => {
  it('are the same on its board and on a deal page', () => {
    const boardPage = loadFixture('odoo', 'board-ru');
    const dealPage = loadFixture('odoo', 'deal-ru-won');
    const board = odooAdapter.scrapeBoard(boardPage.document, boardPage.context).data;
    const deal = odooAdapter.scrapeDeal(dealPage.document, dealPage.context).data;
    const onDeal = new Map(deal?.history.map((visit) => [visit.stage.name, visit.stage.id]));
    const shared = board?.stages.filter((stage) => onDeal.has(stage.name)) ?? [];
    expect(shared.map((stage) => stage.name)).toEqual(['Новая', 'Предложение', 'Выиграно']);
    for (const stage of shared) expect(onDeal.get(stage.name)).toBe(stage.id);
  });
});
