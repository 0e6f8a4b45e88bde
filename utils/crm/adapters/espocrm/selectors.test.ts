import { describe } from 'vitest';
import { itMatchesSelectors } from '../../test-helpers';
import { espoSelectors } from './selectors';

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
  itMatchesSelectors('espocrm', espoSelectors, fixtureOf);
});
