// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import {
  callLog,
  caughtComagicError,
  launchEmulator,
  START,
  stubApi,
  testClient,
  USER,
} from '../../tests/support/emulator';
import type { Session, SessionStore } from './client';
import { describeError } from './errors';

const TTL_SECONDS = 600;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator({ sessionTtlSeconds: TTL_SECONDS });
});
afterAll(() => emulator.close());
beforeEach(() => reset(emulator.origin));

function memoryStore() {
  const store = { saved: null as Session | null, writes: [] as (Session | null)[] };
  const hook: SessionStore = {
    get: async () => store.saved,
    set: async (session) => {
      store.saved = session;
      store.writes.push(session);
    },
  };
  return { store, hook };
}

const loginAuth = { kind: 'login', ...USER } as const;
const methods = async () => (await callLog(emulator)).map((call) => call.method);

describe('login + password sessions', () => {
  it('logs in once, keeps the session until expire_at and stores only the token', async () => {
    const { store, hook } = memoryStore();
    const { client } = testClient(emulator, { auth: loginAuth, sessionStore: hook });
    await client.call('get.account', {});
    await client.call('get.account', {});
    expect(await methods()).toEqual(['login.user', 'get.account', 'get.account']);
    expect(store.saved).toEqual({
      token: expect.stringMatching(/.+/),
      expiresAt: START + TTL_SECONDS * 1000,
    });
    expect(Object.keys(store.saved ?? {}).sort()).toEqual(['expiresAt', 'token']);
    expect(JSON.stringify(store.writes)).not.toContain(USER.password);
  });

  it('reuses a stored session in a new client (a restarted worker) without logging in', async () => {
    const { hook } = memoryStore();
    await testClient(emulator, { auth: loginAuth, sessionStore: hook }).client.call('get.account', {});
    await testClient(emulator, { auth: { ...loginAuth, password: null }, sessionStore: hook }).client.call(
      'get.account',
      {},
    );
    expect(await methods()).toEqual(['login.user', 'get.account', 'get.account']);
  });

  it('re-logs in once when the API answers -32001 and retries the call under its id', async () => {
    const { store, hook } = memoryStore();
    const { client } = testClient(emulator, { auth: loginAuth, sessionStore: hook });
    await client.call('get.account', {});
    const firstToken = store.saved?.token;
    await advanceClock(emulator.origin, TTL_SECONDS + 1);
    expect(await client.call('get.account', {})).toHaveLength(1);
    const calls = await callLog(emulator);
    expect(calls.map((call) => [call.method, call.mnemonic ?? 'ok'])).toEqual([
      ['login.user', 'ok'],
      ['get.account', 'ok'],
      ['get.account', 'access_token_expired'],
      ['login.user', 'ok'],
      ['get.account', 'ok'],
    ]);
    expect(calls[4]?.id).toBe(calls[2]?.id);
    expect(store.saved?.token).not.toBe(firstToken);
  });

  it('logs in before the call once its own clock passes expire_at', async () => {
    const { client, clock } = testClient(emulator, { auth: loginAuth });
    await client.call('get.account', {});
    await advanceClock(emulator.origin, TTL_SECONDS);
    clock.now += TTL_SECONDS * 1000;
    await client.call('get.account', {});
    expect(await methods()).toEqual(['login.user', 'get.account', 'login.user', 'get.account']);
  });

  it('re-logs in only once: a second -32001 is the caller’s', async () => {
    const shortLived = await launchEmulator({ sessionTtlSeconds: 0 });
    try {
      const { client } = testClient(shortLived, { auth: loginAuth });
      const { info } = await caughtComagicError(client.call('get.account', {}));
      expect(info).toMatchObject({ class: 'auth', code: -32001, mnemonic: 'access_token_expired' });
      expect((await callLog(shortLived)).map((call) => call.method)).toEqual([
        'login.user',
        'get.account',
        'login.user',
        'get.account',
      ]);
    } finally {
      await shortLived.close();
    }
  });

  it('falls back to `expire` when expire_at is absent, in seconds or in milliseconds', async () => {
    const expiries = [1_773_140_000, 1_773_140_000_123];
    const expiry = { value: 0 };
    const stub = await stubApi(({ id, method }) => ({
      jsonrpc: '2.0',
      id,
      result: { data: method === 'login.user' ? { access_token: 't', expire: expiry.value } : [] },
    }));
    try {
      const saved: (number | undefined)[] = [];
      for (const value of expiries) {
        expiry.value = value;
        const { store, hook } = memoryStore();
        await testClient(emulator, { endpoint: stub.url, auth: loginAuth, sessionStore: hook }).client.call(
          'get.account',
          {},
        );
        saved.push(store.saved?.expiresAt);
      }
      expect(saved).toEqual([1_773_140_000_000, 1_773_140_000_123]);
    } finally {
      stub.server.close();
    }
  });

  it('reports a wrong password as auth without ever showing the password', async () => {
    const wrong = 'not-the-pa55word';
    const { client } = testClient(emulator, { auth: { ...loginAuth, password: wrong } });
    const { info, message } = await caughtComagicError(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'auth', mnemonic: 'auth_error' });
    for (const text of [
      message,
      describeError(info, 'ru'),
      describeError(info, 'en'),
      JSON.stringify(info),
    ]) {
      expect(text).not.toContain(wrong);
    }
    expect(await methods()).toEqual(['login.user']);
  });

  it('asks for the password when the session ended and none is kept', async () => {
    const { client } = testClient(emulator, { auth: { ...loginAuth, password: null } });
    const { info } = await caughtComagicError(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'auth', mnemonic: 'password_required' });
    expect(await methods()).toEqual([]);
  });

  it('logout ends the session on the API and forgets it', async () => {
    const { store, hook } = memoryStore();
    const { client } = testClient(emulator, { auth: loginAuth, sessionStore: hook });
    await client.call('get.account', {});
    await client.logout();
    expect(store.saved).toBeNull();
    await client.call('get.account', {});
    expect(await methods()).toEqual([
      'login.user',
      'get.account',
      'logout.user',
      'login.user',
      'get.account',
    ]);
  });

  it('a key is never re-logged in: -32001 goes straight to the caller', async () => {
    const { client } = testClient(emulator, { auth: { kind: 'key', token: 'revoked' } });
    await client.logout();
    const { info } = await caughtComagicError(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'auth', mnemonic: 'access_token_invalid' });
    expect(await methods()).toEqual(['get.account']);
  });
});
