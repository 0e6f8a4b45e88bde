import { attrOf, cleanText, Problems, shownText, textOf } from '../../dom';
import { buildHistory, type Moment, type StageChange, stageResolver } from '../../history';
import type { CrmContact, CrmDeal, CrmStage, CrmUser, ScrapeContext, ScrapeResult } from '../../model';
import type { DateContext } from '../../parse/dates';
import { extractEmails } from '../../parse/emails';
import { parseMoney } from '../../parse/money';
import { dateContext, parseMoment } from '../../read';
import { odooLabels as L, odooSelectors as S } from './selectors';
import { isLostLabel, ODOO_PIPELINE, odooStage } from './stages';

const ID_IN_PATH = /\/odoo\/crm\/(\d+)/;
const USER_ID_IN_AVATAR = /res\.users\/(\d+)/;

/** The record id lives only in the URL: `/odoo/crm/<id>` (17.2+) or `/web#id=<id>&model=crm.lead…` (17.0). */
export function odooDealId(url: string): string | null {
  const inPath = ID_IN_PATH.exec(url)?.[1];
  if (inPath) return inPath;
  const hash = new URLSearchParams(url.split('#')[1] ?? '');
  const id = hash.get('id');
  return hash.get('model') === 'crm.lead' && id && /^\d+$/.test(id) ? id : null;
}

interface Statusbar {
  current: CrmStage | null;
  stages: CrmStage[];
}

/** The form's status bar; a lost deal (archived, "Lost" ribbon) stays in its stage, whose outcome is then lost. */
function readStatusbar(statusbar: Element | null, lost: boolean): Statusbar {
  const stages: CrmStage[] = [];
  let current: CrmStage | null = null;
  for (const button of statusbar?.querySelectorAll(S.stageButton) ?? []) {
    const name = textOf(button);
    if (!name) continue;
    const isCurrent = button.matches(S.currentStage);
    // The board shows no stage ids, only names: the form keys stages by name too, so one stage
    // is one id whichever page it was read from.
    const stage = odooStage(name, name);
    const shown: CrmStage = isCurrent && lost ? { ...stage, outcome: 'lost' } : stage;
    stages.push(shown);
    if (isCurrent) current = shown;
  }
  return { current, stages };
}

function isLost(document: Document): boolean {
  return [...document.querySelectorAll(S.ribbon)].some((ribbon) => isLostLabel(textOf(ribbon) ?? ''));
}

function readOwner(document: Document): CrmUser | null {
  const widget = document.querySelector(S.formOwner);
  const name = shownText(widget);
  if (!name) return null;
  const avatar = attrOf(widget?.querySelector(S.ownerAvatar), 'src') ?? '';
  return { id: USER_ID_IN_AVATAR.exec(avatar)?.[1] ?? null, name };
}

function readContacts(document: Document, problems: Problems): CrmContact[] {
  const partner = document.querySelector(S.formPartner);
  if (!partner) problems.missed('deal.contacts', S.formPartner);
  const name = shownText(partner);
  const phone = shownText(document.querySelector(S.formPhone));
  const emails = extractEmails(shownText(document.querySelector(S.formEmail)) ?? '');
  if (!name) {
    if (phone || emails.length > 0) problems.missed('contacts[0].name', S.formPartner);
    return [];
  }
  return [{ id: null, name, phones: phone ? [phone] : [], emails, createdAt: null }];
}

/** The absolute time in the date's `title`; the visible relative text ("5 minutes ago") only as an estimate. */
function messageTime(message: Element, field: string, dates: DateContext, problems: Problems): Moment | null {
  const date = message.querySelector(S.messageDate);
  const title = attrOf(date, 'title');
  const exact = title ? parseMoment(title, dates) : null;
  if (exact) return exact;
  const shown = textOf(date);
  // Odoo 17 prefixes the relative time with a dash: "- 5 minutes ago".
  const relative = shown ? parseMoment(shown.replace(/^[-–—]\s*/, ''), dates) : null;
  if (relative) {
    problems.add({ code: 'date_relative', field, detail: shown ?? '', severity: 'warning' });
    return { instant: relative.instant, estimated: true };
  }
  if (!date) problems.missed(field, S.messageDate);
  else problems.unparsed(field, title ?? shown ?? '');
  return null;
}

