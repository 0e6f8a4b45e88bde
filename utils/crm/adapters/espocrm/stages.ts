import { textOf } from '../../dom';
import type { CrmStage, StageOutcome } from '../../model';
import { espoSelectors as s } from './selectors';

/** Outcomes of EspoCRM's default Opportunity stages, keyed by enum value (language-independent). */
const defaultOutcomes: Record<string, StageOutcome> = {
  Prospecting: 'in_progress',
  Qualification: 'in_progress',
  Proposal: 'in_progress',
  Negotiation: 'in_progress',
  'Closed Won': 'won',
  'Closed Lost': 'lost',
};

export const hiddenLostStage = 'Closed Lost';

function pillOutcome(pill: Element | null): StageOutcome | null {
  if (pill?.classList.contains('label-success')) return 'won';
  if (pill?.classList.contains('label-danger')) return 'lost';
  return null;
}

export function espoStage(id: string, name: string, pill: Element | null = null): CrmStage {
  return { id, name, outcome: defaultOutcomes[id] ?? pillOutcome(pill) };
}

/**
 * A stage the deal page shows by its translated label only: the label stands for the id (it equals
 * the enum value in English with the default stages); the board's headers give the real pairs.
 */
export function stageFromCell(cell: Element | null): CrmStage | null {
  const label = textOf(cell);
  if (label === null) return null;
  return espoStage(label, label, cell?.querySelector(s.stagePill) ?? null);
}
