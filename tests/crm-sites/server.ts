/**
 * A demo CRM on 127.0.0.1: its single-page client (shell + views), its read-only JSON endpoints
 * behind a session the page hands the browser, and a control API under `/__crm/` for tests and the
 * bench: faults and latency in, counters out.
 *
 * Control API:
 * - `GET /__crm/view?route=R`: the client view of a route, `{title, html, cardIds?}` (the page script's).
 * - `POST /__crm/faults` `{latencyMs?, failIds?: {dealId: status}, failNext?: {count, status},
 *   expireSessionAfter?: reads, loggedOut?: true}` replaces the faults; `DELETE /__crm/faults` clears them.
 * - `GET /__crm/stats` `{reads, maxConcurrent, inFlight, unauthorized, failed, byPath, byRoute}`;
 *   `DELETE /__crm/stats` zeroes them.
 * - `POST /__crm/sessions/expire`: every session ends now (the next page load starts a new one).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoPipeline } from '../../demo/data';
import { espoSite } from './espocrm/site';
import { odooSite } from './odoo/site';
import type { ApiAnswer, ApiRequest, CrmSite, Session } from './site';

export interface RunningCrm {
  origin: string;
  boardUrl: string;
  dealUrl(id: string): string;
  close(): Promise<void>;
}

export interface CrmServerOptions {
  port?: number;
  /** How long the page script waits before it renders a view (the SPA's own loading). */
  renderDelayMs?: number;
}

export interface CrmFaults {
  /** Added before every API answer. */
  latencyMs: number;
  /** Deal id → the HTTP status every read of that deal fails with. */
  failIds: Record<string, number>;
  /** The next `count` API requests fail with `status` (a CRM that is briefly busy). */
  failNext: { count: number; status: number } | null;
  /** Every session ends after this many more API requests. */
  expireSessionAfter: number | null;
  /**
   * The user is logged out and the CRM does not sign the browser in again: its client shows the
   * login form instead of any view, and every API request is answered as without a session.
   */
  loggedOut: boolean;
}

export interface CrmStats {
  /** API requests received, answered or not. */
  reads: number;
  /** The most API requests in progress at once. */
  maxConcurrent: number;
  inFlight: number;
  /** Answered as without a session (401 / SessionExpired). */
  unauthorized: number;
  /** Failed by an injected fault. */
  failed: number;
  /** Per path without the query, e.g. `/web/dataset/call_kw/crm.lead/read`. */
  byPath: Record<string, number>;
  /** Per route pattern with the method, e.g. `GET /api/v1/Opportunity/{id}/stream`. */
  byRoute: Record<string, number>;
}

const NO_FAULTS: CrmFaults = {
  latencyMs: 0,
  failIds: {},
  failNext: null,
  expireSessionAfter: null,
  loggedOut: false,
};

/** The login form a logged-out CRM's client shows in place of the route's view. */
const LOGIN_VIEW = {
  title: 'Login',
  html: '<div class="panel panel-default" id="login"><form><label>Username <input name="username"></label><label>Password <input name="password" type="password"></label><button type="submit">Log in</button></form></div>',
};

function emptyStats(): CrmStats {
  return { reads: 0, maxConcurrent: 0, inFlight: 0, unauthorized: 0, failed: 0, byPath: {}, byRoute: {} };
}

const isStatus = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 599;
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** The faults a control request asks for, or why it cannot be read. */
export function parseFaults(body: unknown): CrmFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const input = body as Record<string, unknown>;
  const known = ['latencyMs', 'failIds', 'failNext', 'expireSessionAfter', 'loggedOut'];
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length > 0) return `unknown fields: ${unknown.join(', ')}`;
  const faults: CrmFaults = { ...NO_FAULTS, failIds: {} };
  if (input.latencyMs !== undefined) {
    if (!isCount(input.latencyMs)) return 'latencyMs must be a whole number of milliseconds';
    faults.latencyMs = input.latencyMs;
  }
  if (input.failIds !== undefined) {
    if (typeof input.failIds !== 'object' || input.failIds === null)
      return 'failIds must map ids to statuses';
    for (const [id, status] of Object.entries(input.failIds)) {
      if (!isStatus(status)) return `failIds.${id} must be an HTTP error status (400-599)`;
      faults.failIds[id] = status;
    }
  }
  if (input.failNext !== undefined && input.failNext !== null) {
    const next = input.failNext as Record<string, unknown>;
    if (!isCount(next.count) || !isStatus(next.status)) return 'failNext must be {count, status}';
    faults.failNext = { count: next.count, status: next.status };
  }
  if (input.expireSessionAfter !== undefined && input.expireSessionAfter !== null) {
    if (!isCount(input.expireSessionAfter)) return 'expireSessionAfter must be a number of requests';
    faults.expireSessionAfter = input.expireSessionAfter;
  }
  if (input.loggedOut !== undefined) {
    if (typeof input.loggedOut !== 'boolean') return 'loggedOut must be true or false';
    faults.loggedOut = input.loggedOut;
  }
  return faults;
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return cookies;
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendAnswer(res: ServerResponse, answer: ApiAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status, { 'Cache-Control': 'no-store', ...answer.headers });
    res.end();
  } else sendJson(res, answer.status, answer.body, answer.headers);
}

