import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePage, fixtureSnapshot } from '../../../../tests/support/crm-fixtures';
import { type ApiReadContext, CrmReadError, type JsonFetch, type JsonRequest } from '../../api-read';
import type { CrmDeal } from '../../model';
import { normalizePhone } from '../../parse/phones';
import { amocrmApiReader } from './api';
import { amocrmAdapter } from './index';

const API_FIXTURES = join(import.meta.dirname, '../../../../tests/fixtures/amocrm/api');

function routes(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(API_FIXTURES, `${name}.json`), 'utf8')).routes;
}

interface Call {
  path: string;
  request?: JsonRequest;
}

/** Answers from a fixture's routes; any other path is a 404, as amoCRM gives for an unknown route. */
function stubFetch(answers: Record<string, unknown>): { fetchJson: JsonFetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchJson: JsonFetch = async (path, request) => {
    calls.push({ path, request });
    if (!(path in answers)) throw new CrmReadError('not_found', 404, path);
    const answer = answers[path];
    if (answer instanceof CrmReadError) throw answer;
    return answer;
  };
  return { fetchJson, calls };
}

function apiContext(page: string): ApiReadContext {
  return { ...fixtureSnapshot('amocrm', page).context, cache: new Map() };
}

function pageReading(page: string): CrmDeal {
  const data = amocrmAdapter.scrapeDeal(
    fixturePage('amocrm', page),
    fixtureSnapshot('amocrm', page).context,
  ).data;
  if (!data) throw new Error(`${page} did not read`);
  return data;
}

/**
 * What both readings must agree on. Phones as CoMagic receives them (E.164): the page shows them
 * formatted, the API as stored. The API adds what the page does not show (contacts' creation times,
 * modified and closed times), and names the pipeline of a one-pipeline account, which its page does not.
 */
function shared(deal: CrmDeal) {
  return {
    id: deal.id,
    url: deal.url,
    name: deal.name,
    pipelineId: deal.pipeline?.id,
    stage: deal.stage,
    amount: deal.amount,
    createdAt: deal.createdAt,
    owner: deal.owner,
    contacts: deal.contacts.map(({ id, name, phones, emails }) => ({
      id,
      name,
      phones: phones.map((phone) => normalizePhone(phone, 'RU')),
      emails,
    })),
    history: deal.history,
    company: deal.company && {
      ...deal.company,
      phones: deal.company.phones?.map((phone) => normalizePhone(phone, 'RU')),
    },
    tags: deal.tags,
  };
}

