import { attrOf, cleanText, Problems, shownText, textOf } from '../dom';
import { buildHistory, type StageChange } from '../history';
import type {
  Adapter,
  CrmBoard,
  CrmContact,
  CrmDeal,
  CrmPipeline,
  CrmStage,
  Money,
  Problem,
  ScrapeContext,
  ScrapeResult,
  StageOutcome,
} from '../model';
import type { DateContext } from '../parse/dates';
import { normalizeEmails } from '../parse/emails';
import { absoluteUrl, dateContext, readDate, readMoney, unreadDeal } from '../read';
import { isValidSelector, safeRegExp } from './safe';
import type { DealLayout, FieldRule, Recipe } from './schema';
import { urlMatches } from './url-pattern';

/** One link of a field's chain, ready to run inside a scope element. */
interface Link {
  /** The value; with `all`, every match joined by a space. */
  one(scope: Element, url: string): string | null;
  /** The values: every match with `all`, else the first. */
  list(scope: Element, url: string): string[];
  /** What the link looks for, for problems and for the recipe test's table. */
  where: string;
  /** What an amount read by this link is multiplied by. */
  factor: number;
}

/** A label as it is compared: without case, spacing or the colon and asterisk forms put after it. */
function labelKey(text: string | null | undefined): string {
  return cleanText(text)
    .replace(/\s*[:：*]+$/, '')
    .toLowerCase();
}

