import { describe } from 'vitest';
import { itMatchesSelectors } from '../../../../tests/support/crm-fixtures';
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
  dealAmountConverted: 'deal-changed-layout-en',
  dealCloseDate: 'deal-history-en',
  dealOwner: 'deal-history-en',
  dealOwners: 'deal-changed-layout-en',
  dealContacts: 'deal-history-en',
  dealContact: 'deal-changed-layout-en',
  dealCreatedAt: 'deal-history-en',
  dealCreatedAtCell: 'deal-changed-layout-en',
  dealModifiedAt: 'deal-history-en',
  dealModifiedAtCell: 'deal-changed-layout-en',
  stagePill: 'deal-history-en',
  noneValue: 'deal-no-contact-en',
  userLink: 'deal-history-en',
  contactLink: 'deal-history-en',
  contactRow: 'deal-history-en',
  contactName: 'deal-panel-contacts-en',
  contactPhone: 'deal-history-en',
  contactPhoneLink: 'deal-changed-layout-en',
  contactEmail: 'deal-history-en',
  contactEmailLink: 'deal-changed-layout-en',
  streamNote: 'deal-history-en',
  streamShowMore: 'deal-lost-ru',
  notePill: 'deal-history-en',
  noteAuditTable: 'deal-history-en',
  stageDiff: 'deal-changed-layout-en',
  stageBecame: 'deal-changed-layout-en',
  noteDate: 'deal-history-en',
  noteLink: 'deal-changed-layout-en',
};

describe('EspoCRM selectors', () => {
  itMatchesSelectors('espocrm', espoSelectors, fixtureOf);
});
