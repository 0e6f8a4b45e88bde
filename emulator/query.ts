import { dataTypeError, filterProhibited, invalidValue, sortProhibited, unexpectedParameter } from './errors';
import { compileJsquery, JsquerySyntaxError } from './jsquery';
import { checkKeys, expectObject, fieldPath, type Obj, optionalArray, optionalNumber } from './validate';

/** What a getter's row field allows, as its method page's table says. */
export interface FieldRule {
  filter: boolean;
  sort: boolean;
}
export type FieldRules = Record<string, FieldRule>;

export const LIST_PARAMS = ['limit', 'offset', 'fields', 'sort', 'filter'] as const;

const MAX_LIMIT = 10_000;
const MAX_OFFSET = 100_000;
const MAX_FILTER_DEPTH = 5;

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

const OPERATORS = new Set([
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'regexp',
  'jsquery',
  'in',
  'not_in',
  'overlap',
  'not_overlap',
  'is_null',
  'is_not_null',
]);

const isKnown = (rules: FieldRules, field: string) => Object.hasOwn(rules, field);

function likePattern(pattern: string, flags: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, `s${flags}`);
}

/** POSIX bracket classes, which JavaScript lacks; the rest of a POSIX ERE reads the same in JavaScript. */
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
};

/** A POSIX regular expression, unanchored and case-sensitive as PostgreSQL's `~`. */
function posixPattern(pattern: string, path: string): RegExp {
  const field = fieldPath(path, 'value');
  const source = pattern.replace(/\[:([a-z]+):\]/g, (whole, name: string) => {
    const range = POSIX_CLASSES[name];
    if (range === undefined) throw invalidValue(field, pattern, `unknown POSIX class ${whole}`);
    return range;
  });
  try {
    return new RegExp(source);
  } catch {
    throw invalidValue(field, pattern, 'not a valid POSIX regular expression');
  }
}

function jsquery(text: string, path: string) {
  try {
    return compileJsquery(text);
  } catch (error) {
    if (!(error instanceof JsquerySyntaxError)) throw error;
    throw invalidValue(fieldPath(path, 'value'), text, `not a jsquery the emulator reads: ${error.message}`);
  }
}

function equals(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return expected === null ? false : actual.includes(expected);
  return actual === (expected ?? null);
}

function compare(actual: unknown, expected: unknown, test: (order: number) => boolean): boolean {
  if (actual === null || actual === undefined) return false;
  if (typeof actual !== typeof expected) return false;
  const order =
    (actual as number | string) < (expected as number | string) ? -1 : actual === expected ? 0 : 1;
  return test(order);
}

function asList(actual: unknown): unknown[] {
  if (Array.isArray(actual)) return actual;
  return actual === null || actual === undefined ? [] : [actual];
}

function requireList(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalidValue(fieldPath(path, 'value'), value, 'must be an array');
  return value;
}

function requireText(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidValue(fieldPath(path, 'value'), value, 'must be a string');
  return value;
}

function requireComparable(value: unknown, path: string): unknown {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw invalidValue(fieldPath(path, 'value'), value, 'must be a number or a date-time string');
  }
  return value;
}

function simplePredicate(field: string, operator: string, value: unknown, path: string): Predicate {
  const get = (row: Row) => row[field] ?? null;
  switch (operator) {
    case '=':
      return (row) => equals(get(row), value);
    case '!=':
      return (row) => !equals(get(row), value);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const bound = requireComparable(value, path);
      const tests: Record<string, (order: number) => boolean> = {
        '<': (o) => o < 0,
        '>': (o) => o > 0,
        '<=': (o) => o <= 0,
        '>=': (o) => o >= 0,
      };
      const test = tests[operator] as (order: number) => boolean;
      return (row) => compare(get(row), bound, test);
    }
    case 'like':
    case 'ilike':
    case 'not_like':
    case 'not_ilike': {
      const regex = likePattern(requireText(value, path), operator.endsWith('ilike') ? 'i' : '');
      const negate = operator.startsWith('not_');
      return (row) =>
        asList(get(row)).some((item) => typeof item === 'string' && regex.test(item)) !== negate;
    }
    case 'regexp': {
      const regex = posixPattern(requireText(value, path), path);
      return (row) => asList(get(row)).some((item) => typeof item === 'string' && regex.test(item));
    }
    case 'jsquery': {
      // The docs type jsquery for objects and arrays: a scalar field never matches.
      const test = jsquery(requireText(value, path), path);
      return (row) => {
        const actual = get(row);
        return typeof actual === 'object' && actual !== null && test(actual);
      };
    }
    case 'in':
    case 'not_in': {
      const list = requireList(value, path);
      const negate = operator === 'not_in';
      return (row) => list.includes(get(row)) !== negate;
    }
    case 'overlap':
    case 'not_overlap': {
      const list = requireList(value, path);
      const negate = operator === 'not_overlap';
      return (row) => asList(get(row)).some((item) => list.includes(item)) !== negate;
    }
    case 'is_null':
      return (row) => get(row) === null;
    default:
      return (row) => get(row) !== null;
  }
}

