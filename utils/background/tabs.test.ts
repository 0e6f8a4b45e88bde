import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ScrapeReport } from '../crm/scrape';
import { scrapeTab } from './tabs';

beforeEach(() => fakeBrowser.reset());

const report = { url: 'https://crm.example.com/#Opportunity', kind: 'board' } as ScrapeReport;

describe('reading a tab', () => {
  it('asks with the reading it holds, and reuses that report when the page answers with its id only', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://crm.example.com/#Opportunity' });
    vi.spyOn(browser.permissions, 'contains').mockImplementation(
      (async () => true) as typeof browser.permissions.contains,
    );
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
    expect(first).toMatchObject({ kind: 'report', reading: 'r1', origin: 'https://crm.example.com' });
    expect(second.kind === 'report' && second.report).toBe(report);
    expect(third).toMatchObject({ kind: 'report', reading: 'r2' });
    expect(third.kind === 'report' && third.report).not.toBe(report);
  });
});
