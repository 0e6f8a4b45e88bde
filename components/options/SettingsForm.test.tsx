import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { answer, resetBrowser, sent } from '../test-helpers';
import { SettingsForm } from './SettingsForm';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const site = {
  pattern: 'https://crm.example.com/*',
  origin: 'https://crm.example.com',
  granted: true,
  adapterLabel: 'EspoCRM',
};

describe('SettingsForm', () => {
  it('refuses a template without {id} without asking the background', async () => {
    answer({ 'settings.get': DEFAULT_SETTINGS, 'sites.list': [] });
    render(<SettingsForm />);
    fireEvent.input(await screen.findByTestId('ext-id-template'), { target: { value: 'crm-' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    expect((await screen.findByRole('alert')).textContent).toContain('{id}');
    expect(sent('settings.save')).toEqual([]);
  });

  it('saves the edited settings, empty time zones meaning automatic', async () => {
    answer({
      'settings.get': { ...DEFAULT_SETTINGS, crmTimeZone: 'Europe/Moscow' },
      'sites.list': [site],
      'settings.save': (settings) => ({ ...DEFAULT_SETTINGS, ...settings }),
    });
    render(<SettingsForm />);
    fireEvent.input(await screen.findByTestId('ext-id-template'), { target: { value: 'espo-{id}' } });
    fireEvent.input(screen.getByTestId('crm-time-zone'), { target: { value: '' } });
    fireEvent.input(screen.getByTestId('account-time-zone'), { target: { value: 'Asia/Yekaterinburg' } });
    fireEvent.input(screen.getByLabelText('https://crm.example.com'), { target: { value: 'espo' } });
    fireEvent.change(screen.getByLabelText(/did not tell|does not tell/), {
      target: { value: 'first_seen' },
    });
    fireEvent.click(screen.getByLabelText('Show the export state on board cards'));
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
    expect(sent('settings.save')).toEqual([
      {
        ...DEFAULT_SETTINGS,
        extIdTemplate: 'espo-{id}',
        crmTimeZone: null,
        accountTimeZone: 'Asia/Yekaterinburg',
        sitePrefixes: { 'https://crm.example.com': 'espo' },
        estimateStageTime: 'first_seen',
        boardBadges: true,
      },
    ]);
  });

  it('shows the background’s error when saving fails', async () => {
    answer({
      'settings.get': DEFAULT_SETTINGS,
      'sites.list': [],
      'settings.save': () => {
        throw new Error('Settings could not be stored.');
      },
    });
    render(<SettingsForm />);
    fireEvent.click(await screen.findByTestId('save-settings'));
    expect((await screen.findByRole('alert')).textContent).toBe('Settings could not be stored.');
  });
});
