import { browser } from 'wxt/browser';
import type { Recipe } from '../crm/recipe/schema';
import type { ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';
import { isGrantedOrigin } from './crm-sites';

const text = {
  noTab: { en: 'The tab is closed or cannot be found.', ru: 'Вкладка закрыта или не найдена.' },
  notWeb: {
    en: 'This tab is not a web page (a browser page or a file): open a CRM page.',
    ru: 'Эта вкладка — не веб-страница (служебная страница или файл): откройте страницу CRM.',
  },
  noAnswer: {
    en: 'The page did not answer. Reload the CRM page and open the extension again.',
    ru: 'Страница не ответила. Обновите страницу CRM и снова откройте расширение.',
  },
};

export type TabScrape =
  | { kind: 'report'; report: ScrapeReport; origin: string }
  | { kind: 'no-tab'; reason: string }
  | { kind: 'no-access'; origin: string }
  | { kind: 'not-web'; reason: string };

function ask(tabId: number, recipe: Recipe | undefined): Promise<ScrapeReport> {
  return browser.tabs.sendMessage(
    tabId,
    { type: 'crm.scrape', recipe },
    { frameId: 0 },
  ) as Promise<ScrapeReport>;
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
    return { kind: 'report', report: await ask(tabId, recipe), origin: url.origin };
  } catch {
    try {
      await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/crm.js'] });
      return { kind: 'report', report: await ask(tabId, recipe), origin: url.origin };
    } catch {
      return { kind: 'no-tab', reason: localize(text.noAnswer) };
    }
  }
}