function isControl(element: Element): boolean {
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** Whether an element shows something: text, or a form control (an empty input is still the value). */
function showsValue(element: Element): boolean {
  return (
    isControl(element) ||
    element.querySelector('input, textarea, select') !== null ||
    textOf(element) !== null
  );
}

/**
 * The element holding the value a label names: the control a `<label for>` points at or wraps, else
 * the first sibling after the label (or after its nearest ancestor that has one) that shows something,
 * as "Budget | $12,000" sits in a row, a `dt`/`dd` pair or a form item.
 */
function valueBeside(label: Element, scope: Element): Element | null {
  if (label.tagName === 'LABEL') {
    const target = label.getAttribute('for');
    const control = target
      ? label.ownerDocument.getElementById(target)
      : label.querySelector('input, textarea, select');
    if (control) return control;
  }
  for (let at: Element | null = label; at && at !== scope; at = at.parentElement) {
    for (let sibling = at.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
      if (showsValue(sibling)) return sibling;
    }
  }
  return null;
}

/** The innermost elements under `scope` (among `among`) whose whole text is one of the labels. */
function labelsIn(scope: Element, wanted: Set<string>, among: string | undefined): Element[] {
  return [...scope.querySelectorAll(among ?? '*')].filter(
    (element) =>
      wanted.has(labelKey(element.textContent)) &&
      ![...element.children].some((child) => wanted.has(labelKey(child.textContent))),
  );
}

type Step = NonNullable<FieldRule['steps']>[number];

function stepFrom(element: Element | null, step: Step): Element | null {
  if (!element) return null;
  if (step.up !== undefined) return element.parentElement?.closest(step.up) ?? null;
  if (step.find !== undefined) return element.querySelector(step.find);
  const [selector, forward] = step.next !== undefined ? [step.next, true] : [step.prev ?? '*', false];
  for (
    let sibling = forward ? element.nextElementSibling : element.previousElementSibling;
    sibling;
    sibling = forward ? sibling.nextElementSibling : sibling.previousElementSibling
  ) {
    if (sibling.matches(selector)) return sibling;
  }
  return null;
}

function link(rule: FieldRule): Link {
  const regex = rule.regex === undefined ? null : safeRegExp(rule.regex);
  const changes = (rule.transform ?? []).map((change) => {
    if (change.replace !== undefined) {
      const pattern = safeRegExp(change.replace);
      const global = pattern && new RegExp(pattern.source, 'g');
      return (text: string) => (global ? text.replace(global, change.with ?? '') : text);
    }
    if (change.trim !== undefined) {
      const chars = new Set(change.trim);
      return (text: string) => {
        let from = 0;
        let to = text.length;
        while (from < to && chars.has(text[from] ?? '')) from++;
        while (to > from && chars.has(text[to - 1] ?? '')) to--;
        return text.slice(from, to);
      };
    }
    return (text: string) => text;
  });
  const finish = (raw: string | null): string | null => {
    if (raw === null) return null;
    let text = raw;
    if (regex) {
      const match = regex.exec(text);
      if (!match) return null;
      text = match[1] ?? match[0];
    }
    for (const change of changes) text = change(text);
    return cleanText(text) || null;
  };
  const readElement = (element: Element | null) =>
    finish(rule.from === 'attr' ? attrOf(element, rule.attr ?? '') : shownText(element));
  const wanted = rule.label && new Set(rule.label.map(labelKey));
  const moved = (element: Element | null) => (rule.steps ?? []).reduce(stepFrom, element);
  /**
   * The elements the rule reads: by label, by selector, or the scope itself, each moved by the steps.
   * Without `all`, the candidates in order (the same label may show elsewhere, a user menu's "Manager").
   */
  const found = (scope: Element, every: boolean): Element[] => {
    if (wanted) {
      const values = labelsIn(scope, wanted, rule.selector)
        .map((label) => moved(valueBeside(label, scope)))
        .filter((element) => element !== null);
      const first = values[0];
      // With a label, `all` lists the value's items (tags shown as chips), or the value itself.
      if (!every || !first) return values;
      return first.children.length > 0 ? [...first.children] : [first];
    }
    if (rule.selector === undefined) return [moved(scope)].filter((element) => element !== null);
    if (!every) return [moved(scope.querySelector(rule.selector))].filter((element) => element !== null);
    return [...scope.querySelectorAll(rule.selector)].map(moved).filter((element) => element !== null);
  };
  const all = (scope: Element, url: string): string[] => {
    if (rule.from === 'url') return [finish(url)].filter((value) => value !== null);
    return found(scope, true)
      .map(readElement)
      .filter((value) => value !== null);
  };
  const one = (scope: Element, url: string): string | null => {
    if (rule.all) return all(scope, url).join(' ') || null;
    if (rule.from === 'url') return finish(url);
    for (const element of found(scope, false)) {
      const value = readElement(element);
      if (value !== null) return value;
    }
    return null;
  };
  return {
    one,
    list: (scope, url) => {
      if (rule.all) return all(scope, url);
      const value = one(scope, url);
      return value === null ? [] : [value];
    },
    where: whereOf(rule),
    factor: (rule.transform ?? []).reduce((factor, change) => factor * (change.multiply ?? 1), 1),
  };
}

/** A link as the problems and the recipe test name it: `label "Budget" → next *`, `a.deal @href /id=(\d+)/`. */
export function whereOf(rule: FieldRule): string {
  return [
    rule.from === 'url'
      ? 'page URL'
      : rule.label
        ? `label "${rule.label.join('" | "')}"`
        : (rule.selector ?? 'element'),
    rule.label && rule.selector && `in ${rule.selector}`,
    ...(rule.steps ?? []).map(
      (step) => Object.entries(step).map(([move, selector]) => `→ ${move} ${selector}`)[0],
    ),
    rule.attr && `@${rule.attr}`,
    rule.regex && `/${rule.regex}/`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** A field's links, tried in order. */
interface Reader {
  links: Link[];
  /** The first link's description: what a miss is reported with. */
  where: string;
}

/** Saved recipes are parsed into lists; a single rule is accepted too (a recipe built in code). */
function reader(rules: FieldRule | FieldRule[]): Reader {
  const links = (Array.isArray(rules) ? rules : [rules]).map(link);
  return { links, where: links.map((each) => each.where).join(' | ') };
}

/** An optional rule: absent from the recipe means nothing to read and nothing to report. */
function optional(rules: FieldRule | FieldRule[] | undefined): Reader | null {
  return rules === undefined ? null : reader(rules);
}

/** What a field read: the value, the link that found it (its index), and for amounts its factor. */
interface Found<T> {
  value: T;
  index: number;
  factor: number;
}

function firstOf(field: Reader, scope: Element, url: string): Found<string> | null {
  for (let index = 0; index < field.links.length; index++) {
    const each = field.links[index] as Link;
    const value = each.one(scope, url);
    if (value !== null) return { value, index, factor: each.factor };
  }
  return null;
}

function firstListOf(field: Reader, scope: Element, url: string): Found<string[]> | null {
  for (let index = 0; index < field.links.length; index++) {
    const each = field.links[index] as Link;
    const value = each.list(scope, url);
    if (value.length > 0) return { value, index, factor: each.factor };
  }
  return null;
}

/**
 * Reads fields inside `scope`: a field that finds nothing is reported as `<prefix>.<key>`, one found
 * by a later link of its chain as `fallback_used` naming that link; a field the recipe leaves out
 * reads nothing and is not reported.
 */
function fieldReader(
  scope: Element,
  url: string,
  prefix: string,
  problems: Problems,
  dealId?: string | null,
) {
  const noted = <T>(field: Reader, key: string, found: Found<T> | null, severity: Problem['severity']) => {
    if (found === null) problems.missed(`${prefix}.${key}`, field.where, severity, dealId);
    else if (found.index > 0) {
      problems.add({
        code: 'fallback_used',
        field: `${prefix}.${key}`,
        detail: (field.links[found.index] as Link).where,
        severity: 'warning',
        dealId,
      });
    }
    return found;
  };
  const read = (field: Reader | null, key: string, severity: Problem['severity'] = 'warning') =>
    field ? noted(field, key, firstOf(field, scope, url), severity) : null;
  return {
    text: (field: Reader | null, key: string, severity: Problem['severity'] = 'warning'): string | null =>
      read(field, key, severity)?.value ?? null,
    list: (field: Reader | null, key: string): string[] =>
      (field ? noted(field, key, firstListOf(field, scope, url), 'warning')?.value : null) ?? [],
    /** An amount, multiplied as the link that read it says. */
    money: (field: Reader | null, key: string): Money | null => {
      const found = read(field, key);
      const money = readMoney(found?.value ?? null, `${prefix}.${key}`, problems, dealId);
      if (!money || !found || found.factor === 1) return money;
      return { ...money, amount: Number((money.amount * found.factor).toPrecision(15)) };
    },
  };
}

/** Every selector of a recipe with where it sits, to check them on the page before use. */
function selectorsOf(recipe: Recipe): [string, string][] {
  const found: [string, string][] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      const isSelector =
        [
          'selector',
          'column',
          'card',
          'more',
          'item',
          'entry',
          'scope',
          'up',
          'next',
          'prev',
          'find',
        ].includes(key) || path === 'detect';
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
  // The recipe's own id by default: two recipes never share a CoMagic funnel.
  const fallbackPipeline: CrmPipeline = { id: recipe.id, name: recipe.label };
  const { id: idRule, name: nameRule } = recipe.pipeline ?? {};
  const pipelineRules = {
    id: typeof idRule === 'string' ? null : optional(idRule),
    name: typeof nameRule === 'string' ? null : optional(nameRule),
  };
  const pipelineBase: CrmPipeline = {
    id: typeof idRule === 'string' ? idRule : fallbackPipeline.id,
    name: typeof nameRule === 'string' ? nameRule : fallbackPipeline.name,
  };
  const pipelineOf = (document: Document, url: string, problems: Problems): CrmPipeline => {
    const root = document.documentElement;
    if ((!pipelineRules.id && !pipelineRules.name) || !root) return pipelineBase;
    const read = fieldReader(root, url, 'pipeline', problems);
    return {
      id: read.text(pipelineRules.id, 'id') ?? pipelineBase.id,
      name: read.text(pipelineRules.name, 'name') ?? pipelineBase.name,
    };
  };
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
  const dealShell = (url: string, pipeline: CrmPipeline): CrmDeal => ({ ...unreadDeal(id, url), pipeline });

  const board = recipe.board && {
    column: recipe.board.column,
    card: recipe.board.card,
    more: recipe.board.more,
    stageId: optional(recipe.board.stageId),
    stageName: optional(recipe.board.stageName),
    id: reader(recipe.board.fields.id),
    name: reader(recipe.board.fields.name),
    amount: optional(recipe.board.fields.amount),
    contact: optional(recipe.board.fields.contact),
    owner: optional(recipe.board.fields.owner),
    date: optional(recipe.board.fields.date),
    url: optional(recipe.board.fields.url),
    stage: optional(recipe.board.fields.stage),
    cardStageId: optional(recipe.board.fields.stageId),
    company: optional(recipe.board.fields.company),
    source: optional(recipe.board.fields.source),
    tags: optional(recipe.board.fields.tags),
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
    const pipeline = pipelineOf(document, url, problems);
    const stages = new Map<string, CrmStage>();
    const deals: CrmDeal[] = [];
    const incompleteStages: string[] = [];
    const columns = document.querySelectorAll(board.column);
    if (columns.length === 0) problems.missed('board.columns', board.column, 'error');
    columns.forEach((column, index) => {
      const readColumn = fieldReader(column, url, `board.column[${index}]`, problems);
      const name = readColumn.text(board.stageName, 'name', 'error');
      const stageId = board.stageId ? readColumn.text(board.stageId, 'id') : name;
      const columnStage = stageId === null ? null : stageNamed(name ?? stageId, stageId);
      if (columnStage) stages.set(columnStage.id, columnStage);
      if (columnStage && board.more && column.querySelector(board.more))
        incompleteStages.push(columnStage.id);
      for (const card of column.querySelectorAll(board.card)) {
        const field = `card[${deals.length}]`;
        const dealId = firstOf(board.id, card, url)?.value ?? null;
        if (dealId === null)
          problems.add({ code: 'no_id', field: `${field}.id`, detail: board.id.where, severity: 'error' });
        const read = fieldReader(card, url, field, problems, dealId);
        const name = read.text(board.name, 'name', 'error');
        const cardStageName = read.text(board.stage, 'stage');
        const cardStageId = read.text(board.cardStageId, 'stageId');
        const cardStage =
          cardStageName === null && cardStageId === null
            ? null
            : stageNamed(cardStageName ?? (cardStageId as string), cardStageId ?? cardStageName ?? undefined);
        if (cardStage && !stages.has(cardStage.id)) stages.set(cardStage.id, cardStage);
        const contact = read.text(board.contact, 'contact');
        const owner = read.text(board.owner, 'owner');
        const company = read.text(board.company, 'company');
        const dealUrl = read.text(board.url, 'url');
        deals.push({
          ...dealShell(dealUrl === null ? url : (absoluteUrl(dealUrl, url) ?? dealUrl), pipeline),
          id: dealId,
          name: name ?? '',
          stage: cardStage ?? columnStage,
          amount: read.money(board.amount, 'amount'),
          createdAt:
            readDate(read.text(board.date, 'createdAt'), dates, `${field}.createdAt`, problems, dealId)
              ?.instant ?? null,
          owner: owner === null ? null : { id: null, name: owner },
          contacts:
            contact === null ? [] : [{ id: null, name: contact, phones: [], emails: [], createdAt: null }],
          ...(board.company && { company: company === null ? null : { id: null, name: company } }),
          ...(board.source && { source: read.text(board.source, 'source') }),
          ...(board.tags && { tags: read.list(board.tags, 'tags') }),
        });
      }
    });
    return {
      data: { crm: id, url, pipeline, stages: [...stages.values()], deals, incompleteStages },
      problems: problems.list,
    };
  }

  const layouts = (recipe.deal ? (Array.isArray(recipe.deal) ? recipe.deal : [recipe.deal]) : []).map(
    (layout: DealLayout) => ({
      scope: layout.scope,
      id: reader(layout.id),
      name: reader(layout.name),
      stage: reader(layout.stage),
      stageId: optional(layout.stageId),
      amount: optional(layout.amount),
      owner: optional(layout.owner),
      createdAt: optional(layout.createdAt),
      company: optional(layout.company),
      companyId: optional(layout.companyId),
      source: optional(layout.source),
      tags: optional(layout.tags),
      description: optional(layout.description),
      contacts: layout.contacts && {
        item: layout.contacts.item,
        id: optional(layout.contacts.id),
        url: optional(layout.contacts.url),
        name: reader(layout.contacts.name),
        phone: optional(layout.contacts.phone),
        email: optional(layout.contacts.email),
      },
      timeline: layout.timeline && {
        ...layout.timeline,
        date: reader(layout.timeline.date),
        newStage: reader(layout.timeline.newStage),
        oldStage: optional(layout.timeline.oldStage),
      },
    }),
  );
  type Layout = (typeof layouts)[number];

  /** The first layout whose scope is on the page (a layout without one always is), with that scope. */
  function layoutOn(document: Document): { layout: Layout; root: Element } | null {
    for (const layout of layouts) {
      const root =
        layout.scope === undefined ? document.documentElement : document.querySelector(layout.scope);
      if (root) return { layout, root };
    }
    return null;
  }

  function scrapeDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal> {
    const problems = invalidSelectors(document);
    if (problems.list.length > 0) return { data: null, problems: problems.list };
    const found =
      recipe.detect.deal && document.querySelector(recipe.detect.deal) ? layoutOn(document) : null;
    if (!found) {
      problems.add({ code: 'not_a_deal', field: 'deal', detail: recipe.detect.deal, severity: 'error' });
      return { data: null, problems: problems.list };
    }
    const { layout: deal, root } = found;
    const url = context.url;
    const dates = dateContext(document, context, recipe.dates);
    const pipeline = pipelineOf(document, url, problems);
    const read = fieldReader(root, url, 'deal', problems);
    const dealId = firstOf(deal.id, root, url)?.value ?? null;
    if (dealId === null)
      problems.add({ code: 'no_id', field: 'deal.id', detail: deal.id.where, severity: 'error' });
    const stageName = read.text(deal.stage, 'stage', 'error');
    const stageId = read.text(deal.stageId, 'stageId');
    const stage = stageName === null ? null : stageNamed(stageName, stageId ?? stageName);
    const owner = read.text(deal.owner, 'owner');
    const createdAt = readDate(read.text(deal.createdAt, 'createdAt'), dates, 'deal.createdAt', problems);
    const company = read.text(deal.company, 'company');
    const companyId = read.text(deal.companyId, 'companyId');
    return {
      data: {
        ...dealShell(url, pipeline),
        id: dealId,
        name: read.text(deal.name, 'name', 'error') ?? '',
        stage,
        amount: read.money(deal.amount, 'amount'),
        createdAt: createdAt?.instant ?? null,
        owner: owner === null ? null : { id: null, name: owner },
        contacts: readContacts(deal, root, url, problems),
        history: buildHistory(readChanges(deal, root, url, dates, problems), stage, createdAt),
        ...(deal.company && { company: company === null ? null : { id: companyId, name: company } }),
        ...(deal.source && { source: read.text(deal.source, 'source') }),
        ...(deal.tags && { tags: read.list(deal.tags, 'tags') }),
        ...(deal.description && { description: read.text(deal.description, 'description') }),
      },
      problems: problems.list,
    };
  }

  function readContacts(deal: Layout, root: Element, url: string, problems: Problems): CrmContact[] {
    const contacts = deal.contacts;
    if (!contacts) return [];
    return [...root.querySelectorAll(contacts.item)].flatMap((item, index) => {
      const read = fieldReader(item, url, `deal.contacts[${index}]`, problems);
      const name = read.text(contacts.name, 'name');
      if (name === null) return [];
      const phones = (contacts.phone && firstListOf(contacts.phone, item, url)?.value) ?? [];
      const emails = normalizeEmails((contacts.email && firstListOf(contacts.email, item, url)?.value) ?? []);
      if (phones.length === 0 && emails.length === 0) {
        problems.add({
          code: 'field_missing',
          field: `deal.contacts[${index}].phones`,
          detail: contacts.item,
          severity: 'warning',
        });
      }
      const contactUrl = read.text(contacts.url, 'url');
      return [
        {
          id: read.text(contacts.id, 'id') ?? (contactUrl && (absoluteUrl(contactUrl, url) ?? contactUrl)),
          name,
          phones,
          emails,
          createdAt: null,
        },
      ];
    });
  }

  function readChanges(
    deal: Layout,
    root: Element,
    url: string,
    dates: DateContext,
    problems: Problems,
  ): StageChange[] {
    const timeline = deal.timeline;
    if (!timeline) return [];
    const changes: StageChange[] = [];
    const needle = timeline.onlyIf?.textContains?.toLowerCase();
    const marker = timeline.onlyIf?.selector;
    const entries = [...root.querySelectorAll(timeline.entry)].filter(
      (entry) =>
        (needle === undefined || (entry.textContent ?? '').toLowerCase().includes(needle)) &&
        (marker === undefined || entry.querySelector(marker) !== null),
    );
    entries.forEach((entry, index) => {
      const field = `history[${index}]`;
      const to = firstOf(timeline.newStage, entry, url)?.value ?? null;
      if (to === null) problems.missed(`${field}.stage`, timeline.newStage.where);
      const dateText = firstOf(timeline.date, entry, url)?.value ?? null;
      if (dateText === null) problems.missed(`${field}.enteredAt`, timeline.date.where);
      const at = readDate(dateText, dates, `${field}.enteredAt`, problems);
      const from = timeline.oldStage ? (firstOf(timeline.oldStage, entry, url)?.value ?? null) : null;
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
