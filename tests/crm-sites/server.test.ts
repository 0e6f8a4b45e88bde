// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoPipeline } from '../../demo/data';
import { parseFaults, type RunningCrm, startCrm } from './server';

const espoPipeline = demoPipeline('espocrm');
const odooPipeline = demoPipeline('odoo');
let espo: RunningCrm;
let odoo: RunningCrm;

beforeAll(async () => {
  espo = await startCrm(espoPipeline);
  odoo = await startCrm(odooPipeline);
});
afterAll(async () => {
  await espo.close();
  await odoo.close();
});

const control = (crm: RunningCrm, method: string, path: string, body?: unknown) =>
  fetch(`${crm.origin}/__crm/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeEach(async () => {
  for (const crm of [espo, odoo]) {
    await control(crm, 'DELETE', 'faults');
    await control(crm, 'DELETE', 'stats');
  }
});

/** What a browser holds after loading EspoCRM's page: its cookies and the auth string in localStorage. */
async function espoLogin(): Promise<{ cookie: string; auth: string }> {
  const response = await fetch(`${espo.origin}/`);
  const secret = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const html = await response.text();
  const token = /auth-token=(\w+)/.exec(html)?.[1] ?? '';
  const auth = /'espo-user-auth', '([^']+)'/.exec(html)?.[1] ?? '';
  return { cookie: `${secret}; auth-token=${token}`, auth };
}

async function odooLogin(): Promise<string> {
  const response = await fetch(`${odoo.origin}/odoo/crm`);
  return response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
}

const espoGet = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${espo.origin}/api/v1/${path}`, { headers: { 'X-Requested-With': 'XMLHttpRequest', ...headers } });

let rpcId = 0;
async function rpc(cookie: string, path: string, params: Record<string, unknown>) {
  const response = await fetch(`${odoo.origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', cookie },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: ++rpcId }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}
const callKw = (cookie: string, model: string, method: string, args: unknown[], kwargs = {}) =>
  rpc(cookie, `/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });

const stats = async (crm: RunningCrm) => (await control(crm, 'GET', 'stats')).json();