function buildFilter(raw: unknown, rules: FieldRules, path: string, depth: number): Predicate {
  const filter = expectObject(raw, path);
  if (depth > MAX_FILTER_DEPTH)
    throw invalidValue(path, raw, `filters nest at most ${MAX_FILTER_DEPTH} levels`);
  if ('filters' in filter) {
    checkKeys(filter, path, ['filters', 'condition'], []);
    const condition = filter.condition;
    if (condition !== 'and' && condition !== 'or') {
      throw invalidValue(fieldPath(path, 'condition'), condition, "must be 'and' or 'or'");
    }
    const children = optionalArray(filter, 'filters', path) ?? [];
    if (children.length === 0) throw invalidValue(fieldPath(path, 'filters'), children, 'must not be empty');
    const predicates = children.map((child, i) =>
      buildFilter(child, rules, fieldPath(fieldPath(path, 'filters'), i), depth + 1),
    );
    return condition === 'and'
      ? (row) => predicates.every((p) => p(row))
      : (row) => predicates.some((p) => p(row));
  }
  checkKeys(filter, path, ['field', 'operator'], ['value']);
  const { field, operator } = filter;
  if (typeof field !== 'string') throw dataTypeError(fieldPath(path, 'field'), field, 'a string');
  if (!isKnown(rules, field)) throw unexpectedParameter(fieldPath(path, 'field'), field);
  if (!rules[field]?.filter) throw filterProhibited(field);
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw invalidValue(fieldPath(path, 'operator'), operator, 'unknown operator');
  }
  return simplePredicate(field, operator, filter.value ?? null, path);
}

interface SortKey {
  field: string;
  descending: boolean;
}

function parseSort(raw: unknown[], rules: FieldRules): SortKey[] {
  return raw.map((item, i) => {
    const path = fieldPath('sort', i);
    const entry = expectObject(item, path);
    checkKeys(entry, path, ['field'], ['order']);
    const { field, order } = entry;
    if (typeof field !== 'string') throw dataTypeError(fieldPath(path, 'field'), field, 'a string');
    if (!isKnown(rules, field)) throw unexpectedParameter(fieldPath(path, 'field'), field);
    if (!rules[field]?.sort) throw sortProhibited(field);
    if (order !== undefined && order !== 'asc' && order !== 'desc') {
      throw invalidValue(fieldPath(path, 'order'), order, "must be 'asc' or 'desc'");
    }
    return { field, descending: order === 'desc' };
  });
}

/** Nulls sort last whatever the direction, as PostgreSQL does for ascending order. */
function compareRows(keys: SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const { field, descending } of keys) {
      const x = a[field] ?? null;
      const y = b[field] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = (x as string | number) < (y as string | number) ? -1 : 1;
      return descending ? -order : order;
    }
    return 0;
  };
}

function parseFields(raw: unknown[], rules: FieldRules): string[] {
  return raw.map((item, i) => {
    if (typeof item !== 'string') throw dataTypeError(fieldPath('fields', i), item, 'a string');
    if (!isKnown(rules, item)) throw unexpectedParameter('fields', item);
    return item;
  });
}

function readBounded(params: Obj, key: string, fallback: number, min: number, max: number): number {
  const value = optionalNumber(params, key, '', true) ?? fallback;
  if (value < min || value > max) throw invalidValue(key, value, `must be between ${min} and ${max}`);
  return value;
}

export interface Page {
  rows: Row[];
  totalItems: number;
}

/**
 * Applies `filter`, `sort`, `offset`/`limit` and `fields` to a getter's full row list; without
 * `fields`, rows carry `defaultFields` when the method's page names a default answer narrower than its rows.
 */
export function listRows(rows: Row[], params: Obj, rules: FieldRules, defaultFields: string[] = []): Page {
  const limit = readBounded(params, 'limit', 1000, 1, MAX_LIMIT);
  const offset = readBounded(params, 'offset', 0, 0, MAX_OFFSET);
  const asked = parseFields(optionalArray(params, 'fields', '') ?? [], rules);
  const fields = asked.length > 0 ? asked : defaultFields;
  const sort = parseSort(optionalArray(params, 'sort', '') ?? [], rules);
  const filter =
    params.filter === undefined || params.filter === null
      ? null
      : buildFilter(params.filter, rules, 'filter', 1);
  const matching = filter ? rows.filter(filter) : rows;
  const sorted = sort.length > 0 ? [...matching].sort(compareRows(sort)) : matching;
  const page = sorted.slice(offset, offset + limit);
  const projected =
    fields.length > 0 ? page.map((row) => Object.fromEntries(fields.map((f) => [f, row[f] ?? null]))) : page;
  return { rows: projected, totalItems: matching.length };
}
