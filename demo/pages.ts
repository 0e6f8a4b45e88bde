/**
 * The demo CRM pages: boards from the fixture board templates, deal pages from the fixture deal pages
 * used as templates (their markup is what the adapters read), filled with one demo deal each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { renderBoard as renderEspoBoard } from '../tests/fixtures/espocrm/board-template';
import { renderBoard as renderOdooBoard } from '../tests/fixtures/odoo/board-template';
import { boardColumns, DEMO_TIME_ZONE, type DemoCrm, type DemoDeal, type DemoPipeline } from './data';

const FIXTURES = join(import.meta.dirname, '../tests/fixtures');
const template = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

/** Each field of a wall-clock time in the demo zone. */
function wallClock(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: DEMO_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const field = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** `YYYY-MM-DD hh:mm:ss` in the demo zone: how the Data API holds a time of that account. */
export function apiTime(instant: Date): string {
  const t = wallClock(instant);
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second}`;
}

/** EspoCRM's `DD.MM.YYYY HH:mm`. */
function espoTime(instant: Date): string {
  const t = wallClock(instant);
  return `${t.day}.${t.month}.${t.year} ${t.hour}:${t.minute}`;
}

/** Odoo's en-US title, e.g. `4/22/2024, 4:45:10 PM`. */
function odooTime(instant: Date): string {
  return instant.toLocaleString('en-US', { timeZone: DEMO_TIME_ZONE });
}

/**
 * EspoCRM routes by the address's hash, which a server never sees: this keeps a card's
 * `#Opportunity/view/<id>` link and the deal's own page on the addresses the demo server serves.
 */
const ESPO_ROUTER = `
function route() {
  var id = /^#Opportunity\\/view\\/([\\w-]+)/.exec(location.hash);
  var path = id ? '/opportunity/' + id[1] : '/';
  if (location.pathname !== path) location.replace(path + location.hash);
}
route();
addEventListener('hashchange', route);
`;

function withScript(document: Document, code: string): void {
  const script = document.createElement('script');
  script.textContent = code;
  document.head.append(script);
}

function serialize(document: Document): string {
  return `<!doctype html>\n${document.documentElement.outerHTML}`;
}

function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

function must<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`demo template lacks ${selector}`);
  return element;
}

function setText(root: ParentNode, selector: string, text: string): void {
  must(root, selector).textContent = text;
}

