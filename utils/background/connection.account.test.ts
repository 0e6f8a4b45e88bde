// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { configure, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { callLog, KEY, launchEmulator } from '../../tests/support/emulator';
import { accountStore, settingsStore } from '../storage';
import { saveConnection, testConnection } from './connection';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator({ accountName: 'Shop' });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  fakeBrowser.reset();
  await reset(emulator.origin);
  await saveConnection({
    endpoint: { brand: 'custom', url: emulator.url },
    auth: { kind: 'key', token: KEY },
  });
});

const accountCalls = async () =>
  (await callLog(emulator)).map((call) => call.method).filter((method) => method?.includes('account'));

describe('Test connection reads the account', () => {
  it('with getobj.account, which client and partner accounts both have', async () => {
    const result = await testConnection();
    expect(result).toMatchObject({ ok: true, account: { name: 'Shop', timeZone: 'Europe/Moscow' } });
    expect(await accountCalls()).toEqual(['getobj.account']);
    expect(await accountStore.get()).toMatchObject({ name: 'Shop', timeZone: 'Europe/Moscow' });
  });

  it("keeps the account's report currency, which deals in another currency are converted into", async () => {
    await configure(emulator.origin, { reportCurrency: 'KZT' });
    await testConnection();
    expect(await accountStore.get()).toMatchObject({ reportCurrency: 'KZT' });
  });

  it("as a partner key, with the client's user id from the settings on every call", async () => {
    await configure(emulator.origin, { partnerUserIds: [4021] });
    expect(await testConnection()).toMatchObject({ ok: false });
    await settingsStore.set({ ...(await settingsStore.get()), partnerUserId: 4021 });
    expect(await testConnection()).toMatchObject({ ok: true, account: { name: 'Shop' } });
  });

  it('with get.account when the account lacks the component getobj.account needs', async () => {
    await configure(emulator.origin, { setupComponent: false });
    const result = await testConnection();
    expect(result).toMatchObject({ ok: true, account: { name: 'Shop', timeZone: 'Europe/Moscow' } });
    expect(await accountCalls()).toEqual(['getobj.account', 'get.account']);
  });

  it('and reports any other refusal instead of falling back', async () => {
    await configure(emulator.origin, { ipNotWhitelisted: true });
    const result = await testConnection();
    expect(result).toMatchObject({ ok: false, errorClass: 'access' });
    expect(await accountCalls()).toEqual(['getobj.account']);
  });
});
