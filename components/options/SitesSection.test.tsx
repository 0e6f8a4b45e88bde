import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { SiteView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { answer, resetBrowser, sent } from '../../tests/support/ui';
import { SitesSection } from './SitesSection';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const espo: SiteView = {
  pattern: 'https://crm.example.com/*',
  origin: 'https://crm.example.com',
  granted: true,
  adapterLabel: 'EspoCRM',
};

/** Live mode and schedules, off: the section inside this one asks for them too. */
const NO_AUTO_SYNC = {
  'autoSync.get': {
    liveSites: [],
    schedules: [],
    budget: { dayRemaining: null, dayLimit: null, perRun: {} },
  },
  'mapping.list': [],
};

function answerSites(lists: SiteView[][]) {
  answer({ 'sites.list': () => lists.shift() ?? [], 'recipes.list': [], ...NO_AUTO_SYNC });
}

describe('SitesSection', () => {
  it('says so when no site is added', async () => {
    answerSites([[]]);
    render(<SitesSection />);
    expect(await screen.findByText('No CRM site added yet.')).toBeTruthy();
  });

  it('lists the sites with their adapters', async () => {
    answerSites([
      [
        espo,
        { ...espo, pattern: 'https://x.example.com/*', origin: 'https://x.example.com', adapterLabel: null },
      ],
    ]);
    render(<SitesSection />);
    const list = await screen.findByTestId('site-list');
    expect(list.textContent).toContain('EspoCRM');
    expect(list.textContent).toContain('no reader');
  });

  it('shows an error when the list cannot be read', async () => {
    answer({
      'sites.list': () => {
        throw new Error('Storage is unavailable.');
      },
      'recipes.list': [],
      ...NO_AUTO_SYNC,
    });
    render(<SitesSection />);
    expect((await screen.findByRole('alert')).textContent).toBe('Storage is unavailable.');
  });

  it('asks for the site’s permission before anything else, then refreshes the list', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    answer({ 'sites.list': () => [], 'sites.add': () => [espo], 'recipes.list': [], ...NO_AUTO_SYNC });
    render(<SitesSection />);
    await screen.findByText('No CRM site added yet.');
    const before = vi.mocked(sendMessage).mock.calls.length;
    fireEvent.input(screen.getByTestId('site-url-input'), {
      target: { value: 'https://crm.example.com/#Opportunity' },
    });
    fireEvent.click(screen.getByTestId('add-site'));
    expect(request).toHaveBeenCalledWith({ origins: ['https://crm.example.com/*'] });
    expect(vi.mocked(sendMessage).mock.calls.length).toBe(before);
    await waitFor(() => expect(sent('sites.add')).toEqual([{ pattern: 'https://crm.example.com/*' }]));
  });

  it('marks a site whose access was withdrawn in the browser', async () => {
    answerSites([[{ ...espo, granted: false }]]);
    render(<SitesSection />);
    expect((await screen.findByTestId('site-list')).textContent).toContain('no access');
  });

  it('says so when the browser refuses the permission', async () => {
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false);
    answerSites([[]]);
    render(<SitesSection />);
    fireEvent.input(screen.getByTestId('site-url-input'), { target: { value: 'https://crm.example.com' } });
    fireEvent.click(screen.getByTestId('add-site'));
    expect((await screen.findByRole('alert')).textContent).toContain('did not allow access');
    expect(sent('sites.list')).toHaveLength(1);
  });

  it('rejects an address that is not http(s) without asking the browser', () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request');
    answerSites([[]]);
    render(<SitesSection />);
    fireEvent.input(screen.getByTestId('site-url-input'), { target: { value: 'ftp://crm' } });
    fireEvent.click(screen.getByTestId('add-site'));
    expect(request).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('https://');
  });

  it('removes a site’s permission and refreshes the list', async () => {
    const remove = vi.spyOn(fakeBrowser.permissions, 'remove').mockResolvedValue(true);
    const lists = [[espo], []];
    answer({
      'sites.list': () => lists.shift() ?? [],
      'sites.remove': () => [],
      'recipes.list': [],
      ...NO_AUTO_SYNC,
    });
    render(<SitesSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove https://crm.example.com' }));
    expect(remove).toHaveBeenCalledWith({ origins: ['https://crm.example.com/*'] });
    await waitFor(() => expect(sent('sites.remove')).toEqual([{ pattern: 'https://crm.example.com/*' }]));
    await waitFor(() => expect(screen.getByText('No CRM site added yet.')).toBeTruthy());
  });

  it('names the reader of a listed site as soon as a recipe for it is saved', async () => {
    const local = { ...espo, pattern: 'http://127.0.0.1/*', origin: 'http://127.0.0.1', adapterLabel: null };
    const lists = [[local], [{ ...local, adapterLabel: 'Twenty' }]];
    answer({
      'sites.list': () => lists.shift() ?? [],
      'recipes.list': [],
      'recipes.save': { ok: true, id: 'twenty', errors: [] },
      ...NO_AUTO_SYNC,
    });
    render(<SitesSection />);
    expect((await screen.findByTestId('site-list')).textContent).toContain('no reader');
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: '{"id":"twenty"}' } });
    fireEvent.click(screen.getByTestId('save-recipe'));
    await waitFor(() => expect(screen.getByTestId('site-list').textContent).toContain('Twenty'));
    expect(screen.getByTestId('site-list').textContent).not.toContain('no reader');
  });
});
