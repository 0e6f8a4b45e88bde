/**
 * A click as a person makes it. The extension's in-page button ignores clicks a page script makes
 * (`element.click()` is not trusted), and happy-dom makes no trusted events of its own.
 */
export function personClick(element: Element): void {
  const event = new MouseEvent('click', { bubbles: true, composed: true, cancelable: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  element.dispatchEvent(event);
}
