import { attrOf, cleanText, Problems, textOf } from '../dom';
import { buildHistory, type StageChange } from '../history';
import type {
  Adapter,
  CrmBoard,
  CrmDeal,
  CrmPipeline,
  CrmStage,
  Problem,
  ScrapeContext,
  ScrapeResult,
  StageOutcome,
} from '../model';
import type { DateContext } from '../parse/dates';
import { normalizeEmails } from '../parse/emails';
import { absoluteUrl, dateContext, readDate, readMoney, unreadDeal } from '../read';
import { isValidSelector, safeRegExp } from './safe';
import type { FieldRule, Recipe } from './schema';
import { urlMatches } from './url-pattern';

/** A field rule ready to run inside a scope element. */
interface Reader {
  /** The value; with `all`, every match joined by a space. */
  one(scope: Element, url: string): string | null;
  /** The values: every match with `all`, else the first. */
  list(scope: Element, url: string): string[];
  /** What the rule looks for, for problems. */
  where: string;
}

function reader(rule: FieldRule): Reader {
  const regex = rule.regex === undefined ? null : safeRegExp(rule.regex);
  const cut = (raw: string | null): string | null => {
    if (raw === null || rule.regex === undefined) return raw;
    const match = regex?.exec(raw);
    return match ? cleanText(match[1] ?? match[0]) || null : null;
  };
  const readElement = (element: Element | null) =>
    cut(rule.from === 'attr' ? attrOf(element, rule.attr ?? '') : textOf(element));
  const all = (scope: Element, url: string): string[] => {
    if (rule.from === 'url') return [cut(url)].filter((value) => value !== null);
    const elements = rule.selector === undefined ? [scope] : [...scope.querySelectorAll(rule.selector)];
    return elements.map(readElement).filter((value) => value !== null);
  };
  const one = (scope: Element, url: string): string | null => {
    if (rule.all) return all(scope, url).join(' ') || null;
    if (rule.from === 'url') return cut(url);
    return readElement(rule.selector === undefined ? scope : scope.querySelector(rule.selector));
  };
  return {
    one,
    list: (scope, url) => {
      if (rule.all) return all(scope, url);
      const value = one(scope, url);
      return value === null ? [] : [value];
    },
    where: [
      rule.from === 'url' ? 'page URL' : (rule.selector ?? 'element'),
      rule.attr && `@${rule.attr}`,
      rule.regex && `/${rule.regex}/`,
    ]
      .filter(Boolean)
      .join(' '),
  };
}

/** An optional rule: absent from the recipe means nothing to read and nothing to report. */
function optional(rule: FieldRule | undefined): Reader | null {
  return rule === undefined ? null : reader(rule);
}

/**
 * Reads rules inside `scope`: a rule that finds nothing is reported as `<prefix>.<key>`;
 * a rule the recipe leaves out reads nothing and is not reported.
 */
function fieldReader(
  scope: Element,
  url: string,
  prefix: string,
  problems: Problems,
  dealId?: string | null,
) {
  return (rule: Reader | null, key: string, severity: Problem['severity'] = 'warning'): string | null => {
    const value = rule ? rule.one(scope, url) : null;
    if (rule && value === null) problems.missed(`${prefix}.${key}`, rule.where, severity, dealId);
    return value;
  };
}

/** Every selector of a recipe with where it sits, to check them on the page before use. */
function selectorsOf(recipe: Recipe): [string, string][] {
  const found: [string, string][] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const isSelector =
        ['selector', 'column', 'card', 'more', 'item', 'entry'].includes(key) || path === 'detect';
      if (isSelector && typeof child === 'string') found.push([childPath, child]);
      else if (key !== 'urlPatterns') visit(child, childPath);
    }
  };
  visit(recipe, '');
  return found;
}

