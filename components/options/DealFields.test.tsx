import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/settings';
import { answer, resetBrowser, sent } from '../../tests/support/ui';
import { SettingsForm } from './SettingsForm';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

const saving = (stored: Settings = DEFAULT_SETTINGS) => ({
  'settings.get': stored,
  'sites.list': [],
  'settings.save': (settings: Settings) => settings,
});

describe('Options → Mapping → Rules: user fields, currency rates, partner key', () => {
  beforeEach(() => resetBrowser());

  it('saves a chosen CRM field as a numeric user field and a currency rate written with a comma', async () => {
    answer(saving());
    render(<SettingsForm />);
    fireEvent.click(await screen.findByText('Add a field'));
    const field = screen.getByRole('group', { name: 'User field 1' });
    fireEvent.input(within(field).getByLabelText('CRM field'), { target: { value: 'probability' } });
    fireEvent.input(within(field).getByLabelText('Name in CoMagic'), { target: { value: 'Probability, %' } });
    fireEvent.change(within(field).getByLabelText('Type'), { target: { value: 'numeric' } });
    fireEvent.click(screen.getByText('Add a rate'));
    const rate = screen.getByRole('group', { name: 'Currency rates 1' });
    fireEvent.input(within(rate).getByLabelText(/Currency \(ISO/), { target: { value: 'usd' } });
    fireEvent.input(within(rate).getByLabelText('Worth in the report currency'), {
      target: { value: '91,5' },
    });
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
    expect(sent('settings.save')).toEqual([
      {
        ...DEFAULT_SETTINGS,
        userFields: [{ crmField: 'probability', name: 'Probability, %', dataType: 'numeric' }],
        currencyRates: { USD: 91.5 },
      },
    ]);
  });

  it('refuses a half-written rate or user field with what to do, sending nothing', async () => {
    answer(saving());
    render(<SettingsForm />);
    fireEvent.click(await screen.findByText('Add a rate'));
    fireEvent.input(screen.getByLabelText(/Currency \(ISO/), { target: { value: 'EUR' } });
    fireEvent.input(screen.getByLabelText('Worth in the report currency'), { target: { value: '-3' } });
    fireEvent.click(screen.getByText('Add a field'));
    fireEvent.click(screen.getByTestId('save-settings'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Rate 1: write a three-letter code (USD) and a positive number');
    expect(alert.textContent).toContain('User field 1: give the CRM field and its name in CoMagic');
    expect(sent('settings.save')).toEqual([]);
  });

  it('shows the stored choices, removes one, and keeps the partner user id as a number', async () => {
    answer(
      saving({
        ...DEFAULT_SETTINGS,
        userFields: [
          { crmField: 'closeDate', name: 'Close date', dataType: 'string' },
          { crmField: 'currency', name: 'Currency', dataType: 'string' },
        ],
        currencyRates: { USD: 90 },
      }),
    );
    render(<SettingsForm />);
    fireEvent.click(await screen.findByText('Remove User field 1'));
    fireEvent.input(screen.getByTestId('partner-user-id'), { target: { value: '4021' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
    expect(sent('settings.save')[0]).toMatchObject({
      userFields: [{ crmField: 'currency', name: 'Currency', dataType: 'string' }],
      currencyRates: { USD: 90 },
      partnerUserId: 4021,
    });
  });

  it('speaks Russian in a Russian browser', async () => {
    resetBrowser('ru-RU');
    answer(saving());
    render(<SettingsForm />);
    expect(await screen.findByText('Курсы валют')).toBeTruthy();
    expect(screen.getByText('Добавить поле')).toBeTruthy();
  });
});
