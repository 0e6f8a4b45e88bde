/**
 * Odoo 17/18 CRM markup (crm.lead form + chatter, kanban grouped by stage; crm-markup.md §3).
 * Plain data so that a changed layout is a one-line fix.
 */
export const odooSelectors = {
  board: 'div.o_kanban_renderer.o_kanban_grouped',
  column: 'div.o_kanban_group',
  columnTitle: 'span.o_column_title',
  foldedColumn: '.o_column_folded',
  loadMore: '.o_kanban_load_more button',
  card: 'article.o_kanban_record',
  /** Plain fields render as bare spans; the card's name is the first. */
  cardName: '.o_record_main > span',
  cardRevenue: '.o_field_widget[name="expected_revenue"]',
  cardPartner: '.o_field_widget[name="partner_id"]',
  /** Only links and record attributes carry a database id; `data-id` on the card is a client datapoint. */
  cardIdLink: 'a[href*="/odoo/crm/"], a[href*="id="]',
  cardIdAttribute: '[data-res-id]',

  formStage: '.o_field_widget[name="stage_id"]',
  stageButton: 'button.o_arrow_button',
  currentStage: 'button[aria-checked="true"], button.o_arrow_button_current',
  formName: '.o_field_widget[name="name"]',
  formRevenue: '.o_field_widget[name="expected_revenue"]',
  formPartner: '.o_field_widget[name="partner_id"]',
  formEmail: '.o_field_widget[name="email_from"]',
  formPhone: '.o_field_widget[name="phone"]',
  formOwner: '.o_field_widget[name="user_id"]',
  ownerAvatar: 'img[src*="res.users/"]',
  ribbon: '.o_ribbon, .ribbon',
  message: '.o-mail-Message',
  messageDate: '.o-mail-Message-date',
  messageBody: '.o-mail-Message-body',
  tracking: 'li.o-mail-Message-tracking',
  trackingOld: '.o-mail-Message-trackingOld',
  trackingNew: '.o-mail-Message-trackingNew',
  trackingField: '.o-mail-Message-trackingField',
} as const;

export const odooLabels = {
  /** The tracked field's label, "(Stage)": only stage lines make history. */
  stageField: ['Stage', 'Этап'],
  won: ['Won', 'Выиграно'],
  lost: ['Lost', 'Проигрыш', 'Проиграно'],
  /** The chatter's creation note, "Lead/Opportunity created" / «Лид/Возможность создан(а)». */
  created: /\bcreated$|(?:^|[\s/])создан/i,
} as const;
