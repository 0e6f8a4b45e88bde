import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { connectionStore, sessionStore } from '../storage';
import { maskToken, saveConnection, viewOf } from './connection';

beforeEach(() => fakeBrowser.reset());

const emulator = { brand: 'custom' as const, url: 'http://127.0.0.1:8780/v2.0' };

describe('the stored connection', () => {
  it('shows only the last four characters of a key', () => {
    expect(maskToken('k-1234567890abcd')).toBe('••••••abcd');
    const view = viewOf({ endpoint: emulator, auth: { kind: 'key', token: 'k-1234567890abcd' } });
    expect(JSON.stringify(view)).not.toContain('1234567890');
  });

  it('keeps the stored key when the form sends an empty one for the same address', async () => {
    await saveConnection({ endpoint: emulator, auth: { kind: 'key', token: 'first-key' } });
    await saveConnection({
      endpoint: { ...emulator, url: 'http://127.0.0.1:8780/v2.0' },
      auth: { kind: 'key', token: null },
    });
    expect(await connectionStore.get()).toEqual({
      endpoint: emulator,
      auth: { kind: 'key', token: 'first-key' },
    });
  });

  it('does not let the stored key follow a changed address: it must be entered again', async () => {
    await saveConnection({ endpoint: emulator, auth: { kind: 'key', token: 'first-key' } });
    await expect(
      saveConnection({
        endpoint: { brand: 'custom', url: 'https://evil.example.net/v2.0' },
        auth: { kind: 'key', token: null },
      }),
    ).rejects.toThrow(/The address changed: enter the API key for https:\/\/evil\.example\.net\/v2\.0/);
    await expect(
      saveConnection({ endpoint: { brand: 'uis' }, auth: { kind: 'key', token: '' } }),
    ).rejects.toThrow(/address changed/);
    expect(await connectionStore.get()).toEqual({
      endpoint: emulator,
      auth: { kind: 'key', token: 'first-key' },
    });
    await saveConnection({ endpoint: { brand: 'uis' }, auth: { kind: 'key', token: 'uis-key' } });
    expect(await connectionStore.get()).toEqual({
      endpoint: { brand: 'uis' },
      auth: { kind: 'key', token: 'uis-key' },
    });
  });

  it('does not let a remembered or session password follow a changed address', async () => {
    const login = { kind: 'login' as const, login: 'ops@example.com' };
    await saveConnection({ endpoint: emulator, auth: { ...login, password: 'secret', remember: true } });
    await expect(
      saveConnection({ endpoint: { brand: 'comagic' }, auth: { ...login, password: null, remember: true } }),
    ).rejects.toThrow(/enter the password for https:\/\/dataapi\.comagic\.ru/);
    expect(await connectionStore.get()).toMatchObject({ endpoint: emulator, auth: { password: 'secret' } });

    await saveConnection({ endpoint: emulator, auth: { ...login, password: 'for-now', remember: false } });
    await expect(
      saveConnection({ endpoint: { brand: 'comagic' }, auth: { ...login, password: null, remember: false } }),
    ).rejects.toThrow(/address changed/);
    await saveConnection({
      endpoint: { brand: 'comagic' },
      auth: { ...login, password: 'comagic-pw', remember: false },
    });
    expect(await sessionStore.getPassword()).toBe('comagic-pw');
  });

  it('forgets the session the previous address gave when the address changes', async () => {
    await saveConnection({ endpoint: emulator, auth: { kind: 'key', token: 'first-key' } });
    await sessionStore.set({ token: 'old-session', expiresAt: Date.now() + 60_000 });
    await saveConnection({ endpoint: { brand: 'uis' }, auth: { kind: 'key', token: 'uis-key' } });
    expect(await sessionStore.get()).toBeNull();
  });

  it('refuses plain http to another computer, and takes it for this one', async () => {
    await expect(
      saveConnection({
        endpoint: { brand: 'custom', url: 'http://api.example.com/v2.0' },
        auth: { kind: 'key', token: 'k' },
      }),
    ).rejects.toThrow(/unencrypted to api\.example\.com: use an https:\/\/ address/);
    expect(await connectionStore.get()).toBeNull();
    for (const url of [
      'http://localhost:8780/v2.0',
      'http://[::1]:8780/v2.0',
      'https://api.example.com/v2.0',
    ]) {
      await saveConnection({ endpoint: { brand: 'custom', url }, auth: { kind: 'key', token: 'k' } });
      expect(await connectionStore.get()).toMatchObject({ endpoint: { url } });
    }
  });

  it('refuses to save a key connection with no key at all', async () => {
    await expect(
      saveConnection({ endpoint: emulator, auth: { kind: 'key', token: null } }),
    ).rejects.toThrow();
    expect(await connectionStore.get()).toBeNull();
  });

  it('keeps a password it was not asked to remember only for the browser session', async () => {
    await saveConnection({
      endpoint: emulator,
      auth: { kind: 'login', login: 'ops@example.com', password: 'secret', remember: false },
    });
    expect(await connectionStore.get()).toMatchObject({ auth: { kind: 'login', password: null } });
    expect(await sessionStore.getPassword()).toBe('secret');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('secret');
  });

  it('stores a password the user asked to remember', async () => {
    await saveConnection({
      endpoint: emulator,
      auth: { kind: 'login', login: 'ops@example.com', password: 'secret', remember: true },
    });
    expect(await connectionStore.get()).toMatchObject({ auth: { kind: 'login', password: 'secret' } });
    expect(viewOf(await connectionStore.get())).toMatchObject({
      passwordRemembered: true,
      maskedToken: null,
    });
  });
});
