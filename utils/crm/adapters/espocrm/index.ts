import type { Adapter } from '../../model';
import { scrapeEspoBoard } from './board';
import { scrapeEspoDeal } from './deal';
import { espoSelectors as s } from './selectors';

/** EspoCRM (self-hosted on any domain): the Opportunity kanban and the Opportunity detail page. */
export const espocrmAdapter: Adapter = {
  id: 'espocrm',
  label: 'EspoCRM',
  detect(document) {
    if (document.querySelector(s.dealRoot)) return 'deal';
    if (document.querySelector(s.boardRoot)) return 'board';
    return null;
  },
  scrapeDeal: scrapeEspoDeal,
  scrapeBoard: scrapeEspoBoard,
};

/** The entity of the EspoCRM view on the page (e.g. `Account`); `null` when it is no EspoCRM page. */
export function espoViewScope(document: Document): string | null {
  return document.querySelector(s.anyView)?.getAttribute('data-scope') ?? null;
}

export default espocrmAdapter;
