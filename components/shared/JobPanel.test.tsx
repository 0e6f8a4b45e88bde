import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobView } from '@/utils/messaging';
import { answer, dealResult, jobView, resetBrowser, sent } from '../../tests/support/ui';
import { JobPanel } from './JobPanel';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

function show(job: JobView, detailsLink = false) {
  answer({ 'job.get': job, 'job.control': { jobId: job.id } });
  return render(<JobPanel jobId={job.id} initial={job} heading="h3" detailsLink={detailsLink} />);
}

describe('JobPanel', () => {
  it('shows a running job: progress done/total, failures, time left, pause and cancel', async () => {
    show(jobView());
    const progress = screen.getByTestId('job-progress') as HTMLProgressElement;
    expect(progress.getAttribute('value')).toBe('12');
    expect(progress.getAttribute('max')).toBe('40');
    expect(screen.getByText(/12 of 40 deals · 1 failed · about 2 min left/)).toBeTruthy();
    expect(screen.getByTestId('job-status').dataset.status).toBe('running');
    expect(screen.getByTestId('job-pause')).toBeTruthy();
    expect(screen.getByTestId('job-cancel')).toBeTruthy();
    expect(screen.queryByTestId('job-resume')).toBeNull();
  });

  it('shows how many deals a whole-deal export has read from the CRM and how many it sent', () => {
    show(
      jobView({
        reading: { done: 120, total: 1000 },
        progress: { done: 80, total: 1000, failed: 0, skipped: 0, sent: 80 },
      }),
    );
    expect(screen.getByTestId('job-progress-text').textContent).toMatch(
      /^read 120 of 1000 from the CRM · sent 80/,
    );
  });

  it('shows the deals done once every deal of a whole-deal export is read', () => {
    show(jobView({ reading: { done: 40, total: 40 } }));
    expect(screen.getByTestId('job-progress-text').textContent).toMatch(/^12 of 40 deals/);
  });

  it('says how many deals CoMagic cannot tie to calls, only when there are some', () => {
    const { unmount } = show(jobView({ contactless: 3 }));
    expect(screen.getByTestId('job-contactless').textContent).toBe(
      'CoMagic cannot tie 3 deals to calls: their contacts have no phone or e-mail',
    );
    unmount();
    show(jobView({ contactless: 0 }));
    expect(screen.queryByTestId('job-contactless')).toBeNull();
  });

  it.each([
    [
      'en-US',
      'CoMagic was asked first what it holds: 50 deals in 2 reads, the funnel, employees and contacts in 3.',
    ],
    [
      'ru-RU',
      'Сначала CoMagic спросили, что в нём уже есть: сделки (50) — запросов 2, воронка, сотрудники и контакты — запросов 3.',
    ],
  ])('says what the plan read from CoMagic before sending (%s)', (language, text) => {
    resetBrowser(language);
    show(jobView({ reads: { deals: 50, history: 2, entities: 3 } }));
    expect(screen.getByTestId('job-reads').textContent).toBe(text);
  });

  it('says nothing about reads when the plan made none', () => {
    show(jobView({ reads: { deals: 0, history: 0, entities: 0 } }));
    expect(screen.queryByTestId('job-reads')).toBeNull();
  });

  it('shows a paused job with its reason and resumes it', async () => {
    show(jobView({ status: 'paused', message: 'Paused by you.' }));
    expect(screen.getByTestId('job-status').textContent).toContain('Paused by you.');
    expect(screen.queryByTestId('job-pause')).toBeNull();
    fireEvent.click(screen.getByTestId('job-resume'));
    await waitFor(() => expect(sent('job.control')).toEqual([{ jobId: 'job-1', action: 'resume' }]));
  });

  it('shows a finished job without pause or cancel, and each failed deal with its reason', () => {
    const failed = dealResult({
      key: 'k2',
      name: 'Broken deal',
      outcome: 'failed',
      reason: 'Phone is invalid: fix it',
    });
    show(
      jobView({
        status: 'done',
        progress: { done: 2, total: 2, failed: 1, skipped: 0, sent: 1 },
        results: [dealResult(), failed],
      }),
    );
    expect(screen.queryByTestId('job-pause')).toBeNull();
    expect(screen.queryByTestId('job-cancel')).toBeNull();
    expect(screen.getByTestId('job-failures').textContent).toContain('Phone is invalid: fix it');
    const outcomes = screen.getAllByTestId('job-result').map((row) => row.dataset.outcome);
    expect(outcomes).toEqual(['sent', 'failed']);
    expect(screen.queryByText(/about .* left/)).toBeNull();
  });

  it('retries the failed deals of a failed job', async () => {
    show(jobView({ status: 'failed', message: 'The API key was revoked.' }));
    expect(screen.getByTestId('job-status').textContent).toContain('The API key was revoked.');
    fireEvent.click(screen.getByTestId('job-retry'));
    await waitFor(() => expect(sent('job.control')).toEqual([{ jobId: 'job-1', action: 'retry' }]));
  });

  it('polls a running job until it is done', async () => {
    const running = jobView();
    const done = jobView({
      status: 'done',
      progress: { done: 40, total: 40, failed: 0, skipped: 0, sent: 40 },
    });
    const answers = [running, done];
    answer({ 'job.get': () => answers.shift() ?? done });
    render(<JobPanel jobId="job-1" heading="h3" />);
    await waitFor(() => expect(screen.getByTestId('job-status').dataset.status).toBe('running'));
    await waitFor(() => expect(screen.getByTestId('job-status').dataset.status).toBe('done'), {
      timeout: 3000,
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sent('job.get')).toHaveLength(2);
  });

  it('says so when the background knows no such job', async () => {
    answer({ 'job.get': null });
    render(<JobPanel jobId="gone" heading="h3" />);
    expect(await screen.findByText(/no longer in the log/)).toBeTruthy();
  });

  it('downloads the results as a file from job.export', async () => {
    const createUrl = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:results');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('job-1.csv');
      expect(this.href).toBe('blob:results');
    });
    answer({
      'job.get': jobView({ status: 'done' }),
      'job.export': { filename: 'job-1.csv', mime: 'text/csv', content: 'key,outcome\n' },
    });
    render(<JobPanel jobId="job-1" initial={jobView({ status: 'done' })} heading="h3" />);
    fireEvent.click(screen.getByTestId('download-csv'));
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(sent('job.export')).toEqual([{ jobId: 'job-1', format: 'csv' }]);
    expect(createUrl).toHaveBeenCalledOnce();
  });

  it('shows why a download failed', async () => {
    answer({
      'job.get': jobView({ status: 'done' }),
      'job.export': () => {
        throw new Error('The job log was cleared.');
      },
    });
    render(<JobPanel jobId="job-1" initial={jobView({ status: 'done' })} heading="h3" />);
    fireEvent.click(screen.getByTestId('download-json'));
    expect((await screen.findByRole('alert')).textContent).toBe('The job log was cleared.');
  });

  it('links to the job in the options page', () => {
    show(jobView({ status: 'done' }), true);
    const link = screen.getByRole('link') as HTMLAnchorElement;
    expect(link.href).toMatch(/options\.html#activity\/job-1$/);
  });

  it('shows a long label as text, shortened on screen and whole in its title', () => {
    const label = `<img src=x onerror=alert(1)>${'x'.repeat(100_000)}`;
    const { container } = show(jobView({ label, status: 'done' }));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTitle(label).textContent).toBe(`${label.slice(0, 500)}…`);
  });
});
