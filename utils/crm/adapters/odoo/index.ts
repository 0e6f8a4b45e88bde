import type { Adapter, PageKind } from '../../model';
import { scrapeOdooBoard } from './board';
import { odooDealId, scrapeOdooDeal } from './deal';
import { odooSelectors as S } from './selectors';

const CRM_URL = /\/odoo\/crm(?:[/?#]|$)|[#&]model=crm\.lead(?:&|$)/;

/**
 * Odoo runs on any domain, so the URL must name the CRM model. A lead's id in the URL makes a deal page;
 * the CRM URL without one is the board only when it shows the grouped kanban (it also shows list views).
 */
function detect(document: Document, url: string): PageKind | null {
  if (!CRM_URL.test(url)) return null;
  if (odooDealId(url)) return 'deal';
  return document.querySelector(S.board) ? 'board' : null;
}

export const odooAdapter: Adapter = {
  id: 'odoo',
  label: 'Odoo 17/18 CRM',
  detect,
  scrapeDeal: scrapeOdooDeal,
  scrapeBoard: scrapeOdooBoard,
};
