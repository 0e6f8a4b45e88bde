import { attrOf, cleanText, Problems, textOf } from '../../dom';
import { buildHistory, type Moment, type StageChange } from '../../history';
import type {
  CrmCompany,
  CrmContact,
  CrmDeal,
  CrmPipeline,
  CrmStage,
  CrmUser,
  Money,
  ScrapeContext,
  ScrapeResult,
} from '../../model';
import type { DateContext } from '../../parse/dates';
import { normalizeEmails } from '../../parse/emails';
import { parseMoney } from '../../parse/money';
import { dateContext, readDate } from '../../read';
import { dealExtras } from '../extras';
import {
  type AmocrmSelector,
  amocrmOldStagePrefixes,
  amocrmChains as C,
  amocrmSelectors as S,
} from './selectors';
import { amocrmStage, amocrmStageNamed } from './stages';

const DEAL_ID_IN_URL = /\/leads\/detail\/(\d+)/;
const CONTACT_ID_IN_URL = /\/contacts\/detail\/(\d+)/;
const COMPANY_ID_IN_URL = /\/companies\/detail\/(\d+)/;

/** The first link of a chain that matches under `root`, and which link it was. */
function firstOf(
  root: ParentNode,
  chain: readonly AmocrmSelector[],
): { element: Element; link: AmocrmSelector } | null {
  for (const link of chain) {
    const element = root.querySelector(S[link]);
    if (element) return { element, link };
  }
  return null;
}

function fallbackUsed(problems: Problems, field: string, selector: string): void {
  problems.add({ code: 'fallback_used', field, detail: selector, severity: 'warning' });
}

/** A form control's live value (the user may have edited it), trimmed; `null` when empty. */
function inputValue(element: Element | null | undefined): string | null {
  if (!element) return null;
  const value = cleanText((element as HTMLInputElement).value ?? element.getAttribute('value'));
  return value === '' ? null : value;
}

/** One pipeline's stages as the page lists them, with their status ids. */
interface StageList {
  /** `null` for a one-pipeline select on a page that gives no pipeline id. */
  pipeline: CrmPipeline | null;
  stages: CrmStage[];
  /** The block holding the pipeline's radios, for the several-pipelines fallback. */
  block: Element | null;
}

function listedStage(id: string | null, name: string | null): CrmStage | null {
  return id && name ? amocrmStage(id, name) : null;
}

/** Several pipelines: each pipeline's radio is followed by its block (caption + stage radios). */
function severalPipelines(document: Document): StageList[] {
  const lists: StageList[] = [];
  for (const radio of document.querySelectorAll(S.pipelineRadio)) {
    const block = radio.nextElementSibling;
    const id = attrOf(radio, 'value');
    if (!id || !block?.matches(S.pipelineBlock)) continue;
    const stages: CrmStage[] = [];
    for (const item of block.querySelectorAll(S.pipelineStatusItem)) {
      const stage = listedStage(
        attrOf(item.querySelector(S.pipelineStatusInput), 'value'),
        textOf(item.querySelector(S.pipelineStatusText)),
      );
      if (stage) stages.push(stage);
    }
    const name = attrOf(block.querySelector(S.pipelineCaption), 'title') ?? id;
    lists.push({ pipeline: { id, name }, stages, block });
  }
  return lists;
}

/** One pipeline: a plain select of its stages; the page names no pipeline, so its id stands for the name. */
function singlePipeline(document: Document, pipelineId: string | null): StageList[] {
  const stages: CrmStage[] = [];
  for (const item of document.querySelectorAll(S.singleStatusItem)) {
    const stage = listedStage(attrOf(item, 'data-value'), textOf(item));
    if (stage) stages.push(stage);
  }
  if (stages.length === 0) return [];
  return [{ pipeline: pipelineId ? { id: pipelineId, name: pipelineId } : null, stages, block: null }];
}

interface CurrentStage {
  pipeline: CrmPipeline | null;
  stage: CrmStage;
}

/** A status in the page's lists: the given pipeline's, or any when the pipeline is not known. */
function listed(lists: StageList[], pipelineId: string | null, statusId: string): CrmStage | undefined {
  return lists
    .filter((list) => pipelineId === null || list.pipeline?.id === pipelineId)
    .flatMap((list) => list.stages)
    .find((stage) => stage.id === statusId);
}

function pipelineOf(lists: StageList[], id: string | null, shownName: string | null): CrmPipeline | null {
  if (!id) return null;
  return { id, name: shownName ?? lists.find((list) => list.pipeline?.id === id)?.pipeline?.name ?? id };
}

