import { describe, expect, it, vi } from 'vitest';
import { createPreviewCache, type MadeFrom } from './preview-cache';

const config = { funnel: { extId: 'f1', name: 'Sales' }, stages: [{ crmStageId: 's1', order: 10 }] };
const made: MadeFrom = { mapping: { key: 'site|espocrm|Opportunity', config } };

describe('the preview cache', () => {
  it('computes a reading once, and again for a new reading', async () => {
    const cache = createPreviewCache();
    const compute = vi.fn(async () => made);
    const first = cache.get(1, 'a', compute);
    await cache.get(1, 'a', compute);
    expect(await first).toBe(made);
    expect(compute).toHaveBeenCalledTimes(1);
    await cache.get(1, 'b', compute);
    await cache.get(2, 'b', compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('forgets everything when settings, mappings or the ledger change, not when a job log does', async () => {
    const cache = createPreviewCache();
    const compute = vi.fn(async () => made);
    await cache.get(1, 'a', compute);
    cache.onStorageChanged({ 'sync-jobs': {}, 'sync-job:7': {}, 'sync-job-deals:7': {} }, 'local');
    cache.onStorageChanged({ mappings: {} }, 'session');
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(1);
    for (const key of ['settings', 'mappings', 'sync-ledger', 'account']) {
      cache.onStorageChanged({ [key]: {} }, 'local');
      await cache.get(1, 'a', compute);
    }
    expect(compute).toHaveBeenCalledTimes(5);
  });

  it('keeps a preview when the mapping it was made from is stored as it was, keys in any order', async () => {
    const cache = createPreviewCache();
    const compute = vi.fn(async () => made);
    await cache.get(1, 'a', compute);
    const storedBack = { stages: [{ order: 10, crmStageId: 's1' }], funnel: { name: 'Sales', extId: 'f1' } };
    const other = { version: 1 };
    cache.onStorageChanged({ mappings: { newValue: { other, [made.mapping.key]: storedBack } } }, 'local');
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(1);

    const edited = { ...config, stages: [{ crmStageId: 's1', order: 20 }] };
    cache.onStorageChanged({ mappings: { newValue: { [made.mapping.key]: edited } } }, 'local');
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(2);
    cache.onStorageChanged({ mappings: { newValue: {} } }, 'local');
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('drops a preview still being made when the mappings change: it may have read the old one', async () => {
    const cache = createPreviewCache();
    const compute = vi.fn(async () => made);
    const pending = cache.get(1, 'a', compute);
    cache.onStorageChanged({ mappings: { newValue: { [made.mapping.key]: config } } }, 'local');
    await pending;
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('drops a tab’s preview when told', async () => {
    const cache = createPreviewCache();
    const compute = vi.fn(async () => made);
    await cache.get(1, 'a', compute);
    await cache.get(2, 'a', compute);
    cache.drop(1);
    await cache.get(1, 'a', compute);
    await cache.get(2, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('makes a preview again after a few minutes, though the page reads the same', async () => {
    let clock = 0;
    const cache = createPreviewCache(() => clock);
    const compute = vi.fn(async () => made);
    await cache.get(1, 'a', compute);
    clock = 60_000;
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(1);
    clock = 10 * 60_000;
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed preview', async () => {
    const cache = createPreviewCache();
    await expect(cache.get(1, 'a', async () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await cache.get(1, 'a', async () => made)).toBe(made);
  });
});