/** The user's recipe as an adapter, for a CRM that is not built in. */
export function recipeAdapter(recipe: Recipe): Adapter {
  const id = `recipe:${recipe.id}` as const;
  const pipeline: CrmPipeline = { id: 'default', name: recipe.label };
  const won = new Set((recipe.outcomes?.won ?? []).map((name) => name.toLowerCase()));
  const lost = new Set((recipe.outcomes?.lost ?? []).map((name) => name.toLowerCase()));
  const outcomeOf = (stageId: string, name: string): StageOutcome | null => {
    const keys = [stageId.toLowerCase(), name.toLowerCase()];
    if (keys.some((key) => won.has(key))) return 'won';
    if (keys.some((key) => lost.has(key))) return 'lost';
    return null;
  };
  const stageNamed = (name: string, stageId = name): CrmStage => ({
    id: stageId,
    name,
    outcome: outcomeOf(stageId, name),
  });

  /** Problems for selectors this page's DOM rejects; the scrape stops when there are any. */
  const invalidSelectors = (document: Document): Problems => {
    const problems = new Problems();
    for (const [path, selector] of selectorsOf(recipe)) {
      if (!isValidSelector(selector, document)) {
        problems.add({
          code: 'recipe_selector_invalid',
          field: `recipe.${path}`,
          detail: selector,
          severity: 'error',
        });
      }
    }
    return problems;
  };
  const dealShell = (url: string): CrmDeal => ({ ...unreadDeal(id, url), pipeline });

  const board = recipe.board && {
    column: recipe.board.column,
    card: recipe.board.card,
    more: recipe.board.more,
    stageId: optional(recipe.board.stageId),
    stageName: reader(recipe.board.stageName),
    id: reader(recipe.board.fields.id),
    name: reader(recipe.board.fields.name),
    amount: optional(recipe.board.fields.amount),
    contact: optional(recipe.board.fields.contact),
    owner: optional(recipe.board.fields.owner),
    date: optional(recipe.board.fields.date),
    url: optional(recipe.board.fields.url),
  };

  function scrapeBoard(document: Document, context: ScrapeContext): ScrapeResult<CrmBoard> {
    const problems = invalidSelectors(document);
    if (problems.list.length > 0) return { data: null, problems: problems.list };
    if (!board || !recipe.detect.board || !document.querySelector(recipe.detect.board)) {
      problems.add({ code: 'not_a_board', field: 'board', detail: recipe.detect.board, severity: 'error' });
      return { data: null, problems: problems.list };
    }
    const url = context.url;
    const dates = dateContext(document, context, recipe.dates);
    const stages: CrmStage[] = [];
    const deals: CrmDeal[] = [];
    const incompleteStages: string[] = [];
    const columns = document.querySelectorAll(board.column);
    if (columns.length === 0) problems.missed('board.columns', board.column, 'error');
    columns.forEach((column, index) => {
      const name = board.stageName.one(column, url);
      const stageId = board.stageId ? board.stageId.one(column, url) : name;
      if (name === null) problems.missed(`board.column[${index}].name`, board.stageName.where, 'error');
      if (board.stageId && stageId === null)
        problems.missed(`board.column[${index}].id`, board.stageId.where);
      const stage = stageId === null ? null : stageNamed(name ?? stageId, stageId);
      if (stage) stages.push(stage);
      if (stage && board.more && column.querySelector(board.more)) incompleteStages.push(stage.id);
      for (const card of column.querySelectorAll(board.card)) {
        const field = `card[${deals.length}]`;
        const dealId = board.id.one(card, url);
        if (dealId === null)
          problems.add({ code: 'no_id', field: `${field}.id`, detail: board.id.where, severity: 'error' });
        const read = fieldReader(card, url, field, problems, dealId);
        const name = read(board.name, 'name', 'error');
        const contact = read(board.contact, 'contact');
        const owner = read(board.owner, 'owner');
        const dealUrl = read(board.url, 'url');
        deals.push({
          ...dealShell(dealUrl === null ? url : (absoluteUrl(dealUrl, url) ?? dealUrl)),
          id: dealId,
          name: name ?? '',
          stage,
          amount: readMoney(read(board.amount, 'amount'), `${field}.amount`, problems, dealId),
          createdAt:
            readDate(read(board.date, 'createdAt'), dates, `${field}.createdAt`, problems, dealId)?.instant ??
            null,
          owner: owner === null ? null : { id: null, name: owner },
          contacts:
            contact === null ? [] : [{ id: null, name: contact, phones: [], emails: [], createdAt: null }],
        });
      }
    });
    return { data: { crm: id, url, pipeline, stages, deals, incompleteStages }, problems: problems.list };
  }

  const deal = recipe.deal && {
    id: reader(recipe.deal.id),
    name: reader(recipe.deal.name),
    stage: reader(recipe.deal.stage),
    amount: optional(recipe.deal.amount),
    owner: optional(recipe.deal.owner),
    createdAt: optional(recipe.deal.createdAt),
    contacts: recipe.deal.contacts && {
      item: recipe.deal.contacts.item,
      name: reader(recipe.deal.contacts.name),
      phone: optional(recipe.deal.contacts.phone),
      email: optional(recipe.deal.contacts.email),
    },
    timeline: recipe.deal.timeline && {
      ...recipe.deal.timeline,
      date: reader(recipe.deal.timeline.date),
      newStage: reader(recipe.deal.timeline.newStage),
      oldStage: optional(recipe.deal.timeline.oldStage),
    },
  };

  function scrapeDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
    const problems = invalidSelectors(document);
    if (problems.list.length > 0) return { data: null, problems: problems.list };
    const root = document.documentElement;
    if (!deal || !recipe.detect.deal || !root || !document.querySelector(recipe.detect.deal)) {
      problems.add({ code: 'not_a_deal', field: 'deal', detail: recipe.detect.deal, severity: 'error' });
      return { data: null, problems: problems.list };
    }
    const url = context.url;
    const dates = dateContext(document, context, recipe.dates);
    const read = fieldReader(root, url, 'deal', problems);
    const dealId = deal.id.one(root, url);
    if (dealId === null)
      problems.add({ code: 'no_id', field: 'deal.id', detail: deal.id.where, severity: 'error' });
    const stageName = read(deal.stage, 'stage', 'error');
    const stage = stageName === null ? null : stageNamed(stageName);
    const owner = read(deal.owner, 'owner');
    const createdAt = readDate(read(deal.createdAt, 'createdAt'), dates, 'deal.createdAt', problems);
    return {
      data: {
        ...dealShell(url),
        id: dealId,
        name: read(deal.name, 'name', 'error') ?? '',
        stage,
        amount: readMoney(read(deal.amount, 'amount'), 'deal.amount', problems),
        createdAt: createdAt?.instant ?? null,
        owner: owner === null ? null : { id: null, name: owner },
        contacts: readContacts(document, url, problems),
        history: buildHistory(readChanges(document, url, dates, problems), stage, createdAt),
      },
      problems: problems.list,
    };
  }

  function readContacts(document: Document, url: string, problems: Problems) {
    const contacts = deal?.contacts;
    if (!contacts) return [];
    return [...document.querySelectorAll(contacts.item)].flatMap((item, index) => {
      const name = contacts.name.one(item, url);
      if (name === null) {
        problems.missed(`deal.contacts[${index}].name`, contacts.name.where);
        return [];
      }
      const phones = contacts.phone?.list(item, url) ?? [];
      const emails = normalizeEmails(contacts.email?.list(item, url) ?? []);
      if (phones.length === 0 && emails.length === 0) {
        problems.add({
          code: 'field_missing',
          field: `deal.contacts[${index}].phones`,
          detail: contacts.item,
          severity: 'warning',
        });
      }
      return [{ id: null, name, phones, emails, createdAt: null }];
    });
  }

  function readChanges(
    document: Document,
    url: string,
    dates: DateContext,
    problems: Problems,
  ): StageChange[] {
    const timeline = deal?.timeline;
    if (!timeline) return [];
    const changes: StageChange[] = [];
    const needle = timeline.onlyIf?.textContains?.toLowerCase();
    const marker = timeline.onlyIf?.selector;
    const entries = [...document.querySelectorAll(timeline.entry)].filter(
      (entry) =>
        (needle === undefined || (entry.textContent ?? '').toLowerCase().includes(needle)) &&
        (marker === undefined || entry.querySelector(marker) !== null),
    );
    entries.forEach((entry, index) => {
      const field = `history[${index}]`;
      const to = timeline.newStage.one(entry, url);
      if (to === null) problems.missed(`${field}.stage`, timeline.newStage.where);
      const dateText = timeline.date.one(entry, url);
      if (dateText === null) problems.missed(`${field}.enteredAt`, timeline.date.where);
      const at = readDate(dateText, dates, `${field}.enteredAt`, problems);
      const from = timeline.oldStage?.one(entry, url) ?? null;
      if (to !== null)
        changes.push({ at, from: from === null ? null : stageNamed(from), to: stageNamed(to) });
    });
    return timeline.order === 'oldest-first' ? changes : changes.reverse();
  }

  return {
    id,
    label: recipe.label,
    detect(document, url) {
      if (!recipe.urlPatterns.some((pattern) => urlMatches(pattern, url))) return null;
      const has = (selector: string | undefined) =>
        selector !== undefined &&
        isValidSelector(selector, document) &&
        document.querySelector(selector) !== null;
      if (has(recipe.detect.deal)) return 'deal';
      if (has(recipe.detect.board)) return 'board';
      return null;
    },
    scrapeDeal,
    scrapeBoard,
  };
}
