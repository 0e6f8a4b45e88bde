import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS } from '../settings';
import { connectionStore, settingsStore } from '../storage';
import { deleteRecipe, exportSettings, importSettings, listRecipes, saveRecipe } from './options-data';

const RECIPE = readFileSync('tests/fixtures/recipe/krayin.recipe.json', 'utf8');

beforeEach(() => fakeBrowser.reset());

describe('settings backup', () => {
  it('exports settings, mappings and recipes but never the key', async () => {
    await connectionStore.set({
      endpoint: { brand: 'comagic' },
      auth: { kind: 'key', token: 'top-secret-key' },
    });
    await settingsStore.set({ ...DEFAULT_SETTINGS, extIdTemplate: 'espo-{id}' });
    await saveRecipe(RECIPE);
    const file = await exportSettings(new Date('2026-03-05T12:00:00Z'));
    expect(file.filename).toBe('crm-comagic-settings-2026-03-05.json');
    expect(file.content).not.toContain('top-secret-key');
    expect(JSON.parse(file.content)).toMatchObject({
      settings: { extIdTemplate: 'espo-{id}' },
      recipes: [RECIPE],
    });
  });

  it('imports what it exported, and rejects a broken file naming what is wrong, changing nothing', async () => {
    await settingsStore.set({ ...DEFAULT_SETTINGS, extIdTemplate: 'espo-{id}' });
    const file = await exportSettings(new Date());
    await fakeBrowser.storage.local.clear();
    expect(await importSettings(file.content)).toEqual({ ok: true, errors: [] });
    expect((await settingsStore.get()).extIdTemplate).toBe('espo-{id}');

    const broken = JSON.parse(file.content);
    broken.settings.extIdTemplate = 'no-placeholder';
    const result = await importSettings(JSON.stringify(broken));
    expect(result.ok).toBe(false);
    expect(result.errors.join()).toContain('settings.extIdTemplate');
    expect(await importSettings('{not json')).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('JSON')],
    });
    expect((await settingsStore.get()).extIdTemplate).toBe('espo-{id}');
  });
});

describe('recipes', () => {
  it('saves a recipe once per id, lists it and deletes it', async () => {
    expect(await saveRecipe(RECIPE)).toMatchObject({ ok: true, errors: [] });
    expect(await saveRecipe(RECIPE)).toMatchObject({ ok: true });
    const listed = await listRecipes();
    expect(listed).toHaveLength(1);
    expect(await deleteRecipe(listed[0]!.id)).toEqual({ deleted: true });
    expect(await listRecipes()).toEqual([]);
  });

  it('refuses a bad recipe with the errors of the recipe and stores nothing', async () => {
    const bad = JSON.stringify({ ...JSON.parse(RECIPE), urlPatterns: ['not a pattern'] });
    const saved = await saveRecipe(bad);
    expect(saved.ok).toBe(false);
    expect(saved.errors.join()).toContain('urlPatterns');
    expect(await listRecipes()).toEqual([]);
  });
});
