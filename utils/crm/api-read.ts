/**
 * Reading a whole deal through the CRM's own read-only JSON endpoints, with the user's own session:
 * a script in the CRM's tab calls them on its page's origin, so the page's cookies go along (see
 * docs/architecture.md). Plain code, no zod.
 */
import type { CrmBoard, CrmDeal, CrmId, ScrapeContext, ScrapeResult } from './model';

/**
 * The built-in CRMs read this way (their readers: api-readers.ts, which the background does not
 * load; a recipe CRM's deals are read from their rendered pages instead).
 */
export const CRMS_READ_BY_API: readonly string[] = ['espocrm', 'amocrm', 'odoo'];

/** Why a CRM read failed, for the reader of many deals to decide: stop, retry later, or skip the deal. */
export type CrmReadFailure =
  /** 401/403, or the CRM answered with its login page: the user must log in again. */
  | 'auth'
  /** 429 or 5xx, a dropped connection, a time-out: worth retrying after a while. */
  | 'busy'
  /** 404, or the record is not there (deleted, no rights to this one record). */
  | 'not_found'
  /** Anything else the CRM refused (400, an unknown route on an older version, a body that is not JSON). */
  | 'refused';

export class CrmReadError extends Error {
  constructor(
    readonly failure: CrmReadFailure,
    /** The HTTP status when there was one, else 0. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CrmReadError';
  }
}

export interface JsonRequest {
  method?: 'GET' | 'POST';
  /** Sent as JSON; only with POST. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Fetches a path of the page's own origin (`/api/v1/...`, relative to the origin) and returns its
 * JSON body; HTTP 204 gives `null`. Throws `CrmReadError` for anything but a 2xx JSON answer.
 */
export type JsonFetch = (path: string, request?: JsonRequest) => Promise<unknown>;

export interface ApiReadContext extends ScrapeContext {
  /**
   * Shared by the reads of one export (same CRM site): a reader may keep data that is the same for
   * every deal here (pipelines and their statuses, users) instead of asking for it again per deal.
   */
  cache: Map<string, unknown>;
  /** The page's own `window` (EspoCRM keeps its auth in its localStorage), when there is one. */
  window?: Window;
}

export interface ApiReader {
  crm: CrmId;
  /**
   * The deal with the CRM's record `id`, whole: every stage visit with its exact time, contacts with
   * their phones and e-mails, the owner, the creation time, the amount. The same `CrmDeal` reading
   * the deal's page gives (the same stage ids, names, outcomes), with exact times where the page had
   * estimates. What the endpoints do not give is a problem beside the data, as for a page.
   */
  readDeal(id: string, fetchJson: JsonFetch, context: ApiReadContext): Promise<ScrapeResult<CrmDeal>>;
  /**
   * For a CRM whose board cards carry no record id (Odoo): the id of each card of `board.deals`, in
   * that order, `null` where no record matches the card unambiguously.
   */
  cardIds?(board: CrmBoard, fetchJson: JsonFetch, context: ApiReadContext): Promise<(string | null)[]>;
}

/** A JSON object as an endpoint answered it. */
export type Json = Record<string, unknown>;

/** Whether `value` is a JSON object (not an array, not null). */
export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else `null`. */
export function jsonObject(value: unknown): Json | null {
  return isJson(value) ? value : null;
}

/** A non-empty string, trimmed; `null` for anything else. */
export function jsonText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** An endpoint's path from its template: `/api/v4/leads/{id}` with each value URL-encoded. */
export function route(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(String(values[key])));
}

/** A UTC date-time as EspoCRM and Odoo answer it (`YYYY-MM-DD HH:mm[:ss]`) as an ISO instant. */
export function utcInstant(value: unknown): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(jsonText(value) ?? '');
  const ms = match ? Date.parse(`${match[1]}T${match[2]}Z`) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
