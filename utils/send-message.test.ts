import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { board, deal } from '@/tests/support/crm-model';
import { answerBackground, tabRequestOf } from './send-message';

beforeEach(() => fakeBrowser.reset());

const extension = () => ({ id: browser.runtime.id });
const recipe = {
  id: 'krayin',
  label: 'Krayin',
  urlPatterns: ['https://crm.example.com/*'],
  detect: { deal: '.lead-view' },
};

describe('a request from the background, checked by hand in the tab', () => {
  it('takes each request of the protocol with its fields, and nothing else of the message', () => {
    const cards = board([deal()]);
    expect(tabRequestOf({ type: 'crm.scrape', recipe, extra: 1 }, extension())).toEqual({
      type: 'crm.scrape',
      recipe,
    });
    expect(tabRequestOf({ type: 'crm.read', known: 'r1' }, extension())).toEqual({
      type: 'crm.read',
      known: 'r1',
    });
    expect(tabRequestOf({ type: 'crm.read' }, extension())).toEqual({ type: 'crm.read', known: undefined });
    expect(tabRequestOf({ type: 'crm.badges', states: { 42: 'sent', 43: 'new' } }, extension())).toEqual({
      type: 'crm.badges',
      states: { 42: 'sent', 43: 'new' },
    });
    expect(tabRequestOf({ type: 'crm.badges', states: null }, extension())).toEqual({
      type: 'crm.badges',
      states: null,
    });
    const reads = { type: 'crm.readDeals', crm: 'espocrm', ids: ['a', 'b'], concurrency: 4, delayMs: 0 };
    expect(tabRequestOf(reads, extension())).toEqual(reads);
    expect(tabRequestOf({ type: 'crm.cardIds', board: cards }, extension())).toEqual({
      type: 'crm.cardIds',
      board: cards,
    });
  });

  it('refuses a message another extension sent, even of the right shape', () => {
    expect(tabRequestOf({ type: 'crm.read', known: 'r1' }, { id: 'another-extension' })).toBeNull();
    expect(tabRequestOf({ type: 'crm.read', known: 'r1' }, {})).toBeNull();
  });

  it('refuses a request not of its shape, or of no request type', () => {
    const refused = [
      null,
      'crm.read',
      { type: 'crm.unknown' },
      { type: 'crm.read', known: 7 },
      { type: 'crm.scrape' },
      { type: 'crm.scrape', recipe: { id: 'krayin', label: 'Krayin' } },
      { type: 'crm.badges' },
      { type: 'crm.badges', states: { 42: 'exploded' } },
      { type: 'crm.badges', states: ['sent'] },
      { type: 'crm.readDeals', crm: 'espocrm', ids: ['a', 7], concurrency: 4, delayMs: 0 },
      { type: 'crm.readDeals', crm: 'espocrm', ids: ['a'], concurrency: '4', delayMs: 0 },
      { type: 'crm.cardIds', board: { url: 'https://crm.example.com/', stages: [] } },
    ];
    for (const message of refused)
      expect(tabRequestOf(message, extension()), JSON.stringify(message)).toBeNull();
  });
});

describe('a script answering the background', () => {
  it('answers the requests it takes and leaves every other message to the other scripts of the tab', async () => {
    const asked: unknown[] = [];
    answerBackground({
      'crm.read': async ({ known }) => {
        asked.push(known);
        return { id: 'r2', report: null };
      },
    });

    expect(
      await fakeBrowser.runtime.onMessage.trigger({ type: 'crm.read', known: 'r1' }, extension()),
    ).toEqual([{ id: 'r2', report: null }]);
    expect(
      await fakeBrowser.runtime.onMessage.trigger({ type: 'crm.badges', states: null }, extension()),
    ).toEqual([undefined]);
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'crm.read', known: 5 }, extension())).toEqual([
      undefined,
    ]);
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'crm.read' }, { id: 'another' })).toEqual([
      undefined,
    ]);
    expect(asked).toEqual(['r1']);
  });
});
