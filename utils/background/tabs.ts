import { browser } from 'wxt/browser';
import type { z } from 'zod';
import type { Recipe } from '../crm/recipe/schema';
import type { ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';
import { type TabAnswers, type TabMessageType, type TabRequests, tabAnswerSchemas } from '../messaging';
import { isGrantedOrigin } from './crm-sites';

const text = {
  noTab: { en: 'The tab is closed or cannot be found.', ru: 'Вкладка закрыта или не найдена.' },
  notWeb: {
    en: 'This tab is not a web page (a browser page or a file): open a CRM page.',
    ru: 'Эта вкладка — не веб-страница (служебная страница или файл): откройте страницу CRM.',
  },
  malformed: {
    en: 'The page handed over a reading the extension cannot trust, so nothing was read. Reload the CRM page and try again.',
    ru: 'Страница передала данные, которым расширение не может доверять, поэтому ничего не прочитано. Обновите страницу CRM и попробуйте снова.',
  },
  noAnswer: {
    en: 'The page did not answer. Reload the CRM page and open the extension again.',
    ru: 'Страница не ответила. Обновите страницу CRM и снова откройте расширение.',
  },
};

export type TabScrape =
  /** `reading` names this reading of the page (null for a recipe's test): the same id, the same report. */
  | { kind: 'report'; report: ScrapeReport; origin: string; reading: string | null }
  | { kind: 'no-tab'; reason: string }
  | { kind: 'no-access'; origin: string }
  | { kind: 'not-web'; reason: string };

/** A content script answers from inside a page the extension does not control: its answer is checked. */
class MalformedReading extends Error {}

function checked<T>(schema: z.ZodType<T>, answer: unknown): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new MalformedReading();
  return parsed.data;
}

/** Sends one request of the protocol to the tab's top frame and checks the answer against its schema. */
export async function askTab<T extends TabMessageType>(
  tabId: number,
  type: T,
  request: TabRequests[T],
): Promise<TabAnswers[T]> {
  const answer: unknown = await browser.tabs.sendMessage(tabId, { type, ...request }, { frameId: 0 });
  return checked(tabAnswerSchemas[type], answer);
}

/** The last reading of a few tabs: an unchanged page then answers with its id, not its cards again. */
const readings = new Map<number, { id: string; report: ScrapeReport }>();
const KEPT_READINGS = 4;
/**
 * The read of each tab under way. The next read of that tab waits for it and asks with its id: a
 * popup opened while the background reads a large board does not have the page send it again.
 */
const underWay = new Map<number, Promise<unknown>>();

/** The tab left its page or closed: its reading is of nothing any more. */
export function forgetReading(tabId: number) {
  readings.delete(tabId);
}

async function ask(tabId: number, recipe: Recipe | undefined) {
  if (recipe) {
    return { report: await askTab(tabId, 'crm.scrape', { recipe }), reading: null };
  }
  const before = underWay.get(tabId);
  const mine = (async () => {
    await before?.catch(() => undefined);
    return read(tabId);
  })();
  underWay.set(tabId, mine);
  try {
    return await mine;
  } finally {
    if (underWay.get(tabId) === mine) underWay.delete(tabId);
  }
}

async function read(tabId: number) {
  const known = readings.get(tabId);
  const answer = await askTab(tabId, 'crm.read', { known: known?.id });
  const report = answer.report ?? (answer.id === known?.id ? known.report : null);
  if (!report) throw new Error('The page answered without its reading.');
  readings.delete(tabId);
  readings.set(tabId, { id: answer.id, report });
  for (const oldest of readings.keys()) {
    if (readings.size <= KEPT_READINGS) break;
    readings.delete(oldest);
  }
  return { report, reading: answer.id };
}

/**
 * Asks the tab's content script to read its page. A tab opened before the site was granted has no
 * content script yet: it is injected once, then asked again.
 */
export async function scrapeTab(tabId: number, recipe?: Recipe): Promise<TabScrape> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (!tab) return { kind: 'no-tab', reason: localize(text.noTab) };
  let url: URL;
  try {
    url = new URL(tab.url ?? '');
  } catch {
    return { kind: 'not-web', reason: localize(text.notWeb) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { kind: 'not-web', reason: localize(text.notWeb) };
  if (!(await isGrantedOrigin(url.origin))) return { kind: 'no-access', origin: url.origin };
  try {
    return { kind: 'report', ...(await ask(tabId, recipe)), origin: url.origin };
  } catch (error) {
    if (error instanceof MalformedReading) return { kind: 'no-tab', reason: localize(text.malformed) };
    try {
      await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/crm.js'] });
      return { kind: 'report', ...(await ask(tabId, recipe)), origin: url.origin };
    } catch (error) {
      const reason = error instanceof MalformedReading ? text.malformed : text.noAnswer;
      return { kind: 'no-tab', reason: localize(reason) };
    }
  }
}

/**
 * Asks a script in a tab of a granted CRM site and checks its answer; a tab without it (opened before
 * the site was granted, or `script` not injected yet) gets it first. Throws when the tab cannot answer
 * or answers nonsense.
 */
export async function askContentScript<T extends TabMessageType>(
  tabId: number,
  type: T,
  request: TabRequests[T],
  script: '/content-scripts/crm.js' | '/deal-reads.js' = '/content-scripts/crm.js',
): Promise<TabAnswers[T]> {
  const send = () =>
    browser.tabs.sendMessage(tabId, { type, ...request }, { frameId: 0 }).catch(() => undefined);
  // No answer at all: nothing in the tab listens for this message yet.
  let answer: unknown = await send();
  if (answer === undefined) {
    await browser.scripting.executeScript({ target: { tabId }, files: [script] });
    answer = await send();
  }
  try {
    return checked(tabAnswerSchemas[type], answer);
  } catch {
    throw new Error(localize(answer === undefined ? text.noAnswer : text.malformed));
  }
}
