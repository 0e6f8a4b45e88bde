import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DealRow, TabPreview } from '../messaging';
import { settingsStore } from '../storage';
import type { Job, JobSummary } from '../sync/job';
import type { SyncService } from '../sync/service';
import { badgeStates, createBadges } from './badges';

beforeEach(() => fakeBrowser.reset());

const row = (dealId: string | null, status: DealRow['status']): DealRow => ({
  key: dealId ?? '#0',
  dealId,
  name: `Deal ${dealId}`,
  stageId: 's1',
  stageName: 'Stage',
  amount: null,
  status,
  problems: [],
});

const extIdOf = (id: string) => `crm-${id}`;

describe('each card’s badge', () => {
  it('is the deal’s status, or what the last export did with it while that still holds', () => {
    const rows = [
      row('1', 'new'),
      row('2', 'unchanged'),
      row('3', 'changed'),
      row('4', 'new'),
      row('5', 'problems'),
      row('6', 'unchanged'),
      row(null, 'new'),
    ];
    const outcomes = new Map([
      ['crm-2', 'sent' as const],
      ['crm-3', 'sent' as const],
      ['crm-4', 'failed' as const],
      ['crm-5', 'failed' as const],
      ['crm-6', 'skipped' as const],
    ]);
    expect(badgeStates(rows, extIdOf, outcomes)).toEqual({
      '1': 'new',
      '2': 'sent',
      '3': 'changed',
      '4': 'failed',
      '5': 'problems',
      '6': 'unchanged',
    });
  });
});

describe('each card’s badge, for ids a page chose', () => {
  it('is an own key even for `__proto__` and `constructor`, and survives the message', () => {
    const states = badgeStates([row('__proto__', 'new'), row('constructor', 'changed')], extIdOf, new Map());
    expect(Object.keys(states)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(states))).toEqual(
      JSON.parse('{"__proto__":"new","constructor":"changed"}'),
    );
  });
});

describe('badges for a tab', () => {
  const board: TabPreview = {
    kind: 'board',
    adapterLabel: 'EspoCRM',
    pipelineName: 'Opportunity',
    funnelName: 'Opportunity',
    stages: [],
    rows: [row('a1', 'unchanged'), row('a2', 'new')],
    problems: [],
    activeJob: null,
  };
  const done: JobSummary = {
    id: 'j1',
    kind: 'board',
    label: 'Opportunity',
    site: 'https://crm.example.com',
    dryRun: false,
    status: 'done',
    pauseReason: null,
    message: null,
    resumeAt: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 1,
    counts: { total: 1, sent: 1, skipped: 0, failed: 0, pending: 0 },
    steps: { done: 1, total: 1 },
    reading: null,
  };
  const sync = {
    jobs: async () => [done],
    job: async () =>
      ({ ...done, results: [{ dealExtId: 'a1', status: 'sent', at: 1, reason: null }] }) as unknown as Job,
  } as unknown as SyncService;

  it('are none while the setting is off', async () => {
    const badges = createBadges({ sync, preview: async () => board });
    expect(await badges.forTab(3, 'https://crm.example.com')).toBeNull();
  });

  it('are the board’s states with the last export’s outcomes when the setting is on', async () => {
    await settingsStore.set({
      ...(await settingsStore.get()),
      boardBadges: true,
      extIdTemplate: '{id}',
      sitePrefixes: { 'https://crm.example.com': '' },
    });
    const badges = createBadges({ sync, preview: async () => board });
    expect(await badges.forTab(3, 'https://crm.example.com')).toEqual({ a1: 'sent', a2: 'new' });
    const notBoard = createBadges({ sync, preview: async () => ({ kind: 'not-crm', reasons: [] }) });
    expect(await notBoard.forTab(3, 'https://crm.example.com')).toBeNull();
  });
});
