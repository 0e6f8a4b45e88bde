import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { testConfig } from '../../tests/support/deal-mapping';
import { compileExtIds } from '../mapping/ext-ids';
import { DEFAULT_SETTINGS } from '../settings';
import {
  autoSyncStore,
  connectionStore,
  mappingKey,
  mappingStore,
  sessionStore,
  settingsStore,
} from '../storage';
import { mappingSettingsFor } from './deals';
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

describe('a backup a team shares', () => {
  const OLD_SITE = 'https://old-crm.example.com';
  const NEW_SITE = 'https://crm.example.com';

  /** Every id this browser would give: a deal's, an owner's by name, and each mapped funnel's. */
  async function idsGiven() {
    const perSite = await Promise.all(
      [OLD_SITE, NEW_SITE].map(async (site) => {
        const ids = compileExtIds(await mappingSettingsFor(site));
        return [ids.fromCrmId('42'), ids.derived(['Anna Petrova'])];
      }),
    );
    const funnels = Object.values(await mappingStore.all()).map((config) => config.funnel.extId);
    return { perSite, funnels };
  }

  it('carries no secret: no key, password, session token or remembered password', async () => {
    await connectionStore.set({
      endpoint: { brand: 'uis' },
      auth: { kind: 'login', login: 'analyst@example.com', password: 'pa55-w0rd-secret' },
    });
    await sessionStore.set({ token: 'session-token-secret', expiresAt: Date.now() + 60_000 });
    await sessionStore.setPassword('remembered-password-secret');
    const { content } = await exportSettings(new Date());
    for (const secret of ['pa55-w0rd-secret', 'session-token-secret', 'remembered-password-secret']) {
      expect(content).not.toContain(secret);
    }
    expect(content).not.toContain('analyst@example.com');
  });

  it('gives two browsers configured from it the same ext_ids as the browser it came from', async () => {
    // A site this browser sent from before prefixes existed keeps none; the other gets a derived one.
    await settingsStore.set({
      ...DEFAULT_SETTINGS,
      extIdTemplate: 'espo-{id}',
      sitePrefixes: { [OLD_SITE]: '' },
    });
    for (const site of [OLD_SITE, NEW_SITE]) {
      const config = testConfig({ site, funnel: { extId: `${site.length}-main`, name: 'Sales' } });
      await mappingStore.set(mappingKey(site, config.crm, config.pipelineId), config);
    }
    const original = await idsGiven();
    const { content } = await exportSettings(new Date());
    const configured = [];
    for (const _browser of ['first colleague', 'second colleague']) {
      fakeBrowser.reset();
      expect(await importSettings(content)).toEqual({ ok: true, errors: [] });
      configured.push(await idsGiven());
    }
    expect(configured).toEqual([original, original]);
    expect(original.perSite[0]?.[0]).toBe('espo-42');
    expect(original.perSite[1]?.[0]).toMatch(/^crm-[0-9a-f]{4}:espo-42$/);
  });

  it('pins each mapped site’s prefix, derived ones too', async () => {
    const config = testConfig({ site: NEW_SITE });
    await mappingStore.set(mappingKey(NEW_SITE, config.crm, config.pipelineId), config);
    const { content } = await exportSettings(new Date());
    // Derived from the site here; written out, so a version deriving it otherwise still uses this one.
    expect(JSON.parse(content).settings.sitePrefixes).toEqual({
      [NEW_SITE]: expect.stringMatching(/^crm-[0-9a-f]{4}:$/),
    });
  });

  it('carries the schedules and live sites, and a colleague’s import sets them', async () => {
    const prefs = {
      liveSites: [NEW_SITE],
      schedules: [
        { key: 'pipeline', boardUrl: `${NEW_SITE}/#Opportunity`, every: 'day' as const, at: '09:30' },
      ],
    };
    await autoSyncStore.set(prefs);
    const { content } = await exportSettings(new Date());
    fakeBrowser.reset();
    await importSettings(content);
    expect(await autoSyncStore.get()).toEqual(prefs);
  });

  it('imports a backup of version-1 settings keeping the ids they gave: no prefix for the sites it maps', async () => {
    const site = 'https://espo.example.com';
    // A backup as the version before per-site prefixes wrote it.
    const v1Backup = {
      kind: 'crm-comagic-settings',
      version: 1,
      settings: { ...DEFAULT_SETTINGS, version: 1, extIdTemplate: '{id}', sitePrefixes: {} },
      mappings: { [mappingKey(site, 'espocrm', 'main')]: testConfig({ site }) },
      recipes: [],
    };
    expect(await importSettings(JSON.stringify(v1Backup))).toEqual({ ok: true, errors: [] });
    expect((await mappingSettingsFor(site)).prefix).toBe('');
    expect((await settingsStore.get()).version).toBe(2);
  });

  it('refuses a backup whose settings a newer version made, or with a field that does not pass, changing nothing', async () => {
    const { content } = await exportSettings(new Date());
    const backup = JSON.parse(content);
    const newer = await importSettings(
      JSON.stringify({ ...backup, settings: { ...backup.settings, version: 7 } }),
    );
    expect(newer.ok).toBe(false);
    expect(newer.errors[0]).toMatch(/newer version/);
    const broken = await importSettings(
      JSON.stringify({ ...backup, settings: { ...backup.settings, crmReadConcurrency: 99 } }),
    );
    expect(broken).toEqual({ ok: false, errors: ['settings.crmReadConcurrency: invalid'] });
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({});
  });

  it("keeps pipeline default for a version 1 backup's recipes, as the browser it came from read them", async () => {
    await saveRecipe(RECIPE);
    const { content } = await exportSettings(new Date());
    const backup = JSON.parse(content);
    expect(await importSettings(JSON.stringify(backup))).toEqual({ ok: true, errors: [] });
    expect(JSON.parse((await listRecipes())[0]?.json ?? '{}').pipeline).toEqual(JSON.parse(RECIPE).pipeline);
    expect(await importSettings(JSON.stringify({ ...backup, version: 1, autoSync: undefined }))).toEqual({
      ok: true,
      errors: [],
    });
    expect(JSON.parse((await listRecipes())[0]?.json ?? '{}').pipeline).toEqual({ id: 'default' });
  });

  it('imports a backup made before schedules were in it', async () => {
    const { content } = await exportSettings(new Date());
    const older = { ...JSON.parse(content), version: 1, autoSync: undefined };
    expect(await importSettings(JSON.stringify(older))).toEqual({ ok: true, errors: [] });
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

  it('tells every open tab when a recipe is saved or deleted, so a CRM tab reads with it at once', async () => {
    const crmTab = await fakeBrowser.tabs.create({ url: 'https://crm.example.org/admin/leads' });
    const otherTab = await fakeBrowser.tabs.create({ url: 'https://news.example.com/' });
    const told = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(async (tabId: number) => {
      // A tab without the content script has no one to answer.
      if (tabId === otherTab.id) throw new Error('Could not establish connection');
      return true;
    });
    const open = (await fakeBrowser.tabs.query({})).length;
    await saveRecipe(RECIPE);
    await vi.waitFor(() => expect(told).toHaveBeenCalledTimes(open));
    expect(told).toHaveBeenCalledWith(crmTab.id, { type: 'crm.configChanged' }, { frameId: 0 });
    await deleteRecipe('krayin');
    await vi.waitFor(() => expect(told).toHaveBeenCalledTimes(2 * open));
  });
});
