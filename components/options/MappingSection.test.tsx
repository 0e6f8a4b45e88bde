import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MappingConfig } from '@/utils/mapping/funnel';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { answer, mappingConfig, mappingView, resetBrowser, sent } from '../../tests/support/ui';
import { editStage, MappingSection } from './MappingSection';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

function answerMapping(extra: Parameters<typeof answer>[0] = {}) {
  answer({
    'mapping.list': [mappingView()],
    'settings.get': DEFAULT_SETTINGS,
    'sites.list': [],
    ...extra,
  });
}

describe('editStage', () => {
  it('marks a CRM stage as edited by the user', () => {
    const config = mappingConfig();
    const stage = config.stages[0]!;
    const next = editStage(config, stage, { name: 'First call' });
    expect(next.stages[0]).toMatchObject({ name: 'First call', userEdited: true });
  });

  it('confirms a won/lost stage that has no CRM column', () => {
    const config = mappingConfig();
    const synthetic = config.stages[2]!;
    const next = editStage(config, synthetic, {});
    expect(next.stages[2]).toMatchObject({ crmStageId: null, userEdited: true, name: 'Lost' });
  });
});

describe('MappingSection', () => {
  it('says so when no pipeline is read yet', async () => {
    answerMapping({ 'mapping.list': [] });
    render(<MappingSection />);
    expect(await screen.findByText('No pipeline read yet.')).toBeTruthy();
  });

  it('shows each CRM stage beside its CoMagic stage, outcome and order', async () => {
    answerMapping();
    render(<MappingSection />);
    const editor = within(await screen.findByTestId('mapping-editor'));
    expect((editor.getByLabelText('CoMagic stage for Prospecting') as HTMLInputElement).value).toBe(
      'Prospecting',
    );
    expect((editor.getByLabelText('Outcome of Closed Won') as HTMLSelectElement).value).toBe('success');
    expect((editor.getByLabelText('Order of Prospecting') as HTMLInputElement).value).toBe('10');
    expect((editor.getByLabelText('Order of Closed Won') as HTMLInputElement).disabled).toBe(true);
  });

  it('marks a won/lost stage the extension proposed, until the user confirms it', async () => {
    answerMapping({ 'mapping.list': [mappingView({ config: mappingConfig({ crm: 'recipe:krayin' }) })] });
    render(<MappingSection />);
    const editor = within(await screen.findByTestId('mapping-editor'));
    const row = editor.getByTestId('stage-proposed').closest('tr')!;
    expect(editor.getByTestId('stage-proposed').textContent).toBe('proposed — change it if wrong');
    expect((within(row).getByLabelText(/^CoMagic stage for/) as HTMLInputElement).value).toBe('Lost');
    fireEvent.click(within(row).getByRole('button', { name: 'Confirm' }));
    expect(editor.queryByTestId('stage-proposed')).toBeNull();
  });

  it('does not mark Odoo’s lost stage proposed: archived lost leads are what Odoo means by lost', async () => {
    answerMapping({ 'mapping.list': [mappingView({ config: mappingConfig({ crm: 'odoo' }) })] });
    render(<MappingSection />);
    const editor = within(await screen.findByTestId('mapping-editor'));
    expect(editor.queryByTestId('stage-proposed')).toBeNull();
    expect(editor.queryByRole('button', { name: 'Confirm' })).toBeNull();
  });

  it('saves an edited stage and shows the problems the background found', async () => {
    answerMapping({
      'mapping.save': ({ key, config }) => ({
        key,
        config: config as MappingConfig,
        problems: [{ severity: 'error', field: 'stages', message: 'Confirm the lost stage.' }],
      }),
    });
    render(<MappingSection />);
    const editor = within(await screen.findByTestId('mapping-editor'));
    fireEvent.input(editor.getByLabelText('CoMagic stage for Prospecting'), {
      target: { value: 'First call' },
    });
    fireEvent.input(editor.getByLabelText('ext_id for Prospecting'), { target: { value: 'first-call' } });
    fireEvent.click(editor.getByTestId('save-mapping'));
    expect(await editor.findByText('Confirm the lost stage.')).toBeTruthy();
    const saved = sent('mapping.save')[0];
    expect(saved?.key).toBe('https://crm.example.com|default');
    expect(saved?.config.stages[0]).toMatchObject({
      name: 'First call',
      extId: 'first-call',
      userEdited: true,
    });
  });

  it('creates the funnel in CoMagic and shows its message', async () => {
    answerMapping({ 'mapping.createFunnel': { ok: true, message: 'Funnel “Sales” created with 3 stages.' } });
    render(<MappingSection />);
    fireEvent.click(await screen.findByTestId('create-funnel'));
    expect(await screen.findByText('Funnel “Sales” created with 3 stages.')).toBeTruthy();
    expect(sent('mapping.createFunnel')).toEqual([{ key: 'https://crm.example.com|default' }]);
    expect(sent('mapping.save')).toEqual([]);
  });

  it('saves pending edits before creating the funnel', async () => {
    answerMapping({
      'mapping.save': ({ key, config }) => ({ key, config: config as MappingConfig, problems: [] }),
      'mapping.createFunnel': { ok: false, message: 'The sales funnel component is off in this account.' },
    });
    render(<MappingSection />);
    const editor = within(await screen.findByTestId('mapping-editor'));
    fireEvent.change(editor.getByLabelText('Outcome of Prospecting'), { target: { value: 'failed' } });
    fireEvent.click(editor.getByTestId('create-funnel'));
    await waitFor(() =>
      expect(editor.getByText('The sales funnel component is off in this account.')).toBeTruthy(),
    );
    expect(sent('mapping.save')).toHaveLength(1);
  });
});
