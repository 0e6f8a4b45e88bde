import type { CrmPipeline, CrmStage } from '../../model';
import { odooLabels } from './selectors';

/** Odoo CRM has one set of stages (optionally per sales team), no pipeline entity. */
export const ODOO_PIPELINE: CrmPipeline = { id: 'default', name: 'Pipeline' };

/**
 * A stage's id is its name as the user's language shows it, on the board, the form and through the
 * JSON reader alike. The form's statusbar buttons carry the database id (`data-value`), but the board's
 * columns, the chatter's tracking lines and the folded stages missing from the statusbar show names
 * only, so a database id could not be the same id on every page of one pipeline.
 */
export function odooStage(name: string, outcome: CrmStage['outcome'] = null): CrmStage {
  return { id: name, name, outcome: outcome ?? (isOneOf(odooLabels.won, name) ? 'won' : null) };
}

/**
 * Odoo has no lost stage: a lost opportunity is archived in the stage it was in (probability 0). It
 * becomes this stage, entered when it was lost, so CoMagic gets a failed stage for it; the id is not a
 * name a user gives a stage, so it never joins an in-progress stage of the same name.
 */
export const ODOO_LOST_STAGE_ID = 'odoo:lost';

/** Named in the reader's language, not from the page's ribbon, so a page and the JSON reader agree. */
export function odooLostStage(locale: 'ru' | 'en' | null): CrmStage {
  return { id: ODOO_LOST_STAGE_ID, name: locale === 'ru' ? 'Проиграно' : 'Lost', outcome: 'lost' };
}

// One collator, not `localeCompare` with options, which builds one per call.
const labelNames = new Intl.Collator(undefined, { sensitivity: 'accent' });

export function isOneOf(labels: readonly string[], text: string): boolean {
  return labels.some((label) => labelNames.compare(label, text) === 0);
}
