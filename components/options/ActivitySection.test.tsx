import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, dealResult, jobView, resetBrowser, sent } from '../../tests/support/ui';
import { ActivitySection } from './ActivitySection';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const { results: _older, ...older } = jobView({
  id: 'old',
  label: 'Monday export',
  status: 'done',
  createdAt: '2026-03-02T10:00:00.000Z',
});
const { results: _newer, ...newer } = jobView({
  id: 'new',
  label: 'Friday export',
  status: 'failed',
  createdAt: '2026-03-06T10:00:00.000Z',
});

describe('ActivitySection', () => {
  it('says so when nothing was exported', async () => {
    answer({ 'job.list': [] });
    render(<ActivitySection jobId={null} />);
    expect(await screen.findByText('Nothing exported yet.')).toBeTruthy();
  });

  it('lists the jobs newest first with status and counts, each linking to its details', async () => {
    answer({ 'job.list': [older, newer] });
    render(<ActivitySection jobId={null} />);
    const log = await screen.findByTestId('activity-log');
    const items = [...log.querySelectorAll('li')];
    expect(items.map((item) => item.dataset.jobId)).toEqual(['new', 'old']);
    expect(items[0]?.textContent).toContain('Failed');
    expect(items[0]?.textContent).toContain('12 of 40 deals');
    expect(items[0]?.querySelector('a')?.getAttribute('href')).toBe('#activity/new');
  });

  it('opens the selected job with its per-deal results and retries the failed ones', async () => {
    const failed = jobView({
      id: 'new',
      status: 'failed',
      results: [dealResult({ outcome: 'failed', reason: 'Stage "Hold" is not in the funnel: map it.' })],
    });
    answer({ 'job.list': [older, newer], 'job.get': failed, 'job.control': { jobId: 'new' } });
    render(<ActivitySection jobId="new" />);
    expect((await screen.findByTestId('job-failures')).textContent).toContain(
      'Stage "Hold" is not in the funnel: map it.',
    );
    expect(screen.getByRole('link', { name: 'Friday export' }).getAttribute('aria-current')).toBe('true');
    fireEvent.click(screen.getByTestId('job-retry'));
    await waitFor(() => expect(sent('job.control')).toEqual([{ jobId: 'new', action: 'retry' }]));
  });

  it('shows the error when the log cannot be read', async () => {
    answer({
      'job.list': () => {
        throw new Error('The job log is damaged.');
      },
    });
    render(<ActivitySection jobId={null} />);
    expect((await screen.findByRole('alert')).textContent).toBe('The job log is damaged.');
  });
});

describe('stored data in Activity', () => {
  it('clears the finished exports and says how many', async () => {
    let jobs = [older, newer];
    answer({
      'job.list': () => jobs,
      'storage.notices': [],
      'jobs.clearFinished': () => {
        jobs = [];
        return { cleared: 2 };
      },
    });
    render(<ActivitySection jobId={null} />);
    await screen.findByTestId('activity-log');
    fireEvent.click(screen.getByTestId('clear-finished'));
    expect((await screen.findByRole('status')).textContent).toBe('Finished exports cleared: 2.');
    expect(sent('jobs.clearFinished')).toEqual([{}]);
    expect(await screen.findByText('Nothing exported yet.')).toBeTruthy();
  });

  it('offers no clearing while every job is still running', async () => {
    const { results: _r, ...running } = jobView({ id: 'run', status: 'running' });
    answer({ 'job.list': [running], 'storage.notices': [] });
    render(<ActivitySection jobId={null} />);
    await screen.findByTestId('activity-log');
    expect((screen.getByTestId('clear-finished') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows what stored data could not be read as it was', async () => {
    const message =
      'The export log: 1 stored element(s) could not be read and were left out; the rest is kept. Check Options and export again if something is missing.';
    answer({ 'job.list': [], 'storage.notices': [{ at: '2026-03-06T10:00:00.000Z', message }] });
    render(<ActivitySection jobId={null} />);
    expect((await screen.findByTestId('storage-notices')).textContent).toContain(message);
  });
});
