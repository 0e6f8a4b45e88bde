import type { CrmBoard, CrmDeal, PageKind, Problem, ScrapeContext, ScrapeResult } from './model';
import type { Recipe } from './recipe/schema';
import { detectPage } from './registry';

/** What the content script reports about its page: which CRM, what kind of page, and what it read. */
export interface ScrapeReport {
  url: string;
  adapterId: string | null;
  adapterLabel: string | null;
  kind: PageKind | null;
  /** Why nothing can be exported here, for a person. */
  reasons: string[];
  deal: CrmDeal | null;
  board: CrmBoard | null;
  problems: Problem[];
}

/** A deal handed over on its own (sent from its page, or read whole through the CRM's endpoints) as a report. */
export function dealReport(deal: CrmDeal): ScrapeReport {
  return {
    url: deal.url,
    adapterId: deal.crm,
    adapterLabel: null,
    kind: 'deal',
    reasons: [],
    deal,
    board: null,
    problems: [],
  };
}

/** Detects the page and reads it; never throws, whatever the page holds. */
export function scrapePage(document: Document, context: ScrapeContext, recipes: Recipe[] = []): ScrapeReport {
  const detected = detectPage(document, context.url, recipes);
  const base = { url: context.url, deal: null, board: null, problems: [] };
  if (!detected.adapter) {
    return { ...base, adapterId: null, adapterLabel: null, kind: null, reasons: detected.reasons };
  }
  const { adapter, kind } = detected;
  const identity = { adapterId: adapter.id, adapterLabel: adapter.label, kind };
  let result: ScrapeResult<CrmDeal> | ScrapeResult<CrmBoard>;
  try {
    result = kind === 'deal' ? adapter.scrapeDeal(document, context) : adapter.scrapeBoard(document, context);
  } catch (error) {
    // Adapters are written not to throw; a page strange enough to make one throw is still a report.
    const detail = error instanceof Error ? error.message : String(error);
    const problem: Problem = { code: 'adapter_failed', field: kind, detail, severity: 'error' };
    return { ...base, ...identity, reasons: [detail], problems: [problem] };
  }
  return {
    ...base,
    ...identity,
    reasons: result.data
      ? []
      : result.problems.map((p) => `${p.field}: ${p.code}${p.detail ? ` (${p.detail})` : ''}`),
    deal: kind === 'deal' ? (result.data as CrmDeal | null) : null,
    board: kind === 'board' ? (result.data as CrmBoard | null) : null,
    problems: result.problems,
  };
}
