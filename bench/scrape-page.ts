/** Bundled for a plain Chromium page: the adapters' board scraping and the baseline DOM pass, timed in the page. */
import { amocrmAdapter } from '../utils/crm/adapters/amocrm';
import { espocrmAdapter } from '../utils/crm/adapters/espocrm';
import { odooAdapter } from '../utils/crm/adapters/odoo';
import type { ScrapeContext } from '../utils/crm/model';

const adapters = { espocrm: espocrmAdapter, amocrm: amocrmAdapter, odoo: odooAdapter };

export interface Timed {
  ms: number;
  cards: number;
}

function scrape(crm: keyof typeof adapters, context: ScrapeContext): Timed {
  const started = performance.now();
  const board = adapters[crm].scrapeBoard(document, context).data;
  return { ms: performance.now() - started, cards: board?.deals.length ?? 0 };
}

/** The least any scraper must do: find the cards and read each one's text once. */
function baseline(cardSelector: string): Timed {
  const started = performance.now();
  let characters = 0;
  const cards = document.querySelectorAll(cardSelector);
  for (const card of cards) characters += card.textContent?.length ?? 0;
  const ms = performance.now() - started;
  if (characters === 0) throw new Error('baseline read no text');
  return { ms, cards: cards.length };
}

/**
 * What reading a card's fields by selector costs before any parsing: each card's fields found in one
 * query and their text read. The least an adapter built on selectors can do.
 */
function fieldFloor(cardSelector: string, fieldSelectors: string[]): Timed {
  const started = performance.now();
  let characters = 0;
  const anyField = fieldSelectors.join(', ');
  const cards = document.querySelectorAll(cardSelector);
  for (const card of cards) {
    for (const field of card.querySelectorAll(anyField)) {
      if (fieldSelectors.some((selector) => field.matches(selector)))
        characters += field.textContent?.length ?? 0;
    }
  }
  const ms = performance.now() - started;
  if (characters === 0) throw new Error('field floor read no text');
  return { ms, cards: cards.length };
}

Object.assign(globalThis, { bench: { scrape, baseline, fieldFloor } });
