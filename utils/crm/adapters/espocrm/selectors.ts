/** EspoCRM 10 markup the adapter keys on. Each is covered by a fixture test. */
export const espoSelectors = {
  /** Any EspoCRM record view, of whatever entity: tells an EspoCRM page that is not an Opportunity's. */
  anyView: 'div.list-kanban[data-scope], div.detail[data-scope]',
  boardRoot: 'div.list-kanban[data-scope="Opportunity"]',
  columnHeader: 'table.kanban-head th.group-header[data-name]',
  columnLabel: 'span.kanban-group-label',
  columnBody: 'table.kanban-columns td.group-column[data-name]',
  /** EspoCRM renders the link in every column and hides it where the column holds all its cards. */
  columnShowMore: 'a[data-action="groupShowMore"]:not(.hidden)',
  card: 'div.item[data-id]',
  cardName: 'div.field[data-name="name"] a',
  cardAmount: 'div.field[data-name="amount"]',
  cardCloseDate: 'div.field[data-name="closeDate"]',

  dealRoot: 'div.detail[data-scope="Opportunity"]',
  dealName: 'div.cell[data-name="name"] div.field[data-name="name"]',
  dealStage: 'div.cell[data-name="stage"] div.field[data-name="stage"]',
  dealAmount: 'div.cell[data-name="amount"] div.field[data-name="amount"]',
  /** The amount in the system currency, where a layout shows it instead of the amount. */
  dealAmountConverted: 'div.cell[data-name="amountConverted"] div.field[data-name="amountConverted"]',
  dealCloseDate: 'div.cell[data-name="closeDate"] div.field[data-name="closeDate"]',
  dealOwner: 'div.cell[data-name="assignedUser"] div.field[data-name="assignedUser"]',
  /** Entities with several assigned users (`assignedUsers`) list them all; the first is the owner. */
  dealOwners: 'div.cell[data-name="assignedUsers"] div.field[data-name="assignedUsers"]',
  dealContacts: 'div.cell[data-name="contacts"] div.field[data-name="contacts"]',
  /** The primary contact's own link field, in layouts that show it instead of the contacts list. */
  dealContact: 'div.cell[data-name="contact"] div.field[data-name="contact"]',
  /** The default side panel's composite "Created" field: the date-time, a dot, the user. */
  dealCreatedAt: 'div.field[data-name="complexCreated"] span.field[data-name="createdAt"]',
  /** `createdAt` placed in a layout as a field of its own. */
  dealCreatedAtCell: 'div.cell[data-name="createdAt"] div.field[data-name="createdAt"]',
  dealModifiedAt: 'div.field[data-name="complexModified"] span.field[data-name="modifiedAt"]',
  dealModifiedAtCell: 'div.cell[data-name="modifiedAt"] div.field[data-name="modifiedAt"]',
  dealAccount: 'div.cell[data-name="account"] div.field[data-name="account"]',
  /** The account field placed outside a cell (a side panel, a custom layout). */
  dealAccountAnywhere: 'div.field[data-name="account"]',
  dealLeadSource: 'div.cell[data-name="leadSource"] div.field[data-name="leadSource"]',
  dealLeadSourceAnywhere: 'div.field[data-name="leadSource"]',
  dealDescription: 'div.cell[data-name="description"] div.field[data-name="description"]',
  dealDescriptionAnywhere: 'div.field[data-name="description"]',
  dealProbability: 'div.cell[data-name="probability"] div.field[data-name="probability"]',
  dealProbabilityAnywhere: 'div.field[data-name="probability"]',
  accountLink: 'a[href^="#Account/view/"]',
  stagePill: 'span.label',
  /** What EspoCRM shows in an empty field. */
  noneValue: 'span.none-value',
  userLink: 'a[href^="#User/view/"]',
  contactLink: 'a[href^="#Contact/view/"]',
  /** The Contacts relationship panel (added to the Opportunity's bottom panels in the layout manager). */
  contactRow: 'div.panel[data-name="contacts"] tr.list-row[data-id]',
  contactName: 'td.cell[data-name="name"] a[href^="#Contact/view/"]',
  contactPhone: 'td.cell[data-name="phoneNumber"]',
  /** A phone link in another column of the row (a custom list layout). */
  contactPhoneLink: 'a[data-phone-number]',
  contactEmail: 'td.cell[data-name="emailAddress"]',
  contactEmailLink: 'a[data-email-address]',

  streamNote: 'div.list-container[data-role="stream"] li.list-group-item.list-row[data-id]',
  streamShowMore: 'div.list-container[data-role="stream"] a[data-action="showMore"]',
  /** The stage a create or update note entered (`data.statusValue` / `data.value`), as a label. */
  notePill: '.stream-post-container span.label-state',
  /** Update notes always carry it (empty when only the stage changed); create notes never. */
  noteAuditTable: 'table.audited-summary-table',
  /** A stage was/became row: EspoCRM 10 never audits the status field, other layouts might. */
  stageDiff: 'table.audited-summary-table tr.row[data-name="stage"]',
  stageBecame: 'td.cell-became',
  noteDate: '.stream-date-container a',
  /** The note's own link, wherever a changed layout moved it. */
  noteLink: 'a[href^="#Note/view/"]',
} as const;

const s = espoSelectors;

/**
 * Where each deal field is looked for, best first, as selectors under the deal's root; a later link
 * is reported as `fallback_used` with the selector that matched.
 */
export const espoChains = {
  name: [s.dealName],
  /** Without a stage field in the layout, the newest stage pill of the stream is the current stage. */
  stage: [s.dealStage, `${s.streamNote} ${s.notePill}`],
  amount: [s.dealAmount, s.dealAmountConverted],
  closedAt: [s.dealCloseDate],
  owner: [s.dealOwner, s.dealOwners],
  /** Without a contacts field, the Contacts panel's rows. */
  contacts: [s.dealContacts, s.dealContact, `${s.contactRow} ${s.contactName}`],
  createdAt: [s.dealCreatedAt, s.dealCreatedAtCell],
  modifiedAt: [s.dealModifiedAt, s.dealModifiedAtCell],
  company: [s.dealAccount, s.dealAccountAnywhere],
  source: [s.dealLeadSource, s.dealLeadSourceAnywhere],
  description: [s.dealDescription, s.dealDescriptionAnywhere],
  probability: [s.dealProbability, s.dealProbabilityAnywhere],
} as const;

/** The same, under one contact row of the Contacts panel or one stream note. */
export const espoRowChains = {
  contactPhone: [s.contactPhone, s.contactPhoneLink],
  contactEmail: [s.contactEmail, s.contactEmailLink],
  noteStage: [s.notePill, `${s.stageDiff} ${s.stageBecame}`],
  noteDate: [s.noteDate, s.noteLink],
} as const;
