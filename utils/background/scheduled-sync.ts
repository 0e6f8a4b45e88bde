/**
 * Scheduled sync's background side: at a pipeline's slot its board is opened in a tab the user does
 * not see (with the user's own CRM session), read, and exported whole as "Export visible pipeline"
 * does: only the cards that changed since their deal was last read are read and sent, as many as the
 * day's API points pay for (the rest go first next time); the tab is closed once the reading is done.
 * Each run is a job in Activity. A CRM that shows no board (logged out) or CoMagic refusing is told
 * once, in a browser notification; the next slot tries again.
 */
import { browser } from 'wxt/browser';
import type { ScrapeReport } from '../crm/scrape';
import { fill, type Localized, localize } from '../i18n';
import type { AutoSyncView } from '../messaging';
import { autoSyncStore, mappingStore, scheduleStateStore } from '../storage';
import type { Job } from '../sync/job';
import { isRunnable } from '../sync/job-status';
import {
  type AutoSyncPrefs,
  afterRun,
  dayPointsLeft,
  dueSlot,
  earliestNextSlot,
  fitToBudget,
  nextSlot,
  type RunState,
  runCost,
  type Schedule,
  type SeenLimits,
  slotAtOrBefore,
} from '../sync/schedule';
import type { SyncService } from '../sync/service';
import { crmLabel } from './deal-reader';
import { prepare, saveMapping } from './deals';
import { scrapeTab } from './tabs';
import { wholeExportReading } from './whole-export';

const text = {
  runLabel: {
    en: '{pipeline} · scheduled sync',
    ru: '{pipeline} · синхронизация по расписанию',
  },
  carried: {
    en: '{pipeline} · scheduled sync ({count} deals left for the next run: the day’s API points ran short)',
    ru: '{pipeline} · синхронизация по расписанию ({count} сделок — в следующий запуск: не хватило баллов API на сегодня)',
  },
  noBoard: {
    en: '{crm} did not show the board (logged out?): {reason}',
    ru: '{crm} не показала доску (вы вышли из CRM?): {reason}',
  },
  logIn: {
    en: 'Log in to {crm} in this browser; the next scheduled run tries again at {time}.',
    ru: 'Войдите в {crm} в этом браузере; следующий запуск по расписанию попробует снова в {time}.',
  },
  title: {
    en: 'CRM → CoMagic: scheduled sync stopped',
    ru: 'CRM → CoMagic: синхронизация по расписанию остановлена',
  },
  crmMessage: {
    en: '{crm} did not show the pipeline “{pipeline}” (logged out?). Log in to {crm} in this browser; the next run is at {time}.',
    ru: '{crm} не показала воронку «{pipeline}» (вы вышли из CRM?). Войдите в {crm} в этом браузере; следующий запуск — в {time}.',
  },
  comagicMessage: {
    en: 'CoMagic refused the scheduled sync of “{pipeline}”: {reason} Fix it in the extension’s options; the next run is at {time}.',
    ru: 'CoMagic отказал в синхронизации «{pipeline}» по расписанию: {reason} Исправьте это в настройках расширения; следующий запуск — в {time}.',
  },
  noMapping: {
    en: 'The pipeline of this schedule is not mapped any more: export it once from its board.',
    ru: 'Воронка этого расписания больше не сопоставлена: выгрузите её один раз со страницы доски.',
  },
} satisfies Record<string, Localized>;

/** A run's job is followed this long at most; a longer one goes on alone (its tab is closed then). */
const FOLLOW_MS = 15 * 60_000;
const FOLLOW_STEP_MS = 1_000;
/** Why a job stops that the user must fix in CoMagic or the options (see runner.ts). */
const COMAGIC_REASONS = ['auth', 'access', 'component', 'connection'];

export interface BoardTabs {
  /** The board opened where the user does not see it, read once it shows its cards. */
  open(url: string): Promise<{ tabId: number | null; report: ScrapeReport | null; reason: string }>;
  close(tabId: number): Promise<void>;
}

export interface ScheduledSyncDeps {
  sync: SyncService;
  now: () => Date;
  watchJobs: () => void;
  /** What CoMagic last said of the API points (the client the jobs used), or `null`. */
  limits: () => SeenLimits | null;
  notify: (id: string, title: string, message: string) => void;
  /** Wakes the background at `when` (an alarm); `null`: no schedule, no alarm. */
  setAlarm: (when: number | null) => void;
  tabs: BoardTabs;
  wait?: (ms: number) => Promise<void>;
}

type Outcome = { changed: number; carried: string[]; failed: 'crm' | 'comagic' | null; message: string };

