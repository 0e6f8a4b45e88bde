import { describe, expect, it } from 'vitest';
import { dealMapping } from '../../tests/support/deal-mapping';
import type { Job, JobDeal, JobSummary } from '../sync/job';
import { jobDealOf } from '../sync/job';
import { etaSeconds, jobView, summaryView } from './jobs';

const running: JobSummary = {
  id: 'j1',
  kind: 'board',
  label: 'Sales',
  site: 'https://crm.example.com',
  dryRun: false,
  status: 'running',
  pauseReason: null,
  message: { en: 'Waiting for the rate limit.', ru: 'Ждём лимит запросов.' },
  resumeAt: null,
  createdAt: 1_000,
  startedAt: 10_000,
  finishedAt: null,
  counts: { total: 100, sent: 20, skipped: 4, failed: 1, pending: 75 },
  steps: { done: 3, total: 10 },
  reading: null,
};

describe('job views', () => {
  it('tell the time left from the pace so far', () => {
    // 25 deals in 5 s: 75 more take 15 s.
    expect(etaSeconds(running, 15_000)).toBe(15);
    expect(etaSeconds({ ...running, status: 'paused' }, 15_000)).toBeNull();
    expect(etaSeconds({ ...running, counts: { ...running.counts, pending: 100 } }, 15_000)).toBeNull();
  });

  it('count progress over deals and carry the message in the UI language', () => {
    const view = summaryView(running, 15_000);
    expect(view.progress).toEqual({ done: 25, total: 100, failed: 1, skipped: 4, sent: 20 });
    expect(view.message).toBe('Waiting for the rate limit.');
    expect(view.createdAt).toBe(new Date(1_000).toISOString());
  });
});

describe('a job view', () => {
  const deal = (id: string, contacts: JobDeal['contacts'], sendable = true): JobDeal => ({
    ...jobDealOf(dealMapping(id, { stages: [['new', '2026-03-01 10:00:00']], contact: null }), 0),
    contacts,
    sendable,
  });

  it('counts the sendable deals CoMagic cannot tie to calls, and names unread deals by their card', () => {
    const job: Job = {
      ...running,
      results: [{ dealExtId: 'gone', status: 'failed', at: 1, reason: null }],
      cards: [{ dealExtId: 'gone', crmDealId: '9', name: 'Deal from the board', url: '', key: 'k' }],
      deals: [
        deal('a', [{ ext_id: 'c1', name: 'Ann', phone_numbers: ['79001234567'] }]),
        deal('b', [{ ext_id: 'c2', name: 'Bob' }]),
        deal('c', []),
        deal('d', [], false),
      ],
      plan: null,
    };
    const view = jobView(job, 15_000);
    expect(view.contactless).toBe(2);
    expect(view.results[0]?.name).toBe('Deal from the board');
  });

  it('carries what the plan read from CoMagic, and nothing before there is a plan', () => {
    const job: Job = { ...running, results: [], cards: [], deals: [], plan: null };
    expect(jobView(job, 15_000).reads).toBeUndefined();
    const reads = { deals: 10, history: 1, entities: 2 };
    expect(jobView({ ...job, plan: { steps: [], outgoing: {}, reads } }, 15_000).reads).toEqual(reads);
  });
});
