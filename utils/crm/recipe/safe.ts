/**
 * Why a recipe's regular expression may not run, or `null` when it may. Recipes run in the CRM tab,
 * on text the page controls, and a JavaScript regex cannot be stopped once started: the shapes that
 * backtrack exponentially are refused. Those are a back-reference, and a repeated group that holds
 * a quantifier or an alternation (`(a+)+`, `(\w|\d)*`), which a character class (`[\w\d]*`) or an
 * unrepeated group says without the blow-up.
 */
export function regExpProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch {
    return 'is not a valid regular expression';
  }
  /** Per open group: does it hold a quantifier, an alternation. */
  const groups: { quantified: boolean; alternation: boolean }[] = [{ quantified: false, alternation: false }];
  /** The group that just closed, when the next character may quantify it. */
  let closed: { quantified: boolean; alternation: boolean } | null = null;
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const current = groups[groups.length - 1]!;
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      if (quantifier.repeats && closed && (closed.quantified || closed.alternation)) {
        return 'repeats a group that holds a quantifier or "|" (like (a+)+), which can freeze the CRM tab: use a character class such as [\\w-]+ instead';
      }
      current.quantified = true;
      closed = null;
      i += quantifier.length;
      if (source[i] === '?') i++;
      continue;
    }
    closed = null;
    if (char === '\\') {
      if (/[1-9]/.test(source[i + 1] ?? '') || (source[i + 1] === 'k' && source[i + 2] === '<')) {
        return 'uses a back-reference (like \\1), which can freeze the CRM tab: match the text again instead';
      }
      i += 2;
    } else if (char === '[') {
      i = classEnd(source, i);
    } else if (char === '(') {
      groups.push({ quantified: false, alternation: false });
      // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`: the `?` there quantifies nothing.
      i += /^\((?:\?(?:[:=!]|<[=!]|<[^>]*>))?/.exec(source.slice(i))![0].length;
    } else if (char === ')') {
      const group = groups.pop()!;
      const parent = groups[groups.length - 1]!;
      parent.quantified ||= group.quantified;
      parent.alternation ||= group.alternation;
      closed = group;
      i++;
    } else {
      if (char === '|') current.alternation = true;
      i++;
    }
  }
  return null;
}

/** A quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), and whether it repeats its atom. */
function quantifierAt(source: string, i: number): { length: number; repeats: boolean } | null {
  const char = source[i];
  if (char === '*' || char === '+') return { length: 1, repeats: true };
  if (char === '?') return { length: 1, repeats: false };
  if (char !== '{') return null;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!braces) return null;
  const most = braces[2] === undefined ? Number(braces[1]) : braces[3] ? Number(braces[3]) : Infinity;
  return { length: braces[0].length, repeats: most > 1 };
}

/** The index after the character class that opens at `start`. */
function classEnd(source: string, start: number): number {
  // In JavaScript `[]` is an empty class: a `]` right after `[` closes it.
  let i = start + 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** A recipe's regular expression; `null` when it is not a valid one or may not run (`regExpProblem`). */
export function safeRegExp(source: string): RegExp | null {
  return regExpProblem(source) === null ? new RegExp(source) : null;
}

/** Whether `selector` is a CSS selector this DOM accepts (querySelector throws on the others). */
export function isValidSelector(selector: string, document: Document): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}
