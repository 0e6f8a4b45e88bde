/**
 * How the background reads a whole-deal export's deals: through a tab of the CRM site, whose content
 * script asks the CRM's own read-only endpoints with the user's session; for a CRM without such
 * endpoints (a recipe), or when they refuse, each deal's page is rendered in a tab the user does not
 * see (never focused, always closed) and read like a deal page. The user's own tab is never navigated.
 */
import { browser } from 'wxt/browser';
import type { CrmBoard, CrmDeal } from '../crm/model';
import type { ScrapeReport } from '../crm/scrape';
import { fill, type Localized } from '../i18n';
import type { MappingConfig } from '../mapping/funnel';
import { type DealReadAnswer, type TabRequests, tabAnswerSchemas } from '../messaging';
import { settingsStore } from '../storage';
import type { FailureReason, JobDeal, JobReading, ReadCard } from '../sync/job';
import { jobDealOf } from '../sync/job';
import type { CardOutcome, DealReader, ReadBatch } from '../sync/reading';
import type { SyncService } from '../sync/service';
import { prepareDeals, saveMapping } from './deals';
import { askContentScript, scrapeTab } from './tabs';

/** What to do with a deal an export could not read: send it from its own page. */
export const SEND_FROM_PAGE: Localized = {
  en: 'Open the deal in {crm} and press "Send to CoMagic" there.',
  ru: 'Откройте сделку в {crm} и нажмите «Отправить в CoMagic» там.',
};

const text = {
  login: {
    en: '{crm} asked to log in again while the deals were read ({read} of {total} read). Log in to {crm} in this browser, then press Resume.',
    ru: '{crm} попросила войти снова, пока читались сделки (прочитано {read} из {total}). Войдите в {crm} в этом браузере и нажмите «Продолжить».',
  },
  busy: {
    en: '{crm} is busy and does not answer every read. The export tries again by itself in a minute.',
    ru: '{crm} перегружена и отвечает не на все запросы. Выгрузка сама попробует снова через минуту.',
  },
  noTab: {
    en: 'No tab of {crm} answers, so the deals cannot be read. Open {crm} in a tab, then press Resume.',
    ru: 'Ни одна вкладка {crm} не отвечает, поэтому сделки не прочитать. Откройте {crm} во вкладке и нажмите «Продолжить».',
  },
  notFound: {
    en: '{crm} has no such deal (deleted, or you have no rights to it): "{name}".',
    ru: 'В {crm} нет такой сделки (удалена или нет прав на неё): «{name}».',
  },
  unreadable: {
    en: 'The deal "{name}" could not be read whole: {reason}',
    ru: 'Сделку «{name}» не удалось прочитать целиком: {reason}',
  },
  checkCrm: {
    en: 'Check the deal in {crm}, then export again.',
    ru: 'Проверьте сделку в {crm} и выгрузите снова.',
  },
} satisfies Record<string, Localized>;

/** The script that reads deals through the CRM's endpoints (entrypoints/deal-reads.ts), injected on demand. */
const READS_SCRIPT = '/deal-reads.js' as const;

/** A busy CRM is asked again after this long (the content script has already retried with backoff). */
const BUSY_RETRY_MS = 60_000;
/** A deal page rendered for reading gets this long to show its deal. */
const RENDER_TIMEOUT_MS = 30_000;
/** Cards read per batch, per read allowed at once: each batch's reads are written before the next. */
const BATCH_PER_READ = 5;

const CRM_LABELS: Record<string, string> = { espocrm: 'EspoCRM', amocrm: 'amoCRM', odoo: 'Odoo' };

export function crmLabel(crm: string, site: string): string {
  return CRM_LABELS[crm] ?? new URL(site).host;
}

/** A tab showing the CRM site: the one the export started from when it still does, else any. */
async function crmTab(site: string, preferred: number | null): Promise<number | null> {
  const onSite = (url: string | undefined) =>
    URL.canParse(url ?? '') && new URL(url as string).origin === site;
  if (preferred !== null) {
    const tab = await browser.tabs.get(preferred).catch(() => null);
    if (tab?.id !== undefined && onSite(tab.url)) return tab.id;
  }
  const tabs = await browser.tabs.query({ url: `${site}/*` }).catch(() => []);
  return tabs.find((tab) => tab.id !== undefined && onSite(tab.url))?.id ?? null;
}

async function waitForLoad(tabId: number, until: number): Promise<boolean> {
  while (Date.now() < until) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) return false;
    if (tab.status === 'complete') return true;
    await new Promise((wake) => setTimeout(wake, 200));
  }
  return false;
}

