/**
 * How much of a page one reading carries: the content script cuts what is longer (`boundReading`,
 * saying so in a problem) before the reading leaves the page, and the background's schema
 * (`schema.ts`) refuses what is still longer. A page the extension does not control may hold a
 * 200 KB amount text or a thousand contacts; cut on the page, the rest of the board is still read
 * instead of the whole reading being refused for one field. No zod here: this runs in the page.
 */
import type { CrmBoard, CrmContact, CrmDeal, CrmStage, Problem } from './model';

export const LIMITS = {
  /** Characters. */
  text: 200_000,
  id: 1_000,
  instant: 64,
  url: 8_000,
  phone: 200,
  email: 320,
  currency: 16,
  tag: 1_000,
  fieldName: 200,
  fieldValue: 10_000,
  problemCode: 100,
  problemField: 1_000,
  problemDetail: 10_000,
  reason: 10_000,
  adapterLabel: 200,
  /** Entries. */
  phones: 50,
  emails: 50,
  contacts: 200,
  history: 1_000,
  tags: 200,
  fields: 200,
  stages: 500,
  deals: 20_000,
  reasons: 1_000,
  problems: 100_000,
} as const;

/** Where a cut is noted: the field (`deal.name`), the limit, and the card's deal when on a board. */
export type Note = (code: 'text_truncated' | 'list_truncated', field: string, limit: number) => void;

