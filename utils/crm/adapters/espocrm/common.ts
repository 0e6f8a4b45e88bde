import { attrOf, textOf } from '../../dom';
import type { CrmPipeline, ScrapeContext } from '../../model';
import type { DateContext } from '../../parse/dates';
import { pageLocale } from '../../recipe/values';

/** EspoCRM has one Opportunity pipeline. */
export const espoPipeline: CrmPipeline = { id: 'default', name: 'Opportunity' };

export function dateContext(document: Document, context: ScrapeContext): DateContext {
  return { now: context.now, timeZone: context.timeZone, locale: pageLocale(document, context) };
}

/** The full value in a `title` when the page gives one, else the readable text ("Yesterday 14:05"). */
export function dateText(element: Element | null): string | null {
  return attrOf(element?.querySelector('[title]'), 'title') ?? textOf(element);
}

/** The deal page's address on the same EspoCRM site. */
export function dealUrl(pageUrl: string, id: string): string {
  return `${pageUrl.split('#')[0]}#Opportunity/view/${id}`;
}
