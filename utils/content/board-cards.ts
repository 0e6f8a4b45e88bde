/**
 * The card element of each deal on a built-in adapter's board, found with the adapters' own
 * selectors and id readers, so a badge sits on the card the deal was read from.
 */
import { amocrmSelectors } from '../crm/adapters/amocrm/selectors';
import { espoSelectors } from '../crm/adapters/espocrm/selectors';
import { odooCardId } from '../crm/adapters/odoo/board';
import { odooSelectors } from '../crm/adapters/odoo/selectors';
import { attrOf } from '../crm/dom';

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
