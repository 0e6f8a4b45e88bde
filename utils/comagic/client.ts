/**
 * The Data API client: authentication (key or login session), rate-limit pacing, retries and
 * typed methods. Uses nothing but `fetch`, so it runs in the MV3 worker and in Node tests alike.
 *
 * An MV3 worker cannot sleep for minutes: a wait longer than `maxWaitMs` is not slept but thrown as
 * a `rate` error carrying `retryAfterMs`, for the caller to schedule an alarm.
 */
import { z } from 'zod';
import { type Brand, endpointUrl } from './endpoints';
import { ComagicError, type ComagicErrorInfo, type JsonValue, redact } from './errors';
import { inFilters, type Page, pageThrough } from './paging';
import {
  type DataOf,
  type Filter,
  LIST_METHODS,
  Limits,
  type ListMethod,
  type ListParamsOf,
  LoginUserParams,
  LoginUserResult,
  METHODS,
  type Method,
  type ParamsOf,
  type RowField,
  type RowOf,
} from './schemas';
import { type RpcOutcome, sendRpc } from './transport';

export type ComagicAuth =
  | { kind: 'key'; token: string }
  /** `password: null` when the user did not let us keep it: a stored session is used until it ends. */
  | { kind: 'login'; login: string; password: string | null };

export interface Session {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SessionStore {
  get(): Promise<Session | null>;
  set(session: Session | null): Promise<void>;
}

export interface TrackedLimits {
  day_limit: number;
  day_remaining: number;
  day_reset: number;
  minute_limit: number;
  minute_remaining: number;
  minute_reset: number;
  /** When the answer carrying these numbers arrived (the `now()` clock), so resets can be aged. */
  readAt: number;
}

export interface ComagicClientOptions {
  endpoint: Brand | string;
  auth: ComagicAuth;
  sessionStore?: SessionStore;
  /** Per fetch; default 25 000, must be under 30 000. */
  timeoutMs?: number;
  /** The longest wait the client sleeps through; default 20 000. */
  maxWaitMs?: number;
  /** Retries of a transient or rate-limited call; default 3. */
  retries?: number;
  /** First backoff step; doubles per retry up to `backoffMaxMs`. Defaults 500 and 8 000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /**
   * A partner («Агент») key acting for one of its clients: the client's user id, sent as `user_id`
   * with every method that takes it (the docs: required only then; a client's own key never sends it).
   */
  userId?: number;
}

/** Whether a method's params take `user_id` (every CRM method does; auth and account ones do not). */
function takesUserId(schema: z.ZodType): boolean {
  return schema instanceof z.ZodObject && 'user_id' in schema.shape;
}

/** Called through dedicated paths: login is automatic and logout clears the cached session. */
export type CallMethod = Exclude<Method, 'login.user' | 'logout.user'>;

type FilterField<M extends ListMethod> =
  NonNullable<ListParamsOf<M>['filter']> extends Filter<infer F> ? F : never;
type ListParams<M extends ListMethod, F extends RowField<M>> = Omit<ListParamsOf<M>, 'fields'> & {
  fields?: F[];
};
type Rows<M extends ListMethod, F extends RowField<M>> = Pick<RowOf<M>, F>[];

const MAX_TIMEOUT_MS = 29_000;
const FALLBACK_SESSION_MS = 3_600_000;
const FALLBACK_RATE_WAIT_MS = 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ComagicClient {
  /** The last `metadata.limits` seen, or `null` before the first answer. */
  limits: TrackedLimits | null = null;

  private readonly url: string;
  private readonly auth: ComagicAuth;
  private readonly sessionStore: SessionStore | undefined;
  private readonly timeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly userId: number | undefined;
  private session: Session | null = null;
  private pendingLogin: Promise<Session> | null = null;

  constructor(options: ComagicClientOptions) {
    this.url = endpointUrl(options.endpoint);
    this.auth = options.auth;
    this.sessionStore = options.sessionStore;
    this.timeoutMs = options.timeoutMs ?? 25_000;
    if (!(this.timeoutMs > 0 && this.timeoutMs <= MAX_TIMEOUT_MS)) {
      throw new RangeError(`timeoutMs must be within 1..${MAX_TIMEOUT_MS}`);
    }
    this.maxWaitMs = options.maxWaitMs ?? 20_000;
    this.retries = options.retries ?? 3;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 8_000;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.userId = options.userId;
  }

  async call<M extends CallMethod>(method: M, params: ParamsOf<M>): Promise<DataOf<M>> {
    const { params: schema, data } = METHODS[method];
    const answer = await this.send(method, schema, params);
    return parseData(data, answer.data) as DataOf<M>;
  }

  /** One page of a `get.*` list; with `fields`, rows hold exactly those fields. */
  async list<M extends ListMethod, F extends RowField<M> = RowField<M>>(
    method: M,
    params: ListParams<M, F> = {} as ListParams<M, F>,
  ): Promise<Page<Pick<RowOf<M>, F>>> {
    const { params: schema, row } = LIST_METHODS[method];
    const rowSchema: z.ZodType = params.fields ? (row as z.ZodObject).pick(fieldMask(params.fields)) : row;
    const answer = await this.send(method, schema, params);
    const rows = parseData(rowSchema.array(), answer.data) as Rows<M, F>;
    return { rows, totalItems: totalItemsOf(answer.metadata) };
  }

  /** Every page from `params.offset` on (page size `params.limit`, default 1000). */
  pages<M extends ListMethod, F extends RowField<M> = RowField<M>>(
    method: M,
    params: ListParams<M, F> = {} as ListParams<M, F>,
  ): AsyncGenerator<Rows<M, F>> {
    const pageSize = params.limit ?? 1000;
    return pageThrough(
      (offset) => this.list(method, { ...params, offset, limit: pageSize }),
      params.offset ?? 0,
      pageSize,
    );
  }

  async getAll<M extends ListMethod, F extends RowField<M> = RowField<M>>(
    method: M,
    params: ListParams<M, F> = {} as ListParams<M, F>,
  ): Promise<Rows<M, F>> {
    const rows: Rows<M, F> = [];
    for await (const page of this.pages(method, params)) rows.push(...page);
    return rows;
  }

  /** Rows whose `field` is one of `values`, asked in chunks of `chunkSize` ids (and `params.filter`). */
  async getAllIn<M extends ListMethod, F extends RowField<M> = RowField<M>>(
    method: M,
    field: FilterField<M>,
    values: readonly (string | number)[],
    params: ListParams<M, F> = {} as ListParams<M, F>,
    chunkSize = 1000,
  ): Promise<Rows<M, F>> {
    const rows: Rows<M, F> = [];
    for (const filter of inFilters(field, values, chunkSize)) {
      const combined = params.filter ? { filters: [params.filter, filter], condition: 'and' } : filter;
      rows.push(...(await this.getAll(method, { ...params, filter: combined } as ListParams<M, F>)));
    }
    return rows;
  }

  /** A fresh login.user session (login auth only); calls log in by themselves when needed. */
  login(): Promise<Session> {
    this.pendingLogin ??= this.logIn().finally(() => {
      this.pendingLogin = null;
    });
    return this.pendingLogin;
  }

  /** Ends the login session, if any; a permanent key is left alone. */
  async logout(): Promise<void> {
    if (this.auth.kind !== 'login') return;
    const session = await this.liveSession();
    this.session = null;
    await this.sessionStore?.set(null);
    if (session) await this.send('logout.user', METHODS['logout.user'].params, {}, session.token);
  }

  private async logIn(): Promise<Session> {
    if (this.auth.kind !== 'login') throw new TypeError('login() needs login + password authentication');
    const { login, password } = this.auth;
    if (password === null) {
      throw new ComagicError({
        class: 'auth',
        code: null,
        mnemonic: 'password_required',
        field: 'password',
        value: null,
        message: 'The session ended and no password is kept',
      });
    }
    const answer = await this.send('login.user', LoginUserParams, { login, password }, null);
    const result = parseData(LoginUserResult, answer.data) as LoginUserResult;
    const session = { token: result.access_token, expiresAt: this.expiryOf(result) };
    this.session = session;
    await this.sessionStore?.set(session);
    return session;
  }

  private expiryOf(result: LoginUserResult): number {
    const expiry = result.expire_at ?? result.expire;
    if (expiry === undefined) return this.now() + FALLBACK_SESSION_MS;
    return expiry > 1e12 ? expiry : expiry * 1000;
  }

  /** The cached or stored session while it lasts. */
  private async liveSession(): Promise<Session | null> {
    if (!this.session) this.session = (await this.sessionStore?.get()) ?? null;
    return this.session && this.session.expiresAt > this.now() ? this.session : null;
  }

  private async accessToken(): Promise<string> {
    if (this.auth.kind === 'key') return this.auth.token;
    return ((await this.liveSession()) ?? (await this.login())).token;
  }

  /** After a -32001 with `rejected`: log in again, unless a concurrent call already did. */
  private async renewSession(rejected: string): Promise<string> {
    const current = await this.liveSession();
    if (current && current.token !== rejected) return current.token;
    this.session = null;
    return (await this.login()).token;
  }

  /**
   * Validates, sends and retries one logical call (one JSON-RPC id throughout).
   * `token` undefined = the client's own; null = none (login.user); a string = that one.
   */
  private async send(
    method: string,
    schema: z.ZodType<Record<string, unknown>>,
    params: unknown,
    token?: string | null,
  ): Promise<{ data: unknown; metadata: unknown }> {
    const forClient =
      this.userId !== undefined && takesUserId(schema) && typeof params === 'object' && params !== null
        ? { user_id: this.userId, ...params }
        : params;
    const checked = schema.safeParse(forClient);
    if (!checked.success) throw this.error(localValidationError(checked.error, forClient));
    const id = crypto.randomUUID();
    let retried = 0;
    let renewedToken: string | null = null;
    for (;;) {
      await this.waitForQuota();
      const accessToken = token !== undefined ? token : (renewedToken ?? (await this.accessToken()));
      const body = accessToken === null ? checked.data : { access_token: accessToken, ...checked.data };
      const outcome: RpcOutcome = await sendRpc(
        { id, method, params: body },
        { url: this.url, timeoutMs: this.timeoutMs, fetch: this.fetch },
      );
      this.track(outcome.metadata);
      if (outcome.ok) return outcome;
      const { error } = outcome;
      const ownSession = this.auth.kind === 'login' && token === undefined && accessToken !== null;
      if (error.class === 'auth' && ownSession && renewedToken === null) {
        renewedToken = await this.renewSession(accessToken);
        continue;
      }
      const retryable = error.class === 'transient' || error.class === 'rate';
      if (!retryable || retried >= this.retries) throw this.error(this.withRetryAfter(error));
      retried += 1;
      if (error.class === 'rate') await this.pause(this.rateLimitWait(), error);
      else await this.sleep(this.backoff(retried));
    }
  }

  /** A rate error the client gives up on still tells the caller when to come back. */
  private withRetryAfter(error: ComagicErrorInfo): ComagicErrorInfo {
    return error.class === 'rate' ? { ...error, retryAfterMs: Math.ceil(this.rateLimitWait()) } : error;
  }

  private error(info: ComagicErrorInfo): ComagicError {
    const secrets = [
      this.auth.kind === 'key' ? this.auth.token : this.auth.password,
      this.session?.token,
    ].filter((secret): secret is string => Boolean(secret));
    return new ComagicError(redact(info, secrets));
  }

  /** Exponential with equal jitter: half the step fixed, half random. */
  private backoff(retry: number): number {
    const step = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (retry - 1));
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  private track(metadata: unknown): void {
    const limits = Limits.safeParse(isRecord(metadata) ? metadata.limits : undefined);
    if (!limits.success) return;
    const { day_limit, day_remaining, day_reset, minute_limit, minute_remaining, minute_reset } = limits.data;
    this.limits = {
      day_limit,
      day_remaining,
      day_reset,
      minute_limit,
      minute_remaining,
      minute_reset,
      readAt: this.now(),
    };
  }

  /** Milliseconds until the exhausted pool (day or minute) resets; 0 while points remain. */
  private quotaWait(): number {
    const limits = this.limits;
    if (!limits) return 0;
    const age = this.now() - limits.readAt;
    const waits = [0];
    if (limits.day_remaining <= 0) waits.push(limits.day_reset * 1000 - age);
    if (limits.minute_remaining <= 0) waits.push(limits.minute_reset * 1000 - age);
    return Math.max(...waits);
  }

  /** After `limit_exceeded`: the exhausted pool's reset, else the minute's, else a minute. */
  private rateLimitWait(): number {
    const quota = this.quotaWait();
    if (quota > 0) return quota;
    const limits = this.limits;
    const minuteLeft = limits ? limits.minute_reset * 1000 - (this.now() - limits.readAt) : 0;
    return minuteLeft > 0 ? minuteLeft : FALLBACK_RATE_WAIT_MS;
  }

  private async waitForQuota(): Promise<void> {
    const wait = this.quotaWait();
    if (wait > 0) {
      await this.pause(wait, {
        class: 'rate',
        code: null,
        mnemonic: 'limit_exceeded',
        field: null,
        value: null,
        message: 'No API points remain until the limit resets',
      });
    }
  }

  private async pause(ms: number, cause: ComagicErrorInfo): Promise<void> {
    if (ms > this.maxWaitMs) throw this.error({ ...cause, class: 'rate', retryAfterMs: Math.ceil(ms) });
    await this.sleep(ms);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fieldMask(fields: readonly string[]): Record<string, true> {
  return Object.fromEntries(fields.map((field) => [field, true]));
}

function totalItemsOf(metadata: unknown): number | null {
  const total = isRecord(metadata) ? metadata.total_items : undefined;
  return typeof total === 'number' ? total : null;
}

/** The API did what was asked but answered in a shape we cannot read: retrying would not help. */
function parseData(schema: z.ZodType, data: unknown): unknown {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ComagicError({
    class: 'fatal',
    code: null,
    mnemonic: 'unexpected_result',
    field: issue?.path.join('.') || null,
    value: null,
    message: `The answer's data is not as documented: ${issue?.message ?? parsed.error.message}`,
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (isRecord(node) ? node[key as string] : undefined), root);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The first problem zod found, in the API's own terms (`field` dotted, mnemonic as the API would). */
function localValidationError(error: z.ZodError, params: unknown): ComagicErrorInfo {
  const issue = error.issues[0];
  const path = issue
    ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])]
    : [];
  const value = valueAt(params, path);
  const mnemonic =
    issue?.code === 'unrecognized_keys'
      ? 'unexpected_parameters'
      : value === undefined && issue?.code === 'invalid_type'
        ? 'required_parameter_missed'
        : 'invalid_parameter_value';
  const field = path.map(String).join('.') || null;
  return {
    class: 'validation',
    code: null,
    mnemonic,
    field,
    value: isPrimitive(value) ? (value as JsonValue) : null,
    message: issue?.message ?? error.message,
  };
}
