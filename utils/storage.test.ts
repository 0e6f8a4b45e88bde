import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { deal } from '../tests/support/crm-model';
import { testConfig } from '../tests/support/deal-mapping';
import { jobSummary } from '../tests/support/stored-export';
import { defaultSitePrefix } from './mapping/ext-ids';
import { DEFAULT_SETTINGS, sitePrefixOf } from './settings';
import {
  autoSyncStore,
  connectionStore,
  liveInboxStore,
  localChange,
  mappingStore,
  recipeStore,
  scheduleStateStore,
  settingsStore,
  sitesStore,
  storageNotices,
  syncJobsStore,
  syncLedgerStore,
} from './storage';

beforeEach(async () => {
  fakeBrowser.reset();
  await storageNotices.clear();
});

const stored = async (key: string) => (await fakeBrowser.storage.local.get(key))[key];

describe('localChange', () => {
  it("tells a job's progress, the job index and the mappings from data that changes what a page would send", () => {
    expect(['sync-job:7', 'sync-job-deals:7', 'worker-starts'].map(localChange)).toEqual([
      'progress',
      'progress',
      'progress',
    ]);
    expect(localChange('sync-jobs')).toBe('jobs');
    expect(localChange('mappings')).toBe('mappings');
    expect(['settings', 'sync-ledger', 'connection', 'account', 'sites'].map(localChange)).toEqual(
      Array(5).fill('data'),
    );
  });
});

describe('settings migrated in storage', () => {
  const ESPO = 'https://espo.example.com';
  const ODOO = 'https://odoo.example.com';
  /** The log of version 1 after one EspoCRM export. */
  const V1_JOB_LOG = {
    v: 1,
    jobs: [
      {
        id: 'j1',
        kind: 'board',
        label: 'Продажи',
        site: ESPO,
        dryRun: false,
        status: 'done',
        pauseReason: null,
        message: null,
        resumeAt: null,
        createdAt: 1,
        startedAt: 1,
        finishedAt: 2,
        counts: { total: 1, sent: 1, skipped: 0, failed: 0, pending: 0 },
        steps: { done: 3, total: 3 },
      },
    ],
  };

  /** What version 1 had stored for a user who exported one EspoCRM board (ext_ids without prefix). */
  async function storeVersion1User() {
    await fakeBrowser.storage.local.set({
      settings: { ...DEFAULT_SETTINGS, version: 1, sitePrefixes: {} },
      'sync-ledger': { v: 1, d: { '42': { a: 1, t: '2026-03-01 10:00:00', s: 'default:new' } }, f: {} },
      'sync-jobs': V1_JOB_LOG,
    });
  }

  it('pins the empty prefix for a site that sent deals before version 2, and writes it down once', async () => {
    await storeVersion1User();
    const settings = await settingsStore.get();
    expect(sitePrefixOf(settings, ESPO)).toBe('');
    expect(sitePrefixOf(settings, ODOO)).toBe(defaultSitePrefix(ODOO));
    expect(await stored('settings')).toMatchObject({ version: 2, sitePrefixes: { [ESPO]: '' } });
  });

  it('gives every site its own prefix on a fresh install, writing nothing to read it', async () => {
    expect(sitePrefixOf(await settingsStore.get(), ESPO)).toBe(defaultSitePrefix(ESPO));
    expect(await stored('settings')).toBeUndefined();
  });

  it('keeps a fresh install’s derived prefix once its first deal is recorded in the ledger', async () => {
    await syncLedgerStore.set({ v: 1, d: { 'crm-0000:42': { a: 1 } }, f: {} });
    expect(await stored('settings')).toMatchObject({ version: 2 });
    await fakeBrowser.storage.local.set({ 'sync-jobs': V1_JOB_LOG });
    expect(sitePrefixOf(await settingsStore.get(), ESPO)).toBe(defaultSitePrefix(ESPO));
  });

  it('pins the old prefix for a user of version 1 who never saved settings', async () => {
    await storeVersion1User();
    await fakeBrowser.storage.local.remove('settings');
    expect(sitePrefixOf(await settingsStore.get(), ESPO)).toBe('');
  });

  it('never overwrites settings of a newer version, and reports them', async () => {
    const newer = { ...DEFAULT_SETTINGS, version: 9, extIdTemplate: 'n-{id}' };
    await fakeBrowser.storage.local.set({ settings: newer });
    expect((await settingsStore.get()).extIdTemplate).toBe('n-{id}');
    await expect(settingsStore.set(DEFAULT_SETTINGS)).rejects.toThrow(/newer version/);
    expect(await stored('settings')).toEqual(newer);
    expect(await storageNotices.get()).toMatchObject([{ item: 'settings', kind: 'newer', version: 9 }]);
  });
});

