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

  it('keeps the stored key when the form sends an empty one', async () => {
    await saveConnection({ endpoint: emulator, auth: { kind: 'key', token: 'first-key' } });
    await saveConnection({ endpoint: { brand: 'uis' }, auth: { kind: 'key', token: null } });
    expect(await connectionStore.get()).toEqual({
      endpoint: { brand: 'uis' },
      auth: { kind: 'key', token: 'first-key' },
    });
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
