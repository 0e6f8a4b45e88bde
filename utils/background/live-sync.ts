/**
 * Live mode's background side: a change a CRM page saw becomes one small job. The change is kept in
 * the inbox before the page is answered, so a worker stopped at any point still sends it, once.
 * A deal page's change sends the deal as its page shows it (what "Send to CoMagic" sends); a card
 * moved on a board has its deal read whole first, as the board export reads it, so it carries every
 * stage with its time, the contacts and the creation time.
 */
import { CRMS_READ_BY_API } from '../crm/api-read';
import type { CrmDeal } from '../crm/model';
import { dealReport } from '../crm/scrape';
import { compileExtIds } from '../mapping/ext-ids';
import type { Answers } from '../messaging';
import { autoSyncStore, liveInboxStore } from '../storage';
import type { EnqueueInput, ReadCard } from '../sync/job';
import { changeKey, type LiveChange, type LiveEntry, receive, settle, withSeenMove } from '../sync/live';
import type { SyncService } from '../sync/service';
import { boardCardIds, browserTransport, type CrmTransport } from './deal-reader';
import { mappingSettingsFor, prepare, saveMapping } from './deals';
import type { Sender } from './router';
import { cardKey } from './whole-export';

/** How the deal of a moved card is read whole: through the CRM (its endpoints, else its page). */
export interface WholeCardReader {
  /** The card's record id (Odoo's cards show none: the board's tab is asked); `null` when unknown. */
  idOf(site: string, tabId: number | null, card: CrmDeal): Promise<string | null>;
  /** The deal read whole, or `null` when the CRM did not give it now. */
  read(site: string, tabId: number | null, card: CrmDeal, id: string): Promise<CrmDeal | null>;
}

export function crmCardReader(transport: CrmTransport = browserTransport()): WholeCardReader {
  return {
    async idOf(_site, tabId, card) {
      if (card.id !== null || tabId === null || !CRMS_READ_BY_API.includes(card.crm)) return card.id;
      const board = {
        crm: card.crm,
        url: card.url,
        pipeline: card.pipeline ?? { id: '', name: '' },
        stages: card.stage ? [card.stage] : [],
        deals: [card],
        incompleteStages: [],
      };
      return (await boardCardIds(tabId, board))?.[0] ?? null;
    },
    async read(site, tabId, card, id) {
      if (CRMS_READ_BY_API.includes(card.crm)) {
        const answers = await transport.readDeals(site, tabId, {
          crm: card.crm,
          ids: [id],
          concurrency: 1,
          delayMs: 0,
        });
        const answer = answers?.[0];
        return answer?.id === id && 'deal' in answer ? answer.deal : null;
      }
      const jobKey = `live:${id}`;
      try {
        const rendered = await transport.renderDeal(jobKey, readCardOf(card, id, id));
        return 'deal' in rendered ? rendered.deal : null;
      } finally {
        await transport.release(jobKey);
      }
    },
  };
}

function readCardOf(card: CrmDeal, id: string, dealExtId: string): ReadCard {
  return { dealExtId, crmDealId: id, name: card.name, url: card.url, key: cardKey(card) };
}

export interface LiveSyncDeps {
  sync: SyncService;
  watchJobs: () => void;
  reader: WholeCardReader;
}

export function createLiveSync(deps: LiveSyncDeps) {
  const { sync } = deps;
  /** One inbox change at a time: its read-modify-write is never interleaved. */
  let inboxTurn: Promise<unknown> = Promise.resolve();
  function withInbox<T>(work: () => Promise<T>): Promise<T> {
    const turn = inboxTurn.then(work);
    inboxTurn = turn.catch(() => undefined);
    return turn;
  }
  const waiting = new Map<string, ((jobId: string | null) => void)[]>();
  let working: Promise<void> | null = null;

  /** The job for a card whose deal the CRM did not give now: the export's reading tries again. */
  async function readingJob(entry: LiveEntry, card: CrmDeal, id: string | null): Promise<string> {
    const prepared = await prepare(dealReport(card), entry.site, sync, new Date(entry.change.seenAt));
    await saveMapping(prepared);
    const extIds = compileExtIds(await mappingSettingsFor(entry.site));
    const reading: NonNullable<EnqueueInput['reading']> = {
      crm: card.crm,
      via: CRMS_READ_BY_API.includes(card.crm) ? 'api' : 'page',
      tabId: entry.tabId,
      cards: id ? [readCardOf(card, id, extIds.fromCrmId(id))] : [],
      unchanged: [],
      unidentified: [],
    };
    return sync.enqueue({
      kind: 'deal',
      label: card.name,
      site: entry.site,
      config: prepared.config,
      mappings: [],
      dryRun: false,
      reading,
    });
  }

  async function jobOf(entry: LiveEntry): Promise<string> {
    const { change, site } = entry;
    let deal: CrmDeal | null = change.kind === 'deal' ? change.deal : null;
    if (change.kind === 'card') {
      const id = await deps.reader.idOf(site, entry.tabId, change.card);
      deal = id ? await deps.reader.read(site, entry.tabId, change.card, id).catch(() => null) : null;
      if (!deal) return readingJob(entry, change.card, id);
    }
    const seen = withSeenMove(deal as CrmDeal, change.seenAt);
    // Mapped as at the moment it was seen: a stage move the ledger knows of is dated then, not now.
    const prepared = await prepare(dealReport(seen), site, sync, new Date(change.seenAt));
    await saveMapping(prepared);
    return sync.enqueue({
      kind: 'deal',
      label: seen.name,
      site,
      config: prepared.config,
      mappings: prepared.deals.map(({ mapping }) => mapping),
      dryRun: false,
    });
  }

  function answered(key: string, jobId: string | null) {
    for (const wake of waiting.get(key) ?? []) wake(jobId);
    waiting.delete(key);
  }

  /** Makes each change in the inbox into its job, oldest first. */
  async function work(): Promise<void> {
    for (;;) {
      const entry = (await liveInboxStore.get()).pending[0];
      if (!entry) return;
      let jobId: string | null = null;
      try {
        jobId = await jobOf(entry);
        deps.watchJobs();
      } catch (error) {
        // Nothing sendable came of it (no mapping could be made): the change is dropped, said so.
        console.error('A live change could not be made into a job', error);
      }
      await withInbox(async () => liveInboxStore.set(settle(await liveInboxStore.get(), entry.key, jobId)));
      answered(entry.key, jobId);
    }
  }

  let again = false;
  function kick(): void {
    if (working) {
      again = true;
      return;
    }
    working = work()
      .catch((error) => console.error('Live changes could not be read from storage', error))
      .finally(() => {
        working = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return {
    /** Keeps the change (once), makes its job, and answers with it. */
    async changed(change: LiveChange, sender: Sender): Promise<Answers['live.changed']> {
      if (!(await autoSyncStore.get()).liveSites.includes(sender.origin)) return { jobId: null };
      const entry: LiveEntry = {
        key: changeKey(sender.origin, change),
        site: sender.origin,
        tabId: sender.tabId,
        change,
      };
      const got = await withInbox(async () => {
        const result = receive(await liveInboxStore.get(), entry);
        if (result.kind === 'new') await liveInboxStore.set(result.inbox);
        return result;
      });
      if (got.kind === 'done') return { jobId: got.jobId };
      const job = new Promise<string | null>((wake) =>
        waiting.set(entry.key, [...(waiting.get(entry.key) ?? []), wake]),
      );
      kick();
      return { jobId: await job };
    },
    /** Changes kept by a worker stopped before it made their jobs. */
    resume: kick,
  };
}
