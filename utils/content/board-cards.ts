/**
 * The card element of each deal on a built-in adapter's board, found with the adapters' own
 * selectors (read-only here), so a badge sits on the card the deal was read from.
 */
import { amocrmSelectors } from '../crm/adapters/amocrm/selectors';
import { espoSelectors } from '../crm/adapters/espocrm/selectors';
import { odooSelectors } from '../crm/adapters/odoo/selectors';
import { attrOf } from '../crm/dom';

/** As the Odoo adapter reads a lead's id: from a link to it, else a record attribute. */
const ODOO_ID_IN_HREF = /\/odoo\/crm\/(\d+)|[#?&]id=(\d+)/;

function odooCardId(card: Element): string | null {
  for (const link of card.querySelectorAll(odooSelectors.cardIdLink)) {
    const href = attrOf(link, 'href') ?? '';
    if (href.includes('model=') && !href.includes('model=crm.lead')) continue;
    const match = ODOO_ID_IN_HREF.exec(href);
    if (match) return match[1] ?? match[2] ?? null;
  }
  const holder = card.matches(odooSelectors.cardIdAttribute)
    ? card
    : card.querySelector(odooSelectors.cardIdAttribute);
  const id = attrOf(holder, 'data-res-id');
  return id && /^\d+$/.test(id) ? id : null;
}

const boards: Record<string, { card: string; id: (card: Element) => string | null }> = {
  espocrm: { card: espoSelectors.card, id: (card) => attrOf(card, 'data-id') },
  amocrm: { card: amocrmSelectors.card, id: (card) => attrOf(card, 'data-id') },
  odoo: { card: odooSelectors.card, id: odooCardId },
};

/** Every card of the board with the deal id it shows; empty for a board this does not know (a recipe's). */
export function boardCards(document: Document, adapterId: string | null): { id: string; card: Element }[] {
  const board = adapterId ? boards[adapterId] : undefined;
  if (!board) return [];
  return [...document.querySelectorAll(board.card)].flatMap((card) => {
    const id = board.id(card);
    return id ? [{ id, card }] : [];
  });
}
