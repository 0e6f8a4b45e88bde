/**
 * What the popup shows for a tab. The preview of a board is made as soon as the tab's content script
 * says it shows one, and kept: a popup opened a moment later is answered from it, or waits for that
 * same work when it is still under way.
 */
import { browser } from 'wxt/browser';
import type { ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';
import type { TabPreview } from '../messaging';
import { connectionStore } from '../storage';
import { isActive } from '../sync/job-status';
import type { SyncService } from '../sync/service';
import {
  askFirstView,
  boardRows,
  dealPreview,
  type Prepared,
  prepare,
  problemViews,
  saveMapping,
  scrapeProblemViews,
} from './deals';
import { jobView } from './jobs';
import { createPreviewCache } from './preview-cache';
import { forgetReading, scrapeTab } from './tabs';

const notCrm = {
  en: 'Nothing to export here: this page is not a CRM deal or pipeline board the extension knows.',
  ru: 'Здесь нечего выгружать: это не страница сделки или доска воронки известной CRM.',
};

export interface TabPreviewDeps {
  sync: SyncService;
  now: () => Date;
}

type PagePreview = Extract<TabPreview, { kind: 'deal' | 'board' | 'unreadable' }>;

/** A page's preview, without the active job (that changes on its own), and the mapping it was made from. */
interface Kept {
  preview: PagePreview;
  mapping: Pick<Prepared, 'key' | 'config' | 'storedConfig'>;
}

async function activeJobFor(sync: SyncService, site: string, kind: 'deal' | 'board', now: number) {
  const active = (await sync.jobs()).find(
    (job) => job.site === site && job.kind === kind && isActive(job.status),
  );
  const job = active ? await sync.job(active.id) : null;
  return job ? jobView(job, now) : null;
}

/** What a deal page or a board would send. */
async function pagePreview(deps: TabPreviewDeps, report: ScrapeReport, origin: string): Promise<Kept> {
  const prepared = await prepare(report, origin, deps.sync, deps.now());
  const { key, config, storedConfig } = prepared;
  const mapping = { key, config, storedConfig };
  const funnelName = config.funnel.name;
  const askFirst = askFirstView(prepared, deps.now().getTime());
  if (report.deal) {
    const preview = dealPreview(prepared);
    if (!preview) {
      const unreadable = { adapterLabel: report.adapterLabel, reasons: report.reasons, problems: [] };
      return { preview: { kind: 'unreadable', ...unreadable }, mapping };
    }
    preview.problems = [...scrapeProblemViews(report), ...preview.problems];
    if (askFirst) preview.askFirst = askFirst;
    const adapterLabel = report.adapterLabel ?? '';
    return { preview: { kind: 'deal', adapterLabel, preview, funnelName, activeJob: null }, mapping };
  }
  const { rows, stages } = boardRows(prepared, report);
  const preview: PagePreview = {
    kind: 'board',
    adapterLabel: report.adapterLabel ?? '',
    pipelineName: report.board?.pipeline.name ?? '',
    funnelName,
    stages,
    rows,
    problems: [
      ...scrapeProblemViews(report),
      ...problemViews([...prepared.configProblems, ...prepared.boardProblems]),
    ],
    activeJob: null,
    ...(askFirst ? { askFirst } : {}),
  };
  return { preview, mapping };
}

export function createTabPreviews(deps: TabPreviewDeps) {
  const kept = createPreviewCache<Kept>();
  browser.storage.onChanged.addListener(kept.onStorageChanged);
  // A tab that goes to another address (another page, or another view of its app) or closes keeps
  // nothing of what it showed. A reload keeps its address, but the new page's readings have new ids.
  const forget = (tabId: number) => {
    kept.drop(tabId);
    forgetReading(tabId);
  };
  browser.tabs.onRemoved.addListener(forget);
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url !== undefined) forget(tabId);
  });

  /**
   * The tab's preview. With `save` (the user looks at it in the popup) the mapping a first look made
   * is stored, and the kept preview stays: it was made from exactly that mapping.
   */
  async function preview(tabId: number, save: boolean): Promise<TabPreview> {
    if (!(await connectionStore.get())) return { kind: 'not-configured' };
    const scraped = await scrapeTab(tabId);
    if (scraped.kind === 'no-access') return { kind: 'no-access', origin: scraped.origin };
    if (scraped.kind === 'no-tab') return { kind: 'no-tab', reason: scraped.reason };
    if (scraped.kind === 'not-web') return { kind: 'not-crm', reasons: [scraped.reason] };
    const { report, origin, reading } = scraped;
    if (!report.adapterId) return { kind: 'not-crm', reasons: [localize(notCrm), ...report.reasons] };
    if (!report.deal && !report.board) {
      return {
        kind: 'unreadable',
        adapterLabel: report.adapterLabel,
        reasons: report.reasons,
        problems: scrapeProblemViews(report),
      };
    }
    const compute = () => pagePreview(deps, report, origin);
    const page = reading ? await kept.get(tabId, reading, compute) : await compute();
    if (save) await saveMapping(page.mapping);
    if (page.preview.kind === 'unreadable') return page.preview;
    const activeJob = await activeJobFor(deps.sync, origin, page.preview.kind, deps.now().getTime());
    return { ...page.preview, activeJob };
  }

  /** The tab's content script shows a board: its preview is made now, storing nothing. */
  function boardShown(tabId: number) {
    // Nobody waits for it: a popup that needs it makes it again and says what failed.
    preview(tabId, false).catch(() => undefined);
  }

  return { preview, boardShown };
}
