/**
 * The last preview of a few tabs, while the page's reading and what the extension stores stay the
 * same: a popup opened again on a large board is answered without mapping every card again.
 */

/** Stored items that change while jobs run but never change a preview (job logs, counters). */
const UNRELATED = /^(sync-jobs$|sync-job:|sync-job-deals:|worker-starts$)/;

const KEPT = 4;

export function createPreviewCache<T>() {
  const entries = new Map<number, { reading: string; value: Promise<T> }>();

  /** The preview of `reading` on `tabId`: the one made before, or `compute()` once (callers share it). */
  function get(tabId: number, reading: string, compute: () => Promise<T>): Promise<T> {
    const hit = entries.get(tabId);
    if (hit?.reading === reading) return hit.value;
    const value = compute();
    entries.delete(tabId);
    entries.set(tabId, { reading, value });
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
