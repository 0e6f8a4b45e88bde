import { attrOf, cleanText, Problems, shownText, textOf } from '../../dom';
import { buildHistory, type Moment, type StageChange, stageResolver } from '../../history';
import type {
  CrmContact,
  CrmDeal,
  CrmPipeline,
  CrmStage,
  CrmUser,
  ScrapeContext,
  ScrapeResult,
} from '../../model';
import type { DateContext } from '../../parse/dates';
import { extractEmails, normalizeEmails } from '../../parse/emails';
import { parseMoney } from '../../parse/money';
import { dateContext, readDate } from '../../read';
import { amocrmLabels as L, amocrmSelectors as S } from './selectors';
import { amocrmStage } from './stages';

const DEAL_ID_IN_URL = /\/leads\/detail\/(\d+)/;

/** The card's fields keyed by their label, lower-cased, without a trailing colon. */
function readFields(document: Document): Map<string, Element> {
  const fields = new Map<string, Element>();
  for (const field of document.querySelectorAll(S.dealField)) {
    const label = textOf(field.querySelector(S.fieldLabel))?.replace(/:$/, '').toLowerCase();
    const value = field.querySelector(S.fieldValue);
    if (label && value) fields.set(label, value);
  }
  return fields;
}

function fieldValue(fields: Map<string, Element>, labels: readonly string[]): Element | null {
  for (const label of labels) {
    const value = fields.get(label.toLowerCase());
    if (value) return value;
  }
  return null;
}

interface StatusSelect {
  pipeline: CrmPipeline;
  current: CrmStage | null;
  stages: CrmStage[];
}

/** The pipeline + status select: its group holding the checked status is the deal's pipeline. */
function readStatusSelect(document: Document): StatusSelect | null {
  for (const group of document.querySelectorAll(S.pipelineGroup)) {
    const stages: CrmStage[] = [];
    let current: CrmStage | null = null;
    for (const option of group.querySelectorAll(S.statusOption)) {
      const input = option.querySelector<HTMLInputElement>(S.statusInput);
      const name = textOf(option.querySelector(S.statusText));
      if (!input || !name) continue;
      const stage = amocrmStage(attrOf(input, 'value'), name);
      stages.push(stage);
      if (input.checked) current = stage;
    }
    if (!current) continue;
    const id = attrOf(group, 'data-id') ?? '';
    return {
      pipeline: { id, name: textOf(group.querySelector(S.pipelineGroupTitle)) ?? id },
      current,
      stages,
    };
  }
  return null;
}

function readOwner(value: Element | null): CrmUser | null {
  const name = textOf(value?.querySelector(S.selectCaption));
  return name ? { id: attrOf(value?.querySelector(S.selectValue), 'value'), name } : null;
}

function readContact(item: Element, index: number, problems: Problems): CrmContact {
  const name = shownText(item.querySelector(S.contactName));
  if (!name) problems.missed(`contacts[${index}].name`, S.contactName);
  const phones: string[] = [];
  const emails: string[] = [];
  for (const channel of item.querySelectorAll(S.contactChannel)) {
    const text = shownText(channel);
    if (!text) continue;
    // The phone/e-mail fields share one markup; their labels are the account's own, so read the value.
    const found = extractEmails(text);
    if (found.length > 0) emails.push(...found);
    else if (/\d/.test(text)) phones.push(text);
  }
  return {
    id: attrOf(item, 'data-id'),
    name: name ?? '',
    phones,
    emails: normalizeEmails(emails),
    createdAt: null,
  };
}

function readContacts(document: Document, problems: Problems): CrmContact[] {
  const block = document.querySelector(S.contactsBlock);
  if (!block) {
    problems.missed('deal.contacts', S.contactsBlock);
    return [];
  }
  return [...block.querySelectorAll(S.contact)].map((item, index) => readContact(item, index, problems));
}

/** The old stage is the text after the new stage's pill: «из Переговоры», "from Negotiation". */
function oldStageName(pill: Element): string | null {
  let text = '';
  for (let node = pill.nextSibling; node; node = node.nextSibling) text += node.textContent ?? '';
  const words = cleanText(text).split(' ');
  const first = words[0]?.toLowerCase() ?? '';
  const rest = L.oldStagePrefix.some((prefix) => prefix === first) ? words.slice(1) : words;
  return rest.join(' ') || null;
}

