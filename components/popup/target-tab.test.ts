import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { stubTabs } from '../../tests/support/ui';
import { tabIdFromSearch, targetTabId } from './target-tab';

beforeEach(() => fakeBrowser.reset());

describe('tabIdFromSearch', () => {
  it('reads ?tabId=N', () => {
    expect(tabIdFromSearch('?tabId=42')).toBe(42);
  });

  it('ignores a missing or malformed tab id', () => {
    expect(tabIdFromSearch('')).toBeNull();
    expect(tabIdFromSearch('?tabId=abc')).toBeNull();
    expect(tabIdFromSearch('?tabId=-1')).toBeNull();
  });
});

describe('targetTabId', () => {
  it('prefers the tab named in the URL', async () => {
    const query = stubTabs([{ id: 3 }]);
    expect(await targetTabId('?tabId=9')).toBe(9);
    expect(query).not.toHaveBeenCalled();
  });

  it('falls back to the active tab of the current window', async () => {
    const query = stubTabs([{ id: 3 }]);
    expect(await targetTabId('')).toBe(3);
    expect(query).toHaveBeenCalledWith({ active: true, currentWindow: true });
  });

  it('has no target when the window has no active tab', async () => {
    stubTabs([]);
    expect(await targetTabId('')).toBeNull();
  });
});
