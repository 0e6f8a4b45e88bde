/**
 * The part of PostgreSQL's jsquery language the `jsquery` filter operator reads (the docs name the
 * language and give no example): paths from the field's value (`$` the value itself, `key` or "key",
 * `#` any array element, `#N` element N, `%` any object value, `*` any depth, `@#` the length),
 * `=`, `<`, `<=`, `>`, `>=` (numbers), `@>`, `<@`, `&&` (scalars and arrays, no object literals),
 * `IN (…)`, `IS <type>`, a path's own sub-query `path(…)`, `AND`, `OR`, `NOT` and parentheses.
 * Anything else (`#:` / `%:` "every", hints, `@@`) is refused, never guessed at.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsqueryTest = (value: unknown) => boolean;

export class JsquerySyntaxError extends Error {}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'symbol'; text: string };

const SYMBOLS = [
  '@>',
  '<@',
  '&&',
  '<=',
  '>=',
  '@#',
  '=',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '$',
  '#',
  '%',
  '*',
];

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new JsquerySyntaxError(`bad escape in ${quoted}`);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    if (quoted) {
      tokens.push({ kind: 'string', text: unquote(quoted[0]) });
      at += quoted[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      at += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    if (!symbol) throw new JsquerySyntaxError(`unexpected "${rest[0]}" at ${at}`);
    tokens.push({ kind: 'symbol', text: symbol });
    at += symbol.length;
  }
  return tokens;
}

type Step =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'self' | 'any' | 'values' | 'deep' | 'length' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function descendants(value: unknown): unknown[] {
  const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  return [value, ...children.flatMap(descendants)];
}

function walk(values: unknown[], step: Step): unknown[] {
  return values.flatMap((value): unknown[] => {
    switch (step.kind) {
      case 'self':
        return [value];
      case 'key':
        return isObject(value) && Object.hasOwn(value, step.key) ? [value[step.key]] : [];
      case 'index':
        return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
      case 'any':
        return Array.isArray(value) ? value : [];
      case 'values':
        return isObject(value) ? Object.values(value) : [];
      case 'deep':
        return descendants(value);
      default:
        return Array.isArray(value) ? [value.length] : [];
    }
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return a === b;
}

/** jsonb containment: every element (array) or key (object) of `inner` is in `outer`. */
function contains(outer: unknown, inner: unknown): boolean {
  if (Array.isArray(outer) && Array.isArray(inner)) {
    return inner.every((item) => outer.some((candidate) => contains(candidate, item)));
  }
  if (isObject(outer) && isObject(inner)) {
    return Object.entries(inner).every(([k, v]) => Object.hasOwn(outer, k) && contains(outer[k], v));
  }
  return deepEqual(outer, inner);
}

