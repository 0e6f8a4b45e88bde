/**
 * The demo EspoCRM's views, written from EspoCRM 10's client templates as facts (docs/architecture.md,
 * “Fixture pages”):
 * the Opportunity kanban (Closed Lost hidden), and the detail view with its default side panel
 * (assigned user, complexCreated / complexModified), the stream (create note and update notes with
 * the status pill, audited-field tables, posts, `#Note/view/<id>` date links) and the Contacts panel.
 * Times are shown in the user's format `DD.MM.YYYY HH:mm` and zone.
 */
import { createdAt, type DemoDeal, type DemoPipeline } from '../../../demo/data';
import { escapeHtml as e, money, russianPhone, wallClock } from '../format';
import type { View } from '../site';
import {
  accountIdOf,
  descriptionOf,
  ESPO_ADMIN,
  type EspoNote,
  leadSourceOf,
  modifiedAt,
  notesOf,
  STAGE_STYLE,
} from './records';

/** EspoCRM's stream panel shows this many notes, then "Show more". */
export const STREAM_PAGE_SIZE = 10;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `DD.MM.YYYY HH:mm`, the user's date-time format. */
export function espoDateTime(instant: Date): string {
  const t = wallClock(instant);
  return `${t.day}.${t.month}.${t.year} ${t.hour}:${t.minute}`;
}

/** A stream note's short date: `D MMM` this year, `D MMM, YY` before (no time); the full one in the title. */
function shortDate(instant: Date, now: Date): string {
  const t = wallClock(instant);
  const day = `${Number(t.day)} ${MONTHS[Number(t.month) - 1]}`;
  return t.year === wallClock(now).year ? day : `${day}, ${t.year.slice(2)}`;
}

/** A date field's readable form on the board: `DD MMM`, with `, YYYY` for another year; the value in the title. */
function readableDate(isoDay: string, now: Date): string {
  const [year, month, day] = isoDay.split('-') as [string, string, string];
  const readable = `${day} ${MONTHS[Number(month) - 1]}`;
  const text = year === wallClock(now).year ? readable : `${readable}, ${year}`;
  return `<span title="${day}.${month}.${year}">${text}</span>`;
}

function amountHtml(amount: number): string {
  return `<span class="numeric-text">${money(amount)}</span> USD`;
}

function stageLabel(pipeline: DemoPipeline, stageId: string): string {
  const name = pipeline.stages.find((stage) => stage.id === stageId)?.name ?? stageId;
  return `<span class="label label-state label-${STAGE_STYLE[stageId] ?? 'default'}">${e(name)}</span>`;
}

function userLink(user: { id: string; name: string }): string {
  return `<a href="#User/view/${e(user.id)}" data-id="${e(user.id)}" data-scope="User" title="${e(user.name)}">${e(user.name)}</a>`;
}

function card(deal: DemoDeal, accountId: string, now: Date): string {
  const id = e(deal.id);
  return `<div class="item" data-id="${id}"><div class="panel panel-default"><div class="panel-body">
<div class="form-group"><div class="field" data-name="name"><a href="#Opportunity/view/${id}" class="link" data-id="${id}" title="${e(deal.name)}">${e(deal.name)}</a></div></div>
<div class="form-group"><div class="field" data-name="amount">${amountHtml(deal.amount)}</div></div>
<div class="form-group"><div class="field" data-name="account"><a class="text-default" href="#Account/view/${e(accountId)}">${e(deal.company)}</a></div></div>
<div class="form-group"><div class="field" data-name="closeDate">${readableDate(deal.date, now)}</div></div>
</div></div></div>`;
}

/** `#Opportunity`: the list in kanban mode; EspoCRM leaves Closed Lost off the board. */
export function boardView(pipeline: DemoPipeline, now = new Date()): View {
  const columns = pipeline.stages.filter((stage) => stage.id !== 'Closed Lost');
  const head = columns
    .map(
      (stage) =>
        `<th class="group-header" data-name="${e(stage.id)}"><div><span class="kanban-group-label">${e(stage.name)}</span></div></th>`,
    )
    .join('');
  const bodies = columns
    .map((stage) => {
      const cards = pipeline.deals
        .filter((deal) => deal.stageId === stage.id)
        .map((deal) => card(deal, accountIdOf(pipeline, deal), now));
      return `<td class="group-column" data-name="${e(stage.id)}"><div class="group-column-list" data-name="${e(stage.id)}">
${cards.join('\n')}
</div></td>`;
    })
    .join('\n');
  return {
    title: 'Opportunities',
    html: `<div class="page-header"><h3 class="header-breadcrumbs"><div class="breadcrumb-item"><span class="font-size-flexible title">Opportunities</span></div></h3></div>
<div class="list-container">
<div class="list-kanban" data-scope="Opportunity">
<table class="kanban-head"><thead><tr>${head}</tr></thead></table>
<table class="kanban-columns"><tbody><tr>
${bodies}
</tr></tbody></table>
</div>
</div>`,
  };
}

