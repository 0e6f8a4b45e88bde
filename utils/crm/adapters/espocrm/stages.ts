import type { CrmStage, StageOutcome } from '../../model';
import type { PageLocale } from '../../read';

/** Outcomes of EspoCRM's default Opportunity stages, keyed by enum value (language-independent). */
const defaultOutcomes: Record<string, StageOutcome> = {
  Prospecting: 'in_progress',
  Qualification: 'in_progress',
  Proposal: 'in_progress',
  Negotiation: 'in_progress',
  'Closed Won': 'won',
  'Closed Lost': 'lost',
};

/**
 * The labels EspoCRM shows for its default stages (i18n `Opportunity.options.stage`): en_US labels
 * are the enum values, ru_RU's are its own. A deal page shows only the label, the board the value too.
 */
const defaultLabels: Record<PageLocale, Record<string, string>> = {
  en: Object.fromEntries(Object.keys(defaultOutcomes).map((value) => [value, value])),
  ru: {
    Prospecting: 'Привлечение клиента',
    Qualification: 'Оценка возможности',
    Proposal: 'Предложение',
    Negotiation: 'Согласование',
    'Closed Won': 'Закрыто - Успех',
    'Closed Lost': 'Закрыто - Провал',
  },
};

const valueOfLabel = new Map(
  Object.values(defaultLabels).flatMap((labels) =>
    Object.entries(labels).map(([value, label]) => [label.toLowerCase(), value]),
  ),
);

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
 * A stage the page shows by its translated label only: a default stage's label (ru or en) maps back
 * to its enum value, so a Russian deal page gives the board's stage ids; any other label stands for
 * its own id (a custom stage's label, as the page gives nothing else).
 */
export function stageFromLabel(label: string, pill: Element | null = null): CrmStage {
  return espoStage(valueOfLabel.get(label.toLowerCase()) ?? label, label, pill);
}

/** A stage known by its enum value, named as the page's locale labels it (default stages only). */
export function stageFromValue(value: string, locale: PageLocale | null): CrmStage {
  return espoStage(value, defaultLabels[locale ?? 'en'][value] ?? value);
}
