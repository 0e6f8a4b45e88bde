/**
 * The demo Odoo's views as Odoo 18 renders them (from Odoo's own templates as
 * facts): the pipeline kanban grouped by stage, whose cards carry no record id (only datapoint ids
 * and the owner's avatar URL), and the lead form with the statusbar (buttons in reversed order with
 * `data-value` stage ids, `statusbar_duration` spans, the "..." dropdown toggles), the won ribbon and
 * the chatter (subtype description, tracking lines, comments, `title` dates in
 * `DATETIME_SHORT_WITH_SECONDS`).
 * English UI (en_US), times in the demo zone.
 */
import { DEMO_TIME_ZONE, type DemoDeal, type DemoPipeline } from '../../../demo/data';
import { escapeHtml as e, money, wallClock } from '../format';
import type { View } from '../site';
import {
  type ChatterEvent,
  chatterOf,
  leadRecord,
  stageDbId,
  TAGS,
  tagIdsOf,
  userPartnerId,
} from './records';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;

/** Luxon's `DATETIME_SHORT_WITH_SECONDS` in en-US, e.g. `6/2/2025, 9:00:00 AM`. */
export function odooTitleTime(instant: Date): string {
  return instant.toLocaleString('en-US', {
    timeZone: DEMO_TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** `DATE_MED`, e.g. `Jun 2, 2025`; without the year, as a message shows it. */
function mediumDate(instant: Date, withYear: boolean): string {
  const t = wallClock(instant);
  const day = `${MONTHS[Number(t.month) - 1]} ${Number(t.day)}`;
  return withYear ? `${day}, ${t.year}` : day;
}

/** en_US `%m/%d/%Y`. */
function usDate(isoDay: string): string {
  const [year, month, day] = isoDay.split('-');
  return `${month}/${day}/${year}`;
}

const revenue = (amount: number) => `$&nbsp;${money(amount)}`;

function avatar(userId: string): string {
  return `<span class="o_avatar o_m2o_avatar"><img class="rounded" src="/web/image/res.users/${e(userId)}/avatar_128" alt=""></span>`;
}

function card(deal: DemoDeal, datapoint: number): string {
  // The card shows the lead's customer (partner_id) by its display name; a lead without one shows none.
  const partner = deal.contacts[0] ? `\n<span>${e(`${deal.company}, ${deal.contacts[0].name}`)}</span>` : '';
  return `<article class="o_kanban_record d-flex flex-grow-1 flex-md-shrink-1 flex-shrink-0" data-id="datapoint_${datapoint}" tabindex="0" role="article">
<span class="fw-bold fs-5">${e(deal.name)}</span>
<div name="expected_revenue" class="o_field_widget o_field_monetary"><span>${revenue(deal.amount)}</span></div>${partner}
<footer class="pt-1"><div class="d-flex ms-auto align-items-center"><div name="user_id" class="o_field_widget o_field_many2one_avatar_user"><div class="d-flex align-items-center gap-1">${avatar(deal.owner.id)}</div></div></div></footer>
</article>`;
}

/** `/odoo/crm`: the pipeline; `cardIds` is what Odoo's client keeps and the DOM does not show. */
export function boardView(pipeline: DemoPipeline): View {
  let datapoint = 0;
  const cardIds: string[] = [];
  const groups = pipeline.stages.map((stage) => {
    const deals = pipeline.deals.filter((deal) => deal.stageId === stage.id);
    const group = ++datapoint;
    const cards = deals.map((deal) => {
      cardIds.push(deal.id);
      return card(deal, ++datapoint);
    });
    const total = deals.reduce((sum, deal) => sum + deal.amount, 0);
    return `<div class="o_kanban_group flex-shrink-0 flex-grow-1 flex-md-grow-0 o_group_draggable" data-id="datapoint_${group}">
<div class="o_kanban_header position-sticky top-0 z-1 py-2"><div class="o_kanban_header_title position-relative d-flex lh-lg"><div class="o_column_title d-flex align-items-center pt-1 fs-4 lh-1 text-truncate"><span class="text-truncate">${e(stage.name)}</span></div></div>
<div class="o_kanban_counter position-relative d-flex align-items-center justify-content-between"><div class="o_column_progress progress bg-300 w-50"></div><div class="o_kanban_counter_side"><b><span>${revenue(total)}</span></b></div></div></div>
${cards.join('\n')}
</div>`;
  });
  return {
    title: 'Pipeline - Odoo',
    cardIds,
    html: `<div class="o_action o_view_controller o_kanban_view">
<div class="o_control_panel"><ol class="breadcrumb"><li class="breadcrumb-item active"><span>Pipeline</span></li></ol></div>
<div class="o_content"><div class="o_kanban_renderer o_renderer d-flex o_kanban_grouped align-content-stretch">
${groups.join('\n')}
</div></div>
</div>`,
  };
}

/** Whole days spent in each stage the deal visited (its last visit until `now`). */
function daysIn(deal: DemoDeal, now: Date): Map<string, number> {
  const days = new Map<string, number>();
  deal.history.forEach((visit, step) => {
    const until = deal.history[step + 1]?.at ?? now;
    const spent = Math.floor((until.getTime() - visit.at.getTime()) / DAY);
    days.set(visit.stageId, (days.get(visit.stageId) ?? 0) + spent);
  });
  return days;
}

function statusbar(pipeline: DemoPipeline, deal: DemoDeal, now: Date): string {
  const spent = daysIn(deal, now);
  const count = pipeline.stages.length;
  const buttons = pipeline.stages.map((stage, index) => {
    const current = stage.id === deal.stageId;
    const classes = ['btn', 'btn-secondary', 'o_arrow_button'];
    if (current) classes.push('o_arrow_button_current');
    if (index === 0) classes.push('o_first');
    if (index === count - 1) classes.push('o_last');
    const days = spent.get(stage.id);
    const duration =
      days === undefined ? '' : `<span class="ms-2 text-muted small" title="${days} days">${days}d</span>`;
    return `<button type="button" class="${classes.join(' ')}" role="radio" aria-label="Stage ${e(stage.name)}" aria-checked="${current}"${current ? ' aria-current="step"' : ''} data-value="${stageDbId(pipeline, stage.id)}"><span>${e(stage.name)}</span>${duration}</button>`;
  });
  // Odoo lists the stages last first (CSS shows them in order) between "..." toggles it hides when all fit.
  return `<div name="stage_id" class="o_field_widget o_field_statusbar_duration"><div class="o_statusbar_status" role="radiogroup">
<button type="button" class="btn btn-secondary dropdown-toggle o_arrow_button o_last d-none" aria-expanded="false">...</button>
${buttons.reverse().join('\n')}
<button type="button" class="btn btn-secondary dropdown-toggle o_arrow_button o_first d-none" aria-expanded="false">...</button>
<button type="button" class="btn btn-secondary dropdown-toggle d-none" aria-expanded="false"><span>${e(pipeline.stages.find((s) => s.id === deal.stageId)?.name ?? '')}</span></button>
</div></div>`;
}

function input(field: string, widget: string, value: string | false, type = 'text'): string {
  return `<div name="${field}" class="o_field_widget o_field_${widget}"><input class="o_input" autocomplete="off" id="${field}_0" type="${type}" value="${value === false ? '' : e(value)}"></div>`;
}

/** many2many_tags: a badge per tag, its name in the badge's text div. */
function tags(ids: number[]): string {
  const badges = ids
    .map((id) => TAGS.find((tag) => tag.id === id)?.name ?? '')
    .map(
      (name, index) =>
        `<span class="o_tag position-relative d-inline-flex align-items-center user-select-none mw-100 o_badge badge rounded-pill lh-1 o_tag_color_${index + 1}" tabindex="-1" title="${e(name)}"><div class="o_tag_badge_text text-truncate">${e(name)}</div></span>`,
    )
    .join('');
  return `<div name="tag_ids" class="o_field_widget o_field_many2many_tags"><div class="o_field_tags d-inline-flex flex-wrap gap-1 mw-100">${badges}</div></div>`;
}

/** The notebook with Internal Notes open (Odoo renders only the open tab): the html description. */
function notes(html: string): string {
  return `<div class="o_notebook d-flex w-100 flex-column"><div class="o_notebook_headers"><ul class="nav nav-tabs flex-row flex-nowrap" role="tablist"><li class="nav-item"><a class="nav-link active" role="tab" name="internal_notes">Internal Notes</a></li><li class="nav-item"><a class="nav-link" role="tab" name="lead">Extra Info</a></li></ul></div><div class="o_notebook_content tab-content"><div class="tab-pane active fade show"><div name="description" class="o_field_widget o_field_html"><div class="h-100"><div class="note-editable odoo-editor-editable" contenteditable="true">${html}</div></div></div></div></div></div>`;
}

function row(label: string, field: string, widget: string): string {
  return `<div class="o_wrap_field d-flex d-sm-contents flex-column mb-3 mb-sm-0"><div class="o_cell o_wrap_label flex-grow-1 flex-sm-grow-0 text-break text-900"><label class="o_form_label" for="${field}_0">${label}</label></div><div class="o_cell o_wrap_input flex-grow-1 flex-sm-grow-0 text-break">${widget}</div></div>`;
}

function trackingLine(old: string, value: string, field: string): string {
  return `<li class="o-mail-Message-tracking mb-1" role="group"><span class="o-mail-Message-trackingOld me-1 px-1 text-muted fw-bold">${e(old)}</span><i class="o-mail-Message-trackingSeparator fa fa-long-arrow-right mx-1 text-600"></i><span class="o-mail-Message-trackingNew me-1 fw-bold text-info">${e(value)}</span><span class="o-mail-Message-trackingField ms-1 fst-italic text-muted">(${field})</span></li>`;
}

function messageContent(pipeline: DemoPipeline, event: ChatterEvent): string {
  const name = (id: string) => pipeline.stages.find((stage) => stage.id === id)?.name ?? id;
  if (event.kind === 'created') return '<div><p class="mb-0">Lead/Opportunity created</p></div>';
  if (event.kind === 'stage') {
    const description = event.won ? 'Opportunity won' : 'Stage changed';
    return `<div><p class="mb-0">${description}</p><ul class="mb-0 ps-4">${trackingLine(name(event.from), name(event.to), 'Stage')}</ul></div>`;
  }
  if (event.kind === 'comment') {
    return `<div class="o-mail-Message-bubble rounded-bottom-3 position-absolute top-0 start-0 w-100 h-100 rounded-end-3"></div><div class="o-mail-Message-body text-break mb-0 w-100"><p>${e(event.text)}</p></div>`;
  }
  return `<div><ul class="mb-0 ps-4">${trackingLine(`$ ${money(event.from)}`, `$ ${money(event.to)}`, 'Expected Revenue')}</ul></div>`;
}

function message(pipeline: DemoPipeline, event: ChatterEvent): string {
  const label = event.kind === 'comment' ? 'Message' : 'Notification';
  return `<div class="o-mail-Message position-relative pt-1" role="group" aria-label="${label}">
<div class="o-mail-Message-core position-relative d-flex flex-shrink-0">
<div class="o-mail-Message-sidebar d-flex flex-shrink-0"><div class="o-mail-Message-avatarContainer position-relative bg-view"><img class="o-mail-Message-avatar w-100 h-100 rounded o_object_fit_cover" src="/web/image/res.partner/${userPartnerId(event.author)}/avatar_128" alt="Avatar"></div></div>
<div class="w-100 o-min-width-0">
<div class="o-mail-Message-header d-flex flex-wrap align-items-baseline mb-1 lh-1"><span class="o-mail-Message-author small fw-bold">${e(event.author.name)}</span><small class="o-mail-Message-date text-muted opacity-75 me-2" title="${odooTitleTime(event.at)}">${mediumDate(event.at, false)}</small></div>
<div class="o-mail-Message-contentContainer position-relative d-flex"><div class="o-mail-Message-content o-min-width-0"><div class="o-mail-Message-textContent position-relative d-flex">${messageContent(pipeline, event)}</div></div></div>
</div>
</div>
</div>`;
}

/** The chatter, newest first, with a date section before each day's messages. */
function chatter(pipeline: DemoPipeline, deal: DemoDeal): string {
  const parts: string[] = [];
  let day = '';
  for (const event of chatterOf(pipeline, deal).reverse()) {
    const date = mediumDate(event.at, true);
    if (date !== day) {
      day = date;
      parts.push(
        `<div class="o-mail-DateSection d-flex align-items-center w-100 fw-bold z-1 pt-2"><hr class="ms-2 flex-grow-1"><span class="px-2 smaller text-muted">${date}</span><hr class="me-2 flex-grow-1"></div>`,
      );
    }
    parts.push(message(pipeline, event));
  }
  return `<div class="o-mail-Form-chatter o-aside w-print-100"><div class="o-mail-Chatter w-100 h-100 flex-grow-1 d-flex flex-column overflow-auto"><div class="o-mail-Chatter-content"><div class="o-mail-Thread position-relative flex-grow-1 d-flex flex-column overflow-auto" tabindex="-1">
${parts.join('\n')}
</div></div></div></div>`;
}

/** `/odoo/crm/<id>`: the lead form. */
export function dealView(pipeline: DemoPipeline, deal: DemoDeal, now = new Date()): View {
  const lead = leadRecord(pipeline, deal);
  const won = stageDbId(pipeline, deal.stageId) === pipeline.stages.length;
  const partner = Array.isArray(lead.partner_id) ? String(lead.partner_id[1]) : false;
  const owner = `<div name="user_id" class="o_field_widget o_field_many2one_avatar_user"><div class="d-flex align-items-center gap-1">${avatar(deal.owner.id)}<div class="o_field_many2one_selection"><div class="o_input_dropdown"><div class="o-autocomplete dropdown"><input type="text" class="o-autocomplete--input o_input" autocomplete="off" id="user_id_0" value="${e(deal.owner.name)}"></div></div></div></div></div>`;
  return {
    title: `${deal.name} - Odoo`,
    html: `<div class="o_action o_view_controller o_form_view">
<div class="o_control_panel"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/odoo/crm">Pipeline</a></li><li class="breadcrumb-item active o_last_breadcrumb_item"><span>${e(deal.name)}</span></li></ol></div>
<div class="o_content"><div class="o_form_renderer o_form_editable d-flex flex-nowrap h-100">
<div class="o_form_sheet_bg">
<div class="o_form_statusbar position-relative d-flex justify-content-between mb-0 mb-md-2 pb-2 pb-md-0">
<div class="o_statusbar_buttons d-flex align-items-center align-content-around flex-wrap gap-1"><button class="btn btn-primary" name="action_set_won_rainbowman" type="object"><span>Won</span></button><button class="btn btn-secondary" name="action_set_lost" type="object"><span>Lost</span></button></div>
${statusbar(pipeline, deal, now)}
</div>
<div class="o_form_sheet position-relative">
${won ? '<div class="ribbon ribbon-top-right"><span class="text-bg-success" title="Won">Won</span></div>' : ''}
<div class="oe_title"><h1>${input('name', 'char', deal.name)}</h1>
<h2 class="row g-0 pb-3 pb-sm-4"><div class="col-auto pb-2 pb-md-0"><div class="o_row d-flex align-items-baseline">${input('probability', 'float', String(lead.probability))}<span class="oe_grey"> %</span></div></div></h2></div>
<div class="o_group row align-items-start">
<div class="o_inner_group grid col-lg-6">
${row('Expected Revenue', 'expected_revenue', input('expected_revenue', 'monetary', money(deal.amount)))}
${row('Customer', 'partner_id', input('partner_id', 'res_partner_many2one', partner))}
${row('Email', 'email_from', input('email_from', 'email', lead.email_from as string | false, 'email'))}
${row('Phone', 'phone', input('phone', 'phone', lead.phone as string | false, 'tel'))}
</div>
<div class="o_inner_group grid col-lg-6">
${row('Salesperson', 'user_id', owner)}
${row('Expected Closing', 'date_deadline', input('date_deadline', 'date', usDate(deal.date)))}
${row('Tags', 'tag_ids', tags(tagIdsOf(pipeline, deal)))}
</div>
</div>
${notes(typeof lead.description === 'string' ? lead.description : '')}
</div>
</div>
${chatter(pipeline, deal)}
</div></div>
</div>`,
  };
}

export function notFoundView(): View {
  return {
    title: 'Odoo',
    html: '<div class="o_view_nocontent"><p>The record does not exist or has been deleted.</p></div>',
  };
}