describe('stored collections, element by element', () => {
  it('keeps the ledger’s good entries when one is broken, and reports the one dropped', async () => {
    await fakeBrowser.storage.local.set({
      'sync-ledger': { v: 1, d: { good: { a: 1 }, bad: { a: 'yesterday' } }, f: {} },
    });
    expect(Object.keys((await syncLedgerStore.get()).d)).toEqual(['good']);
    expect(await storageNotices.get()).toMatchObject([{ item: 'ledger', kind: 'dropped', count: 1 }]);
  });

  it('never writes over a ledger of a newer version', async () => {
    const newer = { v: 2, entries: [] };
    await fakeBrowser.storage.local.set({ 'sync-ledger': newer });
    expect((await syncLedgerStore.get()).d).toEqual({});
    await expect(syncLedgerStore.set({ v: 1, d: {}, f: {} })).rejects.toThrow(/newer version/);
    expect(await stored('sync-ledger')).toEqual(newer);
  });

  it('keeps the job log when one summary is broken', async () => {
    await fakeBrowser.storage.local.set({ 'sync-jobs': { v: 1, jobs: [{ id: 'broken' }] } });
    expect((await syncJobsStore.get()).jobs).toEqual([]);
    expect(await storageNotices.get()).toMatchObject([{ item: 'jobs', kind: 'dropped', count: 1 }]);
  });

  it('caps a job’s label (a pipeline’s name from the page) at 255 characters where it is stored', async () => {
    await fakeBrowser.storage.local.set({ 'sync-jobs': { v: 1, jobs: [] } });
    const summary = jobSummary({ id: 'j', label: 'Воронка '.repeat(100) });
    await syncJobsStore.set({ v: 1, jobs: [summary] });
    expect((await syncJobsStore.get()).jobs[0]?.label).toHaveLength(255);
  });

  it('keeps the other mappings when one is broken, and a newer version’s mapping untouched on every write', async () => {
    const newer = { version: 2, shape: 'later' };
    await fakeBrowser.storage.local.set({
      mappings: { good: testConfig(), broken: { version: 1 }, later: newer },
    });
    expect(Object.keys(await mappingStore.all())).toEqual(['good']);
    await mappingStore.set('other', testConfig({ pipelineId: 'other' }));
    expect(await stored('mappings')).toMatchObject({ good: testConfig(), later: newer });
    await expect(mappingStore.set('later', testConfig())).rejects.toThrow(/newer version/);
    expect((await storageNotices.get()).map((notice) => [notice.item, notice.kind])).toEqual([
      ['mappings', 'newer'],
      ['mappings', 'dropped'],
    ]);
  });

  it('caps a mapping’s pipeline and stage names (page text) at 255 characters where it is stored, ids kept whole', async () => {
    const long = 'Очень длинное название этапа '.repeat(20);
    const config = testConfig();
    const stage = { ...(config.stages[0] as (typeof config.stages)[number]), crmStageName: long, name: long };
    await mappingStore.set('k', {
      ...config,
      pipelineName: long,
      stages: [stage, ...config.stages.slice(1)],
    });
    const stored = (await mappingStore.get('k')) ?? config;
    expect(stored.pipelineName).toHaveLength(255);
    expect(stored.stages[0]?.crmStageName).toHaveLength(255);
    expect(stored.stages[0]?.name).toHaveLength(255);
    expect(stored.stages[0]?.crmStageId).toBe(stage.crmStageId);
  });

  it('keeps the recipes that parse when one no longer does', async () => {
    const recipe = JSON.stringify({ nope: true });
    await fakeBrowser.storage.local.set({ recipes: [recipe, 7] });
    expect(await recipeStore.all()).toEqual([]);
    expect(await storageNotices.get()).toMatchObject([{ item: 'recipes', kind: 'dropped', count: 2 }]);
  });

  it('keeps pipeline default for the recipes version 1 stored (no pipeline rule then), and not for later ones', async () => {
    const v1Recipe = JSON.stringify({
      id: 'krayin',
      label: 'Krayin',
      urlPatterns: ['https://crm.example.com/*'],
      detect: { deal: '.lead-view' },
      deal: {
        id: { from: 'url', regex: 'view/(\\d+)' },
        name: { selector: 'h1' },
        stage: { selector: '.stage' },
      },
    });
    await fakeBrowser.storage.local.set({ recipes: [v1Recipe] });
    const [migrated] = await recipeStore.all();
    expect(migrated?.recipe.pipeline).toEqual({ id: 'default' });
    expect(JSON.parse(migrated?.json ?? '{}')).toEqual({
      ...JSON.parse(v1Recipe),
      pipeline: { id: 'default' },
    });

    await recipeStore.setTexts([v1Recipe]);
    expect(await fakeBrowser.storage.local.get('recipes')).toEqual({ recipes: { v: 2, texts: [v1Recipe] } });
    expect((await recipeStore.all())[0]?.recipe.pipeline).toBeUndefined();
  });

  it('reads the connection stored by version 1 (the bare object), and never writes over a newer one', async () => {
    const v1 = { endpoint: { brand: 'comagic' }, auth: { kind: 'key', token: 'k-1' } };
    await fakeBrowser.storage.local.set({ connection: v1 });
    expect(await connectionStore.get()).toEqual(v1);
    const newer = { v: 2, endpoints: [] };
    await fakeBrowser.storage.local.set({ connection: newer });
    expect(await connectionStore.get()).toBeNull();
    await expect(connectionStore.set(null)).rejects.toThrow(/newer version/);
    expect(await stored('connection')).toEqual(newer);
  });

  it('keeps the sites that are text', async () => {
    await fakeBrowser.storage.local.set({ 'crm-sites': ['https://a.example.com/*', null] });
    expect(await sitesStore.get()).toEqual(['https://a.example.com/*']);
  });
});

