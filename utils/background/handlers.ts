/** What the background answers to each message of the protocol (utils/messaging.ts). */
import { browser } from 'wxt/browser';
import type { CrmBoard, CrmDeal } from '../crm/model';
import { dealReport, type ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';
import { checkConfig, type MappingConfig } from '../mapping/funnel';
import { forDeal } from '../mapping/problems';
import type { ButtonStateView } from '../messaging';
import { connectionStore, mappingStore, recipeStore, settingsStore, sitesStore } from '../storage';
import type { Job } from '../sync/job';
import { isRunnable } from '../sync/job-status';
import { repairNeed } from '../sync/ledger';
import { exportJob } from '../sync/results';
import type { SyncService } from '../sync/service';
import { createBadges } from './badges';
import { saveConnection, testConnection, viewOf } from './connection';
import { listSites } from './crm-sites';
import { crmTimeZone, type Prepared, prepare, problemViews, rowKey, saveMapping } from './deals';
import { clearFinishedExports, jobView, storageNoticeViews, summaryView } from './jobs';
import {
  deleteRecipe,
  exportSettings,
  importSettings,
  listRecipes,
  saveRecipe,
  testRecipe,
} from './options-data';
import type { Handlers } from './router';
import { createTabPreviews } from './tab-previews';
import { scrapeTab } from './tabs';
import { wholeExportReading } from './whole-export';

const text = {
  nothingToSend: {
    en: 'Nothing can be sent from this page: {reason}',
    ru: 'С этой страницы нечего отправить: {reason}',
  },
  jobGone: { en: 'This job is no longer in the log.', ru: 'Этого задания уже нет в журнале.' },
  funnelLabel: { en: 'Funnel “{name}” in CoMagic', ru: 'Воронка «{name}» в CoMagic' },
  funnelDone: {
    en: 'The funnel “{name}” is in CoMagic with all its stages.',
    ru: 'Воронка «{name}» создана в CoMagic со всеми этапами.',
  },
  funnelWaiting: {
    en: 'The funnel is queued; see Activity for its progress.',
    ru: 'Создание воронки поставлено в очередь; ход — в разделе «Журнал».',
  },
  noMapping: { en: 'This pipeline is not mapped yet.', ru: 'Эта воронка ещё не сопоставлена.' },
  nothingToRepair: {
    en: 'CoMagic no longer holds a poorer history of this deal than the page shows: nothing to repair.',
    ru: 'В CoMagic история этой сделки уже не беднее, чем на странице: исправлять нечего.',
  },
};

export interface BackgroundDeps {
  sync: SyncService;
  now: () => Date;
  /** Keeps the worker waking up while jobs are active (an alarm), so a killed worker resumes them. */
  watchJobs: () => void;
  customEndpointPattern: () => Promise<string | null>;
  refreshContentScripts: () => Promise<void>;
}

async function enqueue(
  deps: BackgroundDeps,
  prepared: Prepared,
  report: ScrapeReport,
  site: string,
  dryRun: boolean,
  keys?: string[],
  repair?: string[],
) {
  const wanted = keys ? new Set(keys) : null;
  const deals = prepared.deals.filter(({ deal }, index) => !wanted || wanted.has(rowKey(deal, index)));
  const label = report.board ? report.board.pipeline.name : (report.deal?.name ?? site);
  const jobId = await deps.sync.enqueue({
    kind: report.board ? 'board' : 'deal',
    label,
    site,
    config: prepared.config,
    mappings: deals.map((deal) => deal.mapping),
    dryRun,
    ...(repair ? { repair } : {}),
  });
  deps.watchJobs();
  return { jobId };
}

function dealStateOf(job: Job | null): ButtonStateView {
  if (!job) return { kind: 'failed', reason: localize(text.jobGone) };
  if (isRunnable(job.status)) return { kind: 'sending' };
  const failed = job.results.find((result) => result.status === 'failed');
  if (failed?.reason) return { kind: 'failed', reason: localize(failed.reason.message) };
  if (job.status !== 'done')
    return { kind: 'failed', reason: job.message ? localize(job.message) : job.status };
  return { kind: 'sent', at: new Date(job.finishedAt ?? Date.now()).toISOString() };
}

/** A board exported whole: its deals are read from the CRM by the job, then sent. */
async function exportWhole(
  deps: BackgroundDeps,
  prepared: Prepared,
  board: CrmBoard,
  site: string,
  tabId: number,
  dryRun: boolean,
  keys?: string[],
) {
  const reading = await wholeExportReading(board, prepared, site, tabId, keys);
  const jobId = await deps.sync.enqueue({
    kind: 'board',
    label: board.pipeline.name,
    site,
    config: prepared.config,
    // Nothing observed from the cards: each deal's own history, read whole, tells its stages and times
    // (a card's stage recorded now would read as a move at the export's time).
    mappings: [],
    dryRun,
    reading,
  });
  deps.watchJobs();
  return { jobId };
}

/** What the tab shows now, read as a send reads it; throws when it shows no deal or board. */
async function readTab(tabId: number): Promise<{ report: ScrapeReport; origin: string }> {
  const scraped = await scrapeTab(tabId);
  if (scraped.kind !== 'report') {
    const reason = scraped.kind === 'no-access' ? scraped.origin : scraped.reason;
    throw new Error(localize(text.nothingToSend, { reason }));
  }
  const { report, origin } = scraped;
  if (!report.deal && !report.board) {
    throw new Error(localize(text.nothingToSend, { reason: report.reasons.join('; ') }));
  }
  return { report, origin };
}

async function sendTab(deps: BackgroundDeps, tabId: number, dryRun: boolean, keys?: string[]) {
  const { report, origin } = await readTab(tabId);
  const prepared = await prepare(report, origin, deps.sync, deps.now());
  await saveMapping(prepared);
  if (report.board && (await settingsStore.get()).exportMode === 'whole') {
    return exportWhole(deps, prepared, report.board, origin, tabId, dryRun, keys);
  }
  return enqueue(deps, prepared, report, origin, dryRun, keys);
}

/**
 * The deal page's deal, deleted in CoMagic and uploaded again whole, if it still needs that: the page
 * is read again now, since the popup's preview may be older than what CoMagic holds.
 */
async function repairTab(deps: BackgroundDeps, tabId: number) {
  const { report, origin } = await readTab(tabId);
  const prepared = await prepare(report, origin, deps.sync, deps.now());
  const first = report.deal ? prepared.deals[0] : undefined;
  const dealExtId = first?.mapping.dealExtId;
  if (!first || !dealExtId || !repairNeed(first.mapping, first.entry)) {
    throw new Error(localize(text.nothingToRepair));
  }
  await saveMapping(prepared);
  return enqueue(deps, prepared, report, origin, false, undefined, [dealExtId]);
}

async function sendFromPage(deps: BackgroundDeps, deal: CrmDeal, site: string) {
  const report = dealReport(deal);
  const prepared = await prepare(report, site, deps.sync, deps.now());
  await saveMapping(prepared);
  return enqueue(deps, prepared, report, site, false);
}

async function sites(deps: BackgroundDeps) {
  const recipes = (await recipeStore.all()).map((stored) => stored.recipe);
  return listSites(await sitesStore.get(), await deps.customEndpointPattern(), recipes);
}

async function jobOrThrow(sync: SyncService, id: string): Promise<Job> {
  const job = await sync.job(id);
  if (!job) throw new Error(localize(text.jobGone));
  return job;
}

async function createFunnel(deps: BackgroundDeps, key: string) {
  const config = await mappingStore.get(key);
  if (!config) return { ok: false, message: localize(text.noMapping) };
  const issues = checkConfig(config);
  if (issues.some((issue) => issue.severity === 'error')) {
    return {
      ok: false,
      message: problemViews(forDeal(issues, null, null))
        .map((p) => p.message)
        .join(' '),
    };
  }
  const jobId = await deps.sync.enqueue({
    kind: 'board',
    label: localize(text.funnelLabel, { name: config.funnel.name }),
    site: config.site,
    config,
    mappings: [],
    dryRun: false,
  });
  deps.watchJobs();
  for (let waited = 0; waited < 20_000; waited += 250) {
    const job = await deps.sync.job(jobId);
    if (job?.status === 'done')
      return { ok: true, message: localize(text.funnelDone, { name: config.funnel.name }) };
    if (job && !isRunnable(job.status)) {
      return { ok: false, message: job.message ? localize(job.message) : job.status };
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  return { ok: false, message: localize(text.funnelWaiting) };
}

/** Every message but live mode's and the schedules' (entrypoints/background.ts wires those). */
export function createHandlers(
  deps: BackgroundDeps,
): Omit<Handlers, 'live.changed' | 'autoSync.get' | 'autoSync.save'> {
  const { sync } = deps;
  const previews = createTabPreviews(deps);
  const badges = createBadges({ sync, preview: (tabId) => previews.preview(tabId, false) });
  browser.storage.onChanged.addListener(badges.onStorageChanged);
  const nowMs = () => deps.now().getTime();
  return {
    'connection.get': async () => viewOf(await connectionStore.get()),
    'connection.save': async (data) => {
      await saveConnection(data);
      await deps.refreshContentScripts();
      await sync.onConnectionChanged();
      return { saved: true };
    },
    'connection.test': () => testConnection(deps.now),
    'content.config': async () => ({
      timeZone: await crmTimeZone(),
      recipes: (await recipeStore.all()).map((stored) => stored.recipe),
    }),
    'deal.send': (data, sender) => sendFromPage(deps, data.deal as CrmDeal, sender.origin),
    'job.dealState': async ({ jobId }, sender) => {
      const job = await sync.job(jobId);
      // A page may only follow the jobs of its own site.
      return dealStateOf(job && job.site === sender.origin ? job : null);
    },
    'board.shown': async (_data, sender) => {
      if (sender.tabId === null) return null;
      previews.boardShown(sender.tabId);
      return badges.forTab(sender.tabId, sender.origin);
    },
    'tab.preview': ({ tabId }) => previews.preview(tabId, true),
    'tab.send': ({ tabId, dryRun, dealKeys }) => sendTab(deps, tabId, dryRun, dealKeys),
    'deal.repair': ({ tabId }) => repairTab(deps, tabId),
    'job.get': async ({ jobId }) => {
      const job = await sync.job(jobId);
      return job ? jobView(job, nowMs()) : null;
    },
    'job.list': async () => (await sync.jobs()).map((job) => summaryView(job, nowMs())),
    'job.control': async ({ jobId, action }) => {
      if (action === 'pause') await sync.pause(jobId);
      if (action === 'resume') await sync.resume(jobId);
      if (action === 'cancel') await sync.cancel(jobId);
      if (action === 'retry') {
        const retried = await sync.retryFailed(jobId);
        deps.watchJobs();
        return { jobId: retried };
      }
      deps.watchJobs();
      return { jobId };
    },
    'job.export': async ({ jobId, format }) => {
      const job = await jobOrThrow(sync, jobId);
      return {
        filename: `crm-comagic-job-${new Date(job.createdAt).toISOString().slice(0, 19).replace(/:/g, '-')}.${format}`,
        mime: format === 'json' ? 'application/json' : 'text/csv',
        content: exportJob(job, format),
      };
    },
    'jobs.clearFinished': () => clearFinishedExports(),
    'storage.notices': () => storageNoticeViews(),
    'settings.get': () => settingsStore.get(),
    'settings.save': async (settings) => {
      await settingsStore.set(settings);
      return settingsStore.get();
    },
    'settings.export': () => exportSettings(deps.now()),
    'settings.import': ({ json }) => importSettings(json),
    'sites.list': () => sites(deps),
    'sites.add': async ({ pattern }) => {
      await sitesStore.add(pattern);
      return sites(deps);
    },
    'sites.remove': async ({ pattern }) => {
      await sitesStore.remove(pattern);
      return sites(deps);
    },
    'recipes.list': () => listRecipes(),
    'recipes.save': ({ json }) => saveRecipe(json),
    'recipes.delete': ({ id }) => deleteRecipe(id),
    'recipes.test': ({ json, tabId }) => testRecipe(json, tabId),
    'mapping.list': async () =>
      Object.entries(await mappingStore.all()).map(([key, config]) => ({
        key,
        config,
        problems: problemViews(forDeal(checkConfig(config), null, null)),
      })),
    'mapping.save': async ({ key, config: parsed }) => {
      // Parsed by MappingConfigSchema; its CRM id schema is typed by a cast that zod's output loses.
      const config = parsed as MappingConfig;
      await mappingStore.set(key, config);
      return { key, config, problems: problemViews(forDeal(checkConfig(config), null, null)) };
    },
    'mapping.createFunnel': ({ key }) => createFunnel(deps, key),
  };
}
