import {
  dataTypeError,
  entityNotFound,
  internalError,
  invalidRequest,
  RpcFault,
  requiredMissed,
  unexpectedParameter,
} from './errors';
import type { ArmedFault } from './faults';
import { breach, charge, report } from './limits';
import { METHODS } from './methods';
import type { Method } from './methods/types';
import { nowMs, type Runtime } from './runtime';
import { saveData } from './store';
import { isObject, type Obj, requireString } from './validate';

type RpcId = string | number | null;

interface Envelope {
  id: string | number;
  method: string;
  params: Obj;
}

/**
 * What the HTTP layer sends: a JSON-RPC answer, or an injected fault instead of it
 * (`internalError` is the body the 'internal_error' mode answers with).
 */
export type RpcOutcome =
  | { kind: 'answer'; body: unknown }
  | { kind: 'fault'; fault: ArmedFault; internalError: unknown };

const IP_MESSAGE =
  'Доступ к API с этого IP-адреса запрещён. Добавьте IP-адрес (или 0.0.0.0/0 для любых адресов) в кабинете: ' +
  'Администратор → Аккаунт → Правила и настройки безопасности → API';

class EnvelopeFault {
  constructor(
    readonly fault: RpcFault,
    readonly id: RpcId,
  ) {}
}

function parseEnvelope(raw: string): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new EnvelopeFault(
      new RpcFault(-32700, 'parse_error', 'Parse error: the body is not valid JSON'),
      null,
    );
  }
  if (Array.isArray(body)) {
    throw new EnvelopeFault(
      new RpcFault(-32099, 'batch_opreations_not_supported', 'Batch operations are not supported'),
      null,
    );
  }
  if (!isObject(body)) throw new EnvelopeFault(invalidRequest('The request must be a JSON object'), null);
  if (!('id' in body)) {
    throw new EnvelopeFault(
      new RpcFault(-32099, 'notifications_not_supported', 'Notifications are not supported'),
      null,
    );
  }
  const { id, jsonrpc, method, params } = body;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new EnvelopeFault(invalidRequest('id must be a string or a number'), null);
  }
  if (jsonrpc !== '2.0') throw new EnvelopeFault(invalidRequest('jsonrpc must be "2.0"'), id);
  if (typeof method !== 'string') throw new EnvelopeFault(invalidRequest('method must be a string'), id);
  if (!isObject(params)) throw new EnvelopeFault(invalidRequest('params must be an object'), id);
  return { id, method, params };
}

function authenticate(token: string, rt: Runtime): void {
  if (rt.config.tokens.includes(token)) return;
  const expiresAtMs = rt.sessions.get(token);
  if (expiresAtMs === undefined)
    throw new RpcFault(-32001, 'access_token_invalid', 'Access token is invalid');
  if (nowMs(rt) >= expiresAtMs)
    throw new RpcFault(-32001, 'access_token_expired', 'Access token has expired');
}

/** The docs: user_id "is required for a partner" acting for a client; which client users exist is the partner's. */
function checkPartnerUser(method: Method, userId: number | undefined, rt: Runtime): void {
  const { partnerUserIds } = rt.config;
  if (partnerUserIds.length === 0 || !method.needsToken || !method.takesUserId) return;
  if (userId === undefined) throw requiredMissed('user_id');
  if (!partnerUserIds.includes(userId)) throw entityNotFound('user_id', userId);
}

const limitsOf = (rt: Runtime) => report(rt.counters, rt.config, nowMs(rt));

function errorBody(fault: RpcFault, id: RpcId, rt: Runtime) {
  const data: Record<string, unknown> = { mnemonic: fault.mnemonic };
  if (fault.field !== undefined) data.field = fault.field;
  if (fault.value !== undefined) data.value = fault.value;
  if (fault.params !== undefined) data.params = fault.params;
  data.metadata = { limits: limitsOf(rt) };
  return { jsonrpc: '2.0', id, error: { code: fault.code, message: fault.message, data } };
}

