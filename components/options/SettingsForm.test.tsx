import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSitePrefix } from '@/utils/mapping/ext-ids';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { answer, type Handlers, resetBrowser, sent } from '../../tests/support/ui';
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

  it('shows the prefix derived for a site that has none of its own, and the empty one pinned for an older site', async () => {
    const older = { ...site, pattern: 'https://old.example.com/*', origin: 'https://old.example.com' };
    answer({
      'settings.get': { ...DEFAULT_SETTINGS, sitePrefixes: { 'https://old.example.com': '' } },
      'sites.list': [site, older],
    });
    render(<SettingsForm />);
    const derived = (await screen.findByLabelText('https://crm.example.com')) as HTMLInputElement;
    expect(derived.value).toBe(defaultSitePrefix('https://crm.example.com'));
    expect((screen.getByLabelText('https://old.example.com') as HTMLInputElement).value).toBe('');
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

describe('SettingsForm: Export visible pipeline', () => {
  const saving: Handlers = {
    'sites.list': [],
    'settings.save': (settings) => settings,
  };
  const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

  it('shows the stored choice, numbers and checkbox', async () => {
    answer({
      ...saving,
      'settings.get': {
        ...DEFAULT_SETTINGS,
        exportMode: 'board',
        crmReadConcurrency: 2,
        crmReadDelayMs: 750,
        allowEstimatedCreation: true,
      },
    });
    render(<SettingsForm />);
    await screen.findByTestId('settings-form');
    expect(input('export-mode-board').checked).toBe(true);
    expect(input('export-mode-whole').checked).toBe(false);
    expect(input('crm-read-concurrency').value).toBe('2');
    expect(input('crm-read-delay').value).toBe('750');
    expect(input('allow-estimated-creation').checked).toBe(true);
  });

  it('shows the defaults as whole deals, 4 reads at once, no pause, nothing estimated', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    await screen.findByTestId('settings-form');
    expect(input('export-mode-whole').checked).toBe(true);
    expect(input('export-mode-board').checked).toBe(false);
    expect(input('crm-read-concurrency').value).toBe('4');
    expect(input('crm-read-delay').value).toBe('0');
    expect(input('allow-estimated-creation').checked).toBe(false);
  });

  it('names each control by its label', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    await screen.findByTestId('settings-form');
    expect(screen.getByRole('radio', { name: 'Whole deals (recommended)' })).toBe(input('export-mode-whole'));
    expect(screen.getByRole('radio', { name: 'Current stages only (quick look)' })).toBe(
      input('export-mode-board'),
    );
    expect(screen.getByRole('group', { name: 'What to send for each card' })).toBeTruthy();
    expect(screen.getByLabelText('Reads at once')).toBe(input('crm-read-concurrency'));
    expect(screen.getByLabelText('Pause between reads, ms')).toBe(input('crm-read-delay'));
    expect(
      screen.getByLabelText('Send deals whose creation time the CRM does not show, with the time estimated'),
    ).toBe(input('allow-estimated-creation'));
  });

  it('saves the choice, the numbers and the checkbox as changed', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    fireEvent.click(await screen.findByTestId('export-mode-board'));
    fireEvent.input(input('crm-read-concurrency'), { target: { value: '1' } });
    fireEvent.input(input('crm-read-delay'), { target: { value: '2500' } });
    fireEvent.click(input('allow-estimated-creation'));
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
    expect(sent('settings.save')).toEqual([
      {
        ...DEFAULT_SETTINGS,
        exportMode: 'board',
        crmReadConcurrency: 1,
        crmReadDelayMs: 2500,
        allowEstimatedCreation: true,
      },
    ]);
  });

  it('saves whole deals chosen back after board-only, and the checkbox turned off', async () => {
    answer({
      ...saving,
      'settings.get': { ...DEFAULT_SETTINGS, exportMode: 'board', allowEstimatedCreation: true },
    });
    render(<SettingsForm />);
    fireEvent.click(await screen.findByTestId('export-mode-whole'));
    fireEvent.click(input('allow-estimated-creation'));
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
    expect(sent('settings.save')).toEqual([
      { ...DEFAULT_SETTINGS, exportMode: 'whole', allowEstimatedCreation: false },
    ]);
  });

  it.each([
    ['crm-read-concurrency', '9', 'Reads at once: a whole number from 1 to 8.'],
    ['crm-read-concurrency', '0', 'Reads at once: a whole number from 1 to 8.'],
    ['crm-read-concurrency', '2.5', 'Reads at once: a whole number from 1 to 8.'],
    ['crm-read-concurrency', '', 'Reads at once: a whole number from 1 to 8.'],
    ['crm-read-delay', '10001', 'Pause between reads: a whole number of milliseconds from 0 to 10000.'],
    ['crm-read-delay', '-1', 'Pause between reads: a whole number of milliseconds from 0 to 10000.'],
    ['crm-read-delay', '', 'Pause between reads: a whole number of milliseconds from 0 to 10000.'],
  ])('refuses %s = "%s" with its message, without asking the background', async (testId, value, message) => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    fireEvent.input(await screen.findByTestId(testId), { target: { value } });
    fireEvent.click(screen.getByTestId('save-settings'));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(sent('settings.save')).toEqual([]);
  });

  it('shows the board-only consequence beside its choice, as that choice’s description', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    const board = await screen.findByTestId('export-mode-board');
    const consequence = document.getElementById(board.getAttribute('aria-describedby') ?? '');
    expect(consequence?.textContent).toBe(
      'No stage history, no contacts or owner: CoMagic cannot tie these deals to calls, and their history cannot be added later (CoMagic refuses records older than the last one it holds).',
    );
    expect(board.closest('label')?.nextElementSibling).toBe(consequence);
  });

  it('describes the estimated creation time by what it costs', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    const checkbox = await screen.findByTestId('allow-estimated-creation');
    expect(document.getElementById(checkbox.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'CoMagic ties calls only up to 30 days before a deal’s creation: an estimated creation time may tie the wrong calls or none.',
    );
  });

  it('says why to read gently, beside both numbers', async () => {
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    await screen.findByTestId('settings-form');
    for (const testId of ['crm-read-concurrency', 'crm-read-delay']) {
      const hint = document.getElementById(input(testId).getAttribute('aria-describedby') ?? '');
      expect(hint?.textContent).toBe('Your CRM is your team’s: fewer reads at once are gentler on it.');
    }
  });

  it('speaks Russian in a Russian browser, the consequence included', async () => {
    resetBrowser('ru-RU');
    answer({ ...saving, 'settings.get': DEFAULT_SETTINGS });
    render(<SettingsForm />);
    await screen.findByTestId('settings-form');
    expect(screen.getByRole('group', { name: 'Выгрузка видимой воронки' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Сделки целиком (рекомендуется)' })).toBe(
      input('export-mode-whole'),
    );
    expect(screen.getByRole('radio', { name: 'Только текущие этапы (быстрый обзор)' })).toBe(
      input('export-mode-board'),
    );
    const board = input('export-mode-board');
    expect(document.getElementById(board.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Без истории этапов, контактов и ответственного: CoMagic не сможет связать эти сделки со звонками, а их историю нельзя будет добавить позже (CoMagic не принимает записи старше последней, которая у него уже есть).',
    );
    expect(screen.getByLabelText('Чтений одновременно')).toBe(input('crm-read-concurrency'));
    expect(screen.getByLabelText('Пауза между чтениями, мс')).toBe(input('crm-read-delay'));
    fireEvent.input(input('crm-read-concurrency'), { target: { value: '20' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Чтений одновременно: целое число от 1 до 8.',
    );
  });
});
