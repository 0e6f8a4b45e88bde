import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AutoSyncView, SiteView } from '@/utils/messaging';
import { answer, mappingConfig, mappingView, resetBrowser, sent } from '../../tests/support/ui';
import { AutoSyncSection, defaultBoardUrl } from './AutoSyncSection';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const SITE = 'https://crm.example.com';
const site: SiteView = { pattern: `${SITE}/*`, origin: SITE, granted: true, adapterLabel: 'EspoCRM' };
const mapping = mappingView({
  key: 'espo-main',
  config: mappingConfig({ site: SITE, crm: 'espocrm', pipelineName: 'Sales' }),
});

function view(overrides: Partial<AutoSyncView> = {}): AutoSyncView {
  return {
    liveSites: [],
    schedules: [],
    budget: { dayRemaining: null, dayLimit: null, perRun: {} },
    ...overrides,
  };
}

describe('AutoSyncSection', () => {
  it('is off by default and says plainly what each mode does before it is switched on', async () => {
    answer({ 'autoSync.get': view(), 'mapping.list': [mapping] });
    render(<AutoSyncSection sites={[site]} />);
    const live = (await screen.findByTestId(`live-${SITE}`)) as HTMLInputElement;
    expect(live.checked).toBe(false);
    expect((screen.getByTestId('schedule-every') as HTMLSelectElement).value).toBe('off');
    expect(screen.getByText(/every change you make or see there/)).toBeTruthy();
    expect(screen.getByText(/The browser must be running for a run to happen/)).toBeTruthy();
  });

  it('saves live mode for a site and a daily schedule with its board', async () => {
    const handlers = answer({
      'autoSync.get': view(),
      'mapping.list': [mapping],
      'autoSync.save': (prefs) => view({ ...prefs }),
    });
    render(<AutoSyncSection sites={[site]} />);
    fireEvent.click(await screen.findByTestId(`live-${SITE}`));
    fireEvent.change(screen.getByTestId('schedule-every'), { target: { value: 'day' } });
    fireEvent.input(screen.getByTestId('schedule-at'), { target: { value: '18:45' } });
    fireEvent.click(screen.getByTestId('auto-sync-save'));
    await waitFor(() => expect(sent('autoSync.save')).toHaveLength(1));
    expect(sent('autoSync.save')[0]).toEqual({
      liveSites: [SITE],
      schedules: [{ key: 'espo-main', every: 'day', at: '18:45', boardUrl: `${SITE}/#Opportunity` }],
    });
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(handlers).toHaveBeenCalled();
  });

  it('refuses a time that is not HH:MM and a board of another site, sending nothing', async () => {
    answer({ 'autoSync.get': view(), 'mapping.list': [mapping] });
    render(<AutoSyncSection sites={[site]} />);
    fireEvent.change(await screen.findByTestId('schedule-every'), { target: { value: 'hour' } });
    fireEvent.input(screen.getByTestId('schedule-at'), { target: { value: '9.30' } });
    fireEvent.input(screen.getByTestId('schedule-board'), {
      target: { value: 'https://elsewhere.example.com/' },
    });
    fireEvent.click(screen.getByTestId('auto-sync-save'));
    expect(await screen.findByText('Write the time as HH:MM, e.g. 09:30.')).toBeTruthy();
    expect(screen.getByText(`The board address must be a page of ${SITE}.`)).toBeTruthy();
    expect(sent('autoSync.save')).toEqual([]);
  });

  it('shows each schedule’s expected points per run against the points left today', async () => {
    const schedule = {
      key: 'espo-main',
      every: 'hour' as const,
      at: '00:15',
      boardUrl: `${SITE}/#Opportunity`,
    };
    answer({
      'autoSync.get': view({
        schedules: [schedule],
        budget: { dayRemaining: 812, dayLimit: 3000, perRun: { 'espo-main': { points: 9, deals: 5 } } },
      }),
      'mapping.list': [mapping],
    });
    render(<AutoSyncSection sites={[site]} />);
    expect((await screen.findByTestId('schedule-cost')).textContent).toBe(
      'Expected cost: about 9 API points per run (the last run found 5 changed deals).',
    );
    expect(screen.getByTestId('day-budget').textContent).toContain('left today: 812 of 3000');
  });

  it('knows where each built-in CRM shows its board', () => {
    const of = (crm: string, pipelineId = 'p') =>
      defaultBoardUrl(
        mappingView({ config: mappingConfig({ site: SITE, crm: crm as 'espocrm', pipelineId }) }),
      );
    expect(of('espocrm')).toBe(`${SITE}/#Opportunity`);
    expect(of('odoo')).toBe(`${SITE}/odoo/crm`);
    expect(of('amocrm', '77')).toBe(`${SITE}/leads/pipeline/77`);
  });
});