export type Rendered = { deal: CrmDeal } | { reason: string };
export type ReadAnswers = DealReadAnswer[];

/** How the reader reaches the CRM: a tab's content script for its endpoints, unseen tabs for its pages. */
export interface CrmTransport {
  /** The content script's reads of `ids` through a tab of `site`; `null` when no tab answers. */
  readDeals(
    site: string,
    preferredTab: number | null,
    request: TabRequests['crm.readDeals'],
  ): Promise<ReadAnswers | null>;
  /** The deal's page rendered where the user does not see it, read like a deal page. */
  renderDeal(jobId: string, card: ReadCard): Promise<Rendered>;
  /** Closes whatever was opened for the job. */
  release(jobId: string): Promise<void>;
}

/** A content script's answer, checked: it comes from inside a page the extension does not control. */
export function checkReadAnswers(answer: unknown): ReadAnswers {
  return tabAnswerSchemas['crm.readDeals'].parse(answer);
}

/** The browser's tabs: the CRM tab the export started from (or any of the site), and unseen tabs. */
export function browserTransport(): CrmTransport {
  /** Tabs opened for each job: closed when its reading ends. */
  const opened = new Map<string, Set<number>>();

  async function open(jobId: string, url: string): Promise<number | null> {
    const tab = await browser.tabs.create({ url, active: false }).catch(() => null);
    if (tab?.id === undefined) return null;
    const tabs = opened.get(jobId) ?? new Set<number>();
    tabs.add(tab.id);
    opened.set(jobId, tabs);
    return tab.id;
  }

  async function close(jobId: string, tabId: number): Promise<void> {
    opened.get(jobId)?.delete(tabId);
    await browser.tabs.remove(tabId).catch(() => undefined);
  }

  return {
    async readDeals(site, preferredTab, request) {
      const tabId = await crmTab(site, preferredTab);
      if (tabId === null) return null;
      try {
        return await askContentScript(tabId, 'crm.readDeals', request, READS_SCRIPT);
      } catch {
        return null;
      }
    },

    async renderDeal(jobId, card) {
      const tabId = await open(jobId, card.url);
      if (tabId === null) return { reason: 'the page could not be opened' };
      try {
        const until = Date.now() + RENDER_TIMEOUT_MS;
        if (!(await waitForLoad(tabId, until))) return { reason: 'the page did not load' };
        let report: ScrapeReport | null = null;
        // A single-page CRM renders the deal after the load event.
        while (Date.now() < until) {
          const scraped = await scrapeTab(tabId);
          report = scraped.kind === 'report' ? scraped.report : null;
          if (report?.deal) return { deal: report.deal };
          await new Promise((wake) => setTimeout(wake, 500));
        }
        return { reason: report?.reasons.join('; ') || 'the page showed no deal' };
      } finally {
        await close(jobId, tabId);
      }
    },

    async release(jobId) {
      for (const tabId of opened.get(jobId) ?? []) await close(jobId, tabId);
      opened.delete(jobId);
    },
  };
}

/**
 * Deals read whole, mapped as "Send to CoMagic" on each one's page would map them, all at once; the
 * stages their histories show that the stored mapping lacks join it.
 */
export async function mapReadDeals(
  site: string,
  deals: CrmDeal[],
  sync: SyncService,
  now: Date,
): Promise<{ deals: JobDeal[]; config: MappingConfig } | null> {
  if (deals.length === 0) return null;
  const prepared = await prepareDeals(deals, site, sync, now);
  await saveMapping(prepared);
  return {
    deals: prepared.deals.map(({ mapping }, index) => jobDealOf(mapping, index)),
    config: prepared.config,
  };
}

