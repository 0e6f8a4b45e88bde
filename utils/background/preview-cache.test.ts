import { describe, expect, it, vi } from 'vitest';
import { createPreviewCache } from './preview-cache';

describe('the preview cache', () => {
  it('computes a reading once, and again for a new reading', async () => {
    const cache = createPreviewCache<string>();
    const compute = vi.fn(async () => 'preview');
    const first = cache.get(1, 'a', compute);
    await cache.get(1, 'a', compute);
    expect(await first).toBe('preview');
    expect(compute).toHaveBeenCalledTimes(1);
    await cache.get(1, 'b', compute);
    await cache.get(2, 'b', compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('forgets everything when settings, mappings or the ledger change, not when a job log does', async () => {
    const cache = createPreviewCache<string>();
    const compute = vi.fn(async () => 'preview');
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

  it('makes a preview again after a few minutes, though the page reads the same', async () => {
    let clock = 0;
    const cache = createPreviewCache<string>(() => clock);
    const compute = vi.fn(async () => 'preview');
    await cache.get(1, 'a', compute);
    clock = 60_000;
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(1);
    clock = 10 * 60_000;
    await cache.get(1, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed preview', async () => {
    const cache = createPreviewCache<string>();
    await expect(cache.get(1, 'a', async () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await cache.get(1, 'a', async () => 'preview')).toBe('preview');
  });
});