/** The stage the page says the deal is in, and its pipeline. */
function currentStage(document: Document, lists: StageList[], problems: Problems): CurrentStage | null {
  const found = firstOf(document, C.stage);
  if (!found) {
    problems.missed('deal.stage', C.stage.map((link) => S[link]).join(' | '));
    return null;
  }
  const { element, link } = found;
  let pipelineId: string | null;
  let statusId: string | null;
  let name: string | null = null;
  let pipelineName: string | null = null;
  if (link === 'stageView') {
    pipelineId = attrOf(element, 'data-pipeline-id');
    statusId = attrOf(element, 'data-status-id');
    name = textOf(element.querySelector(S.stageViewName));
    pipelineName = textOf(element.querySelector(S.stageViewPipeline));
  } else if (link === 'pipelineRadio') {
    // The first status radio in the DOM belongs to the first pipeline: take the checked pipeline's own.
    const list = lists.find(
      (each) => (each.block?.previousElementSibling as HTMLInputElement | null)?.checked,
    );
    pipelineId = list?.pipeline?.id ?? null;
    statusId = attrOf(
      [...(list?.block?.querySelectorAll<HTMLInputElement>(S.pipelineStatusInput) ?? [])].find(
        (input) => input.checked,
      ),
      'value',
    );
    fallbackUsed(
      problems,
      'deal.stage',
      `${S.pipelineRadio}:checked + ${S.pipelineBlock} ${S.pipelineStatusInput}:checked`,
    );
  } else {
    pipelineId = inputValue(document.querySelector(`${S.pipelineSelectedInput}, ${S.readonlyPipelineInput}`));
    statusId = inputValue(element);
    fallbackUsed(problems, 'deal.stage', S[link]);
  }
  if (!statusId) {
    problems.missed('deal.stage', S[link]);
    return null;
  }
  name ??= listed(lists, pipelineId, statusId)?.name ?? null;
  if (!name) problems.missed('deal.stage.name', S.stageViewName);
  return {
    pipeline: pipelineOf(lists, pipelineId, pipelineName),
    stage: amocrmStage(statusId, name ?? statusId),
  };
}

/**
 * Stage names as the feed shows them, to the status ids the page lists: in the pipeline the note
 * names, else the deal's pipeline, else any other. The current stage is known even where the page
 * lists no stages (a read-only user); a name found nowhere is reported once and keyed by itself.
 */
function stageResolver(
  lists: StageList[],
  current: CurrentStage | null,
  problems: Problems,
): (name: string, pipelineName: string | null) => CrmStage {
  const lower = (text: string) => text.toLowerCase();
  const reported = new Set<string>();
  return (name, pipelineName) => {
    const order = [
      ...lists.filter((list) => pipelineName && lower(list.pipeline?.name ?? '') === lower(pipelineName)),
      ...lists.filter((list) => list.pipeline?.id === current?.pipeline?.id),
      ...lists,
    ];
    for (const list of order) {
      const stage = list.stages.find((each) => lower(each.name) === lower(name));
      if (stage) return stage;
    }
    if (current && lower(current.stage.name) === lower(name)) return current.stage;
    const named = amocrmStageNamed(name);
    if (named.outcome === null && !reported.has(name)) {
      reported.add(name);
      problems.add({ code: 'stage_id_unknown', field: 'history', detail: name, severity: 'warning' });
    }
    return named;
  };
}

function readOwner(document: Document, problems: Problems): CrmUser | null {
  const found = firstOf(document, C.owner);
  if (!found) {
    problems.missed('deal.owner', C.owner.map((link) => S[link]).join(' | '));
    return null;
  }
  const { element, link } = found;
  if (link !== 'owner') fallbackUsed(problems, 'deal.owner', S[link]);
  if (link === 'owner')
    return { id: attrOf(element, 'data-id'), name: attrOf(element, 'data-title') ?? textOf(element) ?? '' };
  if (link === 'ownerNoRights') {
    const name = textOf(element);
    return name ? { id: null, name } : null;
  }
  // The checkbox sits in the user's list item, beside the name.
  const name = textOf(element.closest('li'));
  return name ? { id: inputValue(element), name } : null;
}

function rawAmount(raw: string): Money | null {
  const amount = Number(raw);
  return Number.isFinite(amount) ? { amount, currency: null, rounded: false } : null;
}

/** amoCRM renders a zero budget as empty fields, so an empty one is no amount. */
function readAmount(document: Document, problems: Problems): Money | null {
  const found = firstOf(document, C.amount);
  if (!found) {
    problems.missed('deal.amount', C.amount.map((link) => S[link]).join(' | '));
    return null;
  }
  const { element, link } = found;
  if (link !== 'budgetRaw') fallbackUsed(problems, 'deal.amount', S[link]);
  const raw = link === 'budgetTitle' ? textOf(element) : inputValue(element);
  if (!raw) return null;
  // The raw input holds a plain number; the others show it formatted.
  const amount = link === 'budgetRaw' ? rawAmount(raw) : parseMoney(raw);
  if (!amount) problems.unparsed('deal.amount', raw, 'amount_unparsed');
  return amount && amount.amount !== 0 ? amount : null;
}

