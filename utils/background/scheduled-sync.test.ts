import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { withoutSitePrefix } from '../../tests/support/settings';
import { type ScrapeReport, scrapePage } from '../crm/scrape';
import { autoSyncStore, scheduleStateStore, wholeReadsStore } from '../storage';
import type { EnqueueInput, Job } from '../sync/job';
import { type LedgerEntry, newEntry } from '../sync/ledger';
import { wholeReadKey } from '../sync/reading';
import { RUN_FIXED_POINTS } from '../sync/schedule';
import type { SyncService } from '../sync/service';
import { prepare, saveMapping } from './deals';
import { type BoardTabs, createScheduledSync } from './scheduled-sync';
import { cardKey } from './whole-export';

const SITE = 'https://crm.example.com';
const BOARD_URL = `${SITE}/#Opportunity`;
// Local time, as schedules are written.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute);

beforeEach(async () => {
  fakeBrowser.reset();
  // Expectations here name deals by their CRM ids.
  await withoutSitePrefix(SITE);
});

function boardReport(): ScrapeReport {
  const context = { now: at(3, 9).toISOString(), timeZone: 'UTC', locale: null, url: BOARD_URL };
  return scrapePage(fixturePage('espocrm', 'board-en'), context);
}

function fakeSync(entries: Record<string, LedgerEntry> = {}) {
  const enqueued: EnqueueInput[] = [];
  const sync = {
    ledgerEntries: async (ids: readonly string[]) =>
      Object.fromEntries(ids.flatMap((id) => (entries[id] ? [[id, entries[id]]] : []))),
    enqueue: vi.fn(async (input: EnqueueInput) => {
      enqueued.push(input);
      return `job-${enqueued.length}`;
    }),
    job: vi.fn(async (id: string) => {
      const input = enqueued[Number(id.slice(4)) - 1];
      const total = input?.reading?.cards.length ?? 0;
      return { id, status: 'done', pauseReason: null, message: null, reading: { done: total, total } } as Job;
    }),
  };
  return { sync: sync as unknown as SyncService, enqueued };
}

function fakeTabs(report: ScrapeReport | null): BoardTabs & { closed: number[] } {
  const closed: number[] = [];
  return {
    closed,
    open: vi.fn(async () => ({ tabId: 41, report, reason: 'the page showed a login form' })),
    close: async (tabId) => {
      closed.push(tabId);
    },
  };
}

/** The board's pipeline mapped (it was exported once), a daily schedule at 09:30, last run on the 1st. */
async function scheduled(sync: SyncService, lastSlot = at(1, 9, 30).getTime()) {
  const prepared = await prepare(boardReport(), SITE, sync, at(1, 9));
  await saveMapping(prepared);
  const schedule = { key: prepared.key, boardUrl: BOARD_URL, every: 'day' as const, at: '09:30' };
  await autoSyncStore.set({ liveSites: [], schedules: [schedule] });
  await scheduleStateStore.set({
    v: 1,
    runs: { [prepared.key]: { lastSlot, carried: [], lastChanged: null, notified: false } },
    limits: null,
  });
  return schedule;
}

function deps(sync: SyncService, tabs: BoardTabs, overrides: { now?: () => Date } = {}) {
  return {
    sync,
    now: overrides.now ?? (() => at(3, 18)),
    watchJobs: () => {},
    limits: () => null,
    notify: vi.fn(),
    setAlarm: vi.fn(),
    tabs,
    wait: async () => {},
  };
}

