import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { espoSelectors } from './selectors';

// Vitest runs from the repository root.
const fixtures = 'tests/fixtures/espocrm';

/** The fixture each selector must match in. */
const fixtureOf: Record<keyof typeof espoSelectors, string> = {
  anyView: 'board-en',
  boardRoot: 'board-en',
  columnHeader: 'board-en',
  columnLabel: 'board-en',
  columnBody: 'board-en',
  columnShowMore: 'board-en',
  card: 'board-en',
  cardName: 'board-en',
  cardAmount: 'board-en',
  cardCloseDate: 'board-en',
  dealRoot: 'deal-history-en',
  dealName: 'deal-history-en',
  dealStage: 'deal-history-en',
  dealAmount: 'deal-history-en',
  dealCloseDate: 'deal-history-en',
  dealOwner: 'deal-history-en',
  dealContacts: 'deal-history-en',
  dealCreatedAt: 'deal-history-en',
  dealModifiedAt: 'deal-history-en',
  stagePill: 'deal-history-en',
  noneValue: 'deal-no-contact-en',
  userLink: 'deal-history-en',
  contactLink: 'deal-history-en',
  contactRow: 'deal-history-en',
  contactPhone: 'deal-history-en',
  contactEmail: 'deal-history-en',
  streamNote: 'deal-history-en',
  streamShowMore: 'deal-lost-ru',
  stageDiff: 'deal-history-en',
  stageWas: 'deal-history-en',
  stageBecame: 'deal-history-en',
  noteDate: 'deal-history-en',
};

describe('EspoCRM selectors', () => {
  for (const [key, selector] of Object.entries(espoSelectors)) {
    const fixture = fixtureOf[key as keyof typeof espoSelectors];
    it(`${key} matches in ${fixture}`, () => {
      const html = readFileSync(`${fixtures}/${fixture}.html`, 'utf8');
      const document = new DOMParser().parseFromString(html, 'text/html');
      expect(document.querySelector(selector)).not.toBeNull();
    });
  }
});