function readPhones(item: Element, field: string, problems: Problems): string[] {
  const phones: string[] = [];
  const digits = new Set<string>();
  for (const block of item.querySelectorAll(S.contactPhone)) {
    // The first link with a value: an empty row (for adding a number) has none.
    const link = C.phone.find((each) => inputValue(block.querySelector(S[each])));
    const value = link && inputValue(block.querySelector(S[link]));
    if (!link || !value) continue;
    if (link !== 'phoneFormatted') fallbackUsed(problems, field, S[link]);
    // The raw phone input also matches a pei input: one number, shown twice.
    const key = value.replace(/\D/g, '');
    if (digits.has(key)) continue;
    digits.add(key);
    phones.push(value);
  }
  return phones;
}

function readContactName(item: Element, field: string, problems: Problems): string {
  const name = inputValue(item.querySelector(S.contactName));
  if (name) return name;
  const parts = [S.contactFirstName, S.contactLastName].map((selector) =>
    inputValue(item.querySelector(selector)),
  );
  const joined = parts.filter(Boolean).join(' ');
  if (joined) fallbackUsed(problems, field, `${S.contactFirstName} + ${S.contactLastName}`);
  else problems.missed(field, S.contactName);
  return joined;
}

function readContact(item: Element, index: number, problems: Problems): CrmContact {
  const field = `deal.contacts[${index}]`;
  let id = inputValue(item.querySelector(S.contactId));
  if (!id) {
    id = CONTACT_ID_IN_URL.exec(attrOf(item.querySelector(S.contactLink), 'href') ?? '')?.[1] ?? null;
    if (id) fallbackUsed(problems, `${field}.id`, S.contactLink);
    else problems.missed(`${field}.id`, S.contactId);
  }
  const emails = peiEmails(item);
  return {
    id,
    name: readContactName(item, `${field}.name`, problems),
    phones: readPhones(item, `${field}.phones`, problems),
    emails: normalizeEmails(emails),
    createdAt: null,
  };
}

/** Text after the new stage's pill (or after the pipeline block holding it): «из Переговоры». */
function oldStageName(anchor: Element): string | null {
  let text = '';
  for (let node = anchor.nextSibling; node; node = node.nextSibling) text += node.textContent ?? '';
  const words = cleanText(text).split(' ');
  const first = words[0]?.toLowerCase() ?? '';
  const rest = amocrmOldStagePrefixes.some((prefix) => prefix === first) ? words.slice(1) : words;
  return rest.join(' ') || null;
}

function readChanges(
  document: Document,
  dates: DateContext,
  resolve: (name: string, pipelineName: string | null) => CrmStage,
  problems: Problems,
): StageChange[] {
  const changes: StageChange[] = [];
  document.querySelectorAll(S.statusNote).forEach((note, index) => {
    const field = `timeline[${index}]`;
    const change = note.querySelector(S.statusChange);
    const pill = change?.querySelector(S.newStatus) ?? null;
    const newName = attrOf(pill, 'title');
    const rawDate = textOf(note.querySelector(S.noteDate));
    if (!newName) problems.missed(`${field}.to`, `${S.statusChange} ${S.newStatus}`);
    if (!rawDate) problems.missed(`${field}.enteredAt`, S.noteDate);
    const at = readDate(rawDate, dates, `${field}.enteredAt`, problems);
    if (!pill || !newName) return;
    // With several pipelines the pill sits in a pipeline block, after the pipeline's name.
    const pipelineBlock = pill.closest(S.notePipeline);
    const pipelineName = textOf(pipelineBlock?.querySelector(S.notePipelineName));
    const oldName = oldStageName(pipelineBlock && change?.contains(pipelineBlock) ? pipelineBlock : pill);
    // amoCRM leaves out «из X» when it no longer knows the old stage; a first change without it hides where the deal began.
    if (!oldName)
      problems.add({
        code: 'field_missing',
        field: `${field}.from`,
        detail: cleanText([textOf(change?.querySelector(S.statusLabel)), pipelineName, newName].join(' ')),
        severity: 'warning',
      });
    changes.push({
      from: oldName ? resolve(oldName, pipelineName) : null,
      to: resolve(newName, pipelineName),
      at,
    });
  });
  return changes;
}

/** Notes the page has not loaded or keeps folded may hold stage changes. */
function reportUnloadedNotes(document: Document, problems: Problems): void {
  for (const selector of [S.feedLoadMore, S.feedGrouped]) {
    if (document.querySelector(selector))
      problems.add({
        code: 'history_truncated',
        field: 'deal.history',
        detail: selector,
        severity: 'warning',
      });
  }
}

