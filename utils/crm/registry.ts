import { amocrmAdapter } from './adapters/amocrm';
import { espocrmAdapter, espoViewScope } from './adapters/espocrm';
import { odooAdapter } from './adapters/odoo';
import type { Adapter, PageKind } from './model';
import { recipeAdapter } from './recipe/engine';
import type { Recipe } from './recipe/schema';
import { urlMatches } from './recipe/url-pattern';

/** Asked in this order: the CRMs recognised by their address first, EspoCRM (any host, markup only) last. */
export const builtInAdapters: Adapter[] = [amocrmAdapter, odooAdapter, espocrmAdapter];

/** Hosts that are a CRM's cloud, to explain a page of that CRM the adapter does not read. */
const cloudHosts: { host: RegExp; label: string; pages: string }[] = [
  {
    host: /(?:^|\.)(?:amocrm\.(?:ru|com)|kommo\.com)$/i,
    label: 'amoCRM / Kommo',
    pages: 'a pipeline board (/leads/pipeline/…) or a deal (/leads/detail/…)',
  },
  { host: /(?:^|\.)odoo\.com$/i, label: 'Odoo', pages: 'the CRM pipeline (kanban) or a lead' },
];

export type Detection = { adapter: Adapter; kind: PageKind } | { adapter: null; reasons: string[] };

/** Which adapter understands this page; the user's recipes for this address go before the built-in ones. */
export function detectPage(document: Document, url: string, recipes: Recipe[] = []): Detection {
  const matching = recipes.filter((recipe) => recipe.urlPatterns.some((pattern) => urlMatches(pattern, url)));
  for (const adapter of [...matching.map(recipeAdapter), ...builtInAdapters]) {
    const kind = adapter.detect(document, url);
    if (kind) return { adapter, kind };
  }
  return { adapter: null, reasons: reasonsFor(document, url, matching) };
}

function reasonsFor(document: Document, url: string, matching: Recipe[]): string[] {
  const reasons = matching.map(
    (recipe) =>
      `Your recipe "${recipe.label}" matches this address, but the page has none of its detect selectors (${Object.values(recipe.detect).join(', ')}).`,
  );
  const host = URL.canParse(url) ? new URL(url).hostname : '';
  for (const cloud of cloudHosts) {
    if (cloud.host.test(host))
      reasons.push(`${cloud.label} page, but not one to export: open ${cloud.pages}.`);
  }
  const espoScope = espoViewScope(document);
  if (espoScope !== null) {
    reasons.push(
      `EspoCRM page (${espoScope}), but neither the Opportunity kanban nor an Opportunity page: open Opportunities in kanban view, or one Opportunity.`,
    );
  }
  if (reasons.length === 0) {
    reasons.push(
      'Nothing to export here: no known CRM markup found (EspoCRM, Odoo, amoCRM / Kommo, or one of your recipes).',
    );
  }
  return reasons;
}