function siteOf(pipeline: DemoPipeline, renderDelayMs: number): CrmSite {
  return pipeline.crm === 'espocrm'
    ? espoSite(pipeline, { renderDelayMs })
    : odooSite(pipeline, { renderDelayMs });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the demo CRM of `pipeline` (EspoCRM or Odoo) on 127.0.0.1. */
export async function startCrm(pipeline: DemoPipeline, options: CrmServerOptions = {}): Promise<RunningCrm> {
  const site = siteOf(pipeline, options.renderDelayMs ?? 120);
  const sessions = new Map<string, Session>();
  let faults: CrmFaults = NO_FAULTS;
  let stats = emptyStats();

  async function api(request: ApiRequest): Promise<ApiAnswer> {
    stats.reads++;
    stats.byPath[request.path] = (stats.byPath[request.path] ?? 0) + 1;
    const route = site.routeOf(request);
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    stats.inFlight++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.inFlight);
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (faults.expireSessionAfter !== null) {
        if (faults.expireSessionAfter === 0) {
          sessions.clear();
          faults = { ...faults, expireSessionAfter: null };
        } else faults = { ...faults, expireSessionAfter: faults.expireSessionAfter - 1 };
      }
      if (faults.failNext && faults.failNext.count > 0) {
        const { count, status } = faults.failNext;
        faults = { ...faults, failNext: count > 1 ? { count: count - 1, status } : null };
        stats.failed++;
        return site.failure(request, status);
      }
      const token = faults.loggedOut ? null : site.presentedToken(request, sessions);
      if (token === null || !sessions.has(token)) {
        stats.unauthorized++;
        return site.unauthorized(request);
      }
      const failing = site.dealIdsOf(request).find((id) => faults.failIds[id] !== undefined);
      if (failing !== undefined) {
        stats.failed++;
        return site.failure(request, faults.failIds[failing] as number);
      }
      return site.answer(request);
    } finally {
      stats.inFlight--;
    }
  }

  async function control(request: ApiRequest, res: ServerResponse): Promise<void> {
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /__crm/view') {
      if (faults.loggedOut) return sendJson(res, 200, LOGIN_VIEW);
      const { status, view } = site.view(request.query.get('route') ?? '');
      return sendJson(res, status, view);
    }
    if (key === 'GET /__crm/stats') return sendJson(res, 200, stats);
    if (key === 'DELETE /__crm/stats') {
      stats = { ...emptyStats(), inFlight: stats.inFlight };
      return sendJson(res, 200, stats);
    }
    if (key === 'GET /__crm/faults') return sendJson(res, 200, faults);
    if (key === 'POST /__crm/faults') {
      const parsed = parseFaults(request.body);
      if (typeof parsed === 'string') return sendJson(res, 400, { error: parsed });
      faults = parsed;
      return sendJson(res, 200, faults);
    }
    if (key === 'DELETE /__crm/faults') {
      faults = NO_FAULTS;
      return sendJson(res, 200, faults);
    }
    if (key === 'POST /__crm/sessions/expire') {
      sessions.clear();
      return sendJson(res, 200, { sessions: 0 });
    }
    sendJson(res, 404, { error: `no control route ${key}` });
  }

  function page(request: ApiRequest, res: ServerResponse): void {
    const known = site.presentedToken(request, sessions);
    const existing = known === null ? undefined : sessions.get(known);
    // A browser without a live session is signed in again by the page load (the demo has no login form).
    const session = existing ?? {
      token: randomBytes(16).toString('hex'),
      secret: randomBytes(16).toString('hex'),
    };
    const html = request.method === 'GET' ? site.page(request.path, session) : null;
    if (html === null) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>404 Not Found</title><p>Not found</p>');
      return;
    }
    sessions.set(session.token, session);
    const cookies = existing ? [] : site.sessionCookies(session);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(cookies.length > 0 ? { 'Set-Cookie': cookies } : {}),
    });
    res.end(html);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://crm');
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        cookies: cookiesOf(req),
        body: await bodyOf(req),
      };
      if (request.path.startsWith('/__crm/')) return control(request, res);
      if (site.isApi(request.path)) return sendAnswer(res, await api(request));
      page(request, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    boardUrl: `${origin}${site.boardPath}`,
    dealUrl: (id) => `${origin}${site.dealPath(id)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
