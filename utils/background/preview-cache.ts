/**
 * The last preview of a few tabs, while the page's reading and what the extension stores stay the
 * same: a popup opened again on a large board is answered without mapping every card again.
 */

/** Stored items that change while jobs run but never change a preview (job logs, counters). */
const UNRELATED = /^(sync-jobs$|sync-job:|sync-job-deals:|worker-starts$)/;

const KEPT = 4;
/**
 * A page can read the same for hours. A preview maps stage times observed or estimated at the moment
 * it was made: after a few minutes it is made again, so it stays close to what a send would map.
 */
const MAX_AGE_MS = 5 * 60_000;

export function createPreviewCache<T>(now: () => number = Date.now) {
  const entries = new Map<number, { reading: string; at: number; value: Promise<T> }>();

  /** The preview of `reading` on `tabId`: the one made before, or `compute()` once (callers share it). */
  function get(tabId: number, reading: string, compute: () => Promise<T>): Promise<T> {
    const hit = entries.get(tabId);
    if (hit?.reading === reading && now() - hit.at < MAX_AGE_MS) return hit.value;
    const value = compute();
    entries.delete(tabId);
    entries.set(tabId, { reading, at: now(), value });
    for (const oldest of entries.keys()) {
      if (entries.size <= KEPT) break;
      entries.delete(oldest);
    }
    value.catch(() => {
      if (entries.get(tabId)?.value === value) entries.delete(tabId);
    });
    return value;
  }

  /** A `storage.onChanged` listener: settings, mappings, the ledger, the account… make every preview stale. */
  function onStorageChanged(changes: Record<string, unknown>, area: string) {
    if (area !== 'local') return;
    if (Object.keys(changes).some((key) => !UNRELATED.test(key))) entries.clear();
  }

  return { get, onStorageChanged, clear: () => entries.clear() };
}

export type PreviewCache<T> = ReturnType<typeof createPreviewCache<T>>;
