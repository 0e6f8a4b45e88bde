/**
 * Live mode's page side: what changed between two readings of the same page (a card moved to
 * another column; a deal page's stage, amount, owner or contacts after the CRM saved them), and the
 * delivery of each change to the background until it says the change is stored. Plain DOM and no
 * zod: this runs in every CRM tab.
 */
import type { CrmDeal } from '../crm/model';
import type { ScrapeReport } from '../crm/scrape';
import { localize } from '../i18n';

/**
 * One change seen on the page, at `seenAt` (ISO, to the second): a board card now in another column
 * (the background reads its deal whole), or a deal page's deal as it shows now.
 */
export type LiveChange = import('../sync/live').LiveChange;

/** Odoo's cards carry no id: a card is then known by what it shows that a move does not change. */
function cardIdentity(deal: CrmDeal): string {
  return deal.id !== null ? `id:${deal.id}` : `name:${deal.name}|${deal.company?.name ?? ''}`;
}

/** What a person changes on a deal's page that CoMagic keeps: a new value is a change to send. */
function dealFacts(deal: CrmDeal): string {
  return JSON.stringify([
    deal.stage?.id ?? null,
    deal.amount?.amount ?? null,
    deal.amount?.currency ?? null,
    deal.owner?.id ?? deal.owner?.name ?? null,
    deal.contacts.map((contact) => [contact.id ?? contact.name, contact.phones, contact.emails]),
  ]);
}

/** Seconds, as the guide's stage times are written: a move seen at 17:31:44.620 was seen at 17:31:44. */
export function secondOf(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
}

/**
 * The changes from `before` to `after`, two readings of the same page. A card that appeared or went
 * (more cards loaded, a filter) is no change; a card two cards share the identity of is left out,
 * since which of them moved cannot be told.
 */
export function changesBetween(before: ScrapeReport | null, after: ScrapeReport, now: Date): LiveChange[] {
  if (!before || before.url !== after.url) return [];
  const seenAt = secondOf(now);
  if (before.deal && after.deal) {
    const same = before.deal.id !== null && before.deal.id === after.deal.id;
    return same && dealFacts(before.deal) !== dealFacts(after.deal)
      ? [{ kind: 'deal', deal: after.deal, seenAt }]
      : [];
  }
  if (!before.board || !after.board || before.board.pipeline.id !== after.board.pipeline.id) return [];
  const unique = (deals: CrmDeal[]) => {
    const byIdentity = new Map<string, CrmDeal | null>();
    for (const deal of deals) {
      const key = cardIdentity(deal);
      byIdentity.set(key, byIdentity.has(key) ? null : deal);
    }
    return byIdentity;
  };
  const earlier = unique(before.board.deals);
  const changes: LiveChange[] = [];
  for (const [key, card] of unique(after.board.deals)) {
    const was = earlier.get(key);
    if (!card?.stage || !was?.stage || was.stage.id === card.stage.id) continue;
    changes.push({ kind: 'card', card, fromStageId: was.stage.id, seenAt });
  }
  return changes;
}

/** How long to wait before handing a change over again when the background did not take it. */
export const REDELIVER_MS = 3_000;
/** A change the background never takes (the extension gone) is dropped after this many tries. */
const MAX_TRIES = 40;
/** How long a change's job is followed for its toast; a longer one shows in the popup and Activity. */
const FOLLOW_TRIES = 120;
/** Long enough to read, short enough not to cover the CRM's own buttons for long. */
const TOAST_MS = 4_000;

const toastText = {
  sent: { en: '“{name}” sent to CoMagic', ru: '«{name}» отправлена в CoMagic' },
  failed: {
    en: '“{name}” not sent to CoMagic: {reason} What to do: in the extension’s popup.',
    ru: '«{name}» не отправлена в CoMagic: {reason} Что делать — во всплывающем окне расширения.',
  },
};

/**
 * A brief note in the page's corner: the change went to CoMagic, or why not. Text set with
 * textContent, in a closed root so a page script cannot rewrite what the extension tells.
 */
export function showToast(
  document: Document,
  state: { kind: 'sent'; name: string } | { kind: 'failed'; name: string; reason: string },
  setTimeout: (callback: () => void, ms: number) => void,
): HTMLElement {
  const host = document.createElement('crm-comagic-toast');
  const root = host.attachShadow({ mode: 'closed' });
  const note = document.createElement('div');
  note.setAttribute('role', 'status');
  note.style.cssText = `all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483647;font:600 13px system-ui;color:#fff;padding:8px 12px;border-radius:6px;background:${state.kind === 'sent' ? '#15803d' : '#b91c1c'}`;
  note.textContent = localize(toastText[state.kind], state);
  root.append(note);
  document.body.append(host);
  setTimeout(() => host.remove(), TOAST_MS);
  return host;
}

/**
 * Live mode's page side wired: each change is handed to the background until it answers that the
 * change is stored (a worker stopped meanwhile is started again by the next try; the background keeps
 * a change handed over twice once), and once its job is over a toast says it went to CoMagic, or why not.
 */
export function createLiveReporter(host: {
  document: Document;
  deliver: (change: LiveChange) => Promise<{ jobId: string | null }>;
  jobState: (
    jobId: string,
  ) => Promise<{ kind: 'sending' } | { kind: 'sent' } | { kind: 'failed'; reason: string }>;
  setTimeout: (callback: () => void, ms: number) => void;
}): (change: LiveChange) => void {
  const name = (change: LiveChange) => (change.kind === 'card' ? change.card : change.deal).name;
  async function follow(change: LiveChange, jobId: string, tries: number): Promise<void> {
    const state = await host.jobState(jobId).catch(() => null);
    if (state?.kind === 'sending') {
      if (tries < FOLLOW_TRIES) host.setTimeout(() => void follow(change, jobId, tries + 1), 1_000);
    } else if (state) {
      showToast(host.document, { ...state, name: name(change) }, host.setTimeout);
    }
  }
  function attempt(change: LiveChange, tries: number) {
    host.deliver(change).then(
      ({ jobId }) => {
        if (jobId) void follow(change, jobId, 0);
      },
      () => tries + 1 < MAX_TRIES && host.setTimeout(() => attempt(change, tries + 1), REDELIVER_MS),
    );
  }
  return (change) => attempt(change, 0);
}
