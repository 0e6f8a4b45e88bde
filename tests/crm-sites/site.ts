/** What a demo CRM site gives the shared server: its pages, its client views and its JSON endpoints. */
import type { IncomingHttpHeaders } from 'node:http';

/** One signed-in browser: what the CRM handed it when the page loaded. */
export interface Session {
  token: string;
  /** EspoCRM's `auth-token-secret`; Odoo has none. */
  secret: string;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string>;
  /** The parsed JSON body of a POST; `undefined` for none, the raw text when it is not JSON. */
  body: unknown;
}

export interface ApiAnswer {
  status: number;
  /** Sent as JSON; none for an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A view the page's script puts into its main container. */
export interface View {
  title: string;
  html: string;
  /** Odoo: the record id of each board card, in card order (the client keeps them; the DOM does not). */
  cardIds?: string[];
}

export interface CrmSite {
  /** Where a person opens the board and a deal: path, and hash for a hash-routed CRM. */
  boardPath: string;
  dealPath(id: string): string;
  /** The HTML page for a path, null when the CRM has none there; `session` is the browser's. */
  page(path: string, session: Session): string | null;
  /** Cookies that hand `session` to the browser with the page. */
  sessionCookies(session: Session): string[];
  /** The client view of a route (EspoCRM: the hash without `#`; Odoo: the path). */
  view(route: string): { status: number; view: View };
  /** Whether a path is one of the CRM's JSON endpoints. */
  isApi(path: string): boolean;
  /** The session token a request presents, if its credentials hang together. */
  presentedToken(request: ApiRequest, sessions: ReadonlyMap<string, Session>): string | null;
  /** What the CRM answers a request without a valid session. */
  unauthorized(request: ApiRequest): ApiAnswer;
  /** What the CRM answers when it fails with `status` (a fault injected by a test). */
  failure(request: ApiRequest, status: number): ApiAnswer;
  /** The deal ids a request reads, to match injected per-deal faults. */
  dealIdsOf(request: ApiRequest): string[];
  /** A route pattern for counting, e.g. `GET /api/v1/Opportunity/{id}/stream`. */
  routeOf(request: ApiRequest): string;
  answer(request: ApiRequest): ApiAnswer;
}
