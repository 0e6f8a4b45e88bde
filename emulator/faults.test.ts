// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { injectFaults, inspect } from './control';
import { startEmulator } from './server';
import { call, dealRecord, expectOk, seedFunnel, TOKEN, upload, useEmulator } from './testing';

const emulator = useEmulator();

const post = (method: string, params: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(emulator().url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 'f-1', method, params: { access_token: TOKEN, ...params } }),
    signal,
  });

const employee = (ext_id: string) => ({ ext_id, name: 'Anna' });
const storedEmployees = async () => (await inspect(emulator().origin)).employees.map((e) => e.ext_id);

describe('fault injection', () => {
  it('http502 answers 502 with an HTML body and does not run the call', async () => {
    await injectFaults(emulator().origin, { mode: 'http502', count: 1 });
    const response = await post('create.deal_employees', employee('e1'));
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await storedEmployees()).toEqual([]);
  });

  it('non_json answers 200 with HTML', async () => {
    await injectFaults(emulator().origin, { mode: 'non_json', count: 1 });
    const response = await post('get.account', {});
    expect(response.status).toBe(200);
    await expect(response.clone().json()).rejects.toThrow();
    expect(await response.text()).toContain('<html>');
  });

  it('internal_error answers a -32603 error object with the request id', async () => {
    await injectFaults(emulator().origin, { mode: 'internal_error', count: 1 });
    const json = (await (await post('get.account', {})).json()) as {
      id: string;
      error: { code: number; data: { mnemonic: string } };
    };
    expect(json.id).toBe('f-1');
    expect(json.error.code).toBe(-32603);
    expect(json.error.data.mnemonic).toBe('internal_error');
  });

  it('drop destroys the connection', async () => {
    await injectFaults(emulator().origin, { mode: 'drop', count: 1 });
    await expect(post('get.account', {})).rejects.toThrow();
  });

  it('hang holds the request until the client gives up', async () => {
    await injectFaults(emulator().origin, { mode: 'hang', count: 1 });
    const controller = new AbortController();
    const pending = post('get.account', {}, controller.signal);
    await expect
      .poll(async () => (await inspect(emulator().origin)).calls.some((c) => c.fault === 'hang'))
      .toBe(true);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expectOk(await call(emulator(), 'get.account'));
  });

  it('fails only the next `count` calls, then answers normally', async () => {
    await injectFaults(emulator().origin, { mode: 'http502', count: 2 });
    expect((await post('get.account', {})).status).toBe(502);
    expect((await post('get.account', {})).status).toBe(502);
    expectOk(await call(emulator(), 'get.account'));
  });

  it('matches only the listed methods', async () => {
    await injectFaults(emulator().origin, { mode: 'http502', count: 1, methods: ['upload.deals_history'] });
    expectOk(await call(emulator(), 'get.account'));
    expect((await post('upload.deals_history', { deals: [] })).status).toBe(502);
  });

  it('afterCommit stores the effects and then fails the answer', async () => {
    await seedFunnel(emulator());
    await injectFaults(emulator().origin, {
      mode: 'drop',
      count: 1,
      afterCommit: true,
      methods: ['upload.deals_history'],
    });
    await expect(post('upload.deals_history', { deals: [dealRecord()] })).rejects.toThrow();
    expect(Object.keys((await inspect(emulator().origin)).deals)).toEqual(['d1']);
    const replay = await upload(emulator(), [dealRecord()]);
    expectOk(replay);
    expect((await inspect(emulator().origin)).deals.d1).toHaveLength(1);
  });

  it('without afterCommit the call has no effect', async () => {
    await injectFaults(emulator().origin, { mode: 'internal_error', count: 1 });
    await post('create.deal_employees', employee('e1'));
    expect(await storedEmployees()).toEqual([]);
  });

  it('logs every call with its fault in the call log', async () => {
    await injectFaults(emulator().origin, { mode: 'http502', count: 1, afterCommit: true });
    await post('create.deal_employees', employee('e1'));
    expectOk(await call(emulator(), 'get.deal_employees'));
    const { calls, employees } = await inspect(emulator().origin);
    expect(employees.map((e) => e.ext_id)).toEqual(['e1']);
    expect(calls).toEqual([
      { at: expect.any(String), method: 'create.deal_employees', id: 'f-1', ok: true, fault: 'http502' },
      { at: expect.any(String), method: 'get.deal_employees', id: 'req-1', ok: true },
    ]);
  });

  it('rejects a malformed fault spec with HTTP 400', async () => {
    const response = await fetch(`${emulator().origin}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'explode', count: 1 }),
    });
    expect(response.status).toBe(400);
  });
});

describe('hang on close', () => {
  it('close() ends a request that is still hanging', async () => {
    const own = await startEmulator({ port: 0 });
    await injectFaults(own.origin, { mode: 'hang', count: 1 });
    const pending = fetch(own.url, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'get.account', params: { access_token: TOKEN } }),
    });
    await expect.poll(async () => (await inspect(own.origin)).calls.length).toBe(1);
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