describe('EspoCRM demo over HTTP', () => {
  const deal = espoPipeline.deals.find((d) => d.contacts.length === 2) ?? espoPipeline.deals[0]!;

  it('serves one shell at / with hash routes only, and hands the session over as EspoCRM does', async () => {
    expect(espo.boardUrl).toBe(`${espo.origin}/#Opportunity`);
    expect(espo.dealUrl(deal.id)).toBe(`${espo.origin}/#Opportunity/view/${deal.id}`);
    const response = await fetch(`${espo.origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^auth-token-secret=\w+; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);
    const html = await response.text();
    expect(html).toContain('<div id="main"></div>');
    expect(html).toMatch(/document\.cookie = 'auth-token=\w+; SameSite=Lax; path=\/'/);
    expect(html).not.toContain('list-kanban');
    const noPage = await fetch(`${espo.origin}/opportunity/${deal.id}`);
    expect([noPage.status, noPage.headers.getSetCookie()]).toEqual([404, []]);
  });

  it('renders the route a hash names, as the shell script asks for it', async () => {
    const board = await (await control(espo, 'GET', 'view?route=Opportunity')).json();
    expect(board.html.match(/<div class="item" data-id=/g)).toHaveLength(espoPipeline.deals.length);
    const page = await (
      await control(espo, 'GET', `view?route=${encodeURIComponent(`Opportunity/view/${deal.id}`)}`)
    ).json();
    expect(page.title).toBe(deal.name);
    expect(page.html).toContain('div class="detail" id="opportunity-detail" data-scope="Opportunity"');
    expect((await control(espo, 'GET', 'view?route=Opportunity%2Fview%2Fnope')).status).toBe(404);
  });

  it('answers 401 without a session: a browser dialog only for a plain GET', async () => {
    const plain = await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}`);
    expect([plain.status, plain.headers.get('www-authenticate'), await plain.text()]).toEqual([
      401,
      'Basic realm=""',
      '',
    ]);
    const xhr = await espoGet(`Opportunity/${deal.id}`);
    expect([xhr.status, xhr.headers.get('www-authenticate')]).toEqual([401, null]);
  });

  it('takes the auth-token cookie, or Espo-Authorization, with the token secret cookie', async () => {
    const { cookie, auth } = await espoLogin();
    const secret = cookie.split('; ')[0] ?? '';
    expect((await espoGet(`Opportunity/${deal.id}`, { cookie })).status).toBe(200);
    const byHeader = { cookie: secret, 'Espo-Authorization': auth, 'Espo-Authorization-By-Token': 'true' };
    expect((await espoGet(`Opportunity/${deal.id}`, byHeader)).status).toBe(200);
    expect((await espoGet(`Opportunity/${deal.id}`, { 'Espo-Authorization': auth })).status).toBe(401);
    expect(
      (await espoGet(`Opportunity/${deal.id}`, { cookie: cookie.replace(/secret=\w+/, 'secret=0') })).status,
    ).toBe(401);
  });

  it('the record, its stream (newest first, paged) and its contacts', async () => {
    const { cookie } = await espoLogin();
    const record = await (await espoGet(`Opportunity/${deal.id}`, { cookie })).json();
    expect(record).toMatchObject({
      id: deal.id,
      stage: deal.stageId,
      assignedUserName: deal.owner.name,
      contactsIds: deal.contacts.map((c) => c.id),
      createdAt: deal.history[0]?.at.toISOString().slice(0, 19).replace('T', ' '),
    });
    const stream = await (
      await espoGet(`Opportunity/${deal.id}/stream?maxSize=2&offset=0`, { cookie })
    ).json();
    const notes = deal.history.length + deal.amountChanges.length + deal.comments.length;
    expect([stream.total, stream.list.length, stream.pinnedList]).toEqual([notes, Math.min(2, notes), []]);
    const all = await (await espoGet(`Opportunity/${deal.id}/stream?maxSize=200`, { cookie })).json();
    const numbers = all.list.map((note: { number: number }) => note.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(all.list.at(-1)).toMatchObject({
      type: 'Create',
      data: { statusValue: deal.history[0]?.stageId, statusField: 'stage' },
    });
    const entered = all.list
      .filter((note: { data: { value?: string } }) => note.data.value)
      .map((note: { data: { value: string } }) => note.data.value);
    expect(entered.reverse()).toEqual(deal.history.slice(1).map((visit) => visit.stageId));
    expect((await espoGet(`Opportunity/${deal.id}/stream?maxSize=201`, { cookie })).status).toBe(403);
    const contacts = await (
      await espoGet(`Opportunity/${deal.id}/contacts?select=name,phoneNumber,emailAddress`, { cookie })
    ).json();
    expect(contacts).toEqual({
      total: deal.contacts.length,
      list: deal.contacts.map((c) => ({
        id: c.id,
        name: c.name,
        phoneNumber: `+${c.phones[0]}`,
        emailAddress: c.emails[0],
      })),
    });
  });

  it('404 for an unknown record, 403 for a write other than an opportunity’s update', async () => {
    const { cookie } = await espoLogin();
    expect((await espoGet('Opportunity/nope', { cookie })).status).toBe(404);
    const post = await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}/stream`, {
      method: 'POST',
      headers: { cookie },
      body: '{}',
    });
    expect(post.status).toBe(403);
  });
});

describe('Odoo demo over HTTP', () => {
  const lead = odooPipeline.deals.find((d) => d.contacts.length === 1) ?? odooPipeline.deals[0]!;

  it('serves the web client at /odoo/crm and /odoo/crm/<id>, with an HttpOnly session_id cookie', async () => {
    expect(odoo.boardUrl).toBe(`${odoo.origin}/odoo/crm`);
    expect(odoo.dealUrl(lead.id)).toBe(`${odoo.origin}/odoo/crm/${lead.id}`);
    const response = await fetch(odoo.dealUrl(lead.id));
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^session_id=\w+; Max-Age=\d+; HttpOnly; Path=\/; SameSite=Lax$/),
    ]);
    expect(await response.text()).toContain('<div class="o_action_manager"></div>');
    const view = await (
      await control(odoo, 'GET', `view?route=${encodeURIComponent(`/odoo/crm/${lead.id}`)}`)
    ).json();
    expect(view.html).toContain(`value="${lead.name}"`);
    expect((await fetch(`${odoo.origin}/odoo/crm/nope`)).status).toBe(404);
  });

  it('answers the JSON-RPC SessionExpiredException (HTTP 200) without a session', async () => {
    const { status, body } = await callKw('session_id=forged', 'crm.lead', 'read', [[Number(lead.id)]]);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      jsonrpc: '2.0',
      id: rpcId,
      error: {
        code: 100,
        message: 'Odoo Session Expired',
        data: { name: 'odoo.http.SessionExpiredException' },
      },
    });
  });

  it('reads leads, partners, stages and the chatter with the session', async () => {
    const cookie = await odooLogin();
    const read = await callKw(cookie, 'crm.lead', 'read', [
      [Number(lead.id)],
      ['stage_id', 'partner_id', 'user_id'],
    ]);
    expect(read.body.result).toEqual([
      {
        id: Number(lead.id),
        stage_id: [odooPipeline.stages.findIndex((s) => s.id === lead.stageId) + 1, lead.stageId],
        partner_id: [Number(lead.contacts[0]?.id), `${lead.company}, ${lead.contacts[0]?.name}`],
        user_id: [Number(lead.owner.id), lead.owner.name],
      },
    ]);
    const stages = await callKw(cookie, 'crm.stage', 'search_read', [[]], { fields: ['name'] });
    expect((stages.body.result as { name: string }[]).map((s) => s.name)).toEqual([
      'New',
      'Qualified',
      'Proposition',
      'Won',
    ]);
    const thread = await rpc(cookie, '/mail/thread/messages', {
      thread_model: 'crm.lead',
      thread_id: Number(lead.id),
      limit: 30,
    });
    const result = thread.body.result as { messages: number[]; data: { 'mail.message': unknown[] } };
    expect(result.messages).toHaveLength(
      lead.history.length + lead.amountChanges.length + lead.comments.length,
    );
    const missing = await callKw(cookie, 'crm.lead', 'read', [[1]]);
    expect(missing.body).toMatchObject({
      error: { code: 200, data: { name: 'odoo.exceptions.MissingError' } },
    });
  });
});

describe('faults and counters', () => {
  it('counts every API read by path and route, and the most requests at once under latency', async () => {
    const { cookie } = await espoLogin();
    await control(espo, 'POST', 'faults', { latencyMs: 150 });
    const ids = espoPipeline.deals.slice(0, 4).map((d) => d.id);
    const answers = await Promise.all(ids.map((id) => espoGet(`Opportunity/${id}/stream`, { cookie })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await espoGet(`Opportunity/${ids[0]}`);
    const counted = await stats(espo);
    expect(counted).toMatchObject({ reads: 5, maxConcurrent: 4, inFlight: 0, unauthorized: 1, failed: 0 });
    expect(counted.byRoute).toEqual({
      'GET /api/v1/Opportunity/{id}/stream': 4,
      'GET /api/v1/Opportunity/{id}': 1,
    });
    expect(counted.byPath[`/api/v1/Opportunity/${ids[1]}/stream`]).toBe(1);
    await control(espo, 'DELETE', 'stats');
    expect(await stats(espo)).toMatchObject({ reads: 0, maxConcurrent: 0, byPath: {} });
  });

  it('fails every read of the deals in failIds with their status, the others answer', async () => {
    const { cookie } = await espoLogin();
    const [bad, good] = espoPipeline.deals;
    await control(espo, 'POST', 'faults', { failIds: { [bad!.id]: 503 } });
    expect((await espoGet(`Opportunity/${bad!.id}/contacts`, { cookie })).status).toBe(503);
    expect((await espoGet(`Opportunity/${good!.id}/contacts`, { cookie })).status).toBe(200);
    const session = await odooLogin();
    const [lost] = odooPipeline.deals;
    await control(odoo, 'POST', 'faults', { failIds: { [lost!.id]: 404, [odooPipeline.deals[1]!.id]: 502 } });
    const missing = await rpc(session, '/mail/thread/messages', {
      thread_model: 'crm.lead',
      thread_id: Number(lost!.id),
    });
    expect(missing.body).toMatchObject({ error: { data: { name: 'odoo.exceptions.MissingError' } } });
    const proxy = await callKw(session, 'crm.lead', 'read', [[Number(odooPipeline.deals[1]!.id)]]);
    expect(proxy).toEqual({ status: 502, body: null });
    expect((await stats(odoo)).failed).toBe(2);
  });

  it('fails the next N requests with failNext, then answers again', async () => {
    const { cookie } = await espoLogin();
    const id = espoPipeline.deals[0]!.id;
    await control(espo, 'POST', 'faults', { failNext: { count: 2, status: 429 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await espoGet(`Opportunity/${id}`, { cookie })).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('ends every session after expireSessionAfter reads; a page load starts a new one', async () => {
    const cookie = await odooLogin();
    await control(odoo, 'POST', 'faults', { expireSessionAfter: 2 });
    const errors = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await callKw(cookie, 'crm.stage', 'search_read', [[]], { fields: ['name'] });
      errors.push((body.error as { message?: string } | undefined)?.message ?? null);
    }
    expect(errors).toEqual([null, null, 'Odoo Session Expired']);
    const fresh = await odooLogin();
    expect(fresh).not.toBe(cookie);
    expect((await callKw(fresh, 'crm.stage', 'search_read', [[]])).body.result).toHaveLength(4);
    await control(odoo, 'POST', 'sessions/expire');
    expect((await callKw(fresh, 'crm.stage', 'search_read', [[]])).body.error).toBeDefined();
  });

  it('refuses a fault it cannot read', async () => {
    const refused = await control(espo, 'POST', 'faults', { failIds: { x: 200 } });
    expect([refused.status, (await refused.json()).error]).toEqual([
      400,
      'failIds.x must be an HTTP error status (400-599)',
    ]);
    expect(parseFaults({ latencyMs: -1 })).toBe('latencyMs must be a whole number of milliseconds');
    expect(parseFaults({ hang: true })).toBe('unknown fields: hang');
    expect(parseFaults({ latencyMs: 5, expireSessionAfter: 0 })).toEqual({
      latencyMs: 5,
      failIds: {},
      failNext: null,
      expireSessionAfter: 0,
      loggedOut: false,
    });
    expect(parseFaults({ loggedOut: 'yes' })).toBe('loggedOut must be true or false');
  });
});