describe('amoCRM API reader', () => {
  it('reads deal-ru-history as its page reads it, through the card timeline and its older page', async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-ru-history'));
    const result = await amocrmApiReader.readDeal('90013', fetchJson, apiContext('deal-ru-history'));
    expect(result.problems).toEqual([]);
    if (!result.data) throw new Error('no data');
    expect(shared(result.data)).toEqual(shared(pageReading('deal-ru-history')));
    expect(result.data.pipeline).toEqual(pageReading('deal-ru-history').pipeline);
    expect(result.data.contacts[0]?.createdAt).toBe('2024-04-18T07:20:00.000Z');
    expect(calls.map((call) => call.path)).toContain(
      '/ajax/v3/leads/90013/events_timeline?limit=100&before=1713768300',
    );
  });

  it('reads deal-en-won as its page reads it, from API v4 events when the timeline is not understood', async () => {
    const { fetchJson } = stubFetch(routes('deal-en-won'));
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    if (!result.data) throw new Error('no data');
    expect(shared(result.data)).toEqual(shared(pageReading('deal-en-won')));
    expect(result.data.pipeline).toEqual({ id: '8002', name: 'Main pipeline' });
    expect(result.data.closedAt).toBe('2024-04-23T12:30:00.000Z');
    expect(result.problems).toEqual([
      {
        code: 'api_shape_unknown',
        field: 'deal.history',
        detail: '/ajax/v3/leads/70022/events_timeline?limit=100',
        severity: 'warning',
      },
      {
        code: 'fallback_used',
        field: 'deal.history',
        detail:
          '/api/v4/events?filter[type]=lead_status_changed&filter[entity]=lead&filter[entity_id][]=70022&limit=100&page=1',
        severity: 'warning',
      },
    ]);
  });

  it('only reads: every call is a GET, the timeline with X-Requested-With', async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-en-won'));
    await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(calls.every((call) => (call.request?.method ?? 'GET') === 'GET' && !call.request?.body)).toBe(
      true,
    );
    const timeline = calls.find((call) => call.path.startsWith('/ajax/v3/leads/70022/events_timeline'));
    expect(timeline?.request?.headers).toEqual({ 'X-Requested-With': 'XMLHttpRequest' });
  });

  it('asks for a pipeline and a user once per export', async () => {
    const { fetchJson, calls } = stubFetch(routes('deal-en-won'));
    const context = apiContext('deal-en-won');
    await amocrmApiReader.readDeal('70022', fetchJson, context);
    await amocrmApiReader.readDeal('70022', fetchJson, context);
    expect(calls.filter((call) => call.path === '/api/v4/leads/pipelines/8002')).toHaveLength(1);
    expect(calls.filter((call) => call.path === '/api/v4/users/6002')).toHaveLength(1);
  });

  it('asks for a company once per export, and leaves out one the user may not read', async () => {
    const answers = routes('deal-ru-history');
    const { fetchJson, calls } = stubFetch(answers);
    const context = apiContext('deal-ru-history');
    const first = await amocrmApiReader.readDeal('90013', fetchJson, context);
    await amocrmApiReader.readDeal('90013', fetchJson, context);
    expect(first.data?.company).toEqual({
      id: '40013',
      name: 'ООО «Вектор»',
      phones: ['+74957000013'],
      emails: [],
    });
    expect(calls.filter((call) => call.path === '/api/v4/companies/40013')).toHaveLength(1);
    delete answers['/api/v4/companies/40013'];
    const refused = await amocrmApiReader.readDeal(
      '90013',
      stubFetch(answers).fetchJson,
      apiContext('deal-ru-history'),
    );
    expect(refused.data?.company).toBeUndefined();
    expect(refused.problems).toContainEqual(
      expect.objectContaining({ code: 'field_missing', field: 'deal.company' }),
    );
  });

  const eventsPage = (page: number) =>
    `/api/v4/events?filter[type]=lead_status_changed&filter[entity]=lead&filter[entity_id][]=70022&limit=100&page=${page}`;
  const start = 1713700000;
  /** A full page of 100 changes back and forth between the two open stages of deal-en-won's pipeline. */
  const fullPage = () => ({
    _embedded: {
      events: Array.from({ length: 100 }, (_, index) => ({
        type: 'lead_status_changed',
        created_at: start + index * 60,
        value_after: [{ lead_status: { id: index % 2 === 0 ? 52002 : 52001, pipeline_id: 8002 } }],
        value_before: [{ lead_status: { id: index % 2 === 0 ? 52001 : 52002, pipeline_id: 8002 } }],
      })),
    },
  });

  it('pages API v4 events until HTTP 204', async () => {
    const answers = routes('deal-en-won');
    answers[eventsPage(1)] = fullPage();
    answers[eventsPage(2)] = null;
    const { fetchJson, calls } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(calls.map((call) => call.path).filter((path) => path.startsWith('/api/v4/events'))).toEqual([
      eventsPage(1),
      eventsPage(2),
    ]);
    // The creation visit, then one visit per change.
    expect(result.data?.history).toHaveLength(101);
    expect(result.data?.history.at(-1)).toEqual({
      stage: { id: '52001', name: 'Initial contact', outcome: 'in_progress' },
      enteredAt: new Date((start + 99 * 60) * 1000).toISOString(),
      source: 'timeline',
      estimated: false,
    });
  });

  it('keeps the changes of the pages read when a later events page is refused', async () => {
    const answers = routes('deal-en-won');
    answers[eventsPage(1)] = fullPage();
    const { fetchJson } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(result.data?.history).toHaveLength(101);
    expect(result.problems).toContainEqual({
      code: 'history_truncated',
      field: 'deal.history',
      detail: eventsPage(2),
      severity: 'warning',
    });
  });

  it('stops following a timeline link that leads back to a page already read', async () => {
    const answers = routes('deal-ru-history');
    const older = '/ajax/v3/leads/90013/events_timeline?limit=100&before=1713768300';
    answers[older] = {
      ...(answers[older] as object),
      _links: { prev: { href: '/ajax/v3/leads/90013/events_timeline?limit=100' } },
    };
    const { fetchJson, calls } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('90013', fetchJson, apiContext('deal-ru-history'));
    expect(calls.filter((call) => call.path.includes('events_timeline'))).toHaveLength(2);
    expect(result.data?.history).toHaveLength(4);
  });

  it('still reads the lead when the users route is closed to this user', async () => {
    const answers = routes('deal-en-won');
    answers['/api/v4/users/6002'] = new CrmReadError('auth', 403, 'admins only');
    const { fetchJson } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(result.data?.owner).toBeNull();
    expect(result.data?.stage?.id).toBe('142');
    expect(result.problems).toContainEqual({
      code: 'field_missing',
      field: 'deal.owner',
      detail: '/api/v4/users/6002',
      severity: 'warning',
    });
  });

  it('keeps the status id of a stage its pipeline no longer lists, and says so', async () => {
    const answers = routes('deal-en-won');
    const pipeline = answers['/api/v4/leads/pipelines/8002'] as { _embedded: { statuses: { id: number }[] } };
    pipeline._embedded.statuses = pipeline._embedded.statuses.filter((status) => status.id !== 52001);
    const { fetchJson } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(result.data?.history[0]?.stage).toEqual({ id: '52001', name: '52001', outcome: 'in_progress' });
    expect(result.problems).toContainEqual({
      code: 'field_missing',
      field: 'history',
      detail: 'status 52001 of /api/v4/leads/pipelines/8002',
      severity: 'warning',
    });
  });

  it('reads the lead without stage names when its pipeline cannot be read', async () => {
    const answers = routes('deal-en-won');
    delete answers['/api/v4/leads/pipelines/8002'];
    const { fetchJson } = stubFetch(answers);
    const result = await amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won'));
    expect(result.data?.stage).toEqual({ id: '142', name: '142', outcome: 'won' });
    expect(result.data?.pipeline).toEqual({ id: '8002', name: '8002' });
    expect(result.data?.contacts).toHaveLength(1);
  });

  it('fails with the CRM read error when the lead itself cannot be read', async () => {
    const answers = routes('deal-en-won');
    answers['/api/v4/leads/70022?with=contacts'] = new CrmReadError('auth', 401, 'session expired');
    const { fetchJson } = stubFetch(answers);
    await expect(
      amocrmApiReader.readDeal('70022', fetchJson, apiContext('deal-en-won')),
    ).rejects.toMatchObject({
      failure: 'auth',
    });
  });
});
