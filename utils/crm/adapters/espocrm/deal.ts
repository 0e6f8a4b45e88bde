import { attrOf, cleanText, Problems, textOf } from '../../dom';
import { buildHistory, type Moment, type StageChange } from '../../history';
import type {
  CrmCompany,
  CrmContact,
  CrmDeal,
  CrmStage,
  CrmUser,
  ScrapeContext,
  ScrapeResult,
} from '../../model';
import type { DateContext } from '../../parse/dates';
import { normalizeEmails } from '../../parse/emails';
import { dateContext, parseMoment, readDate, readMoney } from '../../read';
import { dayIn, dealExtras, numberText, paragraphText } from '../extras';
import { dateText, espoPipeline, findByChain } from './common';
import { espoChains, espoRowChains, espoSelectors as s } from './selectors';
import { stageFromLabel } from './stages';

const dealIdInUrl = /#Opportunity\/view\/([^/?&#]+)/;
const panelContactNames = `${s.contactRow} ${s.contactName}`;

export function scrapeEspoDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
  const problems = new Problems();
  const root = document.querySelector(s.dealRoot);
  if (!root) {
    problems.add({ code: 'not_a_deal', field: 'deal', detail: s.dealRoot, severity: 'error' });
    return { data: null, problems: problems.list };
  }
  const id = dealIdInUrl.exec(context.url)?.[1] ?? null;
  if (id === null) problems.add({ code: 'no_id', field: 'deal.id', detail: context.url, severity: 'error' });

  /** A field's element; `null` when the page lacks it or shows it empty ("None"), with the problem. */
  const field = (name: keyof typeof espoChains, severity: 'error' | 'warning' = 'warning') => {
    const chain = espoChains[name];
    const element = findByChain(root, chain, `deal.${name}`, problems);
    if (element === null) problems.missed(`deal.${name}`, chain[0], severity);
    else if (element.querySelector(s.noneValue)) {
      const matched = chain.find((selector) => element.matches(selector)) ?? chain[0];
      problems.add({ code: 'field_empty', field: `deal.${name}`, detail: matched, severity });
    } else return element;
    return null;
  };
  const dates = dateContext(document, context);
  const stageElement = field('stage', 'error');
  const stage = stageElement && stageOf(stageElement);
  const stream = readStream(root, dates, problems);
  const createdAt = readCreatedAt(root, stream.createNote, dates, problems);
  const modifiedAt = readDate(dateText(field('modifiedAt')), dates, 'deal.modifiedAt', problems);
  const closed = stage?.outcome === 'won' || stage?.outcome === 'lost';
  const closeDate = closed ? dateText(field('closedAt')) : null;
  /** An optional field's element: absent or shown empty is not a problem (many deals leave them blank). */
  const optional = (name: 'company' | 'source' | 'description' | 'probability' | 'closedAt') => {
    const element = findByChain(root, espoChains[name], `deal.${name}`, problems);
    return element?.querySelector(s.noneValue) ? null : element;
  };

  return {
    data: {
      crm: 'espocrm',
      id,
      url: context.url,
      name: textOf(field('name', 'error')) ?? '',
      pipeline: espoPipeline,
      stage,
      amount: readMoney(textOf(field('amount')), 'deal.amount', problems),
      createdAt: createdAt?.instant ?? null,
      modifiedAt: modifiedAt?.instant ?? null,
      closedAt: readDate(closeDate, dates, 'deal.closedAt', problems)?.instant ?? null,
      owner: readOwner(field('owner')),
      contacts: readContacts(root, field('contacts'), problems),
      history: buildHistory(stream.changes, stream.createNote?.stage ?? stage, createdAt, problems),
      ...dealExtras({
        company: readAccount(optional('company')),
        source: textOf(optional('source')),
        tags: [],
        description: paragraphText(optional('description')),
        fields: {
          probability: numberText(textOf(optional('probability'))),
          closeDate: closeDay(dateText(optional('closedAt')), dates),
        },
      }),
    },
    problems: problems.list,
  };
}

/** A stage shown as a label, in a pill (`span.label-state`) or as plain text. */
function stageOf(element: Element): CrmStage | null {
  const label = textOf(element);
  const pill = element.matches(s.stagePill) ? element : element.querySelector(s.stagePill);
  return label === null ? null : stageFromLabel(label, pill);
}

/** The deal's creation time: the side panel's, else the stream's create note's (reported as a fallback). */
function readCreatedAt(
  root: Element,
  createNote: StagePill | null,
  dates: DateContext,
  problems: Problems,
): Moment | null {
  const chain = espoChains.createdAt;
  const element = findByChain(root, chain, 'deal.createdAt', problems);
  if (element !== null) return readDate(dateText(element), dates, 'deal.createdAt', problems);
  if (createNote?.at) {
    problems.add({
      code: 'fallback_used',
      field: 'deal.createdAt',
      detail: `${s.streamNote} ${createNote.dateSelector}`,
      severity: 'warning',
    });
    return createNote.at;
  }
  problems.missed('deal.createdAt', chain[0]);
  return null;
}

/**
 * The expected close date as a day. EspoCRM leaves the year out of a date of the current year
 * ("15 May"), while the shared date reader takes a year-less date to be a recent past one (right
 * for stream notes, wrong for a close date still ahead).
 */
