/**
 * Board scraping in headless Chromium: each adapter on generated boards of 1,000 and 10,000
 * cards, against a baseline pass over the same page. Every measurement loads the page afresh,
 * so each run is cold, as a content script is when the user opens the popup.
 */
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type GeneratedCrm, generateBoard } from '../tests/fixtures/generate-board';
import { findChromium } from '../tests/support/extension-browser';
import { amocrmSelectors } from '../utils/crm/adapters/amocrm/selectors';
import { espoSelectors } from '../utils/crm/adapters/espocrm/selectors';
import { odooSelectors } from '../utils/crm/adapters/odoo/selectors';
import type { ScrapeContext } from '../utils/crm/model';
import { atMost, below, info, type Result, repeat, result } from './measure';
import type { Timed } from './scrape-page';

const CRMS: { crm: GeneratedCrm; label: string; cardSelector: string; fieldSelectors: string[] }[] = [
  {
    crm: 'espocrm',
    label: 'EspoCRM',
    cardSelector: espoSelectors.card,
    fieldSelectors: [espoSelectors.cardName, espoSelectors.cardAmount, espoSelectors.cardCloseDate],
  },
  {
    crm: 'amocrm',
    label: 'amoCRM',
    cardSelector: amocrmSelectors.card,
    fieldSelectors: [amocrmSelectors.cardTitle, amocrmSelectors.cardPrice, amocrmSelectors.cardContact],
  },
  {
    crm: 'odoo',
    label: 'Odoo',
    cardSelector: odooSelectors.card,
    fieldSelectors: [odooSelectors.cardName, odooSelectors.cardRevenue, odooSelectors.cardPartner],
  },
];
const SIZES = [1_000, 10_000] as const;
const RUNS = 5;
const COMMAND = 'npm run bench -- scrape';

const context: ScrapeContext = {
  now: '2026-03-05T12:00:00Z',
  timeZone: 'Europe/Moscow',
  locale: null,
  url: 'https://crm.example.com/',
};

async function pageScript(): Promise<string> {
  const bundle = await build({
    entryPoints: [new URL('./scrape-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    write: false,
  });
  return bundle.outputFiles[0]?.text ?? '';
}

type Measure = (page: Page) => Promise<Timed>;

/** A fresh page each run: no warm caches or JIT carried over from the previous one. */
async function timeOnFreshPages(browser: Browser, html: string, script: string, measure: Measure) {
  return repeat(RUNS, async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(html);
      await page.addScriptTag({ content: script });
      return await measure(page);
    } finally {
      await page.close();
    }
  });
}

export function chromiumVersion(): Promise<string> {
  return chromium.launch({ executablePath: findChromium(), headless: true }).then(async (browser) => {
    const version = browser.version();
    await browser.close();
    return version;
  });
}

export async function benchScrape(): Promise<Result[]> {
  const script = await pageScript();
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const results: Result[] = [];
  try {
    for (const { crm, label, cardSelector, fieldSelectors } of CRMS) {
      const runsBySize: number[][] = [];
      for (const cards of SIZES) {
        const { html } = generateBoard(crm, { cards, seed: 1 });
        const scraped = await timeOnFreshPages(browser, html, script, (page) =>
          page.evaluate(([c, ctx]) => bench.scrape(c, ctx), [crm, context] as const),
        );
        const base = await timeOnFreshPages(browser, html, script, (page) =>
          page.evaluate((selector) => bench.baseline(selector), cardSelector),
        );
        const floor =
          cards === 10_000
            ? await timeOnFreshPages(browser, html, script, (page) =>
                page.evaluate(([c, f]) => bench.fieldFloor(c, f), [cardSelector, fieldSelectors] as const),
              )
            : [];
        for (const timed of [...scraped, ...base, ...floor]) {
          if (timed.cards !== cards) throw new Error(`${label}: read ${timed.cards} of ${cards} cards`);
        }
        const scrapeMs = scraped.map((timed) => timed.ms);
        const baseMs = base.map((timed) => timed.ms);
        runsBySize.push(scrapeMs);
        const size = cards.toLocaleString('en');
        results.push(
          result(
            `scrape ${label} ${size} cards`,
            'ms',
            scrapeMs,
            cards === 10_000 ? below(250) : info,
            COMMAND,
          ),
          result(`scrape ${label} ${size} baseline`, 'ms', baseMs, info, COMMAND),
          ...(floor.length > 0
            ? [
                result(
                  `scrape ${label} ${size} field floor / baseline`,
                  '×',
                  floor.map((timed, index) => timed.ms / Math.max(baseMs[index] ?? 0, 0.1)),
                  info,
                  COMMAND,
                  "finding each card's fields by the adapter's selectors and reading their text, nothing parsed: what any selector-based reading costs",
                ),
              ]
            : []),
          result(
            `scrape ${label} ${size} / baseline`,
            '×',
            scrapeMs.map((ms, index) => ms / Math.max(baseMs[index] ?? 0, 0.1)),
            atMost(3),
            COMMAND,
            'ratio of paired runs (adapter run i / baseline run i), each on a freshly loaded page',
          ),
        );
      }
      const [small = [], large = []] = runsBySize;
      results.push(
        result(
          `scrape ${label} growth 1k → 10k`,
          '×',
          large.map((ms, index) => ms / Math.max(small[index] ?? 0, 0.1)),
          atMost(12),
          COMMAND,
          'ratio of paired runs (10k run i / 1k run i)',
        ),
      );
    }
  } finally {
    await browser.close();
  }
  return results;
}

declare global {
  var bench: {
    scrape(crm: GeneratedCrm, context: ScrapeContext): Timed;
    baseline(cardSelector: string): Timed;
    fieldFloor(cardSelector: string, fieldSelectors: readonly string[]): Timed;
  };
}
