import type { Adapter, PageKind } from '../../model';
import { scrapeOdooBoard } from './board';
import { isCrmRecordPath, odooDealId, scrapeOdooDeal } from './deal';
import { odooSelectors as S } from './selectors';

const CRM_URL = /\/odoo\/crm(?:[/?#]|$)|[#&]model=crm\.lead(?:&|$)/;

/**
 * Odoo runs on any domain, so the URL must name the CRM model, or the page show the lead form (18+ opens a
 * lead from elsewhere under `/odoo/action-…/<id>`). A lead's id in the URL makes a deal page; the CRM URL
 * without one is the board only when it shows the grouped kanban (it also shows list views).
 */
function detect(document: Document, url: string): PageKind | null {
  const id = odooDealId(url);
  if (id && (isCrmRecordPath(url) || document.querySelector(S.leadForm))) return 'deal';
  if (!CRM_URL.test(url)) return null;
  if (id) return 'deal';
  return document.querySelector(S.board) ? 'board' : null;
}

export const odooAdapter: Adapter = {
  id: 'odoo',
  label: 'Odoo 17–19 CRM',
  detect,
  scrapeDeal: scrapeOdooDeal,
  scrapeBoard: scrapeOdooBoard,
};
