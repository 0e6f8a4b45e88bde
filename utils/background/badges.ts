/**
 * The badges on board cards (the `boardBadges` setting): each card's status as the popup shows it,
 * or what the last export from the site did with it. The background reads the tab itself, so a
 * content script asks with no data and learns only its own page's states.
 */
import { compileExtIds } from '../mapping/ext-ids';
import type { BadgeState, BoardBadges, DealRow, TabPreview } from '../messaging';
import { localChange, settingsStore } from '../storage';
import type { DealOutcome } from '../sync/job';
import { isActive, isFinished } from '../sync/job-status';
import type { SyncService } from '../sync/service';
import { mappingSettingsFor } from './deals';
import { askTab } from './tabs';

/** Each card's badge from its row and the outcome of the site's last export for its deal. */
export function badgeStates(
  rows: readonly DealRow[],
  extIdOf: (dealId: string) => string,
  lastOutcomes: ReadonlyMap<string, DealOutcome>,
): Record<string, BadgeState> {
  const states: [string, BadgeState][] = [];
  for (const row of rows) {
    if (row.dealId === null) continue;
    const outcome = lastOutcomes.get(extIdOf(row.dealId));
    let state: BadgeState = row.status;
    if (outcome === 'sent' && row.status === 'unchanged') state = 'sent';
    if (outcome === 'failed' && row.status !== 'unchanged' && row.status !== 'problems') state = 'failed';
    states.push([row.dealId, state]);
  }
  // Own keys whatever the page's ids: assigned, a card id `__proto__` would set the prototype.
  return Object.fromEntries(states);
}

/** Changes come in bursts (a job writes its index and the ledger together): one redraw per burst. */
const SETTLE_MS = 500;

export interface BadgeDeps {
  sync: SyncService;
  preview: (tabId: number) => Promise<TabPreview>;
}

export function createBadges(deps: BadgeDeps) {
  /** Tabs whose content script asked for badges, with their site: they are told when states change. */
  const tabs = new Map<number, string>();
  let lastJob: { id: string; outcomes: Map<string, DealOutcome> } | null = null;
  let settle: ReturnType<typeof setTimeout> | null = null;

  /** What the last finished export from `site` did with each deal (by CoMagic deal ext id). */
  async function lastOutcomes(site: string): Promise<Map<string, DealOutcome>> {
    const summary = (await deps.sync.jobs()).find(
      (job) => job.site === site && !job.dryRun && isFinished(job.status),
    );
    if (!summary) return new Map();
    // A finished job's results never change: its detail is read once.
    if (lastJob?.id !== summary.id) {
      const job = await deps.sync.job(summary.id);
      lastJob = {
        id: summary.id,
        outcomes: new Map(job?.results.map((result) => [result.dealExtId, result.status])),
      };
    }
    return lastJob.outcomes;
  }

  async function statesOf(tabId: number, site: string): Promise<BoardBadges> {
    if (!(await settingsStore.get()).boardBadges) return null;
    const preview = await deps.preview(tabId);
    if (preview.kind !== 'board') return null;
    const extIds = compileExtIds(await mappingSettingsFor(site));
    return badgeStates(preview.rows, (id) => extIds.fromCrmId(id), await lastOutcomes(site));
  }

  /** The content script of `tabId` asks; from now on it is told when its badges change. */
  function forTab(tabId: number, site: string): Promise<BoardBadges> {
    tabs.set(tabId, site);
    return statesOf(tabId, site);
  }

  async function tell(tabId: number, site: string) {
    // While an export runs, the states change deal by deal: the badges are redrawn once it ends.
    const active = (await deps.sync.jobs()).some((job) => job.site === site && isActive(job.status));
    if (active) return;
    const states = await statesOf(tabId, site);
    await askTab(tabId, 'crm.badges', { states });
  }

  /** A `storage.onChanged` listener: settings, the ledger or a finished job redraw every tab's badges. */
  function onStorageChanged(changes: Record<string, unknown>, area: string) {
    if (area !== 'local' || tabs.size === 0) return;
    if (Object.keys(changes).every((key) => localChange(key) === 'progress')) return;
    if (settle !== null) clearTimeout(settle);
    settle = setTimeout(() => {
      settle = null;
      for (const [tabId, site] of tabs) {
        // A closed tab, or one that left the CRM, has nobody listening any more.
        tell(tabId, site).catch(() => tabs.delete(tabId));
      }
    }, SETTLE_MS);
  }

  return { forTab, onStorageChanged };
}
