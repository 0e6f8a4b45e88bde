import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ScrapeReport } from '../crm/scrape';
import { askContentScript, scrapeTab } from './tabs';

beforeEach(() => fakeBrowser.reset());

const report: ScrapeReport = {
  url: 'https://crm.example.com/#Opportunity',
  adapterId: 'espocrm',
  adapterLabel: 'EspoCRM',
  kind: 'board',
  reasons: [],
  deal: null,
  board: {
    crm: 'espocrm',
    url: 'https://crm.example.com/#Opportunity',
    pipeline: { id: 'Opportunity', name: 'Opportunities' },
    stages: [],
    deals: [],
    incompleteStages: [],
  },
  problems: [],
};

function grantEverySite() {
  vi.spyOn(browser.permissions, 'contains').mockImplementation(
    (async () => true) as typeof browser.permissions.contains,
  );
}

describe('reading a tab', () => {
  it('asks with the reading it holds, and reuses that report when the page answers with its id only', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/#Opportunity' });
    grantEverySite();
    const asked: unknown[] = [];
    const answers = [
      { id: 'r1', report },
      { id: 'r1', report: null },
      { id: 'r2', report: { ...report } },
    ];
    vi.spyOn(browser.tabs, 'sendMessage').mockImplementation((async (_tabId: number, message: unknown) => {
      asked.push(message);
      return answers.shift();
    }) as typeof browser.tabs.sendMessage);

    const first = await scrapeTab(tab.id!);
    const second = await scrapeTab(tab.id!);
    const third = await scrapeTab(tab.id!);
    expect(asked).toEqual([
      { type: 'crm.read', known: undefined },
      { type: 'crm.read', known: 'r1' },
      { type: 'crm.read', known: 'r1' },
    ]);
    expect(first).toMatchObject({ kind: 'report', reading: 'r1', origin: 'https://crm.example.com', report });
    expect(second.kind === 'report' && second.report).toBe(first.kind === 'report' && first.report);
    expect(third).toMatchObject({ kind: 'report', reading: 'r2', report });
    expect(third.kind === 'report' && third.report).not.toBe(first.kind === 'report' && first.report);
  });

  it('refuses a reading that is not the shape a content script sends, and says so', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/#Opportunity' });
    grantEverySite();
    const forged = {
      ...report,
      board: { ...report.board, deals: [{ name: '<img src=x onerror=alert(1)>' }] },
    };
    vi.spyOn(browser.tabs, 'sendMessage').mockImplementation((async () => ({
      id: 'r1',
      report: forged,
    })) as typeof browser.tabs.sendMessage);

    const read = await scrapeTab(tab.id!);
    expect(read).toEqual({ kind: 'no-tab', reason: expect.stringContaining('cannot trust') });
  });
});

describe('asking a script of a CRM tab', () => {
  it('injects the script when nothing in the tab answers, then checks the answer against its request', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/#Opportunity' });
    const sent: unknown[] = [];
    const answers: unknown[] = [undefined, { ids: ['7', null] }];
    vi.spyOn(browser.tabs, 'sendMessage').mockImplementation((async (_tabId: number, message: unknown) => {
      sent.push(message);
      return answers.shift();
    }) as typeof browser.tabs.sendMessage);
    const injected = vi
      .spyOn(browser.scripting, 'executeScript')
      .mockImplementation((async () => []) as typeof browser.scripting.executeScript);

    const answer = await askContentScript(tab.id!, 'crm.cardIds', { board: report.board! }, '/deal-reads.js');
    expect(answer).toEqual({ ids: ['7', null] });
    expect(injected).toHaveBeenCalledWith({ target: { tabId: tab.id }, files: ['/deal-reads.js'] });
    expect(sent).toEqual([
      { type: 'crm.cardIds', board: report.board },
      { type: 'crm.cardIds', board: report.board },
    ]);
  });

  it('refuses an answer that is not the one of its request', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/#Opportunity' });
    vi.spyOn(browser.tabs, 'sendMessage').mockImplementation((async () => ({
      ids: [42],
    })) as typeof browser.tabs.sendMessage);

    await expect(askContentScript(tab.id!, 'crm.cardIds', { board: report.board! })).rejects.toThrow(
      /cannot trust/,
    );
  });
});