function runMethod(envelope: Envelope, rt: Runtime) {
  if (rt.config.ipNotWhitelisted) throw new RpcFault(-32003, 'ip_not_whitelisted', IP_MESSAGE);
  const method = METHODS.get(envelope.method);
  if (!method) throw new RpcFault(-32601, 'method_not_found', `Method '${envelope.method}' not found`);
  const { access_token: _token, user_id: userId, ...params } = envelope.params;
  if (userId !== undefined && !method.takesUserId) throw unexpectedParameter('user_id', userId);
  if (userId !== undefined && (typeof userId !== 'number' || !Number.isInteger(userId))) {
    throw dataTypeError('user_id', userId, 'an integer');
  }
  let token: string | undefined;
  if (method.needsToken) {
    if (envelope.params.access_token === undefined) throw requiredMissed('access_token');
    token = requireString(envelope.params, 'access_token', '', 1000);
    authenticate(token, rt);
  } else if (envelope.params.access_token !== undefined) {
    params.access_token = envelope.params.access_token;
  }
  if (method.crm && !rt.config.salesFunnelComponent) {
    throw new RpcFault(
      -32008,
      'method_component_disabled',
      'The component «Воронки продаж» (sales_funnel) is disabled',
    );
  }
  checkPartnerUser(method, userId, rt);
  const over = breach(rt.counters, rt.config, nowMs(rt));
  if (over) {
    throw new RpcFault(
      -32029,
      'limit_exceeded',
      `Limit per ${over.limit_type} has been exceeded. Value of current limit per ${over.limit_type} is ${over.limit_max_value}`,
      undefined,
      undefined,
      { ...over },
    );
  }
  const result = method.run(params, rt, token, userId);
  rt.counters = charge(rt.counters, nowMs(rt));
  if (method.mutates && rt.statePath) saveData(rt.statePath, rt.data);
  return result;
}

interface Answer {
  body: unknown;
  mnemonic?: string;
}

function answer(envelope: Envelope, rt: Runtime): Answer {
  try {
    const result = runMethod(envelope, rt);
    const metadata: Record<string, unknown> = { limits: limitsOf(rt) };
    if (result.totalItems !== undefined) metadata.total_items = result.totalItems;
    return { body: { jsonrpc: '2.0', id: envelope.id, result: { data: result.data, metadata } } };
  } catch (error) {
    const fault = error instanceof RpcFault ? error : internalError();
    return { body: errorBody(fault, envelope.id, rt), mnemonic: fault.mnemonic };
  }
}

function log(rt: Runtime, entry: Omit<Runtime['calls'][number], 'at'>): void {
  rt.calls.push({ at: new Date(nowMs(rt)).toISOString(), ...entry });
}

/** One POST to the JSON-RPC path: envelope checks, an armed fault if any, the method, the call log. */
export function handleRpc(raw: string, rt: Runtime): RpcOutcome {
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(raw);
  } catch (error) {
    const { fault, id } = error instanceof EnvelopeFault ? error : new EnvelopeFault(internalError(), null);
    log(rt, { method: null, id, ok: false, mnemonic: fault.mnemonic });
    return { kind: 'answer', body: errorBody(fault, id, rt) };
  }
  const { id, method } = envelope;
  const fault = rt.faults.take(method);
  if (fault && !fault.afterCommit) {
    log(rt, { method, id, ok: false, fault: fault.mode });
    return { kind: 'fault', fault, internalError: errorBody(internalError(), id, rt) };
  }
  const { body, mnemonic } = answer(envelope, rt);
  const ok = mnemonic === undefined;
  if (fault) {
    log(rt, { method, id, ok, ...(mnemonic ? { mnemonic } : {}), fault: fault.mode });
    return { kind: 'fault', fault, internalError: errorBody(internalError(), id, rt) };
  }
  log(rt, { method, id, ok, ...(mnemonic ? { mnemonic } : {}) });
  return { kind: 'answer', body };
}

export function methodNotAllowedBody(rt: Runtime): unknown {
  return errorBody(invalidRequest('Only POST is allowed'), null, rt);
}

export function tooLargeBody(rt: Runtime): unknown {
  return errorBody(invalidRequest('The request body is too large'), null, rt);
}
