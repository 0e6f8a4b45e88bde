/**
 * The CRM page side of the extension: reads the page on request, follows SPA navigation, and shows
 * the "Send to CoMagic" button on deal pages. No zod and no Preact here: this runs in every CRM tab.
 */
import type { Recipe } from '../crm/recipe/schema';
import { type ScrapeReport, scrapePage } from '../crm/scrape';
import type { ButtonState } from './send-button';
import { createSendButton, placeSendButton, type SendButton } from './send-button';

export interface CrmPageHost {
  document: Document;
  location: () => string;
  now: () => Date;
  config: () => Promise<{ timeZone: string; recipes: Recipe[] }>;
  /** Hands a deal to the background and reports how the send went. */
  sendDeal: (report: ScrapeReport, update: (state: ButtonState) => void) => Promise<void>;
  /** Calls back after `ms`, unless the extension was reloaded meanwhile. */
  setTimeout: (callback: () => void, ms: number) => void;
}

/** How long to wait for a CRM's single-page app to render after a navigation. */
const RENDER_WAIT_MS = 5_000;

export function createCrmPage(host: CrmPageHost) {
  let config: { timeZone: string; recipes: Recipe[] } | null = null;
  let button: SendButton | null = null;
  let shownFor: string | null = null;

  /** Reads the page; with `recipe`, with that recipe only (the options page testing a draft). */
  async function scrape(recipe?: Recipe): Promise<ScrapeReport> {
    config ??= await host.config();
    const context = {
      now: host.now().toISOString(),
      timeZone: config.timeZone,
      locale: null,
      url: host.location(),
    };
    return scrapePage(host.document, context, recipe ? [recipe] : config.recipes);
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
    shownFor = key;
  }

  /** Re-reads the page until it is recognised or the wait runs out (SPA pages render late). */
  async function refresh(waitUntil = Date.now() + RENDER_WAIT_MS): Promise<void> {
    const report = await scrape();
    showButton(report);
    if (report.kind === null && Date.now() < waitUntil) {
      host.setTimeout(() => void refresh(waitUntil), 250);
    }
  }

  return { scrape, refresh };
}
