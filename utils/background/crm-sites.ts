import { browser } from 'wxt/browser';
import { BRAND_ENDPOINTS } from '../comagic/endpoints';
import { coversSite } from '../crm/recipe/url-pattern';
import type { SiteView } from '../messaging';

const CONTENT_SCRIPT_ID = 'crm';
const API_PATTERNS = new Set(Object.values(BRAND_ENDPOINTS).map((url) => `${new URL(url).origin}/*`));

/** Granted host patterns that are CRM sites: every granted origin but the Data API hosts. */
export function crmPatterns(granted: string[], customEndpointPattern: string | null): string[] {
  return granted.filter((pattern) => !API_PATTERNS.has(pattern) && pattern !== customEndpointPattern).sort();
}

export async function isGrantedOrigin(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [`${origin}/*`] });
}

/**
 * Registers the CRM content script on exactly the sites the user granted (and unregisters it
 * when none is left). Runs on install, start-up and every permission change.
 */
export async function grantedCrmPatterns(customEndpointPattern: string | null): Promise<string[]> {
  return crmPatterns((await browser.permissions.getAll()).origins ?? [], customEndpointPattern);
}

export async function syncContentScripts(customEndpointPattern: string | null): Promise<string[]> {
  const matches = await grantedCrmPatterns(customEndpointPattern);
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (matches.length === 0) {
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return matches;
  }
  const script = {
    id: CONTENT_SCRIPT_ID,
    js: ['content-scripts/crm.js'],
    matches,
    runAt: 'document_idle' as const,
    allFrames: true,
  };
  if (registered.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return matches;
}

const HOST_HINTS: [RegExp, string][] = [
  [/\.(amocrm\.(ru|com)|kommo\.com)$/, 'amoCRM / Kommo'],
  [/\.odoo\.com$/, 'Odoo'],
];

/** The CRM sites for the options page, each with the adapter its address suggests. */
export function siteViews(
  sites: { pattern: string; granted: boolean }[],
  recipes: { label: string; urlPatterns: string[] }[],
): SiteView[] {
  return sites.map(({ pattern, granted }) => {
    const match = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
    const host = match?.[2] ?? pattern;
    const origin = match ? `${match[1] === '*' ? 'https' : match[1]}://${host}` : pattern;
    const hint = HOST_HINTS.find(([test]) => test.test(host))?.[1];
    const recipe = recipes.find((r) => r.urlPatterns.some((p) => coversSite(p, pattern)));
    return { pattern, origin, granted, adapterLabel: hint ?? recipe?.label ?? null };
  });
}

/** Grants that cover every site: not a site the user added, so not listed as one. */
const BROAD_PATTERNS = new Set(['<all_urls>', '*://*/*', 'https://*/*', 'http://*/*']);

/** The sites the user added, and any single site granted otherwise (e.g. from the popup). */
export async function listSites(
  added: string[],
  customEndpointPattern: string | null,
  recipes: { label: string; urlPatterns: string[] }[],
): Promise<SiteView[]> {
  const granted = (await grantedCrmPatterns(customEndpointPattern)).filter((p) => !BROAD_PATTERNS.has(p));
  const patterns = [...new Set([...added, ...granted])];
  const sites = await Promise.all(
    patterns.map(async (pattern) => ({
      pattern,
      granted: await browser.permissions.contains({ origins: [pattern] }),
    })),
  );
  return siteViews(sites, recipes);
}
