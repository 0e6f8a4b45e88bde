import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { answer, boardTab, dealTab, resetBrowser, sent, stubTabs } from '../../tests/support/ui';
import { Popup } from './Popup';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

async function pageKind() {
  return (await screen.findByTestId('popup-page-kind')).dataset.kind;
}

describe('Popup', () => {
  it('says it is reading the page while the background answers', () => {
    answer({ 'tab.preview': () => new Promise(() => {}) });
    render(<Popup search="?tabId=7" />);
    expect(screen.getByRole('status').textContent).toBe('Reading the page…');
    expect(screen.queryByTestId('popup-page-kind')).toBeNull();
  });

  it('asks about the tab named in ?tabId', async () => {
    answer({ 'tab.preview': { kind: 'not-crm', reasons: [] } });
    render(<Popup search="?tabId=7" />);
    await pageKind();
    expect(sent('tab.preview')).toEqual([{ tabId: 7 }]);
  });

  it('asks about the active tab when no tab is named', async () => {
    stubTabs([{ id: 12, url: 'https://crm.example.com/' }]);
    answer({ 'tab.preview': { kind: 'not-crm', reasons: [] } });
    render(<Popup search="" />);
    await pageKind();
    expect(sent('tab.preview')).toEqual([{ tabId: 12 }]);
  });

  it('says there is no tab to read when the window has no active tab', async () => {
    stubTabs([]);
    answer({});
    render(<Popup search="" />);
    expect(await pageKind()).toBe('no-tab');
    expect(sent('tab.preview')).toEqual([]);
  });

  it('shows the background’s error and asks again on "Try again"', async () => {
    let calls = 0;
    answer({
      'tab.preview': () => {
        calls++;
        if (calls === 1) throw new Error('The extension did not answer. Reload the page and try again.');
        return { kind: 'not-crm', reasons: ['No CRM recognised on example.com'] };
      },
    });
    render(<Popup search="?tabId=7" />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The extension did not answer. Reload the page and try again.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await pageKind()).toBe('not-crm');
    expect(screen.getByText('No CRM recognised on example.com')).toBeTruthy();
  });

  it('leads to the options page when the extension is not set up', async () => {
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined);
    answer({ 'tab.preview': { kind: 'not-configured' } });
    render(<Popup search="?tabId=7" />);
    expect(await pageKind()).toBe('not-configured');
    fireEvent.click(screen.getByTestId('open-options'));
    expect(open).toHaveBeenCalledOnce();
  });

  it('asks for access to a CRM site from the click, then reads the tab again', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    const previews = [{ kind: 'no-access', origin: 'https://crm.example.com' } as const, dealTab()];
    answer({ 'tab.preview': () => previews.shift() ?? dealTab() });
    render(<Popup search="?tabId=7" />);
    expect(await pageKind()).toBe('no-access');
    fireEvent.click(screen.getByTestId('grant-access'));
    expect(request).toHaveBeenCalledWith({ origins: ['https://crm.example.com/*'] });
    await waitFor(() => expect(screen.getByTestId('popup-page-kind').dataset.kind).toBe('deal'));
    expect(sent('tab.preview')).toHaveLength(2);
  });

  it('says so when the user refuses access', async () => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false);
    answer({ 'tab.preview': { kind: 'no-access', origin: 'https://crm.example.com' } });
    render(<Popup search="?tabId=7" />);
    await pageKind();
    fireEvent.click(screen.getByTestId('grant-access'));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'did not allow access to https://crm.example.com',
    );
    expect(sent('tab.preview')).toHaveLength(1);
  });

  it('shows why a CRM page cannot be read, with its problems', async () => {
    answer({
      'tab.preview': {
        kind: 'unreadable',
        adapterLabel: 'amoCRM',
        reasons: ['The lead page has no stage selector.'],
        problems: [{ severity: 'error', field: 'deal.stage', message: 'Stage not found on the page.' }],
      },
    });
    render(<Popup search="?tabId=7" />);
    expect(await pageKind()).toBe('unreadable');
    expect(screen.getByText('The lead page has no stage selector.')).toBeTruthy();
    expect(screen.getByText('Stage not found on the page.')).toBeTruthy();
    expect(screen.getByText('Error:')).toBeTruthy();
  });

  it('shows a board with its deal list', async () => {
    answer({ 'tab.preview': boardTab() });
    render(<Popup search="?tabId=7" />);
    expect(await pageKind()).toBe('board');
    expect(screen.getAllByTestId('deal-row')).toHaveLength(8);
  });

  it('speaks Russian in a Russian browser', async () => {
    resetBrowser('ru-RU');
    answer({ 'tab.preview': boardTab() });
    render(<Popup search="?tabId=7" />);
    await pageKind();
    expect(screen.getByTestId('export-board').textContent).toBe('Выгрузить видимую воронку');
    expect(screen.getByText('Доска воронки')).toBeTruthy();
  });
});