export function createDealReader(deps: {
  sync: () => SyncService;
  now: () => Date;
  transport?: CrmTransport;
}): DealReader {
  const transport = deps.transport ?? browserTransport();

  async function readRenderedAll(jobId: string, cards: ReadCard[], concurrency: number): Promise<Rendered[]> {
    const results: Rendered[] = new Array(cards.length);
    let next = 0;
    const worker = async () => {
      while (next < cards.length) {
        const index = next++;
        results[index] = await transport.renderDeal(jobId, cards[index] as ReadCard);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, cards.length)) }, worker));
    return results;
  }

  const failure = (code: string, message: Localized, action: Localized): FailureReason => ({
    code,
    field: null,
    message,
    action,
  });

  return {
    async batchSize() {
      return (await settingsStore.get()).crmReadConcurrency * BATCH_PER_READ;
    },

    async read(job, reading: JobReading, cards: ReadCard[], config: MappingConfig): Promise<ReadBatch> {
      const settings = await settingsStore.get();
      const crm = crmLabel(reading.crm, job.site);
      // Before any card is read: nothing to keep but the reason.
      const stop = (kind: 'unreachable' | 'busy', message: Localized): ReadBatch => ({
        outcomes: [],
        config,
        stop: kind === 'busy' ? { kind, message, retryAfterMs: BUSY_RETRY_MS } : { kind, message },
      });
      let answers: ReadAnswers | null = null;
      if (reading.via === 'api') {
        answers = await transport.readDeals(job.site, reading.tabId, {
          crm: reading.crm,
          ids: cards.map((card) => card.crmDealId),
          concurrency: settings.crmReadConcurrency,
          delayMs: settings.crmReadDelayMs,
        });
        if (answers === null) return stop('unreachable', fill(text.noTab, { crm }));
        // An answer is only taken for the card it names.
        const given = answers;
        answers = cards.map((card, index) => {
          const answer = given[index];
          return answer?.id === card.crmDealId
            ? answer
            : { id: card.crmDealId, failure: 'refused' as const, message: 'no answer for this deal' };
        });
      }
      const pageReads = new Map<number, Rendered>();
      const failureAt = (index: number) => {
        const answer = answers?.[index];
        return answer && 'failure' in answer ? answer.failure : null;
      };
      // Every read found the CRM busy (after the content script's own retries): wait for it.
      if (answers !== null && cards.every((_card, index) => failureAt(index) === 'busy')) {
        return stop('busy', fill(text.busy, { crm }));
      }
      // Cards to render: every card of a CRM read by its pages, and those whose endpoints refused
      // or kept failing for that one deal while the others were read.
      const firstLogin = cards.findIndex((_card, index) => failureAt(index) === 'auth');
      const toRender = cards.flatMap((_card, index) => {
        if (firstLogin >= 0 && index >= firstLogin) return [];
        const failure = failureAt(index);
        return answers === null || failure === 'refused' || failure === 'busy' ? [index] : [];
      });
      const rendered = await readRenderedAll(
        job.id,
        toRender.map((index) => cards[index] as ReadCard),
        settings.crmReadConcurrency,
      );
      for (const [i, cardIndex] of toRender.entries()) pageReads.set(cardIndex, rendered[i] as Rendered);

      // Each card's outcome in order: a deal read (mapped with the others of the batch below), or why not.
      const decided: ({ dealExtId: string; read: CrmDeal } | CardOutcome)[] = [];
      let login: Localized | null = null;
      for (const [index, card] of cards.entries()) {
        const answer = answers?.[index];
        const page = pageReads.get(index);
        const deal = page && 'deal' in page ? page.deal : answer && 'deal' in answer ? answer.deal : null;
        if (deal) {
          decided.push({ dealExtId: card.dealExtId, read: deal });
          continue;
        }
        const failed = answer && 'failure' in answer ? answer : null;
        if (failed?.failure === 'auth') {
          login = fill(text.login, { crm, read: reading.done + decided.length, total: reading.cards.length });
          break;
        }
        const reason = page && 'reason' in page ? page.reason : (failed?.message ?? 'no answer');
        decided.push({
          dealExtId: card.dealExtId,
          failure:
            failed?.failure === 'not_found'
              ? failure(
                  'crm_not_found',
                  fill(text.notFound, { crm, name: card.name }),
                  fill(text.checkCrm, { crm }),
                )
              : failure(
                  'crm_unreadable',
                  fill(text.unreadable, { name: card.name, reason }),
                  fill(SEND_FROM_PAGE, { crm }),
                ),
        });
      }
      const reads = decided.flatMap((entry) => ('read' in entry ? [entry.read] : []));
      const mapped = await mapReadDeals(job.site, reads, deps.sync(), deps.now());
      let next = 0;
      const outcomes: CardOutcome[] = decided.map((entry) =>
        'read' in entry ? { dealExtId: entry.dealExtId, deal: mapped?.deals[next++] as JobDeal } : entry,
      );
      return {
        outcomes,
        config: mapped?.config ?? config,
        stop: login ? { kind: 'login', message: login } : null,
      };
    },

    release: (jobId) => transport.release(jobId),
  };
}

/** The record ids of a board's cards that show none (Odoo), asked of the board's own tab. */
export async function boardCardIds(tabId: number, board: CrmBoard): Promise<(string | null)[] | null> {
  try {
    const answer = await askContentScript(tabId, 'crm.cardIds', { board }, READS_SCRIPT);
    return 'ids' in answer && answer.ids.length === board.deals.length ? answer.ids : null;
  } catch {
    return null;
  }
}
