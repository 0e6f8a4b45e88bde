import { cleanText } from '../../dom';

/** The page's UI locale: the context's when known, else the document's `lang`. */
export function pageLocale(document: Document, known: 'ru' | 'en' | null): 'ru' | 'en' | null {
  if (known) return known;
  const lang = (document.documentElement.getAttribute('lang') ?? '').toLowerCase();
  if (lang.startsWith('ru')) return 'ru';
  if (lang.startsWith('en')) return 'en';
  return null;
}

/** `href` resolved against the page URL; `null` when either is not a URL. */
export function absoluteUrl(href: string, base: string): string | null {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
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
