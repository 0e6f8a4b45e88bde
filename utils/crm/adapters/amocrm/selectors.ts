/**
 * amoCRM / Kommo markup (current web UI; closed source, so this is beta). The lead page follows
 * selectors several independent public sources agree on, checked against the vendor's own
 * templates; what rests on our reading alone is marked (inferred). Plain data so that a changed layout is a one-line fix.
 */
export const amocrmSelectors = {
  /** The stage id is in the column's class, `pipeline_cell-<statusId>`. */
  boardColumn: '.pipeline_status.pipeline_cell',
  /** `div#status_id_<statusId>` in the vendor's templates. */
  columnHeaderById: '.pipeline_status__head[id^="status_id_"]',
  columnList: '.pipeline_items__list[data-id]',
  /** The header's `data-id` is reported by scrapers only. */
  columnHeader: '.pipeline_status__head[data-id]',
  columnTitle: '.pipeline_status__head_title[title]',
  columnCount: '.pipeline_status__head_info__count',
  /** (inferred) no source names the board's pipeline caption. */
  boardPipelineName: '.list__top__preset .list-top-nav__text-button',
  card: '.pipeline_leads__item[data-id]',
  cardTitle: 'a.pipeline_leads__lead-title-text',
  /** The older title class, found only in the vendor's CSS. */
  cardTitleCss: 'a.pipeline_leads__title-text',
  cardPrice: '.pipeline_leads__price',
  cardContact: '.pipeline_leads__linked-entities a[href*="/contacts/detail/"]',

  /** The lead card itself: a page without it is not a lead page. */
  dealCard: '#card_holder',
  /** Not a bare `[name="lead[NAME]"]`: the hidden add-contact form holds an empty one. */
  dealName: 'textarea#person_n[name="lead[NAME]"]',

  /** The current stage in every variant (edit, read-only, one or several pipelines). */
  stageView: '#card_status_view_mode[data-status-id]',
  /** Shown only when the account has more than one pipeline. */
  stageViewPipeline: '.pipeline-select-view__pipeline',
  /** The stage name; its sibling span adds "(N days)". */
  stageViewName: '.pipeline-select-view__status > span:not(.pipeline-select-view__status-from)',
  /** Several pipelines: one radio per pipeline, followed by that pipeline's `div.pipeline-select`. */
  pipelineRadio: 'input.pipeline-select__pipeline-input[name="lead[PIPELINE_ID]"]',
  pipelineSelectedInput: 'input.pipeline-select__pipeline-selected[name="lead[PIPELINE_ID]"]',
  /** The block right after a pipeline's radio: its caption and its stages. */
  pipelineBlock: 'div.pipeline-select',
  pipelineCaption: 'label.pipeline-select__caption[title]',
  pipelineStatusItem: 'ul.pipeline-select__dropdown > li.pipeline-select__dropdown__item',
  pipelineStatusInput: 'input.pipeline-select__dropdown__item__input[name="lead[STATUS]"]',
  pipelineStatusText: 'span.pipeline-select__item-text',
  /** One pipeline: a plain select, the chosen status id in its hidden input. */
  singleStatusInput: 'input.control--select--input#lead_status_input[name="lead[STATUS]"]',
  singleStatusItem: '.form-top-card-statuses-select li.control--select--list--item[data-value]',
  /** A user who may not edit the lead: a checked hidden checkbox and a hidden pipeline input. */
  readonlyStatusInput: 'input[type="checkbox"][name="lead[STATUS]"][checked]',
  readonlyPipelineInput: 'input[type="hidden"][name="lead[PIPELINE_ID]"]',

  owner: '#lead_main_user-users_select_holder li.multisuggest__list-item[data-id][data-title]',
  ownerInput: '#lead_main_user-users_select_holder input[name="lead[MAIN_USER]"]',
  ownerNoRights: '.linked-form__field_reassign .linked-form__field-inner_no-rights',

  budgetRaw: 'input.js-control-raw-price[name="lead[PRICE]"]',
  budgetFormatted: 'input#lead_card_budget.js-control-pretty-price',
  /** What a user without rights to the budget sees instead of the input. */
  budgetTitle: '.card-budget__title__sum',

  contactsList: 'ul#contacts_list',
  contact: 'ul#contacts_list > li.linked-forms__item:not(.linked-forms__item_is-add)',
  contactId: 'form.linked-form input[name="ID"]',
  contactLink: 'a.js-linked-name-control[href*="/contacts/detail/"]',
  /** The link's text is empty: the name is this input's value. */
  contactName: 'a.js-linked-name-control input.js-linked-name-view',
  contactFirstName: 'input[name="contact[FN]"]',
  contactLastName: 'input[name="contact[LN]"]',
  contactPhone: '.linked-form__field-pei div.js-linked-with-actions[data-pei-code="phone"]',
  contactEmail: '.linked-form__field-pei div.js-linked-with-actions[data-pei-code="email"]',
  phoneFormatted: 'input.control-phone__formatted',
  phoneRaw: 'input[name^="CFV["]',
  emailValue: 'input.js-linked-pei',

  /** The linked companies: the contacts' form structure, in their own list (a company, not a contact). */
  company: 'ul#companies_list > li.linked-forms__item:not(.linked-forms__item_is-add)',
  companyLink: 'a.js-linked-name-control[href*="/companies/detail/"]',
  /** A company link elsewhere on the card (a changed layout), as board cards link it. */
  anyCompanyLink: '#card_holder a[href*="/companies/detail/"]',
  /** (inferred) no source shows the card's tag markup; the endpoints give the tags for certain. */
  tag: '.card-tags .tag',

  feed: '.notes-wrapper__notes.js-notes',
  /** Older notes load on scroll-up or from this button: the feed is not whole yet. */
  feedLoadMore: '.notes-wrapper__load-more',
  /** A grouped capsule keeps its notes out of the page until expanded. */
  feedGrouped: '.js-grouped-expand',
  statusNote: '.feed-note-wrapper-lead_status_changed',
  /** Inside the note, beside its date: label, (pipeline name,) the new stage's pill, «из <old stage>». */
  statusChange: '.feed-note__status-changed-wrapper',
  noteDate: '.feed-note__date',
  /** «Новый этап:», "New status card:", or «Через 3 дня — новый этап:». */
  statusLabel: 'span.feed-note__status-before',
  notePipeline: '.feed-note__pipeline',
  notePipelineName: '.feed-note__pipeline-name',
  newStatus: '.feed-note__pipeline-status[title]',
  /** (inferred) the vendor's `lead_created` note type in the feed's `feed-note-wrapper-<type>` naming. */
  createdNote: '.feed-note-wrapper-lead_created',
} as const;

