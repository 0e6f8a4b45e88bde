/** EspoCRM 10 markup the adapter keys on (crm-markup.md §2). Each is covered by a fixture test. */
export const espoSelectors = {
  /** Any EspoCRM record view, of whatever entity: tells an EspoCRM page that is not an Opportunity's. */
  anyView: 'div.list-kanban[data-scope], div.detail[data-scope]',
  boardRoot: 'div.list-kanban[data-scope="Opportunity"]',
  columnHeader: 'table.kanban-head th.group-header[data-name]',
  columnLabel: 'span.kanban-group-label',
  columnBody: 'table.kanban-columns td.group-column[data-name]',
  columnShowMore: 'a[data-action="groupShowMore"]',
  card: 'div.item[data-id]',
  cardName: 'div.field[data-name="name"] a',
  cardAmount: 'div.field[data-name="amount"]',
  cardCloseDate: 'div.field[data-name="closeDate"]',

  dealRoot: 'div.detail[data-scope="Opportunity"]',
  dealName: 'div.cell[data-name="name"] div.field[data-name="name"]',
  dealStage: 'div.cell[data-name="stage"] div.field[data-name="stage"]',
  dealAmount: 'div.cell[data-name="amount"] div.field[data-name="amount"]',
  dealCloseDate: 'div.cell[data-name="closeDate"] div.field[data-name="closeDate"]',
  dealOwner: 'div.cell[data-name="assignedUser"] div.field[data-name="assignedUser"]',
  dealContacts: 'div.cell[data-name="contacts"] div.field[data-name="contacts"]',
  dealCreatedAt: 'div.cell[data-name="createdAt"] div.field[data-name="createdAt"]',
  dealModifiedAt: 'div.cell[data-name="modifiedAt"] div.field[data-name="modifiedAt"]',
  stagePill: 'span.label',
  /** What EspoCRM shows in an empty field. */
  noneValue: 'span.none-value',
  userLink: 'a[href^="#User/view/"]',
  contactLink: 'a[href^="#Contact/view/"]',
  contactRow: 'div.panel[data-name="contacts"] tr.list-row[data-id]',
  contactPhone: 'td[data-name="phoneNumber"]',
  contactEmail: 'td[data-name="emailAddress"]',

  streamNote: 'div.list-container[data-role="stream"] li.list-group-item.list-row[data-id]',
  streamShowMore: 'div.list-container[data-role="stream"] a[data-action="showMore"]',
  stageDiff: 'table.audited-summary-table tr.row[data-name="stage"]',
  stageWas: 'td.cell-was',
  stageBecame: 'td.cell-became',
  noteDate: '.stream-date-container a',
} as const;
