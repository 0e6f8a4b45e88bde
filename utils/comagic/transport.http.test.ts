// @vitest-environment node
// Over real HTTP with Node's own fetch (happy-dom's would stand in for the browser's otherwise).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRpc } from './transport';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A server on 127.0.0.1 that records each request's body and answers with `respond`. */
async function serve(
  respond: (request: IncomingMessage, body: string) => [number, Record<string, string>, string],
) {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      const [status, headers, text] = respond(request, body);
      response.writeHead(status, headers).end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`, bodies };
}

const request = { id: 'r1', method: 'get.account', params: { access_token: 'secret-key' } };

describe('sendRpc over HTTP', () => {
  it('answers from a server that does not redirect', async () => {
    const api = await serve(() => [
      200,
      {},
      JSON.stringify({ jsonrpc: '2.0', id: 'r1', result: { data: [] } }),
    ]);
    const outcome = await sendRpc(request, { url: api.url, timeoutMs: 5_000, fetch });
    expect(outcome).toMatchObject({ ok: true, data: [] });
    expect(api.bodies).toHaveLength(1);
  });

  for (const status of [301, 302, 307, 308]) {
    it(`does not follow a ${status} redirect: the key never reaches where it points`, async () => {
      const elsewhere = await serve(() => [
        200,
        {},
        JSON.stringify({ jsonrpc: '2.0', id: 'r1', result: { data: [] } }),
      ]);
      const api = await serve(() => [status, { Location: elsewhere.url }, '']);
      const outcome = await sendRpc(request, { url: api.url, timeoutMs: 5_000, fetch });
      expect(outcome).toMatchObject({ ok: false, error: { mnemonic: 'network_error' } });
      expect(api.bodies).toEqual([expect.stringContaining('secret-key')]);
      expect(elsewhere.bodies).toEqual([]);
    });
  }
});
