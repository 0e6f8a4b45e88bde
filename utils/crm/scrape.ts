import { boundBoard, boundDeal, boundProblem, cutNotes, LIMITS } from './limits';
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

/**
 * The report cut to what one reading may carry (`limits.ts`), each cut a warning problem: a page's
 * 200 KB field then costs that field's tail, not the whole reading, which the background would
 * refuse.
 */
export function boundReport(report: ScrapeReport): ScrapeReport {
  const notes = cutNotes();
  const note = notes.forDeal(null);
  const deal = report.deal && boundDeal(report.deal, note);
  const board = report.board && boundBoard(report.board, notes.forDeal);
  const reasons = report.reasons.slice(0, LIMITS.reasons).map((reason) => reason.slice(0, LIMITS.reason));
  let problems = [...report.problems, ...notes.problems];
  if (problems.length > LIMITS.problems) {
    problems = problems.slice(0, LIMITS.problems - 1);
    problems.push({
      code: 'list_truncated',
      field: 'problems',
      detail: String(LIMITS.problems),
      severity: 'warning',
    });
  }
  return {
    ...report,
    url: report.url.slice(0, LIMITS.url),
    adapterLabel: report.adapterLabel === null ? null : report.adapterLabel.slice(0, LIMITS.adapterLabel),
    reasons,
    deal,
    board,
    problems: problems.map(boundProblem),
  };
}

/** Detects the page and reads it, cut to the limits; never throws, whatever the page holds. */
export function scrapePage(document: Document, context: ScrapeContext, recipes: Recipe[] = []): ScrapeReport {
  return boundReport(readPage(document, context, recipes));
}

function readPage(document: Document, context: ScrapeContext, recipes: Recipe[]): ScrapeReport {
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
