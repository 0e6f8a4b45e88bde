import type { CrmPipeline, CrmStage } from '../../model';
import { odooLabels } from './selectors';

/** Odoo CRM has one set of stages (optionally per sales team), no pipeline entity. */
export const ODOO_PIPELINE: CrmPipeline = { id: 'default', name: 'Pipeline' };

// One collator, not `localeCompare` with options, which builds one per call.
const labelNames = new Intl.Collator(undefined, { sensitivity: 'accent' });

function isOneOf(labels: readonly string[], text: string): boolean {
  return labels.some((label) => labelNames.compare(label, text) === 0);
}

/** Odoo marks the won stage (`is_won`) but shows only its name; other stages do not say. */
export function odooStage(id: string, name: string): CrmStage {
  return { id, name, outcome: isOneOf(odooLabels.won, name) ? 'won' : null };
}

export function isLostLabel(text: string): boolean {
  return isOneOf(odooLabels.lost, text);
}
