import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sendMessage } from '@/utils/send-message';
import { answer, resetBrowser, sent } from '../../tests/support/ui';
import { ConnectionForm } from './ConnectionForm';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const stored = {
  endpoint: { brand: 'custom' as const, url: 'http://127.0.0.1:8780/v2.0' },
  authKind: 'key' as const,
  login: null,
  maskedToken: '••••••7f3a',
  passwordRemembered: false,
};

describe('ConnectionForm', () => {
  it('shows the stored connection with the key masked', async () => {
    answer({ 'connection.get': stored });
    render(<ConnectionForm />);
    expect(await screen.findByText(/Stored key: ••••••7f3a/)).toBeTruthy();
    expect((screen.getByTestId('custom-endpoint-input') as HTMLInputElement).value).toBe(stored.endpoint.url);
  });

  it('asks for access to a custom endpoint before saving, from the click', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    answer({ 'connection.get': null, 'connection.save': { saved: true } });
    render(<ConnectionForm />);
    fireEvent.change(screen.getByTestId('endpoint-select'), { target: { value: 'custom' } });
    fireEvent.input(screen.getByTestId('custom-endpoint-input'), {
      target: { value: 'http://127.0.0.1:8780/v2.0' },
    });
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: 'secret-key' } });
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    expect(vi.mocked(sendMessage)).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('connection-status').textContent).toContain('Saved.'));
    expect(sent('connection.save')).toEqual([
      {
        endpoint: { brand: 'custom', url: 'http://127.0.0.1:8780/v2.0' },
        auth: { kind: 'key', token: 'secret-key' },
      },
    ]);
  });

  it('says what is missing instead of saving', () => {
    answer({ 'connection.get': null });
    render(<ConnectionForm />);
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(screen.getByTestId('connection-status').textContent).toBe('Enter the API key.');
    expect(sent('connection.save')).toEqual([]);
  });

  it('shows the account, its time zone and the limits left after a successful test', async () => {
    answer({
      'connection.get': stored,
      'connection.test': {
        ok: true,
        message: 'Connected.',
        account: { name: 'Рога и копыта', timeZone: 'Asia/Yekaterinburg' },
        limits: { dayRemaining: 4990, dayLimit: 5000, minuteRemaining: 59, minuteLimit: 60 },
      },
    });
    render(<ConnectionForm />);
    await waitFor(() =>
      expect((screen.getByTestId('test-connection') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('test-connection'));
    expect((await screen.findByTestId('account-name')).textContent).toBe('Рога и копыта');
    expect(screen.getByTestId('account-timezone').textContent).toBe('Asia/Yekaterinburg');
    expect(screen.getByText('4990 / 5000')).toBeTruthy();
    expect(screen.getByText('59 / 60')).toBeTruthy();
  });

  it('shows a failed test’s message exactly as the background wrote it', async () => {
    const message =
      'The IP address 10.0.0.1 is not allowed: add it (or 0.0.0.0/0) in CoMagic → Settings → API.';
    answer({ 'connection.get': stored, 'connection.test': { ok: false, message, errorClass: 'access' } });
    render(<ConnectionForm />);
    await waitFor(() =>
      expect((screen.getByTestId('test-connection') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('test-connection'));
    await waitFor(() => expect(screen.getByText(message)).toBeTruthy());
    expect(
      screen
        .getByTestId('connection-status')
        .querySelector('[data-error-class]')
        ?.getAttribute('data-error-class'),
    ).toBe('access');
  });

  it('asks for the key again when the address changes, before asking for access or saving', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    answer({ 'connection.get': stored });
    render(<ConnectionForm />);
    await screen.findByText(/Stored key: ••••••7f3a/);
    fireEvent.input(screen.getByTestId('custom-endpoint-input'), {
      target: { value: 'https://api.example.net/v2.0' },
    });
    expect(screen.queryByText(/Stored key/)).toBeNull();
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(screen.getByTestId('connection-status').textContent).toBe(
      'The address changed: enter the API key for https://api.example.net/v2.0. The saved key belongs to the previous address and is not sent to another one.',
    );
    fireEvent.change(screen.getByTestId('endpoint-select'), { target: { value: 'uis' } });
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(screen.getByTestId('connection-status').textContent).toMatch(
      /for https:\/\/dataapi\.uiscom\.ru\/v2\.0\./,
    );
    expect(request).not.toHaveBeenCalled();
    expect(sent('connection.save')).toEqual([]);
  });

  it('asks for the password again when the address of a login connection changes', async () => {
    answer({
      'connection.get': {
        ...stored,
        authKind: 'login',
        login: 'ops@example.com',
        maskedToken: null,
        passwordRemembered: true,
      },
    });
    render(<ConnectionForm />);
    await waitFor(() =>
      expect((screen.getByTestId('login-input') as HTMLInputElement).value).toBe('ops@example.com'),
    );
    fireEvent.change(screen.getByTestId('endpoint-select'), { target: { value: 'comagic' } });
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(screen.getByTestId('connection-status').textContent).toMatch(
      /^The address changed: enter the password/,
    );
    expect(sent('connection.save')).toEqual([]);
  });

  it('refuses plain http to another computer with what to do, before asking for access', () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    answer({ 'connection.get': null });
    render(<ConnectionForm />);
    fireEvent.change(screen.getByTestId('endpoint-select'), { target: { value: 'custom' } });
    fireEvent.input(screen.getByTestId('custom-endpoint-input'), {
      target: { value: 'http://crm.example.net/v2.0' },
    });
    fireEvent.input(screen.getByTestId('token-input'), { target: { value: 'secret-key' } });
    fireEvent.click(screen.getByTestId('save-connection'));
    expect(screen.getByTestId('connection-status').textContent).toMatch(
      /unencrypted to crm\.example\.net: use an https:\/\/ address/,
    );
    expect(request).not.toHaveBeenCalled();
    expect(sent('connection.save')).toEqual([]);
  });
});
