import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../tests/support/crm-fixtures';
import { scrapePage } from '../crm/scrape';
import { boardCards } from './board-cards';

describe('the card of each deal on a board', () => {
  it.each(['espocrm', 'amocrm', 'odoo'])('finds a card for every deal %s reads, each once', (crm) => {
    const { document, context } = loadFixture(crm, 'board-en');
    const report = scrapePage(document, context);
    const dealIds = report.board!.deals.flatMap((deal) => deal.id ?? []);
    expect(dealIds.length).toBeGreaterThan(0);
    const cards = boardCards(document, report.adapterId);
    expect(cards.map((card) => card.id).sort()).toEqual([...dealIds].sort());
    expect(new Set(cards.map((card) => card.card)).size).toBe(cards.length);
  });

  it('finds nothing on a board it does not know (a recipe’s)', () => {
    const { document } = loadFixture('espocrm', 'board-en');
    expect(boardCards(document, 'recipe:mine')).toEqual([]);
    expect(boardCards(document, null)).toEqual([]);
  });
});
