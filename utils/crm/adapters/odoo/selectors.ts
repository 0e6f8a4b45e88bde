/**
 * Odoo 17.0 / 18.0 / 19.0 CRM markup (crm.lead form + chatter, kanban grouped by stage), as those
 * versions' own templates render it. Where versions differ, one selector lists
 * each version's form: that is not a fallback, every version is expected. Plain data so that a changed
 * layout is a one-line fix.
 */
export const odooSelectors = {
  board: 'div.o_kanban_renderer.o_kanban_grouped',
  column: 'div.o_kanban_group',
  /** 18+: `div.o_column_title > span.text-truncate`; 17.0: `span.o_column_title` (unfolded) or `div.o_column_title` (folded). */
  columnTitle: '.o_column_title > span.text-truncate, span.o_column_title, div.o_column_title',
  /** The card count a folded column shows inside its title: 17.0 `span.badge`, 18+ `<span>(3)</span>`. */
  columnCount: '.badge',
  foldedColumn: '.o_column_folded',
  loadMore: '.o_kanban_load_more button',
  /** 17.0 renders the CRM card (a `kanban-box` template) as a div with the article role; 18+ as `<article>`. */
  card: 'article.o_kanban_record, div.o_kanban_record[role="article"]',
  /**
   * 17.0: `<strong class="o_kanban_record_title"><field name="name"/></strong>`; 18+: the card's first bare
   * span (19.0 may put its hidden "Click to select" tooltip span before it).
   */
  cardName:
    'strong.o_kanban_record_title > span, article.o_kanban_record > span:not(.o_record_selection_tooltip)',
  cardRevenue: '.o_field_widget[name="expected_revenue"]',
  /** 17.0 `span.o_text_overflow`; 18.0 the second bare span; 19.0 the many2one_avatar widget's name. */
  cardPartner:
    'span.o_text_overflow, article.o_kanban_record > span:not(.o_record_selection_tooltip) ~ span, .o_field_widget[name="partner_id"] span.text-truncate',
  /** A customised card view's link to the lead; stock cards have none (their `data-id` is a client datapoint). */
  cardIdLink: 'a[href*="/odoo/crm/"], a[href*="id="]',

  /** The crm.lead form's own class: tells a lead under a generic `/odoo/action-…/<id>` address. */
  leadForm: '.o_lead_opportunity_form',
  formStage: '.o_field_widget[name="stage_id"]',
  /** The three "..." / stage-name dropdown toggles are `o_arrow_button`s too: never stages. */
  stageButton: 'button.o_arrow_button:not(.dropdown-toggle)',
  currentStage: 'button[aria-checked="true"], button.o_arrow_button_current',
  /** `statusbar_duration` puts the label in the first span and the time spent ("3d") in a second one. */
  stageLabel: 'span',
  /** 17+ render the name with the text widget: a textarea. */
  formName: '.o_field_widget[name="name"]',
  /** The breadcrumb repeats the record's name, for a form whose name field is customised away. */
  breadcrumbName: '.o_last_breadcrumb_item',
  formRevenue: '.o_field_widget[name="expected_revenue"]',
  formPartner: '.o_field_widget[name="partner_id"]',
  formEmail: '.o_field_widget[name="email_from"]',
  formPhone: '.o_field_widget[name="phone"]',
  formOwner: '.o_field_widget[name="user_id"]',
  /** "Company Name" (Extra Info tab: in the DOM only while that tab is open). */
  formCompanyName: '.o_field_widget[name="partner_name"]',
  formTags: '.o_field_widget[name="tag_ids"]',
  /** 17–19 many2many_tags: each tag's name in its badge's text div; a customised widget may keep only the badge. */
  tagName: '.o_tag_badge_text',
  tagBadge: '.o_tag',
  /** Internal Notes: an html field, read-only or in the editor. */
  formDescription: '.o_field_widget[name="description"]',
  /** Extra Info tab, Marketing group (UTM). */
  formSource: '.o_field_widget[name="source_id"]',
  formMedium: '.o_field_widget[name="medium_id"]',
  formCampaign: '.o_field_widget[name="campaign_id"]',
  formProbability: '.o_field_widget[name="probability"]',
  formDeadline: '.o_field_widget[name="date_deadline"]',
  ownerAvatar: 'img[src*="res.users/"]',
  /** `web_ribbon`: a Won ribbon is `text-bg-success`, a Lost one `text-bg-danger`, whatever the language. */
  ribbon: 'div.ribbon',
  wonRibbon: 'div.ribbon > span.text-bg-success',
  lostRibbon: 'div.ribbon > span.text-bg-danger',
  message: '.o-mail-Message',
  messageDate: 'small.o-mail-Message-date',
  /** A notification's subtype description ("Stage Changed", "Opportunity created"); 17–19 give such messages no body. */
  messageDescription: '.o-mail-Message-content p.mb-0',
  /** 17/18 `ul.mb-0.ps-4 > li`, 19 `ul.list-unstyled > li`: the same item class. */
  tracking: 'li.o-mail-Message-tracking',
  trackingOld: '.o-mail-Message-trackingOld',
  trackingNew: '.o-mail-Message-trackingNew',
  trackingField: '.o-mail-Message-trackingField',
} as const;

export const odooLabels = {
  /** The tracked field's label, "(Stage)": only stage lines make history. */
  stageField: ['Stage', 'Этап', 'Стадия'],
  won: ['Won', 'Выиграно', 'Выиграна'],
  lost: ['Lost', 'Проигрыш', 'Проиграно', 'Проиграна', 'Потеряно'],
  /** The chatter's creation note, "Lead/Opportunity created" / «Лид/Возможность создан(а)». */
  created: /\bcreated$|(?:^|[\s/])создан/i,
} as const;
