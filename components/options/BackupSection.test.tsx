import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, resetBrowser, sent } from '../../tests/support/ui';
import { BackupSection } from './BackupSection';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

function chooseFile(content: string) {
  const input = screen.getByTestId('settings-import') as HTMLInputElement;
  const file = new File([content], 'backup.json', { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

describe('BackupSection', () => {
  it('says secrets are never included', () => {
    answer({});
    render(<BackupSection />);
    expect(screen.getByText(/API keys and passwords are never included/)).toBeTruthy();
  });

  it.each([
    ['en-US', /give it to your colleague .* they import it here before their first export/],
    ['ru-RU', /передайте его коллеге .* импортирует его здесь до своей первой выгрузки/],
  ])('tells a team how to share one setup (%s)', (language, text) => {
    resetBrowser(language);
    answer({});
    render(<BackupSection />);
    expect(screen.getByTestId('backup-team-note').textContent).toMatch(text);
  });

  it('downloads the settings export', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:settings');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    answer({
      'settings.export': { filename: 'crm-comagic-settings.json', mime: 'application/json', content: '{}' },
    });
    render(<BackupSection />);
    fireEvent.click(screen.getByTestId('settings-export'));
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
  });

  it('imports a file and shows its errors one per line', async () => {
    answer({
      'settings.import': {
        ok: false,
        errors: ['settings.extIdTemplate: must contain {id}', 'version: 7 is unknown'],
      },
    });
    render(<BackupSection />);
    chooseFile('{"version":7}');
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    expect(sent('settings.import')).toEqual([{ json: '{"version":7}' }]);
  });

  it('says so when the import succeeds', async () => {
    answer({ 'settings.import': { ok: true, errors: [] } });
    render(<BackupSection />);
    chooseFile('{}');
    expect(await screen.findByText('Settings imported.')).toBeTruthy();
  });
});