/** The first `max` characters, without splitting a character written as two UTF-16 units. */
function head(text: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

function text(value: string, max: number, field: string, note: Note): string {
  if (value.length <= max) return value;
  note('text_truncated', field, max);
  return head(value, max);
}

function maybeText(value: string | null, max: number, field: string, note: Note): string | null {
  return value === null ? null : text(value, max, field, note);
}

function list<T>(values: T[], max: number, field: string, note: Note): T[] {
  if (values.length <= max) return values;
  note('list_truncated', field, max);
  return values.slice(0, max);
}

function texts(values: string[], count: number, length: number, field: string, note: Note): string[] {
  return list(values, count, field, note).map((value) => text(value, length, field, note));
}

function stage(value: CrmStage, field: string, note: Note): CrmStage {
  const id = text(value.id, LIMITS.id, `${field}.id`, note);
  const name = text(value.name, LIMITS.text, `${field}.name`, note);
  return id === value.id && name === value.name ? value : { ...value, id, name };
}

function contact(value: CrmContact, field: string, note: Note): CrmContact {
  return {
    ...value,
    id: maybeText(value.id, LIMITS.id, `${field}.id`, note),
    name: text(value.name, LIMITS.text, `${field}.name`, note),
    phones: texts(value.phones, LIMITS.phones, LIMITS.phone, `${field}.phones`, note),
    emails: texts(value.emails, LIMITS.emails, LIMITS.email, `${field}.emails`, note),
  };
}

function fields(value: Record<string, string>, note: Note): Record<string, string> {
  const entries = list(Object.entries(value), LIMITS.fields, 'deal.fields', note);
  return Object.fromEntries(
    entries.map(([name, content]) => [
      text(name, LIMITS.fieldName, 'deal.fields', note),
      text(content, LIMITS.fieldValue, `deal.fields.${head(name, LIMITS.fieldName)}`, note),
    ]),
  );
}

/** A deal cut to the limits; each cut noted with its field (`deal.name`, `deal.contacts[2].phones`). */
export function boundDeal(deal: CrmDeal, note: Note): CrmDeal {
  const bounded: CrmDeal = {
    ...deal,
    id: maybeText(deal.id, LIMITS.id, 'deal.id', note),
    url: text(deal.url, LIMITS.url, 'deal.url', note),
    name: text(deal.name, LIMITS.text, 'deal.name', note),
    pipeline: deal.pipeline && {
      id: text(deal.pipeline.id, LIMITS.id, 'deal.pipeline.id', note),
      name: text(deal.pipeline.name, LIMITS.text, 'deal.pipeline.name', note),
    },
    stage: deal.stage && stage(deal.stage, 'deal.stage', note),
    amount: deal.amount && {
      ...deal.amount,
      currency: maybeText(deal.amount.currency, LIMITS.currency, 'deal.amount.currency', note),
    },
    owner: deal.owner && {
      id: maybeText(deal.owner.id, LIMITS.id, 'deal.owner.id', note),
      name: text(deal.owner.name, LIMITS.text, 'deal.owner.name', note),
    },
    contacts: list(deal.contacts, LIMITS.contacts, 'deal.contacts', note).map((value, index) =>
      contact(value, `deal.contacts[${index}]`, note),
    ),
    history: list(deal.history, LIMITS.history, 'deal.history', note).map((visit, index) => {
      const visited = stage(visit.stage, `deal.history[${index}].stage`, note);
      return visited === visit.stage ? visit : { ...visit, stage: visited };
    }),
  };
  const { company } = deal;
  if (company) {
    bounded.company = {
      ...company,
      name: text(company.name, LIMITS.text, 'deal.company.name', note),
      ...(company.id != null && { id: text(company.id, LIMITS.id, 'deal.company.id', note) }),
      ...(company.phones && {
        phones: texts(company.phones, LIMITS.phones, LIMITS.phone, 'deal.company.phones', note),
      }),
      ...(company.emails && {
        emails: texts(company.emails, LIMITS.emails, LIMITS.email, 'deal.company.emails', note),
      }),
    };
  }
  if (deal.source != null) bounded.source = text(deal.source, LIMITS.text, 'deal.source', note);
  if (deal.description != null) {
    bounded.description = text(deal.description, LIMITS.text, 'deal.description', note);
  }
  if (deal.tags) bounded.tags = texts(deal.tags, LIMITS.tags, LIMITS.tag, 'deal.tags', note);
  if (deal.fields) bounded.fields = fields(deal.fields, note);
  return bounded;
}

/** A board cut to the limits: its stages, and each card's deal (noted with the card's deal id). */
export function boundBoard(board: CrmBoard, noteFor: (dealId: string | null) => Note): CrmBoard {
  const note = noteFor(null);
  return {
    ...board,
    url: text(board.url, LIMITS.url, 'board.url', note),
    pipeline: {
      id: text(board.pipeline.id, LIMITS.id, 'board.pipeline.id', note),
      name: text(board.pipeline.name, LIMITS.text, 'board.pipeline.name', note),
    },
    stages: list(board.stages, LIMITS.stages, 'board.stages', note).map((value, index) =>
      stage(value, `board.stages[${index}]`, note),
    ),
    incompleteStages: board.incompleteStages.map((id) => text(id, LIMITS.id, 'board.incompleteStages', note)),
    deals: list(board.deals, LIMITS.deals, 'board.deals', note).map((deal) =>
      boundDeal(deal, noteFor(deal.id)),
    ),
  };
}

/** A problem cut to the limits: its detail is often the page's own text (an amount it could not read). */
export function boundProblem(problem: Problem): Problem {
  const cut = (value: string, max: number) => (value.length <= max ? value : head(value, max));
  const bounded: Problem = {
    ...problem,
    code: cut(problem.code, LIMITS.problemCode),
    field: cut(problem.field, LIMITS.problemField),
  };
  if (problem.detail !== undefined) bounded.detail = cut(problem.detail, LIMITS.problemDetail);
  if (problem.dealId != null) bounded.dealId = cut(problem.dealId, LIMITS.id);
  return bounded;
}

/**
 * A collector of cut notes as warning problems. A board's cards are noted with their deal id, so
 * the popup shows the note on that card: `forDeal` gives the note for one card.
 */
export function cutNotes(): { problems: Problem[]; forDeal: (dealId: string | null) => Note } {
  const problems: Problem[] = [];
  const forDeal =
    (dealId: string | null): Note =>
    (code, field, limit) => {
      problems.push({
        code,
        field,
        detail: String(limit),
        ...(dealId !== null && { dealId: head(dealId, LIMITS.id) }),
        severity: 'warning',
      });
    };
  return { problems, forDeal };
}
