/**
 * The closed shadow roots the code under test attaches. A closed root is out of reach of the page
 * (`host.shadowRoot` is null), and so of a test too: this records each root as it is attached.
 * Call it in the test, before the code attaches anything (mocks are restored after each test).
 */
import { vi } from 'vitest';

export function recordShadowRoots(): (host: Element) => ShadowRoot {
  const roots = new WeakMap<Element, ShadowRoot>();
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  });
  return (host) => {
    const root = roots.get(host);
    if (!root) throw new Error(`no shadow root was attached to <${host.localName}>`);
    return root;
  };
}
