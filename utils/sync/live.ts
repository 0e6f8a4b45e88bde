/**
 * Live mode: each change a CRM page saw (a card moved, a deal page's stage, amount, owner or contacts)
 * is kept in an inbox the moment the background receives it, then becomes one small job. The inbox
 * survives a stopped worker; a change handed over twice (the page tried again) is kept once.
 */
import { z } from 'zod';
import type { CrmDeal, StageVisit } from '../crm/model';
import { CrmDealSchema } from '../crm/schema';

export const LiveChangeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('card'),
    card: CrmDealSchema,
    fromStageId: z.string().max(1_000),
    seenAt: z.string().datetime(),
  }),
  z.object({ kind: z.literal('deal'), deal: CrmDealSchema, seenAt: z.string().datetime() }),
]);
export type LiveChange = z.infer<typeof LiveChangeSchema>;

const LiveEntrySchema = z.object({
  key: z.string(),
  site: z.string(),
  tabId: z.number().nullable(),
  change: LiveChangeSchema,
});
export type LiveEntry = z.infer<typeof LiveEntrySchema>;

export const LiveInboxSchema = z.object({
  v: z.literal(1),
  pending: z.array(LiveEntrySchema),
  /** Changes already made into a job, newest last: one handed over again gets the same job. */
  done: z.array(z.object({ key: z.string(), jobId: z.string().nullable() })),
});
export type LiveInbox = z.infer<typeof LiveInboxSchema>;
export const EMPTY_LIVE_INBOX: LiveInbox = { v: 1, pending: [], done: [] };

/** Enough to recognise a change the page hands over again after its first try went unanswered. */
const DONE_KEPT = 500;

/** The same change seen by the same page: same deal, same new state, same second. */
export function changeKey(site: string, change: LiveChange): string {
  const deal = change.kind === 'card' ? change.card : change.deal;
  return JSON.stringify([
    site,
    change.kind,
    deal.id ?? deal.name,
    deal.stage?.id ?? null,
    deal.amount?.amount ?? null,
    deal.owner?.name ?? null,
    deal.contacts.length,
    change.seenAt,
  ]);
}

export type Received =
  | { kind: 'new'; inbox: LiveInbox }
  | { kind: 'pending' }
  | { kind: 'done'; jobId: string | null };

/** The inbox with `entry` in it, unless it already holds that change or made it into a job. */
export function receive(inbox: LiveInbox, entry: LiveEntry): Received {
  const done = inbox.done.find((item) => item.key === entry.key);
  if (done) return { kind: 'done', jobId: done.jobId };
  if (inbox.pending.some((item) => item.key === entry.key)) return { kind: 'pending' };
  return { kind: 'new', inbox: { ...inbox, pending: [...inbox.pending, entry] } };
}

/** The inbox once `key` became the job `jobId` (or was dropped: `null`). */
export function settle(inbox: LiveInbox, key: string, jobId: string | null): LiveInbox {
  return {
    ...inbox,
    pending: inbox.pending.filter((item) => item.key !== key),
    done: [...inbox.done.filter((item) => item.key !== key), { key, jobId }].slice(-DONE_KEPT),
  };
}

/** A page that shows times to the minute shows a move seen live at most this long before it was seen. */
const MINUTE_SHOWN_MS = 120_000;

/**
 * The deal as read, with the move the page saw dated when it was seen (to the second): a history that
 * does not end in the deal's stage (a CRM that keeps no stage log, or one not written yet) gets that
 * stage then, and one whose page shows the move to the minute only (12:31 for 12:31:44) takes the
 * second it was seen. A time to the second from the CRM itself is kept.
 */
export function withSeenMove(deal: CrmDeal, seenAt: string): CrmDeal {
  const stage = deal.stage;
  const seenMs = Date.parse(seenAt);
  const known = deal.history.filter((visit) => visit.source !== 'board');
  const last = known.at(-1);
  if (!stage) return deal;
  const seen: StageVisit = { stage, enteredAt: seenAt, source: 'observed', estimated: false };
  if (last?.stage.id === stage.id) {
    const at = Date.parse(last.enteredAt);
    const toTheMinute = at % 60_000 === 0 && at <= seenMs && seenMs - at < MINUTE_SHOWN_MS;
    return toTheMinute ? { ...deal, history: [...known.slice(0, -1), { ...last, enteredAt: seenAt }] } : deal;
  }
  return { ...deal, history: [...known.filter((visit) => Date.parse(visit.enteredAt) <= seenMs), seen] };
}
