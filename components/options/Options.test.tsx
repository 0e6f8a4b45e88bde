import { render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { answer, resetBrowser } from '../../tests/support/ui';
import { Options } from './Options';
import { parseRoute } from './routes';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

describe('parseRoute', () => {
  it('reads a section and a job id', () => {
    expect(parseRoute('#activity/job%2F1')).toEqual({ section: 'activity', jobId: 'job/1' });
    expect(parseRoute('#mapping')).toEqual({ section: 'mapping', jobId: null });
  });

  it('falls back to the connection for anything else', () => {
    expect(parseRoute('')).toEqual({ section: 'connection', jobId: null });
    expect(parseRoute('#nowhere/x')).toEqual({ section: 'connection', jobId: null });
  });
});

describe('Options', () => {
  it('shows every section with one h1, h2 per section and a nav to each', async () => {
    answer({
      'connection.get': null,
      'sites.list': [],
      'recipes.list': [],
      'mapping.list': [],
      'settings.get': DEFAULT_SETTINGS,
      'job.list': [],
    });
    render(<Options />);
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    const sections = screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent);
    expect(sections).toEqual([
      'Connection to CoMagic',
      'CRM sites',
      'Mapping to CoMagic funnels',
      'Activity',
      'Backup',
    ]);
    const links = screen.getAllByRole('link').map((link) => link.getAttribute('href'));
    expect(links).toEqual(['#connection', '#sites', '#mapping', '#activity', '#backup']);
    expect(await screen.findByText('Nothing exported yet.')).toBeTruthy();
  });
});
