import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DealPreview } from '@/utils/messaging';
import { answer, crmDeal, dealPreview, jobView, resetBrowser, sent } from '../../tests/support/ui';
import { DealView } from './DealView';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

function show(preview: DealPreview = dealPreview()) {
  return render(
    <DealView
      tabId={7}
      adapterLabel="EspoCRM"
      funnelName="Sales funnel"
      preview={preview}
      activeJob={null}
    />,
  );
}

describe('DealView', () => {
  it('says under what will be sent that CoMagic is asked first, only for a deal not checked today', () => {
    const { unmount } = show(dealPreview({ askFirst: { deals: 1, reads: 1 } }));
    const payloads = within(screen.getByRole('region', { name: 'What will be sent' }));
    expect(payloads.getByTestId('ask-first').textContent).toMatch(
      /CoMagic is asked whether it already holds this deal/,
    );
    unmount();
    show();
    expect(screen.queryByTestId('ask-first')).toBeNull();
  });

  it('shows the deal’s card: name, stage, amount, owner, contacts', () => {
    show();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Supply of 40 laptops');
    const card = within(screen.getByRole('region', { name: 'Supply of 40 laptops' }));
    expect(card.getByText('Proposal')).toBeTruthy();
    expect(card.getByText('125,000 RUB')).toBeTruthy();
    expect(card.getByText('Anna Smirnova')).toBeTruthy();
    expect(card.getByText('Ivan Petrov')).toBeTruthy();
    expect(card.getByText('+7 900 123-45-67')).toBeTruthy();
    expect(screen.getByTestId('deal-status').textContent).toBe('New');
  });

  it('shows the company with its own phones and e-mails, the source, tags and description that will be sent', () => {
    show(
      dealPreview({
        deal: crmDeal({
          company: {
            id: 'a-1',
            name: 'Orbitway Logistics',
            phones: ['+49 30 5550 1200'],
            emails: ['office@orbitway.example'],
          },
          source: 'Partner',
          tags: ['vip', 'export'],
          description: 'Renewal of 40 trackers.',
        }),
      }),
    );
    const card = within(screen.getByRole('region', { name: 'Supply of 40 laptops' }));
    expect(card.getByText('Company')).toBeTruthy();
    expect(screen.getByTestId('deal-company').textContent).toBe(
      'Orbitway Logistics+49 30 5550 1200office@orbitway.example',
    );
    expect(screen.getByTestId('deal-source').textContent).toBe('Partner');
    expect(screen.getByTestId('deal-tags').textContent).toBe('vip, export');
    expect(screen.getByTestId('deal-description').textContent).toBe('Renewal of 40 trackers.');
  });

  it('shows no company, source, tags or description rows for a deal without them', () => {
    show();
    for (const id of ['deal-company', 'deal-source', 'deal-tags', 'deal-description'])
      expect(screen.queryByTestId(id)).toBeNull();
  });

  it('shows the stage history with observed and estimated visits labelled in words', () => {
    show();
    const visits = screen.getByTestId('deal-history').querySelectorAll('li');
    expect(visits).toHaveLength(2);
    expect(visits[0]?.textContent).toBe('Prospecting2026-03-01 09:00:00');
    expect(visits[1]?.textContent).toContain('observed');
    expect(visits[1]?.textContent).toContain('estimated time');
  });

  it('shows the exact payload as pretty JSON text and copies it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { container } = show();
    const json = JSON.stringify(dealPreview().payloads[0]?.params, null, 2);
    expect(container.querySelector('details summary')?.textContent).toBe('upload.deals_history');
    expect(container.querySelector('details pre')?.textContent).toBe(json);
    fireEvent.click(screen.getByRole('button', { name: 'Copy the upload.deals_history payload' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(json));
    expect(await screen.findByText('Copied.')).toBeTruthy();
  });

  it('disables sending, saying why, when the deal has an error', () => {
    show(
      dealPreview({
        problems: [
          { severity: 'warning', field: 'contacts', message: 'The deal has no contact.' },
          { severity: 'error', field: 'deal.stage', message: 'Stage "Hold" is not mapped.' },
        ],
      }),
    );
    const button = screen.getByTestId('send-deal') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe('send-blocked');
    expect(screen.getByText('Stage "Hold" is not mapped.')).toBeTruthy();
    expect(screen.getByText('The deal has no contact.')).toBeTruthy();
  });

  it('allows sending with warnings only', () => {
    show(dealPreview({ problems: [{ severity: 'warning', field: 'contacts', message: 'No contact.' }] }));
    expect((screen.getByTestId('send-deal') as HTMLButtonElement).disabled).toBe(false);
  });

  it('sends the deal (as a dry run when ticked) and follows the job', async () => {
    answer({
      'tab.send': { jobId: 'job-9' },
      'job.get': jobView({ id: 'job-9', kind: 'deal', status: 'done' }),
    });
    show();
    fireEvent.click(screen.getByTestId('dry-run'));
    fireEvent.click(screen.getByTestId('send-deal'));
    await waitFor(() => expect(screen.getByTestId('job-status').dataset.status).toBe('done'));
    expect(sent('tab.send')).toEqual([{ tabId: 7, dryRun: true }]);
  });

  it('shows the background’s message when sending fails', async () => {
    answer({
      'tab.send': () => {
        throw new Error('Connect your CoMagic account first.');
      },
    });
    show();
    fireEvent.click(screen.getByTestId('send-deal'));
    expect((await screen.findByRole('alert')).textContent).toBe('Connect your CoMagic account first.');
  });

  it('shows a scraped name with markup as text, never as HTML', () => {
    const name = '<img src=x onerror=alert(1)>';
    const { container } = show(dealPreview({ deal: crmDeal({ name }) }));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(name);
  });

  it('clamps a 100 KB name on screen and keeps it whole in the title', () => {
    const name = 'Ж'.repeat(100_000);
    show(dealPreview({ deal: crmDeal({ name }) }));
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.querySelector('.clamped')?.getAttribute('title')).toBe(name);
    expect(heading.textContent).toBe(`${'Ж'.repeat(500)}…`);
  });

  describe('a deal CoMagic holds a poorer history of', () => {
    const poorer = () => dealPreview({ repair: { held: '2026-03-09 18:00:00', missing: 3 } });

    it('says so, with the creation time CoMagic holds and the stages it lacks', () => {
      show(poorer());
      expect(screen.getByTestId('deal-repair-note').textContent).toBe(
        'CoMagic holds a poorer history of this deal than this page shows (created 2026-03-09 18:00:00, 3 stages missing).',
      );
      expect(screen.getByTestId('deal-repair').textContent).toBe('Repair in CoMagic');
      expect(screen.queryByRole('alertdialog')).toBeNull();
    });

    it('offers no repair for a deal CoMagic holds as the page shows it', () => {
      show();
      expect(screen.queryByTestId('deal-repair-note')).toBeNull();
      expect(screen.queryByTestId('deal-repair')).toBeNull();
    });

    it('asks first, saying plainly what a repair does, with the focus on Cancel', () => {
      answer({});
      show(poorer());
      fireEvent.click(screen.getByTestId('deal-repair'));
      const dialog = screen.getByRole('alertdialog', { name: 'Repair in CoMagic' });
      expect(dialog.textContent).toContain(
        'The deal is deleted in CoMagic and uploaded again whole, with every stage and its real creation time. CoMagic recomputes its ties to calls. This cannot be undone.',
      );
      expect(within(dialog).getByTestId('deal-repair-cancel').textContent).toBe('Cancel');
      expect(within(dialog).getByTestId('deal-repair-confirm').textContent).toBe('Repair');
      expect(document.activeElement).toBe(screen.getByTestId('deal-repair-cancel'));
      expect(sent('deal.repair')).toEqual([]);
    });

    it('sends nothing when cancelled, by the button or Escape', () => {
      answer({});
      show(poorer());
      fireEvent.click(screen.getByTestId('deal-repair'));
      fireEvent.click(screen.getByTestId('deal-repair-cancel'));
      expect(screen.queryByRole('alertdialog')).toBeNull();
      fireEvent.click(screen.getByTestId('deal-repair'));
      fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(sent('deal.repair')).toEqual([]);
      expect(sent('tab.send')).toEqual([]);
    });

    it('sends deal.repair for the tab once confirmed, and follows the job', async () => {
      answer({
        'deal.repair': { jobId: 'job-r' },
        'job.get': jobView({ id: 'job-r', kind: 'deal', status: 'done' }),
      });
      show(poorer());
      fireEvent.click(screen.getByTestId('deal-repair'));
      fireEvent.click(screen.getByTestId('deal-repair-confirm'));
      await waitFor(() => expect(screen.getByTestId('job-status').dataset.status).toBe('done'));
      expect(sent('deal.repair')).toEqual([{ tabId: 7 }]);
      expect(screen.queryByTestId('deal-repair')).toBeNull();
    });

    it('shows the background’s message when the repair is refused, and offers it again', async () => {
      answer({
        'deal.repair': () => {
          throw new Error('Nothing to repair.');
        },
      });
      show(poorer());
      fireEvent.click(screen.getByTestId('deal-repair'));
      fireEvent.click(screen.getByTestId('deal-repair-confirm'));
      expect((await screen.findByRole('alert')).textContent).toBe('Nothing to repair.');
      expect((screen.getByTestId('deal-repair') as HTMLButtonElement).disabled).toBe(false);
    });
  });
});
