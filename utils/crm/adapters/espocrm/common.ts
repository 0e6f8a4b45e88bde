import { attrOf, textOf } from '../../dom';
import type { CrmPipeline } from '../../model';

/** EspoCRM has one Opportunity pipeline. */
export const espoPipeline: CrmPipeline = { id: 'default', name: 'Opportunity' };

/** The full value in a `title` when the page gives one, else the readable text ("Yesterday 14:05"). */
export function dateText(element: Element | null): string | null {
  return attrOf(element?.querySelector('[title]'), 'title') ?? textOf(element);
}

/** The deal page's address on the same EspoCRM site. */
export function dealUrl(pageUrl: string, id: string): string {
  return `${pageUrl.split('#')[0]}#Opportunity/view/${id}`;
}
