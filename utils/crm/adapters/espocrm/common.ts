import { attrOf, type Problems, textOf } from '../../dom';
import type { CrmPipeline } from '../../model';

/** EspoCRM has one Opportunity pipeline. */
export const espoPipeline: CrmPipeline = { id: 'default', name: 'Opportunity' };

/** The full value in a `title` when the page gives one, else the readable text ("Yesterday 14:05"). */
export function dateText(element: Element | null): string | null {
  const titled = element?.matches('[title]') ? element : element?.querySelector('[title]');
  return attrOf(titled, 'title') ?? textOf(element);
}

/** The deal page's address on the same EspoCRM site. */
export function dealUrl(pageUrl: string, id: string): string {
  return `${pageUrl.split('#')[0]}#Opportunity/view/${id}`;
}

/**
 * The first element with text that a chain of selectors finds under `root`, best link first. A link
 * after the first is reported once per scrape as `fallback_used` on `field`, naming the selector.
 */
export function findByChain(
  root: ParentNode,
  chain: readonly string[],
  field: string,
  problems: Problems,
): Element | null {
  for (const [index, selector] of chain.entries()) {
    const element = root.querySelector(selector);
    if (element === null || textOf(element) === null) continue;
    const reported = problems.list.some(
      (problem) => problem.code === 'fallback_used' && problem.field === field && problem.detail === selector,
    );
    if (index > 0 && !reported) {
      problems.add({ code: 'fallback_used', field, detail: selector, severity: 'warning' });
    }
    return element;
  }
  return null;
}
