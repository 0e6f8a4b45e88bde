/**
 * One JSON-RPC 2.0 call over HTTP POST: send, time out, parse the envelope, classify a failure.
 * Never throws for what the network or the API does; the answer is an outcome value.
 */
import { z } from 'zod';
import { type ComagicErrorInfo, classOfCode, type JsonValue } from './errors';

export interface RpcRequest {
  id: string;
  method: string;
  params: Record<string, unknown>;
}

export interface TransportOptions {
  url: string;
  /** Must stay under 30 s: an MV3 worker is killed when a fetch takes longer. */
  timeoutMs: number;
  fetch: typeof fetch;
}

export type RpcOutcome =
  | { ok: true; data: unknown; metadata: unknown }
  | { ok: false; error: ComagicErrorInfo; metadata: unknown };

const Json: z.ZodType<JsonValue> = z.json();

const Envelope = z.looseObject({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.looseObject({ data: z.unknown(), metadata: z.unknown().optional() }).optional(),
  error: z
    .looseObject({
      code: z.number(),
      message: z.string().catch(''),
      data: z
        .looseObject({
          mnemonic: z.string().nullish(),
          field: z.string().nullish(),
          value: Json.nullish().catch(null),
          metadata: z.unknown().optional(),
        })
        .nullish(),
    })
    .optional(),
});

export function transientError(mnemonic: string, message: string): ComagicErrorInfo {
  return { class: 'transient', code: null, mnemonic, field: null, value: null, message };
}

export async function sendRpc(request: RpcRequest, options: TransportOptions): Promise<RpcOutcome> {
  const failure = (mnemonic: string, message: string): RpcOutcome => ({
    ok: false,
    error: transientError(mnemonic, message),
    metadata: undefined,
  });
  let status: number;
  let body: string;
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ jsonrpc: '2.0', ...request }),
      // The key or password is in the body: a redirect would carry it to wherever it points.
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return failure('timeout', `No answer within ${options.timeoutMs} ms`);
    }
    return failure('network_error', error instanceof Error ? error.message : String(error));
  }
  if (status !== 200) return failure(`http_${status}`, `HTTP status ${status}`);
  return parseAnswer(body, request.id);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** An answer counts only if it is JSON-RPC for our id; an error the API could not tie to a request has id null. */
export function parseAnswer(body: string, id: string): RpcOutcome {
  const parsed = Envelope.safeParse(parseJson(body));
  const envelope = parsed.success ? parsed.data : null;
  const oneOutcome = envelope && (envelope.result === undefined) !== (envelope.error === undefined);
  if (!envelope || !oneOutcome) {
    return {
      ok: false,
      error: transientError('invalid_response', 'The answer is not JSON-RPC'),
      metadata: undefined,
    };
  }
  const { error, result } = envelope;
  const idMatches = envelope.id === id || (error !== undefined && envelope.id === null);
  if (!idMatches) {
    return {
      ok: false,
      error: transientError('id_mismatch', 'The answer belongs to another request'),
      metadata: undefined,
    };
  }
  if (result) return { ok: true, data: result.data, metadata: result.metadata };
  // oneOutcome guarantees the error when there is no result.
  const { code, message, data } = error!;
  return {
    ok: false,
    error: {
      class: classOfCode(code),
      code,
      mnemonic: data?.mnemonic ?? 'error',
      field: data?.field ?? null,
      value: data?.value ?? null,
      message,
    },
    metadata: data?.metadata,
  };
}