export type AmocrmSelector = keyof typeof amocrmSelectors;

/**
 * Links tried in turn for one field; the first is the corroborated one. A later link that matched is
 * reported (`fallback_used`), as it means the page is not the markup we expect.
 */
export const amocrmChains = {
  stage: ['stageView', 'pipelineRadio', 'singleStatusInput', 'readonlyStatusInput'],
  owner: ['owner', 'ownerInput', 'ownerNoRights'],
  amount: ['budgetRaw', 'budgetFormatted', 'budgetTitle'],
  contactName: ['contactName', 'contactFirstName'],
  phone: ['phoneFormatted', 'phoneRaw'],
} as const satisfies Record<string, readonly AmocrmSelector[]>;

/** Words before the old stage in a status-change note: «… из Переговоры», "… from Negotiation". */
export const amocrmOldStagePrefixes = ['из', 'from'] as const;

/** amoCRM's system statuses: the same ids in every pipeline, names as the UI shows them. */
export const amocrmOutcomes = {
  wonStatusId: '142',
  lostStatusId: '143',
  wonNames: ['Успешно реализовано', 'Closed - won', 'Closed – won', 'Successfully realized'],
  lostNames: ['Закрыто и не реализовано', 'Closed - lost', 'Closed – lost', 'Closed and not realized'],
} as const;
