// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configure, injectFaults, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { callLog, launchEmulator, rejection, stubApi, testClient } from '../../tests/support/emulator';
import { describeError } from './errors';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => reset(emulator.origin));

describe('error classes', () => {
  it('auth: a bad key fails at once, without a retry', async () => {
    const { client } = testClient(emulator, { auth: { kind: 'key', token: 'wrong-key' } });
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'auth', code: -32001, mnemonic: 'access_token_invalid' });
    expect(await callLog(emulator)).toHaveLength(1);
  });

  it('access: an IP outside the whitelist tells the person where to add it', async () => {
    await configure(emulator.origin, { ipNotWhitelisted: true });
    const { client } = testClient(emulator);
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'access', code: -32003, mnemonic: 'ip_not_whitelisted' });
    expect(describeError(info, 'ru')).toContain('Правила и настройки безопасности');
    expect(describeError(info, 'en')).toContain('0.0.0.0/0');
  });

  it('component: the sales-funnel component switched off', async () => {
    await configure(emulator.origin, { salesFunnelComponent: false });
    const { client } = testClient(emulator);
    const info = await rejection(client.list('get.sales_funnel'));
    expect(info).toMatchObject({ class: 'component', code: -32008, mnemonic: 'method_component_disabled' });
    expect(describeError(info, 'ru')).toContain('Воронки продаж');
  });

  it('fatal: a code outside the known groups, not retried', async () => {
    let calls = 0;
    const stub = await stubApi(({ id }) => {
      calls += 1;
      return {
        jsonrpc: '2.0',
        id,
        error: { code: -32009, message: 'Account is inactive', data: { mnemonic: 'account_inactive' } },
      };
    });
    try {
      const { client } = testClient(emulator, { endpoint: stub.url });
      const info = await rejection(client.call('get.account', {}));
      expect(info).toMatchObject({ class: 'fatal', code: -32009, mnemonic: 'account_inactive' });
      expect(calls).toBe(1);
    } finally {
      stub.server.close();
    }
  });

  it('transient: an answer for another id is not taken, and is retried', async () => {
    const ids: unknown[] = [];
    const stub = await stubApi(({ id }) => {
      ids.push(id);
      return { jsonrpc: '2.0', id: 'someone-else', result: { data: [], metadata: {} } };
    });
    try {
      const { client } = testClient(emulator, { endpoint: stub.url, retries: 1 });
      const info = await rejection(client.call('get.account', {}));
      expect(info).toMatchObject({ class: 'transient', mnemonic: 'id_mismatch' });
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
    } finally {
      stub.server.close();
    }
  });
});

describe('transient failures are retried with the same JSON-RPC id', () => {
  for (const mode of ['http502', 'internal_error', 'non_json', 'drop'] as const) {
    it(`recovers from one ${mode}`, async () => {
      await injectFaults(emulator.origin, { mode, count: 1 });
      const { client, clock } = testClient(emulator, { backoffBaseMs: 200 });
      expect(await client.call('get.deals_in_processing', {})).toEqual({ count: 0 });
      const calls = await callLog(emulator);
      expect(calls.map((call) => [call.fault ?? null, call.ok])).toEqual([
        [mode, false],
        [null, true],
      ]);
      expect(calls[1]?.id).toBe(calls[0]?.id);
      expect(clock.sleeps).toEqual([150]);
    });
  }

  it('gives up after the configured retries, backing off exponentially with jitter', async () => {
    await injectFaults(emulator.origin, { mode: 'http502', count: 10 });
    const { client, clock } = testClient(emulator, { retries: 3, backoffBaseMs: 100, backoffMaxMs: 300 });
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'transient', code: null, mnemonic: 'http_502' });
    // random() = 0.5: half of each step fixed plus a quarter; steps 100, 200, then capped at 300.
    expect(clock.sleeps).toEqual([75, 150, 225]);
    const calls = await callLog(emulator);
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((call) => call.id)).size).toBe(1);
  });

  it('draws the jitter from random()', async () => {
    await injectFaults(emulator.origin, { mode: 'internal_error', count: 2 });
    const draws = [0, 1];
    const { client, clock } = testClient(emulator, { backoffBaseMs: 400, random: () => draws.shift() ?? 0 });
    await client.call('get.account', {});
    expect(clock.sleeps).toEqual([200, 800]);
  });

  it('times out a hanging answer and retries it', async () => {
    await injectFaults(emulator.origin, { mode: 'hang', count: 1 });
    const { client } = testClient(emulator, { timeoutMs: 300 });
    expect(await client.call('get.account', {})).toHaveLength(1);
    const calls = await callLog(emulator);
    expect(calls.map((call) => call.fault ?? null)).toEqual(['hang', null]);
    expect(calls[1]?.id).toBe(calls[0]?.id);
  });

  it('reports a timeout when every attempt hangs', async () => {
    await injectFaults(emulator.origin, { mode: 'hang', count: 2 });
    const { client } = testClient(emulator, { timeoutMs: 200, retries: 1 });
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'transient', mnemonic: 'timeout' });
    expect(await callLog(emulator)).toHaveLength(2);
  });

  it('re-sends a call whose answer was lost after the API committed it, under the same id', async () => {
    await injectFaults(emulator.origin, { mode: 'drop', count: 1, afterCommit: true });
    const { client } = testClient(emulator);
    // The re-send meets the entity the lost call created: why the runner reads state after an ambiguous failure.
    const info = await rejection(client.call('create.deal_employees', { ext_id: 'e-1', name: 'Olga' }));
    expect(info).toMatchObject({ class: 'validation', mnemonic: 'duplicate_entity' });
    const calls = await callLog(emulator);
    expect(calls.map((call) => [call.ok, call.fault ?? null])).toEqual([
      [true, 'drop'],
      [false, null],
    ]);
    expect(calls[1]?.id).toBe(calls[0]?.id);
  });
});
