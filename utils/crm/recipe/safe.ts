/** A recipe's regular expression; `null` when the text is not a valid one. */
export function safeRegExp(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
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
