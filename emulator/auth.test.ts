// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { advanceClock, configure } from './control';
import { call, expectError, expectOk, FIXED_NOW, rpc, useEmulator } from './testing';

const emulator = useEmulator({
  tokens: ['key-1', 'demo-key'],
  users: [{ login: 'anna', password: 's3cret' }],
  sessionTtlSeconds: 600,
  timezone: 'Asia/Yekaterinburg',
  accountName: 'Test account',
});

const login = async () =>
  expectOk(await rpc(emulator(), 'login.user', { login: 'anna', password: 's3cret' })) as {
    access_token: string;
    expire_at: number;
    app_id: number;
  };

describe('authentication', () => {
  it('accepts every configured permanent key', async () => {
    expectOk(await rpc(emulator(), 'get.account', { access_token: 'key-1' }));
  });

  it('requires access_token', async () => {
    const error = expectError(
      await rpc(emulator(), 'get.account', {}),
      'required_parameter_missed',
      'access_token',
    );
    expect(error.code).toBe(-32602);
  });

  it('rejects an unknown token with -32001 access_token_invalid', async () => {
    const error = expectError(
      await rpc(emulator(), 'get.account', { access_token: 'nope' }),
      'access_token_invalid',
    );
    expect(error.code).toBe(-32001);
  });

  it('logs in with valid credentials and the session token works', async () => {
    const session = await login();
    expect(session.expire_at).toBe(Math.floor(FIXED_NOW.getTime() / 1000) + 600);
    expect(typeof session.app_id).toBe('number');
    expectOk(await rpc(emulator(), 'get.account', { access_token: session.access_token }));
  });

  it('rejects wrong credentials with -32001 auth_error', async () => {
    const error = expectError(
      await rpc(emulator(), 'login.user', { login: 'anna', password: 'x' }),
      'auth_error',
    );
    expect(error.code).toBe(-32001);
  });

  it('requires login and password', async () => {
    expectError(
      await rpc(emulator(), 'login.user', { login: 'anna' }),
      'required_parameter_missed',
      'password',
    );
  });

  it('expires the session after its lifetime on the emulator clock', async () => {
    const { access_token } = await login();
    await advanceClock(emulator().origin, 599);
    expectOk(await rpc(emulator(), 'get.account', { access_token }));
    await advanceClock(emulator().origin, 1);
    const error = expectError(await rpc(emulator(), 'get.account', { access_token }), 'access_token_expired');
    expect(error.code).toBe(-32001);
  });

  it('invalidates the session on logout.user', async () => {
    const { access_token } = await login();
    expect(expectOk(await rpc(emulator(), 'logout.user', { access_token }))).toEqual({});
    expectError(await rpc(emulator(), 'get.account', { access_token }), 'access_token_invalid');
  });

  it('replaces the permanent keys through the config endpoint', async () => {
    await configure(emulator().origin, { tokens: ['fresh'] });
    expectError(await rpc(emulator(), 'get.account', { access_token: 'key-1' }), 'access_token_invalid');
    expectOk(await rpc(emulator(), 'get.account', { access_token: 'fresh' }));
  });
});

describe('get.account', () => {
  it('returns an array with app_id, name and the configured time zone', async () => {
    const data = expectOk(await call(emulator(), 'get.account'));
    expect(data).toEqual([
      { app_id: expect.any(Number), name: 'Test account', timezone: 'Asia/Yekaterinburg' },
    ]);
  });
});

describe('access switches', () => {
  it('answers -32003 ip_not_whitelisted with cabinet instructions when switched on', async () => {
    await configure(emulator().origin, { ipNotWhitelisted: true });
    const error = expectError(await call(emulator(), 'get.account'), 'ip_not_whitelisted');
    expect(error.code).toBe(-32003);
    expect(error.message).toContain('Администратор → Аккаунт → Правила и настройки безопасности → API');
    await configure(emulator().origin, { ipNotWhitelisted: false });
    expectOk(await call(emulator(), 'get.account'));
  });

  it('answers -32008 for CRM methods when the sales_funnel component is off, but not for get.account', async () => {
    await configure(emulator().origin, { salesFunnelComponent: false });
    for (const method of [
      'get.sales_funnel',
      'get.deal_contacts',
      'upload.deals_history',
      'get.deals_in_processing',
    ]) {
      const error = expectError(await call(emulator(), method), 'method_component_disabled');
      expect(error.code).toBe(-32008);
    }
    expectOk(await call(emulator(), 'get.account'));
  });
});
