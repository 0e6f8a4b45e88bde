import type { Problem } from './model';

/** Text as a person reads it: whitespace (incl. no-break and thin spaces) collapsed, trimmed. */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ').trim();
}

export function textOf(element: Element | null | undefined): string | null {
  if (!element) return null;
  const text = cleanText(element.textContent);
  return text === '' ? null : text;
}

function isFormControl(element: Element): element is HTMLInputElement | HTMLTextAreaElement {
  return element.tagName === 'INPUT' || element.tagName === 'TEXTAREA';
}

function collectText(node: Node, parts: string[]): void {
  // Sibling links, not `childNodes`: iterating a NodeList is several times slower on a large board.
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) parts.push(child.textContent ?? '');
    if (child.nodeType !== 1) continue;
    const element = child as Element;
    if (isFormControl(element)) {
      // The live value, not the attribute: a user may have edited the field since the page loaded.
      if (element.getAttribute('type') !== 'hidden') parts.push(` ${element.value} `);
    } else if (element.tagName !== 'SELECT') {
      collectText(element, parts);
    }
  }
}

/** What a person sees in a field: its text with the values of its inputs in place; `null` when empty. */
export function shownText(element: Element | null | undefined): string | null {
  if (!element) return null;
  if (isFormControl(element)) return cleanText(element.value) || null;
  const parts: string[] = [];
  collectText(element, parts);
  return cleanText(parts.join('')) || null;
}

/**
 * A reader of the first element under a root matching each selector, as `root.querySelector` would
 * find it, from one pass over the matches of them all: one `querySelector` per field costs several
 * times more on a board of thousands of cards.
 */
export function firstOfEach<Key extends string>(
  selectors: Record<Key, string>,
): (root: Element) => Record<Key, Element | null> {
  // Plain arrays and index loops: this runs for every card of a board, mostly before the JIT warms up.
  const keys = Object.keys(selectors) as Key[];
  const each = keys.map((key) => selectors[key]);
  const anyOf = each.join(', ');
  const none = Object.fromEntries(keys.map((key) => [key, null])) as Record<Key, Element | null>;
  return (root) => {
    const found = { ...none };
    const matched = root.querySelectorAll(anyOf);
    let left = keys.length;
    for (let m = 0; m < matched.length && left > 0; m++) {
      const element = matched[m] as Element;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as Key;
        if (found[key] === null && element.matches(each[k] as string)) {
          found[key] = element;
          left--;
        }
      }
    }
    return found;
  };
}

export function attrOf(element: Element | null | undefined, name: string): string | null {
  const value = element?.getAttribute(name);
  return value == null || value.trim() === '' ? null : value.trim();
}

/** Collects problems for one scrape; adapters never throw on a strange page. */
export class Problems {
  readonly list: Problem[] = [];

  add(problem: Problem): void {
    this.list.push(problem);
  }

  missed(field: string, selector: string, severity: Problem['severity'] = 'warning', dealId?: string | null) {
    this.add({ code: 'selector_missed', field, detail: selector, severity, dealId });
  }

  unparsed(field: string, raw: string, code = 'date_unparsed', dealId?: string | null) {
    this.add({ code, field, detail: raw, severity: 'warning', dealId });
  }
}
