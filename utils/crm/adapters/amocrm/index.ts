import type { Adapter, PageKind } from '../../model';
import { scrapeAmocrmBoard } from './board';
import { scrapeAmocrmDeal } from './deal';

const HOST = /(?:^|\.)(?:amocrm\.ru|amocrm\.com|kommo\.com)$/i;
const BOARD_PATH = /^\/leads\/pipeline(?:\/|$)/;
const DEAL_PATH = /^\/leads\/detail\/\d+/;

/** Decided by the URL alone: a layout change must surface as problems, not as an unrecognised page. */
function detect(_document: Document, url: string): PageKind | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!HOST.test(parsed.hostname)) return null;
  if (DEAL_PATH.test(parsed.pathname)) return 'deal';
  if (BOARD_PATH.test(parsed.pathname)) return 'board';
  return null;
}

export const amocrmAdapter: Adapter = {
  id: 'amocrm',
  label: 'amoCRM / Kommo (beta)',
  detect,
  scrapeDeal: scrapeAmocrmDeal,
  scrapeBoard: scrapeAmocrmBoard,
};