function isStageLine(line: Element): boolean {
  const field = cleanText(line.querySelector(S.trackingField)?.textContent).replace(/^\(|\)$/g, '');
  return L.stageField.some((label) => label.toLowerCase() === field.toLowerCase());
}

interface Chatter {
  created: Moment | null;
  changes: StageChange[];
}

/** The chatter lists the newest message first; it is read oldest first. */
function readChatter(
  document: Document,
  dates: DateContext,
  resolve: (name: string) => CrmStage,
  problems: Problems,
): Chatter {
  const messages = [...document.querySelectorAll(S.message)].reverse();
  let created: Moment | null = null;
  let createdSeen = false;
  const changes: StageChange[] = [];
  let stageMessages = 0;
  for (const message of messages) {
    if (!createdSeen && L.created.test(textOf(message.querySelector(S.messageBody)) ?? '')) {
      createdSeen = true;
      created = messageTime(message, 'deal.createdAt', dates, problems);
    }
    const lines = [...message.querySelectorAll(S.tracking)].filter(isStageLine);
    if (lines.length === 0) continue;
    const field = `timeline[${stageMessages++}]`;
    const at = messageTime(message, `${field}.enteredAt`, dates, problems);
    for (const line of lines) {
      const oldName = textOf(line.querySelector(S.trackingOld));
      const newName = textOf(line.querySelector(S.trackingNew));
      if (!oldName)
        problems.add({
          code: 'field_missing',
          field: `${field}.from`,
          detail: S.trackingOld,
          severity: 'warning',
        });
      if (!newName) problems.missed(`${field}.to`, S.trackingNew);
      if (!newName) continue;
      changes.push({
        from: oldName ? resolve(oldName) : null,
        to: resolve(newName),
        at,
      });
    }
  }
  if (!createdSeen)
    problems.add({
      code: 'field_missing',
      field: 'deal.createdAt',
      detail: S.messageBody,
      severity: 'warning',
    });
  return { created, changes };
}

export function scrapeOdooDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
  const problems = new Problems();
  const statusbarElement = document.querySelector(S.formStage);
  const nameElement = document.querySelector(S.formName);
  if (!statusbarElement && !nameElement) {
    problems.add({
      code: 'page_not_understood',
      field: 'deal',
      detail: `${S.formStage} | ${S.formName}`,
      severity: 'error',
    });
    return { data: null, problems: problems.list };
  }
  const dates = dateContext(document, context);
  const id = odooDealId(context.url);
  if (!id) problems.add({ code: 'no_id', field: 'deal.id', detail: context.url, severity: 'error' });
  const name = shownText(nameElement);
  if (!name) problems.missed('deal.name', S.formName);

  const revenue = shownText(document.querySelector(S.formRevenue));
  const amount = parseMoney(revenue ?? '');
  if (!revenue) problems.missed('deal.amount', S.formRevenue);
  else if (!amount) problems.unparsed('deal.amount', revenue, 'amount_unparsed');

  const owner = readOwner(document);
  if (!owner) problems.missed('deal.owner', S.formOwner);

  const statusbar = readStatusbar(statusbarElement, isLost(document));
  if (!statusbar.current) problems.missed('deal.stage', `${S.formStage} ${S.currentStage}`);
  const contacts = readContacts(document, problems);
  const { created, changes } = readChatter(
    document,
    dates,
    stageResolver(statusbar.stages, (name) => odooStage(name, name), problems),
    problems,
  );

  return {
    data: {
      crm: 'odoo',
      id,
      url: context.url,
      name: name ?? '',
      pipeline: ODOO_PIPELINE,
      stage: statusbar.current,
      amount,
      createdAt: created?.instant ?? null,
      modifiedAt: null,
      closedAt: null,
      owner,
      contacts,
      history: buildHistory(changes, statusbar.current, created, problems),
    },
    problems: problems.list,
  };
}
