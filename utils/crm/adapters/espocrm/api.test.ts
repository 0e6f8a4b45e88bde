import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePage, fixtureSnapshot } from '../../../../tests/support/crm-fixtures';
import { type ApiReadContext, CrmReadError, type JsonFetch, type JsonRequest } from '../../api-read';
import type { CrmDeal } from '../../model';
import { espocrmApiReader } from './api';
import { espocrmAdapter } from './index';

const API_FIXTURES = join(import.meta.dirname, '../../../../tests/fixtures/espocrm/api');
const HISTORY_ID = '66a1f0c2b3d4e5f64';
const RU_ID = '77b2e1d3c4f5a6072';
const RU_URL = `https://espo.example.ru/crm/#Opportunity/view/${RU_ID}`;

function routes(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(API_FIXTURES, `${name}.json`), 'utf8')).routes;
}

interface Call {
  path: string;
  request?: JsonRequest;
}

/** Answers from a fixture's routes; any other path is a 404, as EspoCRM gives for an unknown record. */
function stubFetch(answers: Record<string, unknown>): { fetchJson: JsonFetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchJson: JsonFetch = async (path, request) => {
    calls.push({ path, request });
    if (!(path in answers)) throw new CrmReadError('not_found', 404, path);
    return structuredClone(answers[path]);
  };
  return { fetchJson, calls };
}

function apiContext(page: string, overrides: Partial<ApiReadContext> = {}): ApiReadContext {
  return { ...fixtureSnapshot('espocrm', page).context, cache: new Map(), ...overrides };
}

function pageReading(page: string): CrmDeal {
  const data = espocrmAdapter.scrapeDeal(
    fixturePage('espocrm', page),
    fixtureSnapshot('espocrm', page).context,
  ).data;
  if (!data) throw new Error(`${page} did not read`);
  return data;
}

const toMinute = (instant: string | null) => (instant === null ? null : `${instant.slice(0, 16)}:00.000Z`);

/**
 * A deal with its times to the minute: the page shows minutes (EspoCRM's titles and side panel), the
 * API seconds. The API also gives each contact's creation time and the account's phones and e-mails,
 * which the deal page never shows.
 */
function asThePageShows(deal: CrmDeal): CrmDeal {
  return {
    ...deal,
    createdAt: toMinute(deal.createdAt),
    modifiedAt: toMinute(deal.modifiedAt),
    closedAt: toMinute(deal.closedAt),
    contacts: deal.contacts.map((contact) => ({ ...contact, createdAt: null })),
    // The Opportunity page names the account; its phones and e-mails are on the account's own page.
    ...(deal.company ? { company: { id: deal.company.id, name: deal.company.name } } : {}),
    history: deal.history.map((visit) => ({ ...visit, enteredAt: toMinute(visit.enteredAt) ?? '' })),
  };
}

/** A page `window` whose localStorage holds what EspoCRM's web client keeps there. */
function pageWindow(storage: Record<string, string>, lang = 'en'): Window {
  const document = new DOMParser().parseFromString(`<html lang="${lang}"><body></body></html>`, 'text/html');
  return { document, localStorage: { getItem: (key: string) => storage[key] ?? null } } as unknown as Window;
}