/**
 * A detail cell; `editable` adds the pencil EspoCRM shows on hover for the field's inline edit (its icon
 * font's glyph written as a character: the demo has no icon font).
 */
function cell(field: string, label: string, value: string, width = 'col-sm-6', editable = false): string {
  const pencil = editable
    ? `<a role="button" class="pull-right inline-edit-link" data-name="${field}" title="Edit"><span class="fas fa-pencil-alt fa-sm">✎</span></a>`
    : '';
  return `<div class="cell ${width} form-group" data-name="${field}">${pencil}<label class="control-label" data-name="${field}"><span class="label-text">${label}</span></label><div class="field" data-name="${field}">${value}</div></div>`;
}

const NONE = '<span class="none-value">None</span>';

/** A text field's value as EspoCRM's detail view renders it: a paragraph per line. */
function descriptionHtml(text: string | null): string {
  if (text === null) return NONE;
  return `<div class="complex-text">${text
    .split('\n')
    .map((line) => `<p>${e(line)}</p>`)
    .join('')}</div>`;
}

function noteMessage(deal: DemoDeal, note: EspoNote): string {
  const entity = `<span class="text-muted">opportunity</span> <a href="#Opportunity/view/${e(deal.id)}" data-id="${e(deal.id)}" data-scope="Opportunity">${e(deal.name)}</a>`;
  if (note.type === 'Create') {
    return `${userLink(note.by)} created ${entity} assigned to ${userLink(note.assignee)}`;
  }
  // In the record's own stream a post names no record.
  if (note.type === 'Post') return `${userLink(note.by)} posted`;
  return `${userLink(note.by)} updated ${entity}`;
}

function noteItem(pipeline: DemoPipeline, deal: DemoDeal, note: EspoNote, now: Date): string {
  const pill =
    'stage' in note
      ? `<div class="stream-post-container">${stageLabel(pipeline, note.stage)}</div>`
      : note.type === 'Post'
        ? `<div class="stream-post-container"><span class="cell cell-post">${e(note.post)}</span></div>`
        : '';
  const audited =
    'amount' in note
      ? `<div class="stream-details-container"><a role="button" tabindex="0" data-action="expandDetails" class="text-muted no-underline"><span class="fas fa-chevron-down text-soft" data-role="icon"></span> <span class="fields small">Amount</span></a></div>
<div class="hidden details stream-details-container"><table class="table audited-summary-table"><tbody><tr class="row" data-name="amount"><td style="width: 30%"><span>Amount</span></td><td style="width: 30%" class="cell-was">${amountHtml(note.amount.from)}</td><td style="width: 10%; text-align: center;"><span class="text-muted small fas fa-arrow-right"></span></td><td style="width: 30%" class="cell-became">${amountHtml(note.amount.to)}</td></tr></tbody></table></div>`
      : '';
  return `<li data-id="${e(note.id)}" class="list-group-item list-row">
<div class="stream-head-container"><div class="pull-left"><img class="avatar avatar-link" width="20" src="?entryPoint=avatar&amp;size=small&amp;id=${e(note.by.id)}" alt=""></div><div class="stream-head-text-container"><span class="text-muted message">${noteMessage(deal, note)}</span></div></div>
${pill}${audited}
<div class="stream-date-container"><a class="text-muted small" href="#Note/view/${e(note.id)}"><span title="${espoDateTime(note.at)}">${shortDate(note.at, now)}</span></a></div>
</li>`;
}

function streamPanel(pipeline: DemoPipeline, deal: DemoDeal, now: Date): string {
  const notes = notesOf(pipeline, deal).reverse();
  const shown = notes.slice(0, STREAM_PAGE_SIZE).map((note) => noteItem(pipeline, deal, note, now));
  const more =
    notes.length > STREAM_PAGE_SIZE
      ? '<li class="list-group-item show-more"><a type="button" role="button" tabindex="0" class="btn btn-default btn-block" data-action="showMore">Show more</a></li>'
      : '';
  return `<div class="panel panel-default" data-name="stream"><div class="panel-heading"><h4 class="panel-title"><span class="link-title">Stream</span></h4></div>
<div class="panel-body"><div class="form-group post-container"><textarea class="note form-control" placeholder="Write your comment here" rows="1"></textarea></div>
<div class="list-container" data-role="stream"><div class="list list-expanded"><ul class="list-group list-group-side list-group-stream list-stream">
${shown.join('\n')}${more}
</ul></div></div></div></div>`;
}

