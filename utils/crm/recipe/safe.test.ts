import { describe, expect, it } from 'vitest';
import { regExpProblem, safeRegExp } from './safe';

describe('recipe regular expressions', () => {
  it.each([
    'stage_id=(\\d+)',
    '^(.*?)\\s*\\(\\d+\\)$',
    '(\\$[\\d,.]+)',
    '(\\d{1,2} [A-Z][a-z]{2} \\d{4})',
    '^(?:Mr|Mrs)\\.? (\\w+)$',
    '(a+)?',
    '(?:ab){2}',
    '[(+)]+',
    '\\(x+\\)+',
    '(\\d)\\s*',
  ])('runs %j', (source) => {
    expect(regExpProblem(source)).toBeNull();
    expect(safeRegExp(source)).toBeInstanceOf(RegExp);
  });

  it.each([
    ['(a+)+$', /repeats a group/],
    ['(\\w*)*x', /repeats a group/],
    ['(?:a|ab)*c', /repeats a group/],
    ['((a|b)c)+', /repeats a group/],
    ['(x?){2,}', /repeats a group/],
    ['(\\d+){1,5}', /repeats a group/],
    ['(a)\\1', /back-reference/],
    ['(?<q>["\'])\\w+\\k<q>', /back-reference/],
    ['(unclosed', /not a valid regular expression/],
  ])('refuses %j, saying why', (source, reason) => {
    expect(regExpProblem(source)).toMatch(reason);
    expect(safeRegExp(source)).toBeNull();
  });

  it('refuses the shape that froze a tab, which a page of a few dozen characters blows up', () => {
    // `(a+)+b` on 30 `a`s takes seconds in V8; refused before it ever runs.
    expect(safeRegExp('^(a+)+b$')).toBeNull();
  });
});