/**
 * The feed's note order is not documented, so notes are put in time order; amoCRM dates its notes
 * to the minute. A note whose date could not be read has no place in time: it goes last (it still
 * tells where the deal started).
 */
function inTimeOrder(changes: StageChange[]): StageChange[] {
  const timed = changes.filter((change) => change.at !== null);
  timed.sort((a, b) => Date.parse(a.at!.instant) - Date.parse(b.at!.instant));
  return [...timed, ...changes.filter((change) => change.at === null)];
}

/** The page shows no creation date field: the feed's creation note carries it (inferred). */
function readCreated(document: Document, dates: DateContext, problems: Problems): Moment | null {
  const raw = textOf(document.querySelector(`${S.createdNote} ${S.noteDate}`));
  if (!raw) {
    problems.add({
      code: 'field_missing',
      field: 'deal.createdAt',
      detail: `${S.createdNote} ${S.noteDate}`,
      severity: 'warning',
    });
    return null;
  }
  return readDate(raw, dates, 'deal.createdAt', problems);
}

function peiEmails(item: Element): string[] {
  return [...item.querySelectorAll(S.contactEmail)].flatMap((block) =>
    [...block.querySelectorAll(S.emailValue)]
      .map(inputValue)
      .filter((value): value is string => value !== null),
  );
}

/**
 * The first linked company with its own phones and e-mails; else a company link elsewhere on the
 * card, by name. Never a contact: CoMagic gets it as the deal's company.
 */
function readCompany(document: Document, problems: Problems): CrmCompany | null {
  const item = document.querySelector(S.company);
  if (item) {
    const href = attrOf(item.querySelector(S.companyLink), 'href') ?? '';
    const id = inputValue(item.querySelector(S.contactId)) ?? COMPANY_ID_IN_URL.exec(href)?.[1] ?? null;
    const name = inputValue(item.querySelector(S.contactName));
    if (name) {
      return {
        id,
        name,
        phones: readPhones(item, 'deal.company.phones', problems),
        emails: normalizeEmails(peiEmails(item)),
      };
    }
  }
  const link = document.querySelector(S.anyCompanyLink);
  const name = textOf(link);
  if (!link || !name) return null;
  fallbackUsed(problems, 'deal.company', S.anyCompanyLink);
  return { id: COMPANY_ID_IN_URL.exec(attrOf(link, 'href') ?? '')?.[1] ?? null, name };
}

function readContacts(document: Document, problems: Problems): CrmContact[] {
  if (!document.querySelector(S.contactsList)) {
    problems.missed('deal.contacts', S.contactsList);
    return [];
  }
  return [...document.querySelectorAll(S.contact)].map((item, index) => readContact(item, index, problems));
}

export function scrapeAmocrmDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
  const problems = new Problems();
  const nameElement = document.querySelector(S.dealName);
  if (!nameElement && !document.querySelector(S.dealCard)) {
    problems.add({
      code: 'page_not_understood',
      field: 'deal',
      detail: `${S.dealName} | ${S.dealCard}`,
      severity: 'error',
    });
    return { data: null, problems: problems.list };
  }
  const dates = dateContext(document, context, { order: 'DMY' });
  const id = DEAL_ID_IN_URL.exec(context.url)?.[1] ?? null;
  if (!id) problems.add({ code: 'no_id', field: 'deal.id', detail: context.url, severity: 'error' });
  const name = inputValue(nameElement) ?? textOf(nameElement);
  if (!name) problems.missed('deal.name', S.dealName);

  const viewPipelineId = attrOf(document.querySelector(S.stageView), 'data-pipeline-id');
  const severalLists = severalPipelines(document);
  const lists =
    severalLists.length > 0
      ? severalLists
      : singlePipeline(
          document,
          viewPipelineId ?? inputValue(document.querySelector(S.readonlyPipelineInput)),
        );
  const current = currentStage(document, lists, problems);
  const amount = readAmount(document, problems);
  const owner = readOwner(document, problems);
  const created = readCreated(document, dates, problems);
  const changes = readChanges(document, dates, stageResolver(lists, current, problems), problems);
  reportUnloadedNotes(document, problems);

  return {
    data: {
      crm: 'amocrm',
      id,
      url: context.url,
      name: name ?? '',
      pipeline: current?.pipeline ?? null,
      stage: current?.stage ?? null,
      amount,
      createdAt: created?.instant ?? null,
      modifiedAt: null,
      closedAt: null,
      owner,
      contacts: readContacts(document, problems),
      history: buildHistory(inTimeOrder(changes), current?.stage ?? null, created, problems),
      ...dealExtras({
        company: readCompany(document, problems),
        source: null,
        tags: [...document.querySelectorAll(S.tag)].map((tag) => textOf(tag) ?? ''),
        description: null,
        fields: {},
      }),
    },
    problems: problems.list,
  };
}