function contactsPanel(deal: DemoDeal): string {
  const rows = deal.contacts.map((person) => {
    const email = person.emails[0];
    const phone = person.phones[0];
    return `<tr data-id="${e(person.id)}" class="list-row">
<td class="cell" data-name="name"><a href="#Contact/view/${e(person.id)}" class="link" data-id="${e(person.id)}" title="${e(person.name)}">${e(person.name)}</a></td>
<td class="cell" data-name="accountName">${e(deal.company)}</td>
<td class="cell" data-name="opportunityRole"></td>
<td class="cell" data-name="emailAddress">${email ? `<a href="mailto:${e(email)}" data-email-address="${e(email)}" data-action="mailTo">${e(email)}</a>` : ''}</td>
<td class="cell" data-name="phoneNumber">${phone ? `<a href="tel:+${phone}" data-phone-number="+${phone}" data-action="dial">${russianPhone(phone)}</a>` : ''}</td>
</tr>`;
  });
  const body =
    rows.length === 0
      ? '<div class="no-data">No Data</div>'
      : `<table class="table"><thead><tr><th data-name="name">Name</th><th data-name="accountName">Account</th><th data-name="opportunityRole">Role</th><th data-name="emailAddress">Email</th><th data-name="phoneNumber">Phone</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
  return `<div class="panel panel-default" data-name="contacts" data-name-link="contacts"><div class="panel-heading"><h4 class="panel-title"><span class="link-title">Contacts</span></h4></div>
<div class="panel-body"><div class="list-container"><div class="list">${body}</div></div></div></div>`;
}

/** `#Opportunity/view/<id>`: the detail view. */
export function dealView(pipeline: DemoPipeline, deal: DemoDeal, now = new Date()): View {
  const contacts =
    deal.contacts.length === 0
      ? NONE
      : deal.contacts
          .map(
            (person) =>
              `<div class="link-multiple-item"><a href="#Contact/view/${e(person.id)}" data-id="${e(person.id)}">${e(person.name)}</a></div>`,
          )
          .join('');
  const [year, month, day] = deal.date.split('-');
  const created = `<span data-name="createdAt" class="field">${espoDateTime(createdAt(deal))}</span> <span class="text-muted chevron-right"></span> <span data-name="createdBy" class="field">${userLink(ESPO_ADMIN)}</span>`;
  const modified = `<span data-name="modifiedAt" class="field">${espoDateTime(modifiedAt(pipeline, deal))}</span> <span class="text-muted chevron-right"></span> <span data-name="modifiedBy" class="field">${userLink(deal.owner)}</span>`;
  return {
    title: deal.name,
    html: `<div class="page-header"><h3 class="header-breadcrumbs"><div class="breadcrumb-item"><a href="#Opportunity" class="action">Opportunities</a></div><div class="breadcrumb-separator"><span></span></div><div class="breadcrumb-item"><span class="font-size-flexible title">${e(deal.name)}</span></div></h3></div>
<div class="record"><div class="detail" id="opportunity-detail" data-scope="Opportunity" tabindex="-1">
<div class="detail-button-container button-container record-buttons"><div class="btn-group actions-btn-group" role="group"><button type="button" class="btn btn-primary btn-xs-wide action" data-action="edit">Edit</button></div></div>
<div class="row">
<div class="left col-md-8">
<div class="middle"><div class="panel panel-default" data-name="default" data-tab="0"><div class="panel-body panel-body-form">
<div class="row">${cell('name', 'Name', e(deal.name))}${cell('account', 'Account', `<a href="#Account/view/${e(accountIdOf(pipeline, deal))}" title="${e(deal.company)}">${e(deal.company)}</a>`)}</div>
<div class="row">${cell('stage', 'Stage', stageLabel(pipeline, deal.stageId), 'col-sm-6', true)}${cell('amount', 'Amount', amountHtml(deal.amount))}</div>
<div class="row">${cell('closeDate', 'Close Date', `<span>${day}.${month}.${year}</span>`)}${cell('contacts', 'Contacts', contacts)}</div>
<div class="row">${cell('leadSource', 'Lead Source', e(leadSourceOf(pipeline, deal) ?? '') || NONE)}</div>
<div class="row">${cell('description', 'Description', descriptionHtml(descriptionOf(pipeline, deal)), 'col-sm-12')}</div>
</div></div></div>
<div class="bottom">
${streamPanel(pipeline, deal, now)}
${contactsPanel(deal)}
</div>
</div>
<div class="side col-md-4"><div class="panel panel-default" data-name="default"><div class="panel-body panel-body-form">
${cell('assignedUser', 'Assigned User', userLink(deal.owner), 'col-sm-12')}
${cell('teams', 'Teams', NONE, 'col-sm-12')}
${cell('complexCreated', 'Created', created, 'col-sm-12')}
${cell('complexModified', 'Modified', modified, 'col-sm-12')}
</div></div></div>
</div>
</div></div>`,
  };
}

/** The app's start page before the user picks a tab. */
export function homeView(): View {
  return {
    title: 'EspoCRM',
    html: '<div class="home-content"><div class="dashlets"><p><a href="#Opportunity">Opportunities</a></p></div></div>',
  };
}

export function notFoundView(): View {
  return {
    title: 'Error 404',
    html: '<div class="page-header"><h3>Error 404</h3></div><p>Page not found.</p>',
  };
}