function timeText(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export function createScheduledSync(deps: ScheduledSyncDeps) {
  const { sync } = deps;
  const wait = deps.wait ?? ((ms) => new Promise<void>((wake) => setTimeout(wake, ms)));
  let ticking: Promise<void> | null = null;

  async function rememberLimits(): Promise<void> {
    const seen = deps.limits();
    if (!seen) return;
    const state = await scheduleStateStore.get();
    if (state.limits && state.limits.at >= seen.at) return;
    await scheduleStateStore.set({ ...state, limits: seen });
  }

  /** Follows the run's job until it is over or stops, closing the board's tab once its reading is done. */
  async function follow(jobId: string, tabId: number | null): Promise<Job | null> {
    let job: Job | null = null;
    let open = tabId;
    const until = deps.now().getTime() + FOLLOW_MS;
    while (deps.now().getTime() < until) {
      job = await sync.job(jobId);
      const readingDone = !job?.reading || job.reading.done >= job.reading.total;
      if (open !== null && (readingDone || !job || job.status === 'paused')) {
        await deps.tabs.close(open);
        open = null;
      }
      if (!job || !isRunnable(job.status)) break;
      await wait(FOLLOW_STEP_MS);
    }
    if (open !== null) await deps.tabs.close(open);
    return job;
  }

  async function runOnce(schedule: Schedule, run: RunState | undefined, next: number): Promise<Outcome> {
    const config = await mappingStore.get(schedule.key);
    const pipeline = config?.funnel.name ?? schedule.key;
    // A run that reads nothing keeps what earlier runs carried over, first next time.
    const kept = run?.carried ?? [];
    if (!config) return { changed: 0, carried: kept, failed: 'crm', message: localize(text.noMapping) };
    const site = config.site;
    const crm = crmLabel(config.crm, site);
    const opened = await deps.tabs.open(schedule.boardUrl);
    const board = opened.report?.board ?? null;
    const now = deps.now();
    if (!board) {
      if (opened.tabId !== null) await deps.tabs.close(opened.tabId);
      const jobId = await sync.enqueue({
        kind: 'board',
        label: localize(text.runLabel, { pipeline }),
        site,
        config,
        mappings: [],
        dryRun: false,
        reading: {
          crm: config.crm,
          via: 'page',
          tabId: null,
          cards: [],
          unchanged: [],
          unidentified: [
            {
              key: schedule.boardUrl,
              reason: {
                code: 'crm_logged_out',
                field: null,
                message: fill(text.noBoard, { crm, reason: opened.reason }),
                action: fill(text.logIn, { crm, time: timeText(next) }),
              },
            },
          ],
        },
      });
      deps.watchJobs();
      await follow(jobId, null);
      return { changed: 0, carried: kept, failed: 'crm', message: '' };
    }
    const prepared = await prepare(opened.report as ScrapeReport, site, sync, now);
    await saveMapping(prepared);
    const reading = await wholeExportReading(board, prepared, site, opened.tabId ?? 0);
    const state = await scheduleStateStore.get();
    const { send, carry } = fitToBudget(
      reading.cards,
      run?.carried ?? [],
      dayPointsLeft(state.limits, now.getTime()),
    );
    const label =
      carry.length > 0
        ? localize(text.carried, { pipeline: board.pipeline.name, count: String(carry.length) })
        : localize(text.runLabel, { pipeline: board.pipeline.name });
    const jobId = await sync.enqueue({
      kind: 'board',
      label,
      site,
      config: prepared.config,
      mappings: [],
      dryRun: false,
      reading: { ...reading, tabId: opened.tabId, cards: send },
    });
    deps.watchJobs();
    const job = await follow(jobId, opened.tabId);
    const stoppedBy = job?.status === 'paused' ? job.pauseReason : null;
    const failed = stoppedBy === 'crm' ? 'crm' : COMAGIC_REASONS.includes(stoppedBy ?? '') ? 'comagic' : null;
    const reason = job?.message ? localize(job.message) : '';
    return {
      changed: reading.cards.length,
      carried: carry.map((card) => card.dealExtId),
      failed,
      message: reason,
    };
  }

  async function tick(): Promise<void> {
    await rememberLimits();
    const { schedules } = await autoSyncStore.get();
    const nowMs = deps.now().getTime();
    for (const schedule of schedules) {
      const state = await scheduleStateStore.get();
      const run = state.runs[schedule.key];
      const due = dueSlot(schedule, run, nowMs);
      if (due.kind === 'wait') continue;
      // The slot is taken before the run: a worker stopped mid-run does not run it again.
      const taken: RunState = run
        ? { ...run, lastSlot: due.slot }
        : { lastSlot: due.slot, carried: [], lastChanged: null, notified: false };
      await scheduleStateStore.set({ ...state, runs: { ...state.runs, [schedule.key]: taken } });
      if (due.kind === 'start') continue;
      const next = nextSlot(schedule, nowMs);
      const outcome = await runOnce(schedule, run, next).catch(
        (error): Outcome => ({
          changed: 0,
          carried: run?.carried ?? [],
          failed: 'crm',
          message: String(error),
        }),
      );
      const tell = outcome.failed !== null && !run?.notified;
      if (tell) {
        const config = await mappingStore.get(schedule.key);
        const pipeline = config?.funnel.name ?? schedule.key;
        const crm = config ? crmLabel(config.crm, config.site) : schedule.boardUrl;
        const body =
          outcome.failed === 'comagic'
            ? fill(text.comagicMessage, { pipeline, reason: outcome.message, time: timeText(next) })
            : fill(text.crmMessage, { crm, pipeline, time: timeText(next) });
        deps.notify(`schedule:${schedule.key}`, localize(text.title), localize(body));
      }
      const after = await scheduleStateStore.get();
      await scheduleStateStore.set({
        ...after,
        runs: {
          ...after.runs,
          [schedule.key]: afterRun(run, due.slot, { ...outcome, failed: outcome.failed !== null }, tell),
        },
      });
      await rememberLimits();
    }
    // Read again: schedules saved while this tick ran count too.
    deps.setAlarm(earliestNextSlot((await autoSyncStore.get()).schedules, deps.now().getTime()));
  }

  async function view(): Promise<AutoSyncView> {
    await rememberLimits();
    const [prefs, state] = [await autoSyncStore.get(), await scheduleStateStore.get()];
    const perRun: AutoSyncView['budget']['perRun'] = {};
    for (const schedule of prefs.schedules) {
      const deals = state.runs[schedule.key]?.lastChanged ?? null;
      perRun[schedule.key] = { deals, points: deals === null ? null : runCost(deals) };
    }
    const budget = {
      dayRemaining: dayPointsLeft(state.limits, deps.now().getTime()),
      dayLimit: state.limits?.dayLimit ?? null,
      perRun,
    };
    return { ...prefs, budget };
  }

  /** Runs the schedules whose slot came (once for all missed slots), and sets the next alarm. */
  function tickOnce(): Promise<void> {
    ticking ??= tick().finally(() => {
      ticking = null;
    });
    return ticking;
  }

  return {
    tick: tickOnce,

    /**
     * Options: the sites in live mode and the schedules, with what each schedule's run is expected to
     * cost against the points left today.
     */
    view,

    /** Options saved what the user switched on: the next slots are set at once. */
    /**
     * Options saved what the user switched on. A new schedule starts with its next slot (not one that
     * passed before it was made), and the alarm is set at once, even while a run goes on.
     */
    async save(prefs: AutoSyncPrefs): Promise<AutoSyncView> {
      await autoSyncStore.set(prefs);
      const nowMs = deps.now().getTime();
      const state = await scheduleStateStore.get();
      const runs = { ...state.runs };
      for (const schedule of prefs.schedules) {
        runs[schedule.key] ??= {
          lastSlot: slotAtOrBefore(schedule, nowMs),
          carried: [],
          lastChanged: null,
          notified: false,
        };
      }
      await scheduleStateStore.set({ ...state, runs });
      deps.setAlarm(earliestNextSlot(prefs.schedules, nowMs));
      return view();
    },
  };
}

/** A board gets this long to load and show its cards (a single-page CRM renders after the load). */
const BOARD_TIMEOUT_MS = 60_000;
/** A page showing a login form this long after it was opened is taken as the CRM asking to log in. */
const LOGIN_SETTLE_MS = 3_000;

/** Whether the tab shows a password field: the CRM's login page, not a board still rendering. */
async function showsLogin(tabId: number): Promise<boolean> {
  const [found] = await browser.scripting
    .executeScript({
      target: { tabId },
      func: () => document.querySelector('input[type="password"]') !== null,
    })
    .catch(() => []);
  return found?.result === true;
}

/** The browser's tabs: the board opened in a background tab (never focused), read like any board tab. */
export function unseenBoardTabs(): BoardTabs {
  return {
    async open(url) {
      const tab = await browser.tabs.create({ url, active: false }).catch(() => null);
      if (tab?.id === undefined) return { tabId: null, report: null, reason: 'the tab could not be opened' };
      const started = Date.now();
      let reason = 'the page did not load';
      while (Date.now() < started + BOARD_TIMEOUT_MS) {
        const scraped = await scrapeTab(tab.id);
        if (scraped.kind === 'report' && scraped.report.board)
          return { tabId: tab.id, report: scraped.report, reason: '' };
        if (scraped.kind === 'report') {
          reason = scraped.report.reasons.join('; ') || 'the page showed no board';
          // A login form once the page had time to render: no board is coming.
          if (Date.now() > started + LOGIN_SETTLE_MS && (await showsLogin(tab.id)))
            return { tabId: tab.id, report: null, reason: 'the CRM showed its login page' };
        }
        await new Promise((wake) => setTimeout(wake, 500));
      }
      return { tabId: tab.id, report: null, reason };
    },
    close: (tabId) => browser.tabs.remove(tabId).catch(() => undefined),
  };
}
