/**
 * A board card shows a deal's stage but no timeline. When a later export finds the deal in another
 * stage than the last one observed, the move happened between the two exports: it is recorded at
 * the later export's time, so users who only export boards still build a stage history.
 */
import type { CrmDeal, StageVisit } from '../crm/model';
import type { LedgerEntry } from './ledger';

/** The deal with its history completed by what the ledger observed; unchanged when nothing moved. */
export function observeTransition(deal: CrmDeal, entry: LedgerEntry | null, now: string): CrmDeal {
  const observed = entry?.observed;
  const stage = deal.stage;
  if (!observed || !stage || observed.stage.id === stage.id) return deal;
  const nowMs = Date.parse(now);
  if (!(nowMs > observed.at)) return deal;
  // A timeline that already shows the move since the last export knows the real time.
  const known = deal.history.some(
    (visit) =>
      visit.source !== 'board' && visit.stage.id === stage.id && Date.parse(visit.enteredAt) > observed.at,
  );
  if (known) return deal;
  const before = deal.history.filter(
    (visit) => visit.source !== 'board' && Date.parse(visit.enteredAt) <= observed.at,
  );
  const history: StageVisit[] = [...before];
  if (before.at(-1)?.stage.id !== observed.stage.id) {
    // Seen there at the earlier export; it entered that stage then or before.
    history.push({
      stage: observed.stage,
      enteredAt: new Date(observed.at).toISOString(),
      source: 'observed',
      estimated: true,
    });
  }
  history.push({ stage, enteredAt: new Date(nowMs).toISOString(), source: 'observed', estimated: false });
  return { ...deal, history };
}
