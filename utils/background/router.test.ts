import { describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { createMessageListener, type Handlers, type RouterContext } from './router';

const EXTENSION = 'chrome-extension://abcdefgh';
const context: RouterContext = {
  extensionId: 'abcdefgh',
  extensionUrl: `${EXTENSION}/`,
  isGrantedOrigin: async (origin) => origin === 'https://crm.example.com',
};

function listenerWith(handlers: Partial<Handlers>) {
  return createMessageListener(handlers as Handlers, context);
}

const page = { id: 'abcdefgh', url: `${EXTENSION}/options.html` } as Browser.runtime.MessageSender;
const grantedTab = {
  id: 'abcdefgh',
  url: 'https://crm.example.com/#Opportunity',
  tab: { id: 7 },
} as Browser.runtime.MessageSender;

describe('the background message router', () => {
  it('runs the handler of a valid message from an extension page and returns its answer', async () => {
    const get = vi.fn(async () => null);
    const reply = await listenerWith({ 'connection.get': get })({ type: 'connection.get', data: {} }, page);
    expect(reply).toEqual({ ok: true, value: null });
    expect(get).toHaveBeenCalledWith({}, { kind: 'page', origin: EXTENSION, tabId: null });
  });

  it('refuses a message from another extension', async () => {
    const get = vi.fn();
    const sender = { ...page, id: 'someone-else' };
    const reply = await listenerWith({ 'connection.get': get })({ type: 'connection.get', data: {} }, sender);
    expect(reply).toMatchObject({ ok: false });
    expect(get).not.toHaveBeenCalled();
  });

  it('refuses a content script on a site the user did not grant', async () => {
    const config = vi.fn();
    const sender = { ...grantedTab, url: 'https://evil.example.net/' };
    const reply = await listenerWith({ 'content.config': config })(
      { type: 'content.config', data: {} },
      sender,
    );
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('https://evil.example.net') });
    expect(config).not.toHaveBeenCalled();
  });

  it('lets a content script on a granted site send only the messages meant for it', async () => {
    const config = vi.fn(async () => ({ timeZone: 'UTC', recipes: [] }));
    const get = vi.fn();
    const listener = listenerWith({ 'content.config': config, 'connection.get': get });
    expect(await listener({ type: 'content.config', data: {} }, grantedTab)).toMatchObject({ ok: true });
    expect(await listener({ type: 'connection.get', data: {} }, grantedTab)).toMatchObject({ ok: false });
    expect(get).not.toHaveBeenCalled();
  });

  it('refuses an unknown message type and a message whose data fails its schema, naming the field', async () => {
    const test = vi.fn();
    const listener = listenerWith({ 'tab.preview': test });
    expect(await listener({ type: 'eval', data: 'alert(1)' }, page)).toMatchObject({ ok: false });
    const bad = await listener({ type: 'tab.preview', data: { tabId: 'seven' } }, page);
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('tabId') });
    expect(test).not.toHaveBeenCalled();
  });

  it('turns a failing handler into an answer with its message instead of a rejected promise', async () => {
    const listener = listenerWith({
      'job.get': async () => {
        throw new Error('The job is gone.');
      },
    });
    expect(await listener({ type: 'job.get', data: { jobId: 'x' } }, page)).toEqual({
      ok: false,
      error: 'The job is gone.',
    });
  });
});