function closeDay(text: string | null, dates: DateContext): string | null {
  const moment = text === null ? null : parseMoment(text, dates);
  const day = dayIn(moment?.instant, dates.timeZone);
  const hasYear = /\d{4}|[,./]\s?\d{2}$/.test(text ?? '');
  const thisYear = dayIn(dates.now, dates.timeZone)?.slice(0, 4);
  return day && !hasYear && thisYear ? `${thisYear}${day.slice(4)}` : day;
}

/** The deal's account: a link to the Account's page, or its name alone. */
function readAccount(cell: Element | null): CrmCompany | null {
  const link = cell?.querySelector(s.accountLink);
  const name = textOf(link ?? cell);
  return name === null ? null : { id: idFromHref(link), name };
}

function readOwner(cell: Element | null): CrmUser | null {
  const link = cell?.querySelector(s.userLink);
  const name = textOf(link ?? cell);
  if (name === null) return null;
  return { id: idFromHref(link), name };
}

function idFromHref(link: Element | null | undefined): string | null {
  return attrOf(link, 'href')?.split('/view/')[1] ?? null;
}

/**
 * Contacts from the deal's contacts field, else the Contacts panel's rows; phones and e-mails from
 * that panel when the layout shows it (EspoCRM lists each contact's primary phone and e-mail there).
 */
function readContacts(root: Element, found: Element | null, problems: Problems): CrmContact[] {
  const rows = new Map<string, Element>();
  for (const row of root.querySelectorAll(s.contactRow)) rows.set(row.getAttribute('data-id') ?? '', row);
  const inPanel = found?.matches(s.contactName) ?? false;
  const links = inPanel
    ? root.querySelectorAll(panelContactNames)
    : (found?.querySelectorAll(s.contactLink) ?? []);
  return [...links].map((link, index) => {
    const id = idFromHref(link);
    return readContact(id, textOf(link) ?? '', id === null ? undefined : rows.get(id), index, problems);
  });
}

function readContact(
  id: string | null,
  name: string,
  row: Element | undefined,
  index: number,
  problems: Problems,
): CrmContact {
  const phone = row ? textOf(findByChain(row, espoRowChains.contactPhone, 'deal.contacts', problems)) : null;
  const email = row ? textOf(findByChain(row, espoRowChains.contactEmail, 'deal.contacts', problems)) : null;
  if (phone === null && email === null) {
    problems.add({
      code: 'field_missing',
      field: `deal.contacts[${index}].phones`,
      detail: s.contactRow,
      severity: 'warning',
    });
  }
  return {
    id,
    name,
    phones: phone === null ? [] : [cleanText(phone)],
    emails: normalizeEmails(email === null ? [] : [email]),
    createdAt: null,
  };
}

/** A stream note that shows a stage pill: the stage the deal entered then. */
interface StagePill {
  stage: CrmStage;
  at: Moment | null;
  /** The selector (under the note) its date was read from. */
  dateSelector: string;
}

interface Stream {
  /** The create note (the deal's first stage, its creation time); `null` when the page does not show it. */
  createNote: StagePill | null;
  /** Every later stage entered, oldest first. */
  changes: StageChange[];
}

/**
 * The stage history from the stream's pills, oldest first (the stream lists newest first): the create
 * note's pill is the first stage, each update note's pill a stage entered (a note without one changed
 * other fields only). EspoCRM never records the stage left: it is the stage entered before.
 */
function readStream(root: Element, dates: DateContext, problems: Problems): Stream {
  const truncated = root.querySelector(s.streamShowMore) !== null;
  if (truncated) {
    problems.add({
      code: 'history_truncated',
      field: 'deal.history',
      detail: s.streamShowMore,
      severity: 'warning',
    });
  }
  const notes = [...root.querySelectorAll(s.streamNote)].reverse();
  let createNote: StagePill | null = null;
  const changes: StageChange[] = [];
  for (const note of notes) {
    const pill = readPill(note, dates, problems);
    if (pill === null) continue;
    // Only the oldest note of a whole stream can be the create note; it has no audited-fields table.
    const isCreate = !truncated && note === notes[0] && !note.querySelector(s.noteAuditTable);
    if (isCreate) createNote = pill;
    else changes.push({ from: changes.at(-1)?.to ?? createNote?.stage ?? null, to: pill.stage, at: pill.at });
  }
  return { createNote, changes };
}

function readPill(note: Element, dates: DateContext, problems: Problems): StagePill | null {
  const element = findByChain(note, espoRowChains.noteStage, 'deal.history', problems);
  const stage = element && stageOf(element);
  if (!stage) return null;
  const field = `history[note ${note.getAttribute('data-id')}]`;
  const dateChain = espoRowChains.noteDate;
  const dateElement = findByChain(note, dateChain, 'deal.history', problems);
  if (dateElement === null) problems.missed(`${field}.enteredAt`, dateChain[0]);
  const dateSelector = dateChain.find((selector) => dateElement?.matches(selector)) ?? dateChain[0];
  return { stage, at: readDate(dateText(dateElement), dates, `${field}.enteredAt`, problems), dateSelector };
}
