import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DealRow, TabPreview } from '@/utils/messaging';
import { answer, boardTab, dealRows, jobView, resetBrowser, sent } from '../../tests/support/ui';
import { BoardView } from './BoardView';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

function show(board: Extract<TabPreview, { kind: 'board' }> = boardTab()) {
  return render(<BoardView tabId={7} {...board} />);
}

const shownIds = () => screen.getAllByTestId('deal-row').map((row) => row.dataset.dealId);

describe('BoardView', () => {
  it('shows the stages with their counts and marks an incomplete one in words', () => {
    show();
    const stages = screen.getByTestId('stage-counts').querySelectorAll('li');
    expect(stages).toHaveLength(4);
    expect(stages[0]?.textContent).toBe('Stage s02');
    expect(stages[3]?.textContent).toContain('incomplete');
  });

  it.each([
    ['en-US', /CoMagic is asked what it already holds of 1200 deals .*: 1 read, one more for those it lacks/],
    ['ru-RU', /не сверял \(1200; .*запросов 1 и ещё один/],
  ])('says CoMagic is asked first about deals this browser has not checked today (%s)', (language, text) => {
    resetBrowser(language);
    show({ ...boardTab(), askFirst: { deals: 1200, reads: 1 } });
    expect(screen.getByTestId('ask-first').textContent).toMatch(text);
  });

  it('says nothing of asking CoMagic when every deal was checked today', () => {
    show();
    expect(screen.queryByTestId('ask-first')).toBeNull();
  });

  it('lists each deal with its id and status', () => {
    show();
    const rows = screen.getAllByTestId('deal-row');
    expect(rows).toHaveLength(8);
    expect(rows[1]?.dataset.dealId).toBe('deal-1');
    expect(rows[1]?.dataset.status).toBe('changed');
    expect(rows[1]?.textContent).toContain('Changed');
  });

  it('renders only a window of a 5,000-card board', () => {
    show(boardTab(dealRows(5000)));
    expect(screen.getAllByTestId('deal-row').length).toBeLessThan(40);
    expect(screen.getByText('Showing 5000 of 5000 deals.')).toBeTruthy();
  });

  it('filters by stage and status, and exports only the filtered deals', async () => {
    answer({ 'tab.send': { jobId: 'job-1' }, 'job.get': jobView() });
    show(boardTab(dealRows(16)));
    fireEvent.change(screen.getByTestId('filter-stage'), { target: { value: 's1' } });
    expect(shownIds()).toEqual(['deal-1', 'deal-5', 'deal-9', 'deal-13']);
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'changed' } });
    expect(shownIds()).toEqual(['deal-1', 'deal-5', 'deal-9', 'deal-13']);
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'new' } });
    expect(screen.queryAllByTestId('deal-row')).toHaveLength(0);
    expect((screen.getByTestId('export-board') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('filter-stage'), { target: { value: '' } });
    expect(shownIds()).toEqual(['deal-0', 'deal-4', 'deal-8', 'deal-12']);
    fireEvent.click(screen.getByTestId('export-board'));
    await waitFor(() => expect(sent('tab.send')).toHaveLength(1));
    expect(sent('tab.send')[0]).toEqual({
      tabId: 7,
      dryRun: false,
      dealKeys: ['key-0', 'key-4', 'key-8', 'key-12'],
    });
  });

  it('exports the whole visible board without a key list when nothing is filtered', async () => {
    answer({ 'tab.send': { jobId: 'job-1' }, 'job.get': jobView() });
    show();
    fireEvent.click(screen.getByTestId('export-board'));
    await waitFor(() => expect(screen.getByTestId('job-progress')).toBeTruthy());
    expect(sent('tab.send')).toEqual([{ tabId: 7, dryRun: false, dealKeys: undefined }]);
  });

  it('follows a job that was already running when the popup opened', async () => {
    const running = jobView({ status: 'running' });
    answer({ 'job.get': running, 'job.control': { jobId: 'job-1' } });
    show(boardTab(dealRows(8), running));
    expect(screen.getByTestId('job-status').dataset.status).toBe('running');
    fireEvent.click(screen.getByTestId('job-cancel'));
    await waitFor(() => expect(sent('job.control')).toEqual([{ jobId: 'job-1', action: 'cancel' }]));
  });

  it('shows card names with markup as text', () => {
    const rows: DealRow[] = dealRows(1).map((row) => ({ ...row, name: '<img src=x onerror=alert(1)>' }));
    const { container } = show(boardTab(rows));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('deal-row').textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
