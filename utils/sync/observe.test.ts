import { describe, expect, it } from 'vitest';
import type { CrmDeal, CrmStage } from '../crm/model';
import { unreadDeal } from '../crm/read';
import { newEntry, recordObserved } from './ledger';
import { observeTransition } from './observe';

const NEW: CrmStage = { id: 'new', name: 'New', outcome: null };
const TALKS: CrmStage = { id: 'talks', name: 'Talks', outcome: null };
const FIRST_EXPORT = Date.parse('2026-03-01T09:00:00Z');
const NOW = '2026-03-04T15:30:00.000Z';

function card(stage: CrmStage, history: CrmDeal['history'] = []): CrmDeal {
  return {
    ...unreadDeal('espocrm', 'https://crm.example.com/#Opportunity/view/17'),
    id: '17',
    name: 'Supply',
    stage,
    history,
  };
}

describe('observeTransition', () => {
  it('records a move seen between two exports at the later export, observed and exact', () => {
    const entry = recordObserved(newEntry(FIRST_EXPORT), NEW, FIRST_EXPORT);
    const boardVisit = {
      stage: TALKS,
      enteredAt: '2026-03-01T00:00:00.000Z',
      source: 'board' as const,
      estimated: true,
    };
    const deal = observeTransition(card(TALKS, [boardVisit]), entry, NOW);
    expect(deal.history).toEqual([
      { stage: NEW, enteredAt: new Date(FIRST_EXPORT).toISOString(), source: 'observed', estimated: true },
      { stage: TALKS, enteredAt: NOW, source: 'observed', estimated: false },
    ]);
  });

  it('leaves a deal still in the stage it was seen in unchanged', () => {
    const entry = recordObserved(newEntry(FIRST_EXPORT), NEW, FIRST_EXPORT);
    const deal = card(NEW);
    expect(observeTransition(deal, entry, NOW)).toBe(deal);
  });

  it('leaves a deal never observed unchanged', () => {
    const deal = card(TALKS);
    expect(observeTransition(deal, null, NOW)).toBe(deal);
  });

  it('keeps a timeline that already shows the move with its real time', () => {
    const entry = recordObserved(newEntry(FIRST_EXPORT), NEW, FIRST_EXPORT);
    const history = [
      { stage: NEW, enteredAt: '2026-02-27T10:00:00.000Z', source: 'timeline' as const, estimated: false },
      { stage: TALKS, enteredAt: '2026-03-02T11:00:00.000Z', source: 'timeline' as const, estimated: false },
    ];
    const deal = card(TALKS, history);
    expect(observeTransition(deal, entry, NOW)).toBe(deal);
  });

  it('keeps the older timeline visits and adds the move after them', () => {
    const entry = recordObserved(newEntry(FIRST_EXPORT), NEW, FIRST_EXPORT);
    const older = {
      stage: NEW,
      enteredAt: '2026-02-27T10:00:00.000Z',
      source: 'timeline' as const,
      estimated: false,
    };
    const deal = observeTransition(card(TALKS, [older]), entry, NOW);
    expect(deal.history).toEqual([
      older,
      { stage: TALKS, enteredAt: NOW, source: 'observed', estimated: false },
    ]);
  });
});
