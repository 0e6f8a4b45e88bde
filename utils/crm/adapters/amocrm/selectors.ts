/**
 * amoCRM / Kommo markup (current web UI; closed source, so this is beta: see crm-markup.md §4).
 * Plain data so that a changed layout is a one-line fix.
 */
export const amocrmSelectors = {
  boardColumn: '.pipeline_status.pipeline_cell',
  columnHeader: '.pipeline_status__head[data-id]',
  columnTitle: '.pipeline_status__head_title[title]',
  columnCount: '.pipeline_status__head_info__count',
  boardPipelineName: '.list__top__preset .list-top-nav__text-button',
  card: '.pipeline_leads__item[data-id]',
  cardTitle: 'a.pipeline_leads__title-text, a.pipeline_leads__lead-title-text',
  cardPrice: '.pipeline_leads__price',
  cardContact: '.pipeline_leads__linked-entities a[href*="/contacts/detail/"]',

  dealName: '.card-fields__top-name-input',
  dealField: '.card-fields__fields-block .linked-form__field[data-id]',
  fieldLabel: '.linked-form__field__label',
  fieldValue: '.linked-form__field__value',
  selectCaption: '.control--select--button-inner',
  selectValue: 'input.control--select--input',
  pipelineGroup: '.pipeline-select__group[data-id]',
  pipelineGroupTitle: '.pipeline-select__group-title',
  statusOption: '.pipeline-select__item',
  statusInput: 'input[name="lead[STATUS]"]',
  statusText: '.pipeline-select__item-text',
  contactsBlock: '.card-fields__linked-block',
  contact: '.linked-forms__item[data-type="contact"]',
  contactName: '.linked-form__field-name .linked-form__field__value',
  contactChannel: '.linked-form__field-pei .linked-form__field__value',
  feed: '.notes-wrapper__notes, .feed__timeline',
  statusNote: '.feed-note-wrapper-lead_status_changed',
  noteDate: '.feed-note__date',
  newStatus: '.feed-note__pipeline-status[title]',
} as const;

/** Field labels as the lead card shows them, Russian and English (compared case-insensitively). */
export const amocrmLabels = {
  budget: ['Бюджет', 'Budget', 'Sale'],
  responsible: ['Ответственный', 'Responsible user', 'Responsible'],
  created: ['Дата создания', 'Создана', 'Created', 'Date created'],
  /** Words before the old stage in a status-change note: «… из Переговоры», "… from Negotiation". */
  oldStagePrefix: ['из', 'from'],
} as const;

/** amoCRM's system statuses: the same ids in every pipeline, names as the UI shows them. */
export const amocrmOutcomes = {
  wonStatusId: '142',
  lostStatusId: '143',
  wonNames: ['Успешно реализовано', 'Closed - won', 'Closed – won', 'Successfully realized'],
  lostNames: ['Закрыто и не реализовано', 'Closed - lost', 'Closed – lost', 'Closed and not realized'],
} as const;
