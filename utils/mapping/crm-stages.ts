/**
 * What each built-in CRM itself says about its won and lost stages. A deal page shows only the
 * stages that deal passed, so a funnel made from one page would otherwise lack them; with this
 * knowledge it has the CRM's real stages (ids and names), and a board read later merges with them.
 */
import type { CrmId, CrmStage } from '../crm/model';
import { normalizeName } from './ext-ids';
import type { TerminalStatus } from './funnel';

export type StageLocale = 'ru' | 'en';

interface KnownStage {
  id: string;
  names: Record<StageLocale, string>;
}

type KnownTerminals = Record<TerminalStatus, KnownStage>;

const KNOWN_TERMINALS: ReadonlyMap<CrmId, KnownTerminals> = new Map<CrmId, KnownTerminals>([
  // System statuses that exist in every amoCRM pipeline.
  [
    'amocrm',
    {
      success: { id: '142', names: { ru: 'Успешно реализовано', en: 'Closed - won' } },
      failed: { id: '143', names: { ru: 'Закрыто и не реализовано', en: 'Closed - lost' } },
    },
  ],
  // The Opportunity stage enum's closing values, with their ru_RU labels.
  [
    'espocrm',
    {
      success: { id: 'Closed Won', names: { ru: 'Закрыто - Успех', en: 'Closed Won' } },
      failed: { id: 'Closed Lost', names: { ru: 'Закрыто - Провал', en: 'Closed Lost' } },
    },
  ],
]);

const OUTCOME: Record<TerminalStatus, 'won' | 'lost'> = { success: 'won', failed: 'lost' };

const comparable = (text: string) =>
  normalizeName(text)
    .replace(/[-_–—]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Russian when any of the names is written in Cyrillic. */
export function localeOf(names: readonly string[]): StageLocale {
  return names.some((name) => /[а-яё]/i.test(name)) ? 'ru' : 'en';
}

/** The CRM's own won or lost stage, named in the page's language; `null` when the CRM has none. */
export function knownTerminalStage(crm: CrmId, status: TerminalStatus, locale: StageLocale): CrmStage | null {
  const known = KNOWN_TERMINALS.get(crm)?.[status];
  return known ? { id: known.id, name: known.names[locale], outcome: OUTCOME[status] } : null;
}

/**
 * Odoo has no lost column: a lost lead is archived in whatever stage it was. CoMagic's own lost
 * stage (one with no CRM column) is then what the CRM means, not a guess.
 */
export function crmHasNoColumnFor(crm: CrmId, status: TerminalStatus): boolean {
  return crm === 'odoo' && status === 'failed';
}

/**
 * A stage as the funnel's column: a known won/lost stage read by its label only (an EspoCRM page
 * in Russian, an amoCRM status without its id) gets the CRM's id, so the page and the board name
 * one stage; an Odoo stage a lost lead was archived in stays the column it is.
 */
export function asColumn(crm: CrmId, stage: CrmStage): CrmStage {
  if (crm === 'odoo') return stage.outcome === 'lost' ? { ...stage, outcome: null } : stage;
  const known = KNOWN_TERMINALS.get(crm);
  if (!known) return stage;
  // Only a stage keyed by its label: a stage with an id of its own is that stage, whatever its name.
  if (stage.id !== stage.name) return stage;
  const label = comparable(stage.name);
  for (const status of ['success', 'failed'] as const) {
    const { id, names } = known[status];
    if (label === comparable(names.ru) || label === comparable(names.en)) {
      return { id, name: stage.name, outcome: OUTCOME[status] };
    }
  }
  return stage;
}
