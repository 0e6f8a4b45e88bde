import { attrOf, cleanText, Problems, textOf } from '../../dom';
import { buildHistory, type StageChange } from '../../history';
import type { CrmContact, CrmDeal, CrmUser, ScrapeContext, ScrapeResult } from '../../model';
import type { DateContext } from '../../parse/dates';
import { normalizeEmails } from '../../parse/emails';
import { dateContext, readDate, readMoney } from '../../read';
import { dateText, espoPipeline } from './common';
import { espoSelectors as s } from './selectors';
import { stageFromCell } from './stages';

const dealIdInUrl = /#Opportunity\/view\/([^/?&#]+)/;

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
  const field = (name: string, selector: string, severity: 'error' | 'warning' = 'warning') => {
    const element = root.querySelector(selector);
    if (element === null || textOf(element) === null) problems.missed(`deal.${name}`, selector, severity);
    else if (element.querySelector(s.noneValue)) {
      problems.add({ code: 'field_empty', field: `deal.${name}`, detail: selector, severity });
    } else return element;
    return null;
  };
  const dates = dateContext(document, context);
  const stage = stageFromCell(field('stage', s.dealStage, 'error'));
  const createdAt = readDate(
    dateText(field('createdAt', s.dealCreatedAt)),
    dates,
    'deal.createdAt',
    problems,
  );
  const modifiedAt = readDate(
    dateText(field('modifiedAt', s.dealModifiedAt)),
    dates,
    'deal.modifiedAt',
    problems,
  );
  const closed = stage?.outcome === 'won' || stage?.outcome === 'lost';
  const closeDate = closed ? dateText(field('closedAt', s.dealCloseDate)) : null;
  const changes = readStageChanges(document, dates, problems);

  return {
    data: {
      crm: 'espocrm',
      id,
      url: context.url,
      name: textOf(field('name', s.dealName, 'error')) ?? '',
      pipeline: espoPipeline,
      stage,
      amount: readMoney(textOf(field('amount', s.dealAmount)), 'deal.amount', problems),
      createdAt: createdAt?.instant ?? null,
      modifiedAt: modifiedAt?.instant ?? null,
      closedAt: readDate(closeDate, dates, 'deal.closedAt', problems)?.instant ?? null,
      owner: readOwner(field('owner', s.dealOwner)),
      contacts: readContacts(document, field('contacts', s.dealContacts), problems),
      history: buildHistory(changes, stage, createdAt),
    },
    problems: problems.list,
  };
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

/** Contacts from the deal's field; phones and e-mails from the Contacts panel when it lists them. */
function readContacts(document: Document, cell: Element | null, problems: Problems): CrmContact[] {
  const rows = new Map<string, Element>();
  for (const row of document.querySelectorAll(s.contactRow)) rows.set(row.getAttribute('data-id') ?? '', row);
  const contacts: CrmContact[] = [];
  for (const link of cell?.querySelectorAll(s.contactLink) ?? []) {
    const id = idFromHref(link);
    const row = id === null ? undefined : rows.get(id);
    const phone = textOf(row?.querySelector(s.contactPhone));
    const email = textOf(row?.querySelector(s.contactEmail));
    const field = `deal.contacts[${contacts.length}]`;
    if (phone === null && email === null) {
      problems.add({
        code: 'field_missing',
        field: `${field}.phones`,
        detail: s.contactRow,
        severity: 'warning',
      });
    }
    contacts.push({
      id,
      name: textOf(link) ?? '',
      phones: phone === null ? [] : [cleanText(phone)],
      emails: normalizeEmails(email === null ? [] : [email]),
      createdAt: null,
    });
  }
  return contacts;
}

/** Stage changes from the stream's update notes, oldest first (the stream lists newest first). */
function readStageChanges(document: Document, dates: DateContext, problems: Problems): StageChange[] {
  if (document.querySelector(s.streamShowMore)) {
    problems.add({
      code: 'history_truncated',
      field: 'deal.history',
      detail: s.streamShowMore,
      severity: 'warning',
    });
  }
  const changes: StageChange[] = [];
  for (const note of document.querySelectorAll(s.streamNote)) {
    const row = note.querySelector(s.stageDiff);
    if (!row) continue;
    const field = `history[note ${note.getAttribute('data-id')}]`;
    const to = stageFromCell(row.querySelector(s.stageBecame));
    if (to === null) problems.missed(`${field}.stage`, s.stageBecame);
    const dateElement = note.querySelector(s.noteDate);
    if (dateElement === null) problems.missed(`${field}.enteredAt`, s.noteDate);
    const at = readDate(dateText(dateElement), dates, `${field}.enteredAt`, problems);
    if (to) changes.push({ at, from: stageFromCell(row.querySelector(s.stageWas)), to });
  }
  return changes.reverse();
}
