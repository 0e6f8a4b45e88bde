import type { CrmDeal, Money, Problem } from '../model';
import { whereOf } from './engine';
import type { FieldRule, Recipe } from './schema';

/** One field of one card (or of the deal page) as the recipe test shows it. */
export interface RecipeReadRow {
  /** Whose field: `deal`, or `card[3]` of the board. */
  scope: string;
  /** The deal's name as read, so a person finds the card. */
  dealName: string;
  field: string;
  /** What was read, as text; `null` when the rule found nothing. */
  value: string | null;
  /** The rule link that found the value (the later link of a chain when one was used); `null` when missed. */
  link: string | null;
}

/** A board shows this many cards' rows at most: enough to see a rule misread, small to send. */
export const TABLE_CARDS = 50;

const money = (amount: Money | null) =>
  amount && `${amount.amount}${amount.currency ? ` ${amount.currency}` : ''}${amount.rounded ? ' ~' : ''}`;

type FieldOf = (deal: CrmDeal) => string | null | undefined;

/** Each recipe field of a board card, the problem key it is reported under, and its value in the deal. */
const CARD_FIELDS: [rule: string, problem: string, value: FieldOf][] = [
  ['id', 'id', (deal) => deal.id],
  ['name', 'name', (deal) => deal.name || null],
  ['stage', 'stage', (deal) => deal.stage?.name],
  ['stageId', 'stageId', (deal) => deal.stage?.id],
  ['amount', 'amount', (deal) => money(deal.amount)],
  ['contact', 'contact', (deal) => deal.contacts[0]?.name],
  ['owner', 'owner', (deal) => deal.owner?.name],
  ['date', 'createdAt', (deal) => deal.createdAt],
  ['url', 'url', (deal) => deal.url],
  ['company', 'company', (deal) => deal.company?.name],
  ['source', 'source', (deal) => deal.source],
  ['tags', 'tags', (deal) => deal.tags?.join(', ') || null],
];

const DEAL_FIELDS: [rule: string, value: FieldOf][] = [
  ['id', (deal) => deal.id],
  ['name', (deal) => deal.name || null],
  ['stage', (deal) => deal.stage?.name],
  ['stageId', (deal) => deal.stage?.id],
  ['amount', (deal) => money(deal.amount)],
  ['owner', (deal) => deal.owner?.name],
  ['createdAt', (deal) => deal.createdAt],
  ['company', (deal) => deal.company?.name],
  ['companyId', (deal) => deal.company?.id],
  ['source', (deal) => deal.source],
  ['tags', (deal) => deal.tags?.join(', ') || null],
  ['description', (deal) => deal.description],
  ['contacts', (deal) => deal.contacts.map((contact) => contact.name).join(', ') || null],
  ['timeline', (deal) => deal.history.map((visit) => visit.stage.name).join(' → ') || null],
];

const firstLink = (rules: FieldRule | FieldRule[] | undefined) => {
  const first = Array.isArray(rules) ? rules[0] : rules;
  return first ? whereOf(first) : null;
};

/**
 * What a recipe read, field by field, from the deal or each card: the value and the link that found
 * it. The report says which later link of a chain matched (`fallback_used`) and what was missed; any
 * other value was found by the chain's first link (by the first link of each layout, for a recipe
 * whose deal has several: the page does not say which layout it was).
 */
export function recipeReadTable(
  recipe: Recipe,
  found: { deal: CrmDeal | null; board: { deals: CrmDeal[] } | null; problems: Problem[] },
): RecipeReadRow[] {
  const fallbacks = new Map<string, string>();
  for (const problem of found.problems) {
    if (problem.code === 'fallback_used') fallbacks.set(problem.field, problem.detail ?? '');
  }
  const row = (
    scope: string,
    deal: CrmDeal,
    field: string,
    key: string,
    value: FieldOf,
    first: string | null,
  ) => {
    const text = value(deal) ?? null;
    return {
      scope,
      dealName: deal.name,
      field,
      value: text,
      link: text === null ? null : (fallbacks.get(key) ?? first),
    };
  };
  const rows: RecipeReadRow[] = [];
  const fields = recipe.board?.fields as Record<string, FieldRule[] | undefined> | undefined;
  found.board?.deals.slice(0, TABLE_CARDS).forEach((deal, index) => {
    for (const [rule, problem, value] of CARD_FIELDS) {
      if (fields?.[rule] === undefined) continue;
      const scope = `card[${index}]`;
      rows.push(row(scope, deal, rule, `${scope}.${problem}`, value, firstLink(fields[rule])));
    }
  });
  const deal = found.deal;
  if (deal) {
    const layouts = (recipe.deal ?? []) as unknown as Record<string, FieldRule[] | object | undefined>[];
    for (const [rule, value] of DEAL_FIELDS) {
      const defined = layouts.filter((layout) => layout[rule] !== undefined);
      if (defined.length === 0) continue;
      const part = defined[0]?.[rule] as { item?: string; entry?: string };
      const first =
        rule === 'contacts' || rule === 'timeline'
          ? (part.item ?? part.entry ?? null)
          : defined.map((layout) => firstLink(layout[rule] as FieldRule[])).join(' / ');
      rows.push(row('deal', deal, rule, `deal.${rule}`, value, first));
    }
  }
  return rows;
}