describe('a scheduled run', () => {
  it('runs the slots missed while the browser was closed once: the board read in an unseen tab, its deals exported whole', async () => {
    const { sync, enqueued } = fakeSync();
    const schedule = await scheduled(sync);
    const tabs = fakeTabs(boardReport());
    const options = deps(sync, tabs);
    const scheduledSync = createScheduledSync(options);
    await scheduledSync.tick();
    await scheduledSync.tick();
    expect(tabs.open).toHaveBeenCalledTimes(1);
    expect(tabs.open).toHaveBeenCalledWith(BOARD_URL);
    expect(enqueued).toHaveLength(1);
    const cards = boardReport().board!.deals.length;
    expect(enqueued[0]).toMatchObject({ kind: 'board', site: SITE, mappings: [], dryRun: false });
    expect(enqueued[0]!.reading).toMatchObject({ via: 'api', tabId: 41 });
    expect(enqueued[0]!.reading!.cards).toHaveLength(cards);
    expect(tabs.closed).toEqual([41]);
    expect((await scheduleStateStore.get()).runs[schedule.key]).toMatchObject({
      lastSlot: at(3, 9, 30).getTime(),
      lastChanged: cards,
    });
    expect(options.setAlarm).toHaveBeenLastCalledWith(at(4, 9, 30).getTime());
  });

  it('reads and sends nothing of a pipeline unchanged since its deals were read whole', async () => {
    const report = boardReport();
    const deals = report.board!.deals;
    const entries = Object.fromEntries(deals.map((deal) => [deal.id as string, newEntry(0)]));
    await wholeReadsStore.set(
      Object.fromEntries(deals.map((deal) => [wholeReadKey(SITE, deal.id as string), cardKey(deal)])),
    );
    const { sync, enqueued } = fakeSync(entries);
    await scheduled(sync);
    await createScheduledSync(deps(sync, fakeTabs(report))).tick();
    expect(enqueued[0]!.reading!.cards).toEqual([]);
    expect(enqueued[0]!.reading!.unchanged).toHaveLength(deals.length);
  });

  it('sends only as many deals as the day’s points pay for, and carries the rest over', async () => {
    const { sync, enqueued } = fakeSync();
    const schedule = await scheduled(sync);
    const state = await scheduleStateStore.get();
    const limits = {
      dayRemaining: RUN_FIXED_POINTS + 2,
      dayLimit: 3000,
      dayReset: 86_000,
      at: at(3, 17).getTime(),
    };
    await scheduleStateStore.set({ ...state, limits });
    await createScheduledSync(deps(sync, fakeTabs(boardReport()))).tick();
    expect(enqueued[0]!.reading!.cards).toHaveLength(2);
    expect(enqueued[0]!.label).toContain('left for the next run');
    const carried = (await scheduleStateStore.get()).runs[schedule.key]!.carried;
    expect(carried).toHaveLength(boardReport().board!.deals.length - 2);
  });

  it('tells once that the CRM showed no board (logged out), and tries again at the next slot', async () => {
    const { sync, enqueued } = fakeSync();
    await scheduled(sync);
    const tabs = fakeTabs(null);
    let now = at(3, 18);
    const options = deps(sync, tabs, { now: () => now });
    const scheduledSync = createScheduledSync(options);
    await scheduledSync.tick();
    expect(options.notify).toHaveBeenCalledTimes(1);
    expect(options.notify.mock.calls[0]![2]).toContain('Log in to EspoCRM');
    expect(enqueued[0]!.reading!.unidentified[0]!.reason.code).toBe('crm_logged_out');
    expect(tabs.closed).toEqual([41]);
    now = at(4, 18);
    await scheduledSync.tick();
    expect(tabs.open).toHaveBeenCalledTimes(2);
    expect(options.notify).toHaveBeenCalledTimes(1);
  });

  it('starts a schedule made today with its next slot', async () => {
    const { sync, enqueued } = fakeSync();
    const schedule = await scheduled(sync);
    await scheduleStateStore.set({ v: 1, runs: {}, limits: null });
    await createScheduledSync(deps(sync, fakeTabs(boardReport()))).tick();
    expect(enqueued).toEqual([]);
    expect((await scheduleStateStore.get()).runs[schedule.key]?.lastSlot).toBe(at(3, 9, 30).getTime());
  });

  it('saves a new schedule to start with its next slot, and sets the alarm for it at once', async () => {
    const { sync, enqueued } = fakeSync();
    const schedule = await scheduled(sync);
    await autoSyncStore.set({ liveSites: [], schedules: [] });
    await scheduleStateStore.set({ v: 1, runs: {}, limits: null });
    const options = deps(sync, fakeTabs(boardReport()));
    const scheduledSync = createScheduledSync(options);
    const saved = await scheduledSync.save({ liveSites: ['https://crm.example.com'], schedules: [schedule] });
    expect(saved).toMatchObject({ liveSites: ['https://crm.example.com'], schedules: [schedule] });
    expect(options.setAlarm).toHaveBeenCalledWith(at(4, 9, 30).getTime());
    await scheduledSync.tick();
    expect(enqueued).toEqual([]);
    expect((await scheduleStateStore.get()).runs[schedule.key]?.lastSlot).toBe(at(3, 9, 30).getTime());
  });

  it('shows each schedule’s expected points per run against the points left today', async () => {
    const { sync } = fakeSync();
    const schedule = await scheduled(sync);
    const limits = { dayRemaining: 900, dayLimit: 3000, dayReset: 86_000, at: at(3, 17).getTime() };
    const options = { ...deps(sync, fakeTabs(boardReport())), limits: () => limits };
    const scheduledSync = createScheduledSync(options);
    expect((await scheduledSync.view()).budget).toEqual({
      dayRemaining: 900,
      dayLimit: 3000,
      perRun: { [schedule.key]: { deals: null, points: null } },
    });
    await scheduledSync.tick();
    const cards = boardReport().board!.deals.length;
    expect((await scheduledSync.view()).budget.perRun[schedule.key]).toEqual({
      deals: cards,
      points: RUN_FIXED_POINTS + cards,
    });
  });
});
