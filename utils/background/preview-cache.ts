/**
 * The last preview of a few tabs, while the page's reading and what the extension stores stay the
 * same: a popup opened again on a large board is answered without mapping every card again.
 */
import { localChange } from '../storage';
import { sameData } from './same-data';

const KEPT = 4;
/**
 * A page can read the same for hours. A preview maps stage times observed or estimated at the moment
 * it was made: after a few minutes it is made again, so it stays close to what a send would map.
 */
const MAX_AGE_MS = 5 * 60_000;

/** A preview names the pipeline mapping it was made from, by its key in the stored `mappings`. */
export interface MadeFrom {
  mapping: { key: string; config: unknown };
}

export function createPreviewCache<T extends MadeFrom>(now: () => number = Date.now) {
  const entries = new Map<number, { reading: string; at: number; value: Promise<T>; made?: T }>();

  /** The preview of `reading` on `tabId`: the one made before, or `compute()` once (callers share it). */
  function get(tabId: number, reading: string, compute: () => Promise<T>): Promise<T> {
    const hit = entries.get(tabId);
    if (hit?.reading === reading && now() - hit.at < MAX_AGE_MS) return hit.value;
    const value = compute();
    const entry: { reading: string; at: number; value: Promise<T>; made?: T } = { reading, at: now(), value };
    entries.delete(tabId);
    entries.set(tabId, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= KEPT) break;
      entries.delete(oldest);
    }
    value.then(
      (made) => {
        entry.made = made;
      },
      () => {
        if (entries.get(tabId) === entry) entries.delete(tabId);
      },
    );
    return value;
  }

  /**
   * A `storage.onChanged` listener: settings, the ledger, the account… make every preview stale. A
   * change of `mappings` keeps the previews whose mapping is stored exactly as they used it (the popup
   * saving the mapping a first look made); a preview still being made cannot tell, and goes.
   */
  function onStorageChanged(changes: Record<string, { newValue?: unknown }>, area: string) {
    if (area !== 'local') return;
    const kinds = Object.keys(changes).map(localChange);
    if (kinds.some((kind) => kind === 'data')) {
      entries.clear();
      return;
    }
    if (!kinds.includes('mappings')) return;
    const stored = changes.mappings?.newValue as Record<string, unknown> | undefined;
    for (const [tabId, { made }] of entries) {
      if (!made || !sameData(stored?.[made.mapping.key], made.mapping.config)) entries.delete(tabId);
    }
  }

  /** The tab left its page or closed: its preview is of nothing any more. */
  function drop(tabId: number) {
    entries.delete(tabId);
  }

  return { get, onStorageChanged, drop };
}

export type PreviewCache<T extends MadeFrom> = ReturnType<typeof createPreviewCache<T>>;
