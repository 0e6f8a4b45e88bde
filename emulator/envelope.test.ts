// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { call, expectError, expectOk, postRaw, TOKEN, useEmulator } from './testing';

const emulator = useEmulator();
const send = (body: unknown) =>
  postRaw(emulator().url, typeof body === 'string' ? body : JSON.stringify(body));
const valid = { jsonrpc: '2.0', id: 'x1', method: 'get.account', params: { access_token: TOKEN } };

describe('JSON-RPC envelope', () => {
  it('answers a valid call with HTTP 200, the same id and limits metadata', async () => {
    const { status, json } = await send(valid);
    expect(status).toBe(200);
    expect(json.jsonrpc).toBe('2.0');
    expect(json.id).toBe('x1');
    expect(Object.keys(json.result?.metadata.limits ?? {}).sort()).toEqual([
      'day_limit',
      'day_remaining',
      'day_reset',
      'minute_limit',
      'minute_remaining',
      'minute_reset',
    ]);
  });

  it('accepts a numeric id', async () => {
    const { json } = await send({ ...valid, id: 42 });
    expect(json.id).toBe(42);
    expectOk(json);
  });

  it('rejects GET with HTTP 405 and an invalid_request body', async () => {
    const response = await fetch(emulator().url);
    expect(response.status).toBe(405);
    const json = (await response.json()) as { error: { code: number; data: { mnemonic: string } } };
    expect(json.error.code).toBe(-32600);
    expect(json.error.data.mnemonic).toBe('invalid_request');
  });

  it('answers a body that is not JSON with -32700 parse_error and id null', async () => {
    const { status, json } = await send('{"jsonrpc":');
    expect(status).toBe(200);
    expect(json.id).toBeNull();
    expect(expectError(json, 'parse_error').code).toBe(-32700);
  });

  it('rejects a batch array with the Russian-spelled batch mnemonic', async () => {
    const { json } = await send([valid]);
    expect(expectError(json, 'batch_opreations_not_supported').code).toBe(-32099);
  });

  it('rejects a call without id as a notification', async () => {
    const { id: _id, ...withoutId } = valid;
    const { json } = await send(withoutId);
    expect(expectError(json, 'notifications_not_supported').code).toBe(-32099);
  });

  it.each([
    ['jsonrpc 1.0', { ...valid, jsonrpc: '1.0' }],
    ['an object id', { ...valid, id: { a: 1 } }],
    ['a null id', { ...valid, id: null }],
    ['a non-string method', { ...valid, method: 7 }],
    ['array params', { ...valid, params: [TOKEN] }],
    ['missing params', { jsonrpc: '2.0', id: 'x1', method: 'get.account' }],
    ['a non-object body', 17],
  ])('rejects %s with -32600 invalid_request', async (_name, body) => {
    const { json } = await send(body);
    expect(expectError(json, 'invalid_request').code).toBe(-32600);
  });

  it('echoes the id when only jsonrpc is wrong', async () => {
    const { json } = await send({ ...valid, jsonrpc: '1.0' });
    expect(json.id).toBe('x1');
  });

  it.each(['get.nothing', 'toString', 'get.deals_processing'])(
    'answers -32601 for unknown method %s',
    async (method) => {
      const { json } = await send({ ...valid, method });
      expect(expectError(json, 'method_not_found').code).toBe(-32601);
    },
  );

  it('carries limits metadata in error answers', async () => {
    const { json } = await send({ ...valid, method: 'get.nothing' });
    expect(json.error?.data.metadata).toMatchObject({ limits: { minute_limit: expect.any(Number) } });
  });

  it('accepts an optional numeric user_id and rejects a string one', async () => {
    expectOk(await call(emulator(), 'get.deals_in_processing', { user_id: 15 }));
    expectError(
      await call(emulator(), 'get.deals_in_processing', { user_id: '15' }),
      'data_type_error',
      'user_id',
    );
  });

  it('refuses user_id on the methods whose page lists none (get.account, logout.user)', async () => {
    expectError(await call(emulator(), 'get.account', { user_id: 15 }), 'unexpected_parameters', 'user_id');
    expectError(await call(emulator(), 'logout.user', { user_id: 15 }), 'unexpected_parameters', 'user_id');
  });

  it('rejects unknown parameters', async () => {
    expectError(await call(emulator(), 'get.account', { extra: 1 }), 'unexpected_parameters', 'extra');
  });

  it('answers 404 outside the API path', async () => {
    const response = await fetch(`${emulator().origin}/v1.0`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });
});