const TYPES: Record<string, (value: unknown) => boolean> = {
  array: Array.isArray,
  object: isObject,
  string: (value) => typeof value === 'string',
  numeric: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
};

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): JsqueryTest {
    const test = this.query();
    if (this.at < this.tokens.length) throw new JsquerySyntaxError('unexpected text after the query');
    return test;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.text === text;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toUpperCase() === text;
  }

  private expect(text: string): void {
    if (!this.isSymbol(text)) throw new JsquerySyntaxError(`expected "${text}"`);
    this.at++;
  }

  private query(): JsqueryTest {
    let test = this.conjunction();
    while (this.isWord('OR')) {
      this.at++;
      const left = test;
      const right = this.conjunction();
      test = (value) => left(value) || right(value);
    }
    return test;
  }

  private conjunction(): JsqueryTest {
    let test = this.unary();
    while (this.isWord('AND')) {
      this.at++;
      const left = test;
      const right = this.unary();
      test = (value) => left(value) && right(value);
    }
    return test;
  }

  private unary(): JsqueryTest {
    if (this.isWord('NOT')) {
      this.at++;
      const inner = this.unary();
      return (value) => !inner(value);
    }
    if (this.isSymbol('(')) {
      this.at++;
      const inner = this.query();
      this.expect(')');
      return inner;
    }
    return this.condition();
  }

  private condition(): JsqueryTest {
    const path = this.path();
    const check = this.operation();
    return (value) => path.reduce<unknown[]>(walk, [value]).some(check);
  }

  private path(): Step[] {
    const steps = [this.step()];
    while (this.isSymbol('.')) {
      this.at++;
      steps.push(this.step());
    }
    return steps;
  }

  private step(): Step {
    const token = this.tokens[this.at++];
    if (!token) throw new JsquerySyntaxError('expected a path');
    if (token.kind === 'string') return { kind: 'key', key: token.text };
    if (token.kind === 'word' && !['AND', 'OR', 'NOT', 'IN', 'IS'].includes(token.text.toUpperCase())) {
      return { kind: 'key', key: token.text };
    }
    if (token.kind === 'symbol') {
      if (token.text === '$') return { kind: 'self' };
      if (token.text === '%') return { kind: 'values' };
      if (token.text === '*') return { kind: 'deep' };
      if (token.text === '@#') return { kind: 'length' };
      if (token.text === '#') {
        const index = this.peek();
        if (index?.kind === 'number' && Number.isInteger(index.value) && index.value >= 0) {
          this.at++;
          return { kind: 'index', index: index.value };
        }
        return { kind: 'any' };
      }
    }
    throw new JsquerySyntaxError('expected a path');
  }

  private operation(): JsqueryTest {
    const token = this.tokens[this.at++];
    if (!token) throw new JsquerySyntaxError('expected an operator');
    if (token.kind === 'word' && token.text.toUpperCase() === 'IN') {
      this.expect('(');
      const options = [this.value()];
      while (this.isSymbol(',')) {
        this.at++;
        options.push(this.value());
      }
      this.expect(')');
      return (value) => options.some((option) => deepEqual(value, option));
    }
    if (token.kind === 'word' && token.text.toUpperCase() === 'IS') {
      const type = this.tokens[this.at++];
      const test = type?.kind === 'word' ? TYPES[type.text.toLowerCase()] : undefined;
      if (!test) throw new JsquerySyntaxError('expected a type: array, object, string, numeric or boolean');
      return test;
    }
    if (token.kind !== 'symbol') throw new JsquerySyntaxError('expected an operator');
    switch (token.text) {
      case '(': {
        const inner = this.query();
        this.expect(')');
        return inner;
      }
      case '=': {
        const expected = this.value();
        return (value) => deepEqual(value, expected);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const bound = this.value();
        if (typeof bound !== 'number') throw new JsquerySyntaxError(`${token.text} compares numbers`);
        const order = {
          '<': (d: number) => d < 0,
          '<=': (d: number) => d <= 0,
          '>': (d: number) => d > 0,
          '>=': (d: number) => d >= 0,
        }[token.text];
        return (value) => typeof value === 'number' && order(value - bound);
      }
      case '@>': {
        const inner = this.value();
        return (value) => contains(value, inner);
      }
      case '<@': {
        const outer = this.value();
        return (value) => contains(outer, value);
      }
      case '&&': {
        const other = this.value();
        if (!Array.isArray(other)) throw new JsquerySyntaxError('&& takes an array');
        return (value) => Array.isArray(value) && value.some((item) => other.some((o) => deepEqual(item, o)));
      }
      default:
        throw new JsquerySyntaxError(`unknown operator "${token.text}"`);
    }
  }

  private value(): Json {
    const token = this.tokens[this.at++];
    if (!token) throw new JsquerySyntaxError('expected a value');
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'word') {
      const literal = { true: true, false: false, null: null }[token.text.toLowerCase()];
      if (literal !== undefined) return literal;
      throw new JsquerySyntaxError(`unknown value ${token.text}`);
    }
    if (token.text === '[') {
      const items: Json[] = [];
      if (this.isSymbol(']')) {
        this.at++;
        return items;
      }
      items.push(this.value());
      while (this.isSymbol(',')) {
        this.at++;
        items.push(this.value());
      }
      this.expect(']');
      return items;
    }
    throw new JsquerySyntaxError('expected a value');
  }
}

/** Compiles a jsquery; throws JsquerySyntaxError on what it does not read. */
export function compileJsquery(text: string): JsqueryTest {
  return new Parser(tokenize(text)).parse();
}
