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
  for (const child of node.childNodes) {
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
