/** The options page's data: settings, recipes, backup. Secrets never leave through here. */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { recipeReadTable } from '../crm/recipe/read-table';
import { parseRecipeJson } from '../crm/recipe/schema';
import { type MappingConfig, MappingConfigSchema } from '../mapping/funnel';
import type { FileDownload, RecipeTestView, RecipeView } from '../messaging';
import { readSettings, type Settings, sitePrefixOf } from '../settings';
import { autoSyncStore, mappingStore, pinLegacyRecipePipeline, recipeStore, settingsStore } from '../storage';
import { AutoSyncPrefsSchema } from '../sync/schedule';
import { scrapeProblemViews } from './deals';
import { askTab, scrapeTab } from './tabs';

/**
 * What a team shares so every browser sends the same ext_ids (template, site prefixes, mappings),
 * reads the same CRMs (recipes) and syncs the same pipelines (schedules). Version 1 had no schedules.
 */
const BackupSchema = z.object({
  kind: z.literal('crm-comagic-settings'),
  version: z.union([z.literal(1), z.literal(2)]),
  /** Of any settings version this one knows: brought to the current one by its steps on import. */
  settings: z.unknown(),
  mappings: z.record(z.string(), MappingConfigSchema),
  recipes: z.array(z.string()),
  autoSync: AutoSyncPrefsSchema.optional(),
});

/**
 * Each mapped site's prefix written out, derived ones too: a colleague's browser then uses this
 * one even where it would derive another (a site pinned to no prefix by an older version here).
 */
function withPinnedPrefixes(settings: Settings, sites: Iterable<string>): Settings {
  const sitePrefixes = { ...settings.sitePrefixes };
  for (const site of sites) sitePrefixes[site] = sitePrefixOf(settings, site);
  return { ...settings, sitePrefixes };
}

export async function exportSettings(now: Date): Promise<FileDownload> {
  const mappings = await mappingStore.all();
  const sites = Object.values(mappings).map((config) => config.site);
  const backup: z.infer<typeof BackupSchema> & { settings: Settings } = {
    kind: 'crm-comagic-settings',
    version: 2,
    settings: withPinnedPrefixes(await settingsStore.get(), sites),
    mappings,
    recipes: (await recipeStore.all()).map((recipe) => recipe.json),
    autoSync: await autoSyncStore.get(),
  };
  return {
    filename: `crm-comagic-settings-${now.toISOString().slice(0, 10)}.json`,
    mime: 'application/json',
    content: JSON.stringify(backup, null, 2),
  };
}

/**
 * A backup's settings in the current version. Settings of version 1 had no prefix for any site, so
 * the step pins the empty one for every site the backup maps: the colleague's browser then sends
 * the ids the browser it came from sent. A newer version's, or a field that does not pass, refuses.
 */
function backupSettings(
  stored: unknown,
  mappings: Record<string, MappingConfig>,
): { settings: Settings } | { errors: string[] } {
  const legacySites = [...new Set(Object.values(mappings).map((config) => config.site))];
  const read = readSettings(stored, { legacySites });
  if (read.newer !== null) {
    return {
      errors: [
        `settings: made by a newer version of the extension (settings version ${read.newer}); update the extension, then import it`,
      ],
    };
  }
  if (read.dropped.length > 0) return { errors: read.dropped.map((field) => `settings.${field}: invalid`) };
  return { settings: read.settings };
}

export async function importSettings(json: string): Promise<{ ok: boolean; errors: string[] }> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [`JSON: ${(error as Error).message}`] };
  }
  const backup = BackupSchema.safeParse(value);
  if (!backup.success) {
    return {
      ok: false,
      errors: backup.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`),
    };
  }
  // A version 1 backup's recipes read every deal into pipeline `default`, as its browser did.
  const recipes =
    backup.data.version === 1 ? backup.data.recipes.map(pinLegacyRecipePipeline) : backup.data.recipes;
  const recipeErrors = recipes.flatMap((text, index) => {
    const parsed = parseRecipeJson(text);
    return parsed.ok ? [] : parsed.errors.map((e) => `recipes.${index}: ${e}`);
  });
  if (recipeErrors.length > 0) return { ok: false, errors: recipeErrors };
  const settings = backupSettings(backup.data.settings, backup.data.mappings);
  if ('errors' in settings) return { ok: false, errors: settings.errors };
  await settingsStore.set(settings.settings);
  await mappingStore.replaceAll(backup.data.mappings);
  await recipeStore.setTexts(recipes);
  if (backup.data.autoSync) await autoSyncStore.set(backup.data.autoSync);
  tellTabsRecipesChanged();
  return { ok: true, errors: [] };
}

export async function listRecipes(): Promise<RecipeView[]> {
  return (await recipeStore.all()).map(({ id, label, json }) => ({ id, label, json }));
}

/**
 * Tells the open tabs the recipes changed: a CRM tab reads its page with them at once instead of
 * after a reload. Not waited for; a tab without the content script (not a CRM site) refuses, unheard.
 */
function tellTabsRecipesChanged(): void {
  void browser.tabs.query({}).then(
    (tabs) => {
      for (const tab of tabs) {
        if (tab.id !== undefined) askTab(tab.id, 'crm.configChanged', {}).catch(() => undefined);
      }
    },
    () => undefined,
  );
}

/** Saves a recipe, replacing the one with the same id. */
export async function saveRecipe(
  json: string,
): Promise<{ ok: boolean; id: string | null; errors: string[] }> {
  const parsed = parseRecipeJson(json);
  if (!parsed.ok) return { ok: false, id: null, errors: parsed.errors };
  const { id } = parsed.recipe;
  const others = (await recipeStore.all()).filter((recipe) => recipe.id !== id);
  await recipeStore.setTexts([...others.map((recipe) => recipe.json), json]);
  tellTabsRecipesChanged();
  return { ok: true, id, errors: [] };
}

export async function deleteRecipe(id: string): Promise<{ deleted: boolean }> {
  const all = await recipeStore.all();
  const kept = all.filter((recipe) => recipe.id !== id);
  await recipeStore.setTexts(kept.map((recipe) => recipe.json));
  tellTabsRecipesChanged();
  return { deleted: kept.length < all.length };
}

export async function testRecipe(json: string, tabId: number): Promise<RecipeTestView> {
  const empty = { kind: null, reasons: [], deal: null, board: null, problems: [], table: [] };
  const parsed = parseRecipeJson(json);
  if (!parsed.ok) return { ...empty, errors: parsed.errors };
  const scraped = await scrapeTab(tabId, parsed.recipe);
  if (scraped.kind !== 'report') {
    const reason = scraped.kind === 'no-access' ? `No access to ${scraped.origin}` : scraped.reason;
    return { ...empty, errors: [], reasons: [reason] };
  }
  const { report } = scraped;
  return {
    errors: [],
    kind: report.kind,
    reasons: report.reasons,
    deal: report.deal,
    table: recipeReadTable(parsed.recipe, report),
    board: report.board
      ? {
          pipelineName: report.board.pipeline.name,
          stages: report.board.stages.map((stage) => stage.name),
          cards: report.board.deals.length,
        }
      : null,
    problems: scrapeProblemViews(report),
  };
}