function readChanges(
  document: Document,
  dates: DateContext,
  resolve: (name: string) => CrmStage,
  problems: Problems,
): StageChange[] {
  const changes: StageChange[] = [];
  document.querySelectorAll(S.statusNote).forEach((note, index) => {
    const field = `timeline[${index}]`;
    const pill = note.querySelector(S.newStatus);
    const newName = attrOf(pill, 'title');
    const rawDate = textOf(note.querySelector(S.noteDate));
    if (!newName) problems.missed(`${field}.to`, S.newStatus);
    if (!rawDate) problems.missed(`${field}.enteredAt`, S.noteDate);
    const at = readDate(rawDate, dates, `${field}.enteredAt`, problems);
    const oldName = pill ? oldStageName(pill) : null;
    if (!oldName)
      problems.add({
        code: 'field_missing',
        field: `${field}.from`,
        detail: cleanText(note.textContent),
        severity: 'warning',
      });
    if (!newName) return;
    changes.push({
      from: oldName ? resolve(oldName) : null,
      to: resolve(newName),
      at,
    });
  });
  return changes;
}

/**
 * The feed's note order is not documented (crm-markup.md: unconfirmed), so notes are put in time
 * order; amoCRM dates its notes to the minute, so no day-only time can jump ahead of its day. A note
 * whose date could not be read has no place in time: it goes last (it still tells where the deal started).
 */
function inTimeOrder(changes: StageChange[]): StageChange[] {
  const timed = changes.filter((change) => change.at !== null);
  timed.sort((a, b) => Date.parse(a.at!.instant) - Date.parse(b.at!.instant));
  return [...timed, ...changes.filter((change) => change.at === null)];
}

function readCreated(value: Element | null, dates: DateContext, problems: Problems): Moment | null {
  const raw = shownText(value);
  if (!raw) {
    problems.add({
      code: 'field_missing',
      field: 'deal.createdAt',
      detail: L.created.join(' | '),
      severity: 'warning',
    });
    return null;
  }
  return readDate(raw, dates, 'deal.createdAt', problems);
}

export function scrapeAmocrmDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
  const problems = new Problems();
  const fields = readFields(document);
  const nameElement = document.querySelector(S.dealName);
  if (!nameElement && fields.size === 0) {
    problems.add({
      code: 'page_not_understood',
      field: 'deal',
      detail: `${S.dealName} | ${S.dealField}`,
      severity: 'error',
    });
    return { data: null, problems: problems.list };
  }
  const dates = dateContext(document, context, { order: 'DMY' });
  const id = DEAL_ID_IN_URL.exec(context.url)?.[1] ?? null;
  if (!id) problems.add({ code: 'no_id', field: 'deal.id', detail: context.url, severity: 'error' });
  const name = shownText(nameElement);
  if (!name) problems.missed('deal.name', S.dealName);

  const budget = fieldValue(fields, L.budget);
  const amount = parseMoney(shownText(budget) ?? '');
  if (!budget) problems.missed('deal.amount', `${S.dealField} (${L.budget.join(' | ')})`);
  else if (!amount) problems.unparsed('deal.amount', shownText(budget) ?? '', 'amount_unparsed');

  const responsible = fieldValue(fields, L.responsible);
  const owner = readOwner(responsible);
  if (!owner)
    problems.missed('deal.owner', `${S.dealField} (${L.responsible.join(' | ')}) ${S.selectCaption}`);

  const select = readStatusSelect(document);
  if (!select) problems.missed('deal.stage', `${S.pipelineGroup} ${S.statusInput}`);
  const current = select?.current ?? null;
  const created = readCreated(fieldValue(fields, L.created), dates, problems);
  const changes = readChanges(
    document,
    dates,
    stageResolver(select?.stages ?? [], (name) => amocrmStage(null, name), problems),
    problems,
  );

  return {
    data: {
      crm: 'amocrm',
      id,
      url: context.url,
      name: name ?? '',
      pipeline: select?.pipeline ?? null,
      stage: current,
      amount,
      createdAt: created?.instant ?? null,
      modifiedAt: null,
      closedAt: null,
      owner,
      contacts: readContacts(document, problems),
      history: buildHistory(inTimeOrder(changes), current, created, problems),
    },
    problems: problems.list,
  };
}
