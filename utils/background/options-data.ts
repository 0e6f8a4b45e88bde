/** The options page's data: settings, recipes, backup. Secrets never leave through here. */
import { z } from 'zod';
import { parseRecipeJson } from '../crm/recipe/schema';
import { MappingConfigSchema } from '../mapping/funnel';
import type { FileDownload, RecipeTestView, RecipeView } from '../messaging';
import { SettingsSchema } from '../settings';
import { mappingStore, recipeStore, settingsStore } from '../storage';
import { scrapeProblemViews } from './deals';
import { scrapeTab } from './tabs';

const BackupSchema = z.object({
  kind: z.literal('crm-comagic-settings'),
  version: z.literal(1),
  settings: SettingsSchema,
  mappings: z.record(z.string(), MappingConfigSchema),
  recipes: z.array(z.string()),
});

export async function exportSettings(now: Date): Promise<FileDownload> {
  const backup: z.infer<typeof BackupSchema> = {
    kind: 'crm-comagic-settings',
    version: 1,
    settings: await settingsStore.get(),
    mappings: await mappingStore.all(),
    recipes: (await recipeStore.all()).map((recipe) => recipe.json),
  };
  return {
    filename: `crm-comagic-settings-${now.toISOString().slice(0, 10)}.json`,
    mime: 'application/json',
    content: JSON.stringify(backup, null, 2),
  };
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
  const recipeErrors = backup.data.recipes.flatMap((text, index) => {
    const parsed = parseRecipeJson(text);
    return parsed.ok ? [] : parsed.errors.map((e) => `recipes.${index}: ${e}`);
  });
  if (recipeErrors.length > 0) return { ok: false, errors: recipeErrors };
  await settingsStore.set(backup.data.settings);
  await mappingStore.replaceAll(backup.data.mappings);
  await recipeStore.setTexts(backup.data.recipes);
  return { ok: true, errors: [] };
}

export async function listRecipes(): Promise<RecipeView[]> {
  return (await recipeStore.all()).map(({ id, label, json }) => ({ id, label, json }));
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
  return { ok: true, id, errors: [] };
}

export async function deleteRecipe(id: string): Promise<{ deleted: boolean }> {
  const all = await recipeStore.all();
  const kept = all.filter((recipe) => recipe.id !== id);
  await recipeStore.setTexts(kept.map((recipe) => recipe.json));
  return { deleted: kept.length < all.length };
}

export async function testRecipe(json: string, tabId: number): Promise<RecipeTestView> {
  const empty = { kind: null, reasons: [], deal: null, board: null, problems: [] };
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
