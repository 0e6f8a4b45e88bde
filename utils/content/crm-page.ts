/**
 * The CRM page side of the extension: reads the page on request, follows SPA navigation, and shows
 * the "Send to CoMagic" button on deal pages. No zod and no Preact here: this runs in every CRM tab.
 */
import { isValidSelector } from '../crm/recipe/safe';
import type { Recipe } from '../crm/recipe/schema';
import { urlMatches } from '../crm/recipe/url-pattern';
import { type ScrapeReport, scrapePage } from '../crm/scrape';
import type { BoardBadges, TabReading } from '../messaging';
import { drawBadges } from './badges';
import { changesBetween, type LiveChange } from './change-watch';
import type { ButtonState } from './send-button';
import { createSendButton, placeSendButton, type SendButton } from './send-button';

export interface CrmPageHost {
  document: Document;
  location: () => string;
  now: () => Date;
  config: () => Promise<{ timeZone: string; recipes: Recipe[] }>;
  /** Hands a deal to the background and reports how the send went. */
  sendDeal: (report: ScrapeReport, update: (state: ButtonState) => void) => Promise<void>;
  /**
   * Tells the background this tab shows a board (it prepares the popup's preview of it); answers the
   * export state of each card, or `null` (badges off).
   */
  boardShown: () => Promise<BoardBadges>;
  /** Calls back after `ms`, unless the extension was reloaded meanwhile. */
  setTimeout: (callback: () => void, ms: number) => void;
  /** A card moved, or the deal page shows another stage, amount, owner or contacts (live mode). */
  liveChanged?: (change: LiveChange) => void;
}

/** How long to wait for a CRM's single-page app to render after a navigation. */
const RENDER_WAIT_MS = 5_000;
/**
 * How long a reading of an unchanged page is reused: opening the popup on a large board then costs
 * no second pass over thousands of cards. Short, because relative dates ("5 minutes ago") age.
 */
const REUSE_MS = 30_000;
/**
 * A board that changed (a card moved, more cards loaded) is shown to the background again once it
 * has not changed for this long: its preview and badges are made again for what it shows now. A page
 * that keeps changing (a ticking clock) is not read again and again while it does.
 */
const SETTLE_MS = 2_000;
/**
 * How soon the page is read again once a recipe's own `detect` selector starts or stops matching (a
 * deal dialog opened over the board, a route rendered after the wait ran out): a short pause lets the
 * rest of what came with it render.
 */
const DETECT_MS = 150;

function isEditing(document: Document): boolean {
  return document.activeElement?.matches('input, select, textarea, [contenteditable="true"]') ?? false;
}