describe('EspoCRM API reader', () => {
  it('reads deal-history-en as its page reads it, with exact times', async () => {
    const { fetchJson } = stubFetch(routes('deal-history-en'));
    const result = await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, apiContext('deal-history-en'));
    expect(result.problems).toEqual([]);
    if (!result.data) throw new Error('no data');
    expect(asThePageShows(result.data)).toEqual(pageReading('deal-history-en'));
    expect(result.data.createdAt).toBe('2026-03-02T08:15:12.000Z');
    expect(result.data.history.map((visit) => [visit.stage.id, visit.enteredAt, visit.estimated])).toEqual([
      ['Prospecting', '2026-03-02T08:15:12.000Z', false],
      ['Qualification', '2026-03-02T08:40:07.000Z', false],
      ['Proposal', '2026-03-04T15:45:19.000Z', false],
      ['Negotiation', '2026-03-05T09:15:03.000Z', false],
    ]);
    expect(result.data.contacts.map((contact) => contact.createdAt)).toEqual([
      '2026-02-11T13:02:44.000Z',
      '2026-02-20T10:31:00.000Z',
    ]);
    expect(result.data.company).toEqual({
      id: 'acc004',
      name: 'Orbitway Logistics',
      phones: ['+49 30 5550 1200', '+49 30 5550 1299'],
      emails: ['office@orbitway.example'],
    });
  });

  it('sends the account by name alone when the user may not read it, and reads each account once per export', async () => {
    const answers = routes('deal-history-en');
    delete answers['/api/v1/Account/acc004'];
    const { fetchJson, calls } = stubFetch(answers);
    const context = apiContext('deal-history-en');
    const first = await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, context);
    expect(first.data?.company).toEqual({ id: 'acc004', name: 'Orbitway Logistics' });
    expect(first.problems).toEqual([
      {
        code: 'field_missing',
        field: 'deal.company.phones',
        detail: '/api/v1/Account/acc004',
        severity: 'warning',
      },
    ]);
    await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, context);
    expect(calls.filter((call) => call.path.includes('/Account/'))).toHaveLength(1);
  });

  it('reads deal-ru under a sub-path as its page reads it, with every phone the contact has', async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-ru'));
    const result = await espocrmApiReader.readDeal(RU_ID, fetchJson, apiContext('deal-ru', { url: RU_URL }));
    expect(result.problems).toEqual([]);
    if (!result.data) throw new Error('no data');
    expect(calls.map((call) => call.path)).toEqual([
      `/crm/api/v1/Opportunity/${RU_ID}`,
      `/crm/api/v1/Opportunity/${RU_ID}/stream?maxSize=200&offset=0`,
      `/crm/api/v1/Opportunity/${RU_ID}/contacts?maxSize=200&offset=0`,
      '/crm/api/v1/Account/acc102',
    ]);
    expect(result.data.url).toBe(RU_URL);
    // The page's Contacts panel (Contact's default listSmall) shows the e-mail only.
    const page = pageReading('deal-ru');
    const [pagePerson] = page.contacts;
    expect(asThePageShows(result.data)).toEqual({
      ...page,
      url: RU_URL,
      contacts: [{ ...pagePerson, phones: ['+7 (912) 555-01-23', '+7 (495) 555-44-10'] }],
    });
    expect(result.data.stage).toEqual({ id: 'Negotiation', name: 'Согласование', outcome: 'in_progress' });
  });

  it('pages the stream by maxSize and offset until its total is read', async () => {
    const answers = routes('deal-history-en');
    const streamPath = `/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=0`;
    const whole = answers[streamPath] as { total: number; list: unknown[] };
    // A server whose recordListMaxSizeLimit is 3 answers at most 3 notes, whatever maxSize asks.
    for (const offset of [0, 3, 6]) {
      answers[`/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=${offset}`] = {
        total: whole.total,
        list: whole.list.slice(offset, offset + 3),
        pinnedList: [],
      };
    }
    const { fetchJson, calls } = stubFetch(answers);
    const paged = await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, apiContext('deal-history-en'));
    const unpaged = await espocrmApiReader.readDeal(
      HISTORY_ID,
      stubFetch(routes('deal-history-en')).fetchJson,
      apiContext('deal-history-en'),
    );
    expect(calls.filter((call) => call.path.includes('/stream?')).map((call) => call.path)).toEqual([
      `/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=0`,
      `/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=3`,
      `/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=6`,
    ]);
    expect(paged.data?.history).toEqual(unpaged.data?.history);
  });

  it('pages an uncounted list (total -1 "has more") until a page says -2 "has no more"', async () => {
    const answers = routes('deal-history-en');
    const path = (offset: number) => `/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=${offset}`;
    const whole = answers[path(0)] as { list: unknown[] };
    answers[path(0)] = { total: -1, list: whole.list.slice(0, 4) };
    answers[path(4)] = { total: -2, list: whole.list.slice(4) };
    const { fetchJson, calls } = stubFetch(answers);
    const { data } = await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, apiContext('deal-history-en'));
    expect(calls.filter((call) => call.path.includes('/stream?')).map((call) => call.path)).toEqual([
      path(0),
      path(4),
    ]);
    expect(data?.history.map((visit) => visit.stage.id)).toEqual([
      'Prospecting',
      'Qualification',
      'Proposal',
      'Negotiation',
    ]);
  });

  it('reads a legacy Status note (EspoCRM 9.1 and older) as the stage it entered', async () => {
    const answers = routes('deal-history-en');
    const stream = answers[`/api/v1/Opportunity/${HISTORY_ID}/stream?maxSize=200&offset=0`] as {
      list: Record<string, unknown>[];
    };
    const proposal = stream.list.find((note) => note.id === 'n3');
    if (!proposal) throw new Error('fixture lacks n3');
    Object.assign(proposal, {
      type: 'Status',
      data: { field: 'stage', value: 'Proposal', style: 'primary' },
    });
    const { data } = await espocrmApiReader.readDeal(
      HISTORY_ID,
      stubFetch(answers).fetchJson,
      apiContext('deal-history-en'),
    );
    expect(data?.history[2]).toEqual({
      stage: { id: 'Proposal', name: 'Proposal', outcome: 'in_progress' },
      enteredAt: '2026-03-04T15:45:19.000Z',
      source: 'timeline',
      estimated: false,
    });
  });

  it("sends the web client's auth headers from the page's localStorage, and only GETs", async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-history-en'));
    const window = pageWindow({ 'espo-user-auth': 'YW5uYTp0b2tlbjEyMw==', 'espo-user-anotherUser': 'tom' });
    await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, apiContext('deal-history-en', { window }));
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.request).toEqual({
        method: 'GET',
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          Authorization: 'Basic YW5uYTp0b2tlbjEyMw==',
          'Espo-Authorization': 'YW5uYTp0b2tlbjEyMw==',
          'Espo-Authorization-By-Token': 'true',
          // An admin signed in as another user: the web client reads as that user, so does the reader.
          'X-Another-User': 'tom',
        },
      });
    }
  });

  it('without an auth string in the page sends X-Requested-With only (the auth-token cookie signs in)', async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-history-en'));
    await espocrmApiReader.readDeal(
      HISTORY_ID,
      fetchJson,
      apiContext('deal-history-en', { window: pageWindow({}) }),
    );
    expect(calls.map((call) => call.request?.headers)).toEqual(
      Array(4).fill({ 'X-Requested-With': 'XMLHttpRequest' }),
    );
  });

  it("names default stages in the page's language and keeps a custom stage's value", async () => {
    const answers = routes('deal-history-en');
    const record = answers[`/api/v1/Opportunity/${HISTORY_ID}`] as Record<string, unknown>;
    record.stage = 'Contract Sent';
    const { fetchJson } = stubFetch(answers);
    const context = apiContext('deal-history-en', { locale: null, window: pageWindow({}, 'ru') });
    const { data } = await espocrmApiReader.readDeal(HISTORY_ID, fetchJson, context);
    expect(data?.stage).toEqual({ id: 'Contract Sent', name: 'Contract Sent', outcome: null });
    expect(data?.history[0]?.stage).toEqual({
      id: 'Prospecting',
      name: 'Привлечение клиента',
      outcome: 'in_progress',
    });
  });

  it("lets the CRM's refusal through, and refuses an answer that is not this opportunity", async () => {
    const refusing: JsonFetch = async () => {
      throw new CrmReadError('auth', 401, 'login');
    };
    await expect(
      espocrmApiReader.readDeal(HISTORY_ID, refusing, apiContext('deal-history-en')),
    ).rejects.toMatchObject({ failure: 'auth' });
    const answers = routes('deal-history-en');
    answers[`/api/v1/Opportunity/${HISTORY_ID}`] = { id: 'someone-else' };
    await expect(
      espocrmApiReader.readDeal(HISTORY_ID, stubFetch(answers).fetchJson, apiContext('deal-history-en')),
    ).rejects.toMatchObject({ failure: 'refused' });
  });
});
