import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-routes';
import type { ArmedFault } from './faults';
import { handleRpc, methodNotAllowedBody, tooLargeBody } from './rpc';
import { createRuntime, type EmulatorOptions, type Runtime } from './runtime';
import { isValidTimeZone } from './validate';

export type { EmulatorOptions } from './runtime';

export interface RunningEmulator {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:8780/v2.0 */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

const RPC_PATH = '/v2.0';
/** Test-only endpoints live under their own prefix so they can never be mistaken for Data API calls. */
const CONTROL_PREFIX = '/__emulator/';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendFault(res: ServerResponse, fault: ArmedFault, internalError: unknown): void {
  if (fault.mode === 'http502') sendHtml(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
  else if (fault.mode === 'non_json')
    sendHtml(res, 200, '<html><body>Service temporarily unavailable</body></html>');
  else if (fault.mode === 'internal_error') sendJson(res, 200, internalError);
  else if (fault.mode === 'drop') res.socket?.destroy();
  // 'hang' is never answered: the client gives up (socket closes) or close() destroys the connection.
}

async function serveRpc(req: IncomingMessage, res: ServerResponse, rt: Runtime): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, methodNotAllowedBody(rt));
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(res, 200, tooLargeBody(rt));
    throw error;
  }
  const outcome = handleRpc(raw, rt);
  if (outcome.kind === 'answer') return sendJson(res, 200, outcome.body);
  sendFault(res, outcome.fault, outcome.internalError);
}

async function serve(req: IncomingMessage, res: ServerResponse, rt: Runtime): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  if (path === RPC_PATH) return serveRpc(req, res, rt);
  if (path.startsWith(CONTROL_PREFIX)) {
    const raw = req.method === 'POST' ? await readBody(req) : '';
    const { status, body } = handleControl(req.method ?? 'GET', path.slice(CONTROL_PREFIX.length), raw, rt);
    return sendJson(res, status, body);
  }
  sendJson(res, 404, { error: `Not found: the Data API is at ${RPC_PATH}` });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  if (options.timezone !== undefined && !isValidTimeZone(options.timezone)) {
    throw new Error(`Unknown time zone: ${options.timezone}`);
  }
  const rt = createRuntime(options);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    serve(req, res, rt).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'emulator failure' });
      else res.destroy();
    });
  });
  // Keep idle connections longer than clients do (Node's fetch drops them after 4 s), so the
  // server never closes a socket a client is about to reuse ("other side closed").
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8780, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}${RPC_PATH}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