function espoAmount(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function espoStreamNote(
  note: Element,
  deal: DemoDeal,
  stageName: (id: string) => string,
  index: number,
): Element {
  const copy = note.cloneNode(true) as Element;
  const visit = deal.history[index];
  if (!visit) throw new Error(`no visit ${index} of ${deal.id}`);
  copy.setAttribute('data-id', `n${deal.id}-${index}`);
  const verb = index === 0 ? 'created' : 'updated';
  setText(copy, '.message', `${deal.owner.name} ${verb} Opportunity ${deal.name}`);
  const date = must(copy, '.stream-date-container a');
  date.setAttribute('href', `#Note/view/n${deal.id}-${index}`);
  date.textContent = espoTime(visit.at);
  if (index > 0) {
    const from = deal.history[index - 1]?.stageId ?? '';
    setText(copy, '.stream-post-container .label', stageName(visit.stageId));
    setText(copy, 'td.cell-was .label', stageName(from));
    setText(copy, 'td.cell-became .label', stageName(visit.stageId));
  }
  return copy;
}

function espoDeal(pipeline: DemoPipeline, deal: DemoDeal): string {
  const document = parse(template('espocrm/deal-history-en.html'));
  const stageName = (id: string) => pipeline.stages.find((stage) => stage.id === id)?.name ?? id;
  const last = deal.history.at(-1)?.at ?? new Date(0);
  const title = document.createElement('title');
  title.textContent = deal.name;
  document.head.append(title);
  withScript(document, ESPO_ROUTER);

  setText(document, 'div.field[data-name="name"]', deal.name);
  const account = must(document, 'div.field[data-name="account"] a');
  account.setAttribute('href', `#Account/view/a-${deal.id}`);
  account.textContent = deal.company;
  setText(document, 'div.field[data-name="stage"] .label', stageName(deal.stageId));
  setText(document, 'div.field[data-name="amount"] .numeric-text', espoAmount(deal.amount));
  const [year, month, day] = deal.date.split('-');
  const closeDate = must(document, 'div.field[data-name="closeDate"] span');
  closeDate.setAttribute('title', `${day}.${month}.${year}`);
  closeDate.textContent = `${day}.${month}.${year}`;

  const contactItems = document.querySelectorAll('div.field[data-name="contacts"] .link-multiple-item');
  for (const extra of [...contactItems].slice(1)) extra.remove();
  const contactLink = must(document, 'div.field[data-name="contacts"] a');
  contactLink.setAttribute('href', `#Contact/view/${deal.person.id}`);
  contactLink.textContent = deal.person.name;

  const owner = must(document, 'div.field[data-name="assignedUser"] a');
  owner.setAttribute('href', `#User/view/u-${deal.owner.id}`);
  owner.textContent = deal.owner.name;
  setText(document, 'div.field[data-name="createdAt"] span', espoTime(deal.history[0]?.at ?? last));
  setText(document, 'div.field[data-name="modifiedAt"] span', espoTime(last));

  const stream = must(document, 'ul.list-stream');
  const stageNote = must(stream, 'li:has(tr.row[data-name="stage"])');
  const createNote = must(stream, 'li[data-type="Create"]');
  const notes = deal.history.map((_, index) =>
    espoStreamNote(index === 0 ? createNote : stageNote, deal, stageName, index),
  );
  stream.replaceChildren(...notes.reverse());

  const rows = document.querySelectorAll('div.panel[data-name="contacts"] tr.list-row');
  for (const extra of [...rows].slice(1)) extra.remove();
  const row = must(document, 'div.panel[data-name="contacts"] tr.list-row');
  row.setAttribute('data-id', deal.person.id);
  const nameLink = must(row, 'td[data-name="name"] a');
  nameLink.setAttribute('href', `#Contact/view/${deal.person.id}`);
  nameLink.textContent = deal.person.name;
  const mail = must(row, 'td[data-name="emailAddress"] a');
  mail.setAttribute('href', `mailto:${deal.person.email}`);
  mail.textContent = deal.person.email;
  const phone = must(row, 'td[data-name="phoneNumber"] a');
  phone.setAttribute('href', `tel:${deal.person.phone.replace(/[^\d+]/g, '')}`);
  phone.textContent = deal.person.phone;
  return serialize(document);
}

function odooMessage(message: Element, visitAt: Date, from: string | null, to: string): Element {
  const copy = message.cloneNode(true) as Element;
  const date = must(copy, '.o-mail-Message-date');
  date.setAttribute('title', odooTime(visitAt));
  date.textContent = `- ${odooTime(visitAt)}`;
  if (from !== null) {
    setText(copy, '.o-mail-Message-trackingOld', from);
    setText(copy, '.o-mail-Message-trackingNew', to);
  }
  return copy;
}

function setValue(root: ParentNode, selector: string, value: string): void {
  must(root, selector).setAttribute('value', value);
}

function odooDeal(pipeline: DemoPipeline, deal: DemoDeal): string {
  const document = parse(template('odoo/deal-en-history.html'));
  setText(document, 'title', deal.name);
  setText(document, '.o_last_breadcrumb_item span', deal.name);

  const statusbar = must(document, '.o_statusbar_status');
  const button = must(statusbar, 'button.o_arrow_button');
  const buttons = pipeline.stages.map((stage, index) => {
    const copy = button.cloneNode(true) as Element;
    const current = stage.id === deal.stageId;
    copy.className = 'btn btn-secondary o_arrow_button';
    if (index === 0) copy.classList.add('o_first');
    if (index === pipeline.stages.length - 1) copy.classList.add('o_last');
    if (current) copy.classList.add('o_arrow_button_current');
    copy.setAttribute('aria-checked', String(current));
    copy.setAttribute('data-value', String(index + 1));
    copy.textContent = stage.name;
    return copy;
  });
  statusbar.replaceChildren(...buttons);

  setValue(document, '[name="name"] input', deal.name);
  setValue(
    document,
    '[name="expected_revenue"] input',
    deal.amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  );
  setValue(document, '[name="partner_id"] input', deal.person.name);
  setValue(document, '[name="email_from"] input', deal.person.email);
  setValue(document, '[name="phone"] input', deal.person.phone);
  must(document, '[name="user_id"] img').setAttribute(
    'src',
    `/web/image/res.users/${deal.owner.id}/avatar_128`,
  );
  setValue(document, '[name="user_id"] input', deal.owner.name);

  const thread = must(document, '.o-mail-Thread');
  const stageMessage = [...thread.querySelectorAll('.o-mail-Message')].find(
    (message) => message.querySelector('.o-mail-Message-trackingField')?.textContent === '(Stage)',
  );
  if (!stageMessage) throw new Error('demo template lacks a stage tracking message');
  const created = must(thread, '.o-mail-Message:has(.o-mail-Message-body)');
  const messages = deal.history.map((visit, index) =>
    index === 0
      ? odooMessage(created, visit.at, null, visit.stageId)
      : odooMessage(stageMessage, visit.at, deal.history[index - 1]?.stageId ?? '', visit.stageId),
  );
  thread.replaceChildren(...messages.reverse());
  return serialize(document);
}

/** The board page of a demo pipeline. */
export function boardPage(pipeline: DemoPipeline): string {
  if (pipeline.crm === 'odoo') return renderOdooBoard(boardColumns(pipeline), 'en');
  const document = parse(renderEspoBoard(boardColumns(pipeline), 'en'));
  withScript(document, ESPO_ROUTER);
  return serialize(document);
}

/** The page of one deal of a demo pipeline. */
export function dealPage(pipeline: DemoPipeline, deal: DemoDeal): string {
  return pipeline.crm === 'odoo' ? odooDeal(pipeline, deal) : espoDeal(pipeline, deal);
}

/** Where each page lives on its CRM's demo server (path and hash). */
export const demoPaths: Record<DemoCrm, { board: string; deal: (id: string) => string }> = {
  espocrm: { board: '/#Opportunity', deal: (id) => `/opportunity/${id}#Opportunity/view/${id}` },
  odoo: { board: '/odoo/crm', deal: (id) => `/odoo/crm/${id}` },
};
