/**
 * A 10,000-card export against chrome's storage.local quota (10 MB without unlimitedStorage): the
 * store manifest asks for unlimitedStorage, and the export's stored items fit the quota even without it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CHROME_LOCAL_QUOTA,
  deliveredEntry,
  finishedJob,
  mappedExport,
  quotaBytes,
} from '../../tests/support/stored-export';
import config from '../../wxt.config';
import { addJob, readDetail, readLedger, updateLedger, writeDetail } from './outbox';

/** storage.local as chrome enforces its quota: a write that would pass it is refused whole. */
function enforceChromeQuota(): void {
  const local = fakeBrowser.storage.local;
  const set = local.set.bind(local);
  const used = async () => quotaBytes(await local.get(null));
  vi.spyOn(local, 'set').mockImplementation(async (items) => {
    const before = await local.get(Object.keys(items));
    const growth = quotaBytes(items) - quotaBytes(before);
    if ((await used()) + growth > CHROME_LOCAL_QUOTA) throw new Error('QUOTA_BYTES quota exceeded');
    return set(items);
  });
}

beforeEach(() => fakeBrowser.reset());

/** A 10,000-deal export as the runner stores it: the job with its payloads, its plan, progress steps, the ledger. */
async function storeExport(): Promise<void> {
  const { mappings } = mappedExport(10_000);
  const { summary, detail } = finishedJob('export-10k', mappings);
  await addJob({ ...summary, status: 'running' }, { ...detail, cursor: 0 });
  for (const cursor of [1, 2, detail.cursor]) await writeDetail('export-10k', { ...detail, cursor });
  const at = Date.now();
  await updateLedger((ledger) => {
    for (const mapping of mappings)
      ledger.deals.set(mapping.dealExtId as string, deliveredEntry(mapping, at));
  });
}

describe('a 10,000-card export in the store build', () => {
  it('asks for unlimitedStorage in the store manifest, which lifts storage.local’s 10 MB quota', () => {
    const manifest = config.manifest as (env: object) => { permissions: string[] };
    const store = manifest({ browser: 'chrome', manifestVersion: 3, mode: 'production', command: 'build' });
    expect(store.permissions).toContain('unlimitedStorage');
  });

  it('stores and reads back the whole export, which takes more than the 10 MB a build without it would have', async () => {
    await storeExport();
    expect((await readDetail('export-10k'))?.deals).toHaveLength(10_000);
    expect((await readLedger()).deals.size).toBe(10_000);
    expect(quotaBytes(await fakeBrowser.storage.local.get(null))).toBeGreaterThan(CHROME_LOCAL_QUOTA);
  }, 120_000);

  it('under the 10 MB quota, the write is refused out loud (the job then pauses, see service.test.ts), never silently', async () => {
    enforceChromeQuota();
    await expect(storeExport()).rejects.toThrow('QUOTA_BYTES quota exceeded');
    expect(quotaBytes(await fakeBrowser.storage.local.get(null))).toBeLessThanOrEqual(CHROME_LOCAL_QUOTA);
  }, 120_000);
});
