import { attrOf, cleanText, Problems, shownText, textOf } from '../../dom';
import { buildHistory, type Moment, type StageChange, stageResolver } from '../../history';
import type {
  CrmCompany,
  CrmContact,
  CrmDeal,
  CrmStage,
  CrmUser,
  ScrapeContext,
  ScrapeResult,
  StageVisit,
} from '../../model';
import type { DateContext } from '../../parse/dates';
import { extractEmails } from '../../parse/emails';
import { parseMoney } from '../../parse/money';
import { dateContext, parseMoment } from '../../read';
import { dayIn, dealExtras, numberText, paragraphText } from '../extras';
import { odooLabels as L, odooSelectors as S } from './selectors';
import { isOneOf, ODOO_PIPELINE, odooLostStage, odooStage } from './stages';

const USER_ID_IN_AVATAR = /res\.users\/(\d+)/;
const SITE = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/** The scheme and host a URL starts with; '' when it has none. */
export function siteOf(url: string): string {
  return SITE.exec(url)?.[0] ?? '';
}

/** The path of a URL, without its site, query and hash. */
export function pathOf(url: string): string {
  return url.replace(SITE, '').split(/[?#]/)[0] ?? '';
}

/**
 * The record id lives only in the URL. 17.2+: the last path segment, when numeric (`/odoo/crm/<id>` from
 * the pipeline, `/odoo/action-<id>/<id>` from elsewhere); 17.0: `/web#id=<id>&model=crm.lead…`.
 */
export function odooDealId(url: string): string | null {
  const path = pathOf(url);
  if (path.startsWith('/odoo/')) {
    const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
    return /^\d+$/.test(last) ? last : null;
  }
  const hash = new URLSearchParams(url.split('#')[1] ?? '');
  const id = hash.get('id');
  return hash.get('model') === 'crm.lead' && id && /^\d+$/.test(id) ? id : null;
}

/** `/odoo/crm/<id>`: the pipeline's own record address, a lead whatever the page shows yet. */
export function isCrmRecordPath(url: string): boolean {
  return /^\/odoo\/crm\/\d+\/?$/.test(pathOf(url));
}

function fallbackUsed(problems: Problems, field: string, selector: string): void {
  problems.add({ code: 'fallback_used', field, detail: selector, severity: 'warning' });
}

/** What the form's ribbon says: Won (probability 100) or Lost (archived with probability 0). */
function ribbonOutcome(document: Document, problems: Problems): 'won' | 'lost' | null {
  if (document.querySelector(S.wonRibbon)) return 'won';
  if (document.querySelector(S.lostRibbon)) return 'lost';
  // A ribbon recoloured by a customisation still says what it means.
  for (const ribbon of document.querySelectorAll(S.ribbon)) {
    const label = textOf(ribbon) ?? '';
    const outcome = isOneOf(L.won, label) ? 'won' : isOneOf(L.lost, label) ? 'lost' : null;
    if (outcome) {
      fallbackUsed(problems, 'deal.stage.outcome', S.ribbon);
      return outcome;
    }
  }
  return null;
}

interface Statusbar {
  current: CrmStage | null;
  stages: CrmStage[];
}

/**
 * The form's statusbar, in the pipeline's order. Odoo renders its buttons last stage first (CSS shows
 * them the other way round); each holds the label in its first span and the time spent there in a
 * second one. A won deal's current stage is won.
 */
export function readStatusbar(statusbar: Element, won: boolean, problems: Problems): Statusbar {
  const stages: CrmStage[] = [];
  let current: CrmStage | null = null;
  let labelFallback = false;
  for (const button of [...statusbar.querySelectorAll(S.stageButton)].reverse()) {
    let name = textOf(button.querySelector(S.stageLabel));
    if (!name) {
      name = textOf(button);
      labelFallback ||= name !== null;
    }
    if (!name) continue;
    const isCurrent = button.matches(S.currentStage);
    const stage = odooStage(name, isCurrent && won ? 'won' : null);
    stages.push(stage);
    if (isCurrent) current = stage;
  }
  if (labelFallback) fallbackUsed(problems, 'deal.stage', S.stageButton);
  return { current, stages };
}

function readName(document: Document, problems: Problems): string | null {
  const name = shownText(document.querySelector(S.formName));
  if (name) return name;
  const breadcrumb = textOf(document.querySelector(S.breadcrumbName));
  if (breadcrumb) fallbackUsed(problems, 'deal.name', S.breadcrumbName);
  else problems.missed('deal.name', S.formName);
  return breadcrumb;
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

/**
 * The customer's company: "Company Name" when the page shows it, else the company part of the
 * customer's display name ("Company, Person"), else the customer itself when it has no person part
 * and is named in "Company Name"'s place. `null` for a private person.
 */
function readCompany(document: Document, problems: Problems): CrmCompany | null {
  const own = shownText(document.querySelector(S.formCompanyName));
  if (own) return { id: null, name: own };
  const customer = shownText(document.querySelector(S.formPartner)) ?? '';
  const comma = customer.indexOf(', ');
  if (comma <= 0) return null;
  fallbackUsed(problems, 'deal.company', S.formPartner);
  return { id: null, name: customer.slice(0, comma) };
}

function readTags(document: Document, problems: Problems): string[] {
  const widget = document.querySelector(S.formTags);
  if (!widget) return [];
  const names = [...widget.querySelectorAll(S.tagName)].map((tag) => textOf(tag) ?? '');
  if (names.some((name) => name !== '')) return names;
  const badges = [...widget.querySelectorAll(S.tagBadge)].map((tag) => textOf(tag) ?? '');
  if (badges.some((name) => name !== '')) fallbackUsed(problems, 'deal.tags', S.tagBadge);
  return badges;
}

/** UTM as one line, "source / medium / campaign", with what the page shows of them. */
export function utmSource(parts: (string | null | undefined)[]): string | null {
  const shown = parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return shown.length > 0 ? shown.join(' / ') : null;
}

/** The expected closing date (a date field: the day as the page shows it, no time). */
function readDeadline(document: Document, dates: DateContext): string | null {
  const text = shownText(document.querySelector(S.formDeadline));
  const moment = text ? parseMoment(text, dates) : null;
  return dayIn(moment?.instant, dates.timeZone);
}

const RELATIVE = /\b(?:ago|назад)$/i;

/**
 * The absolute time in the date's `title` (`DATETIME_SHORT_WITH_SECONDS`); else the visible text:
 * 18+ "Today at 2:05 PM" / a medium date, 17.0 a relative "- 5 minutes ago" (an estimate).
 */
function messageTime(message: Element, field: string, dates: DateContext, problems: Problems): Moment | null {
  const date = message.querySelector(S.messageDate);
  if (!date) {
    problems.missed(field, S.messageDate);
    return null;
  }
  const title = attrOf(date, 'title');
  const exact = title ? parseMoment(title, dates) : null;
  if (exact) return exact;
  const shown = cleanText(date.textContent).replace(/^[-–—]\s*/, '');
  const parsed = shown ? parseMoment(shown, dates) : null;
  if (!parsed) {
    problems.unparsed(field, title ?? shown);
    return null;
  }
  fallbackUsed(problems, field, `${S.messageDate} (text)`);
  return RELATIVE.test(shown) ? { instant: parsed.instant, estimated: true } : parsed;
}

function isStageLine(line: Element): boolean {
  const field = cleanText(line.querySelector(S.trackingField)?.textContent).replace(/^\(|\)$/g, '');
  return isOneOf(L.stageField, field);
}

interface Chatter {
  created: Moment | null;
  changes: StageChange[];
  /** The newest message with tracking lines: losing an opportunity writes one (lost reason, active). */
  lastTracked: Element | null;
}

function isCreationNote(message: Element): boolean {
  const text = textOf(message.querySelector(S.messageDescription));
  return L.created.test(text ?? '');
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
  let lastTracked: Element | null = null;
  const changes: StageChange[] = [];
  let stageMessages = 0;
  for (const message of messages) {
    if (!createdSeen && isCreationNote(message)) {
      createdSeen = true;
      created = messageTime(message, 'deal.createdAt', dates, problems);
    }
    const tracking = [...message.querySelectorAll(S.tracking)];
    if (tracking.length > 0) lastTracked = message;
    const lines = tracking.filter(isStageLine);
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
      if (!newName) {
        problems.missed(`${field}.to`, S.trackingNew);
        continue;
      }
      changes.push({ from: oldName ? resolve(oldName) : null, to: resolve(newName), at });
    }
  }
  if (!createdSeen)
    problems.add({
      code: 'field_missing',
      field: 'deal.createdAt',
      detail: S.messageDescription,
      severity: 'warning',
    });
  return { created, changes, lastTracked };
}

/** The visits and the end of a deal whose outcome the form showed. */
interface Ending {
  stage: CrmStage | null;
  history: StageVisit[];
  closedAt: string | null;
}

/**
 * A lost opportunity stays archived in its stage (no statusbar then, the chatter tells which): it ends
 * in the lost stage, entered when it was lost. A won one was closed when it entered its won stage.
 */
export function endOf(
  history: StageVisit[],
  current: CrmStage | null,
  lost: { at: Moment | null; stage: CrmStage } | null,
): Ending {
  if (lost) {
    const last = history.at(-1);
    const at = lost.at && last && Date.parse(lost.at.instant) < Date.parse(last.enteredAt) ? null : lost.at;
    const visit: StageVisit[] = at
      ? [{ stage: lost.stage, enteredAt: at.instant, source: 'timeline', estimated: at.estimated }]
      : [];
    return { stage: lost.stage, history: [...history, ...visit], closedAt: at?.instant ?? null };
  }
  const last = history.at(-1);
  const wonAt = current?.outcome === 'won' && last?.stage.id === current.id ? last.enteredAt : null;
  return { stage: current, history, closedAt: wonAt };
}

export function scrapeOdooDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
  const problems = new Problems();
  const statusbarElement = document.querySelector(S.formStage);
  const nameElement = document.querySelector(S.formName);
  if (!statusbarElement && !nameElement && !document.querySelector(S.leadForm)) {
    problems.add({
      code: 'page_not_understood',
      field: 'deal',
      detail: `${S.formStage} | ${S.formName} | ${S.leadForm}`,
      severity: 'error',
    });
    return { data: null, problems: problems.list };
  }
  const dates = dateContext(document, context);
  const id = odooDealId(context.url);
  if (!id) problems.add({ code: 'no_id', field: 'deal.id', detail: context.url, severity: 'error' });
  const name = readName(document, problems);

  const revenue = shownText(document.querySelector(S.formRevenue));
  const amount = parseMoney(revenue ?? '');
  if (!revenue) problems.missed('deal.amount', S.formRevenue);
  else if (!amount) problems.unparsed('deal.amount', revenue, 'amount_unparsed');

  const owner = readOwner(document);
  if (!owner) problems.missed('deal.owner', S.formOwner);

  const outcome = ribbonOutcome(document, problems);
  const statusbar = statusbarElement
    ? readStatusbar(statusbarElement, outcome === 'won', problems)
    : { current: null, stages: [] };
  const contacts = readContacts(document, problems);
  // Without a statusbar no stage list is known: the chatter's names are taken as they are.
  const resolve = statusbarElement ? stageResolver(statusbar.stages, odooStage, problems) : odooStage;
  const chatter = readChatter(document, dates, (name) => resolve(name), problems);
  // Archived opportunities and leads have no statusbar: their stage is the one the chatter last entered.
  const current = statusbar.current ?? chatter.changes.at(-1)?.to ?? null;
  if (!current) problems.missed('deal.stage', `${S.formStage} ${S.currentStage} | ${S.trackingNew}`);
  const history = buildHistory(chatter.changes, current, chatter.created, problems);
  const lost =
    outcome === 'lost'
      ? {
          at: chatter.lastTracked && messageTime(chatter.lastTracked, 'deal.closedAt', dates, problems),
          stage: odooLostStage(dates.locale),
        }
      : null;
  const end = endOf(history, current, lost);

  return {
    data: {
      crm: 'odoo',
      id,
      url: context.url,
      name: name ?? '',
      pipeline: ODOO_PIPELINE,
      stage: end.stage,
      amount,
      createdAt: chatter.created?.instant ?? null,
      modifiedAt: null,
      closedAt: end.closedAt,
      owner,
      contacts,
      history: end.history,
      ...dealExtras({
        company: readCompany(document, problems),
        source: utmSource(
          [S.formSource, S.formMedium, S.formCampaign].map((at) => shownText(document.querySelector(at))),
        ),
        tags: readTags(document, problems),
        description: paragraphText(document.querySelector(S.formDescription)),
        fields: {
          probability: numberText(shownText(document.querySelector(S.formProbability))),
          closeDate: readDeadline(document, dates),
        },
      }),
    },
    problems: problems.list,
  };
}