export function createCrmPage(host: CrmPageHost) {
  let config: { timeZone: string; recipes: Recipe[] } | null = null;
  let button: SendButton | null = null;
  let shownFor: string | null = null;
  let last: { report: ScrapeReport; at: number; id: string } | null = null;
  // Ids stay unique across reloads of the content script in the same tab.
  const instance = Math.random().toString(36).slice(2);
  let readings = 0;
  /** The last reading as text: a page read again exactly as it was keeps its id. */
  let lastText: { id: string; text: string } | null = null;
  /** The adapter of the board this tab showed when it last told the background. */
  let board: string | null = null;
  let showDue = false;
  let changedAt = 0;
  /** The last settled reading of a deal or a board: a later one that differs is a live change. */
  let settledReport: ScrapeReport | null = null;
  // Any change of the page (other than our own button and badges) makes the last reading stale.
  const changes = new (host.document.defaultView?.MutationObserver ?? MutationObserver)(pageChanged);
  /** Which `detect` selectors of the recipes for this address match now, e.g. "10" (deal, not board). */
  let detected = '';
  let detectDue = false;
  function detectedNow(): string {
    const url = host.location();
    return (config?.recipes ?? [])
      .filter((recipe) => recipe.urlPatterns.some((pattern) => urlMatches(pattern, url)))
      .flatMap((recipe) => [recipe.detect.deal, recipe.detect.board])
      .map((selector) =>
        selector && isValidSelector(selector, host.document) && host.document.querySelector(selector)
          ? '1'
          : '0',
      )
      .join('');
  }
  function watchDetect() {
    const now = detectedNow();
    if (now === detected) return;
    detected = now;
    if (detectDue) return;
    detectDue = true;
    host.setTimeout(() => {
      detectDue = false;
      void refresh();
    }, DETECT_MS);
  }
  function pageChanged() {
    last = null;
    watchDetect();
    if (board === null && settledReport?.deal == null) return;
    changedAt = host.now().getTime();
    if (showDue) return;
    showDue = true;
    host.setTimeout(settled, SETTLE_MS);
  }
  function settled() {
    const quiet = host.now().getTime() - changedAt;
    // A person still editing a field (an inline edit's select): the CRM has not saved it yet.
    if (quiet < SETTLE_MS || isEditing(host.document)) {
      host.setTimeout(settled, quiet < SETTLE_MS ? SETTLE_MS - quiet : SETTLE_MS);
      return;
    }
    showDue = false;
    // A failure here is the extension being reloaded: the page keeps the badges it has.
    scrape().then(
      (report) => {
        // A deal shown in a dialog over the board gets its button; closing it takes the button away.
        showButton(report);
        noticeChanges(report);
        return tellBoard(report);
      },
      () => undefined,
    );
  }
  changes.observe(host.document, { subtree: true, childList: true, characterData: true, attributes: true });

  /** Reads the page; with `recipe`, with that recipe only (the options page testing a draft). */
  async function scrape(recipe?: Recipe): Promise<ScrapeReport> {
    config ??= await host.config();
    const now = host.now();
    const url = host.location();
    if (changes.takeRecords().length > 0) pageChanged();
    if (!recipe && last && last.report.url === url && now.getTime() - last.at < REUSE_MS) return last.report;
    const context = { now: now.toISOString(), timeZone: config.timeZone, locale: null, url };
    const report = scrapePage(host.document, context, recipe ? [recipe] : config.recipes);
    if (recipe) return report;
    // The same cards after the reuse time ran out (or after a change that moved nothing) keep the
    // id, so the background keeps its preview of them and a popup opened minutes later is instant.
    const text = JSON.stringify(report);
    const id = lastText?.text === text ? lastText.id : `${instance}-${++readings}`;
    lastText = { id, text };
    last = { report, at: now.getTime(), id };
    return report;
  }

  /** A reading the background already holds (`known`) comes back without its report: a large board crosses once. */
  async function read(known?: string): Promise<TabReading> {
    const report = await scrape();
    // The page may have changed since this reading was made: it then goes under an id never reused.
    const id = last?.report === report ? last.id : `${instance}-${++readings}`;
    return { id, report: id === known ? null : report };
  }

  function showButton(report: ScrapeReport) {
    const deal = report.kind === 'deal' ? report.deal : null;
    if (!deal) {
      button?.remove();
      shownFor = null;
      return;
    }
    const key = `${report.url}#${deal.id}`;
    if (shownFor === key && button?.host.isConnected) return;
    button?.remove();
    const created = createSendButton(host.document, () => {
      created.setState({ kind: 'sending' });
      void scrape().then((fresh) => host.sendDeal(fresh, created.setState));
    });
    button = created;
    placeSendButton(host.document, created, deal.name);
    // Placing the button changed the page, not the deal: the reading stays valid.
    changes.takeRecords();
    shownFor = key;
  }

  /** Draws the badges; the page's own changes since the last look still make the reading stale. */
  function showBadges(states: BoardBadges) {
    if (changes.takeRecords().length > 0) pageChanged();
    drawBadges(host.document, board, states);
    // Drawing changed the page, not the board: the reading stays valid.
    changes.takeRecords();
  }

  function noticeChanges(report: ScrapeReport) {
    const changes = changesBetween(settledReport, report, host.now());
    if (report.deal || report.board) settledReport = report;
    for (const change of changes) host.liveChanged?.(change);
  }

  async function tellBoard(report: ScrapeReport) {
    board = report.kind === 'board' ? report.adapterId : null;
    showBadges(board === null ? null : await host.boardShown().catch(() => null));
  }

  /** Re-reads the page until it shows a deal or a board, or the wait runs out (SPA pages render late). */
  async function refresh(waitUntil = Date.now() + RENDER_WAIT_MS): Promise<void> {
    const report = await scrape();
    detected = detectedNow();
    showButton(report);
    if (report.url !== settledReport?.url || (!report.deal && !report.board)) settledReport = null;
    if (report.deal || report.board) settledReport ??= report;
    await tellBoard(report);
    // A single-page CRM may show its address before the deal or board is rendered: wait for the data.
    if (!report.deal && !report.board && Date.now() < waitUntil) {
      host.setTimeout(() => void refresh(waitUntil), 250);
    }
  }

  /** A recipe was saved or deleted (or the settings changed): read the page again with the new ones. */
  async function configChanged(): Promise<void> {
    config = null;
    last = null;
    await refresh();
  }

  /** The background's new states (after an export, or the setting changed) for the board last read. */
  return { scrape, read, refresh, configChanged, updateBadges: showBadges };
}