describe('live mode and the schedules, element by element', () => {
  const SITE = 'https://crm.example.com';
  const schedule = { key: 'k', boardUrl: `${SITE}/#Opportunity`, every: 'day', at: '09:30' } as const;
  const run = { lastSlot: 1, carried: ['crm-0000:42'], lastChanged: 3, notified: false };
  const change = { kind: 'deal', deal: deal(), seenAt: '2026-03-05T12:31:44.000Z' } as const;

  it('keeps the other live changes when one is broken, and never writes over a newer inbox', async () => {
    const entry = { key: 'a', site: SITE, tabId: 7, change };
    await fakeBrowser.storage.local.set({
      'live-inbox': {
        v: 1,
        pending: [entry, { key: 'b', site: SITE }],
        done: [{ key: 'c', jobId: 'j1' }, 7],
      },
    });
    expect(await liveInboxStore.get()).toEqual({ v: 1, pending: [entry], done: [{ key: 'c', jobId: 'j1' }] });
    expect(await storageNotices.get()).toMatchObject([{ item: 'live-inbox', kind: 'dropped', count: 2 }]);

    const newer = { v: 2, changes: [] };
    await fakeBrowser.storage.local.set({ 'live-inbox': newer });
    expect((await liveInboxStore.get()).pending).toEqual([]);
    await expect(liveInboxStore.set({ v: 1, pending: [entry], done: [] })).rejects.toThrow(/newer version/);
    expect(await stored('live-inbox')).toEqual(newer);
  });

  it('keeps the other schedules’ runs when one is broken, and never writes over a newer state', async () => {
    await fakeBrowser.storage.local.set({
      'schedule-state': { v: 1, runs: { k: run, broken: { lastSlot: 'today' } }, limits: null },
    });
    expect(await scheduleStateStore.get()).toEqual({ v: 1, runs: { k: run }, limits: null });
    expect(await storageNotices.get()).toMatchObject([{ item: 'schedule-state', kind: 'dropped', count: 1 }]);

    const newer = { v: 2, runs: [] };
    await fakeBrowser.storage.local.set({ 'schedule-state': newer });
    expect((await scheduleStateStore.get()).runs).toEqual({});
    await expect(scheduleStateStore.set({ v: 1, runs: { k: run }, limits: null })).rejects.toThrow(
      /newer version/,
    );
    expect(await stored('schedule-state')).toEqual(newer);
  });

  it('keeps the other live sites and schedules when one is broken, and never writes over newer ones', async () => {
    await fakeBrowser.storage.local.set({
      'auto-sync': { liveSites: [SITE, 7], schedules: [schedule, { ...schedule, every: 'week' }] },
    });
    expect(await autoSyncStore.get()).toEqual({ liveSites: [SITE], schedules: [schedule] });
    expect(await storageNotices.get()).toMatchObject([{ item: 'auto-sync', kind: 'dropped', count: 2 }]);

    const newer = { v: 2, live: [SITE] };
    await fakeBrowser.storage.local.set({ 'auto-sync': newer });
    expect(await autoSyncStore.get()).toEqual({ liveSites: [], schedules: [] });
    await expect(autoSyncStore.set({ liveSites: [SITE], schedules: [] })).rejects.toThrow(/newer version/);
    expect(await stored('auto-sync')).toEqual(newer);
  });
});
