/**
 * The CRM page side of a whole-deal export: reads deals through the CRM's own read-only JSON
 * endpoints on this page's origin, with the page's cookies, a few at a time,
 * retrying a busy CRM with backoff and stopping at once when the CRM wants a login.
 * Plain code, no zod: this runs in every CRM tab.
 */
import {
  type ApiReadContext,
  type ApiReader,
  CrmReadError,
  type CrmReadFailure,
  type JsonFetch,
  type JsonRequest,
} from '../crm/api-read';
import { boundDeal, boundProblem, cutNotes } from '../crm/limits';
import type { CrmBoard, CrmDeal, Problem } from '../crm/model';

export type DealReadOutcome =
  | { id: string; deal: CrmDeal; problems: Problem[] }
  | { id: string; failure: CrmReadFailure; status: number; message: string };

export interface DealReadOptions {
  /** Reads under way at once, at most. */
  concurrency: number;
  /** A pause after each read of one reader, in ms. */
  delayMs: number;
}

export interface DealReadHost {
  fetch: typeof fetch;
  /** The page's address: endpoints are asked on its origin. */
  location: () => string;
  window?: Window;
  now: () => Date;
  timeZone: () => Promise<string>;
  sleep: (ms: number) => Promise<void>;
}

/** Tries of one read that found the CRM busy (429, 5xx, a dropped connection), and the waits between. */
export const BUSY_WAITS_MS = [1_000, 3_000, 9_000];
/** A read the CRM does not answer within this long counts as busy. */
const READ_TIMEOUT_MS = 30_000;

function failureOf(status: number): CrmReadFailure {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408 || status === 429 || status >= 500) return 'busy';
  return 'refused';
}

/** `fetch` on the page's origin as the CRM's own web client calls it, answering JSON or a typed failure. */
export function pageJsonFetch(host: Pick<DealReadHost, 'fetch' | 'location'>): JsonFetch {
  return async (path: string, request: JsonRequest = {}) => {
    const origin = new URL(host.location()).origin;
    const url = new URL(path, origin);
    // Never another site: the page's cookies are only for its own origin.
    if (url.origin !== origin) throw new CrmReadError('refused', 0, `Not this CRM's address: ${path}`);
    const method = request.method ?? 'GET';
    let response: Response;
    try {
      response = await host.fetch(url.href, {
        method,
        credentials: 'include',
        headers: {
          Accept: 'application/json',
          // Without it some CRMs answer a 401 with a browser login dialog (EspoCRM).
          'X-Requested-With': 'XMLHttpRequest',
          ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          ...request.headers,
        },
        body: method === 'POST' ? JSON.stringify(request.body ?? {}) : undefined,
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
    } catch (error) {
      throw new CrmReadError('busy', 0, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) {
      throw new CrmReadError(failureOf(response.status), response.status, `HTTP ${response.status} ${path}`);
    }
    if (response.status === 204) return null;
    const text = await response.text();
    try {
      return text.trim() === '' ? null : JSON.parse(text);
    } catch {
      // An HTML page where JSON was asked for, after a redirect: the CRM's login page.
      const failure = response.redirected || /type=["']?password/i.test(text) ? 'auth' : 'refused';
      throw new CrmReadError(failure, response.status, `Not JSON: ${path}`);
    }
  };
}

function failed(id: string, error: unknown): DealReadOutcome {
  if (error instanceof CrmReadError) {
    return { id, failure: error.failure, status: error.status, message: error.message };
  }
  return {
    id,
    failure: 'refused',
    status: 0,
    message: error instanceof Error ? error.message : String(error),
  };
}

export function createDealReads(host: DealReadHost, readers: Partial<Record<string, ApiReader>>) {
  /** Shared by the reads of this page until it is reloaded: pipelines and users are the same for every deal. */
  const cache = new Map<string, unknown>();
  const fetchJson = pageJsonFetch(host);

  async function context(): Promise<ApiReadContext> {
    const url = host.location();
    return {
      now: host.now().toISOString(),
      timeZone: await host.timeZone(),
      locale: null,
      url,
      cache,
      window: host.window,
    };
  }

  async function readOne(reader: ApiReader, id: string, shared: ApiReadContext): Promise<DealReadOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await reader.readDeal(id, fetchJson, shared);
        if (!result.data) {
          const why = result.problems.map((p) => `${p.field}: ${p.code}`).join('; ');
          return { id, failure: 'refused', status: 0, message: why || 'nothing read' };
        }
        // Cut to what the background takes, or one long field would refuse the whole batch.
        const notes = cutNotes();
        const deal = boundDeal(result.data, notes.forDeal(id));
        return { id, deal, problems: [...result.problems, ...notes.problems].map(boundProblem) };
      } catch (error) {
        const outcome = failed(id, error);
        const wait = BUSY_WAITS_MS[attempt];
        if ('failure' in outcome && outcome.failure === 'busy' && wait !== undefined) {
          await host.sleep(wait);
          continue;
        }
        return outcome;
      }
    }
  }

  return {
    /** Whether this CRM's deals can be read here through its endpoints. */
    canRead: (crm: string) => readers[crm] !== undefined,

    /**
     * Reads `ids` with at most `concurrency` reads at once, in order; after a read that needs a
     * login, no further read starts (the rest come back as not tried: `auth`).
     */
    async readDeals(crm: string, ids: string[], options: DealReadOptions): Promise<DealReadOutcome[]> {
      const reader = readers[crm];
      if (!reader)
        return ids.map((id) => ({ id, failure: 'refused', status: 0, message: `No reader for ${crm}` }));
      const shared = await context();
      const outcomes: DealReadOutcome[] = new Array(ids.length);
      let next = 0;
      let loggedOut = false;
      const worker = async () => {
        while (next < ids.length) {
          const index = next++;
          const id = ids[index] as string;
          if (loggedOut) {
            outcomes[index] = {
              id,
              failure: 'auth',
              status: 0,
              message: 'not tried: the CRM asked for a login',
            };
            continue;
          }
          const outcome = await readOne(reader, id, shared);
          if ('failure' in outcome && outcome.failure === 'auth') loggedOut = true;
          outcomes[index] = outcome;
          if (options.delayMs > 0) await host.sleep(options.delayMs);
        }
      };
      const workers = Math.max(1, Math.min(options.concurrency, ids.length));
      await Promise.all(Array.from({ length: workers }, worker));
      return outcomes;
    },

    /** The record id of each card of a board whose cards show none (Odoo). */
    async cardIds(
      board: CrmBoard,
    ): Promise<{ ids: (string | null)[] } | { failure: CrmReadFailure; message: string }> {
      const reader = readers[board.crm];
      if (!reader?.cardIds) return { ids: board.deals.map((deal) => deal.id) };
      try {
        return { ids: await reader.cardIds(board, fetchJson, await context()) };
      } catch (error) {
        const outcome = failed('', error);
        return 'failure' in outcome ? { failure: outcome.failure, message: outcome.message } : { ids: [] };
      }
    },
  };
}

export type DealReads = ReturnType<typeof createDealReads>;
