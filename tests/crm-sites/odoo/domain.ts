/**
 * Odoo search domains over plain records: Polish-notation `&` / `|` / `!` (implicit `&` between
 * terms), terms `[field, operator, value]` with a dotted path through a many2one, and the operators a
 * client reading a pipeline uses. A many2one compared with a string matches the related record's
 * display name, as Odoo's name search does.
 */
import type { OdooRecord, OdooValue } from './records';

export class DomainError extends Error {}

type Resolve = (model: string, id: number) => OdooRecord | undefined;

export interface DomainModel {
  /** many2one field → the model it points to. */
  relations: Record<string, string>;
  resolve: Resolve;
}

function likeMatch(pattern: string, text: string, exact: boolean, caseless: boolean): boolean {
  const p = caseless ? pattern.toLowerCase() : pattern;
  const t = caseless ? text.toLowerCase() : text;
  if (!exact) return t.includes(p);
  const source = p
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${source}$`, 's').test(t);
}

function compare(value: OdooValue, operator: string, target: OdooValue): boolean {
  const many2one = Array.isArray(value) && value.length === 2 && typeof value[0] === 'number';
  const id = many2one ? (value[0] as number) : value;
  const label = many2one ? String(value[1]) : value;
  const scalar = typeof target === 'string' ? label : id;
  switch (operator) {
    case '=':
    case '==':
      return target === false ? value === false : scalar === target;
    case '!=':
    case '<>':
      return target === false ? value !== false : scalar !== target;
    case 'in':
    case 'not in': {
      if (!Array.isArray(target))
        throw new DomainError(`${operator} needs a list, got ${JSON.stringify(target)}`);
      const found = target.some((t) =>
        typeof t === 'string' ? label === t : t === false ? value === false : id === t,
      );
      return operator === 'in' ? found : !found;
    }
    case 'like':
    case 'ilike':
    case 'not like':
    case 'not ilike':
    case '=like':
    case '=ilike': {
      if (value === false) return operator.startsWith('not');
      const hit = likeMatch(
        String(target),
        String(label),
        operator.startsWith('='),
        operator.includes('ilike'),
      );
      return operator.startsWith('not') ? !hit : hit;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (value === false || target === false || target === null) return false;
      const a = scalar as number | string;
      const b = target as number | string;
      return operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b;
    }
    case '=?':
      return target === false || target === null ? true : scalar === target;
    case 'child_of':
    case 'parent_of':
      return compare(value, Array.isArray(target) ? 'in' : '=', target);
    default:
      throw new DomainError(`Invalid leaf operator ${JSON.stringify(operator)}`);
  }
}

function fieldValue(record: OdooRecord, path: string, model: DomainModel): OdooValue {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (!(head in record)) throw new DomainError(`Invalid field ${JSON.stringify(head)} in leaf`);
  const value = record[head] as OdooValue;
  if (rest.length === 0) return value;
  const target = model.relations[head];
  if (!target || !Array.isArray(value)) return false;
  const related = model.resolve(target, value[0] as number);
  return related ? (related[rest.join('.')] ?? false) : false;
}

function isTerm(item: unknown): item is [string | number, string, OdooValue] {
  return Array.isArray(item) && item.length === 3 && typeof item[1] === 'string';
}

/** The predicate of a domain; throws `DomainError` for one Odoo would refuse. */
export function domainFilter(domain: unknown, model: DomainModel): (record: OdooRecord) => boolean {
  if (!Array.isArray(domain)) throw new DomainError('A domain must be a list');
  let position = 0;
  type Node = (record: OdooRecord) => boolean;
  const parse = (): Node => {
    const item = domain[position++];
    if (item === '&' || item === '|') {
      const left = parse();
      const right = parse();
      return item === '&' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
    }
    if (item === '!') {
      const inner = parse();
      return (r) => !inner(r);
    }
    if (!isTerm(item)) throw new DomainError(`Invalid domain term ${JSON.stringify(item)}`);
    const [field, operator, target] = item;
    if (field === 1 || field === 0) return () => (field === 1) === (operator === '=' && target === 1);
    return (r) => compare(fieldValue(r, String(field), model), operator.toLowerCase(), target);
  };
  const nodes: Node[] = [];
  while (position < domain.length) nodes.push(parse());
  return (record) => nodes.every((node) => node(record));
}
