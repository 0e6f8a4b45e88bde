/**
 * Every stored item of the extension, in one place. Values are parsed with zod on read: an older
 * version of the extension, or a hand-edited profile, may have written them.
 *
 * Secrets (the API key, a remembered password, a session token) live in `storage.local` /
 * `storage.session`, which the background locks to trusted contexts, so content scripts cannot
 * read them (Chrome 140+; Firefox lacks the lock, see README).
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { BRANDS } from './comagic/endpoints';
import { parseRecipeJson, type Recipe } from './crm/recipe/schema';
import { type MappingConfig, MappingConfigSchema } from './mapping/funnel';
import { migrateSettings, type Settings } from './settings';

export const AuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), token: z.string().trim().min(1) }),
  z.object({
    kind: z.literal('login'),
    login: z.string().trim().min(1),
    /** Kept only when the user ticks "remember"; otherwise asked for again when the session ends. */
    password: z.string().min(1).nullable(),
  }),
]);
export type Auth = z.infer<typeof AuthSchema>;

export const EndpointSchema = z.discriminatedUnion('brand', [
  z.object({ brand: z.enum(BRANDS) }),
  z.object({ brand: z.literal('custom'), url: z.url({ protocol: /^https?$/ }) }),
]);
export type Endpoint = z.infer<typeof EndpointSchema>;

export const ConnectionSchema = z.object({ endpoint: EndpointSchema, auth: AuthSchema });
export type Connection = z.infer<typeof ConnectionSchema>;

export const AccountSchema = z.object({
  name: z.string(),
  timeZone: z.string(),
  checkedAt: z.string(),
});
export type Account = z.infer<typeof AccountSchema>;

export const SessionSchema = z.object({ token: z.string(), expiresAt: z.number() });

function parsed<T>(schema: z.ZodType<T>, fallback: T) {
  return (value: unknown): T => {
    const result = schema.safeParse(value);
    return result.success ? result.data : fallback;
  };
}

const connectionItem = storage.defineItem<unknown>('local:connection', { fallback: null, version: 1 });
const accountItem = storage.defineItem<unknown>('local:account', { fallback: null, version: 1 });
const sessionItem = storage.defineItem<unknown>('session:comagic-session', { fallback: null });
const sessionPasswordItem = storage.defineItem<string | null>('session:comagic-password', { fallback: null });
const startsItem = storage.defineItem<number>('local:worker-starts', { fallback: 0 });

const readConnection = parsed(ConnectionSchema.nullable(), null);
const readAccount = parsed(AccountSchema.nullable(), null);
const readSession = parsed(SessionSchema.nullable(), null);

export const connectionStore = {
  get: async () => readConnection(await connectionItem.getValue()),
  set: (value: Connection | null) => connectionItem.setValue(value),
  watch: (callback: () => void) => connectionItem.watch(callback),
};

/** The account last read by "test connection": its name and time zone. */
export const accountStore = {
  get: async () => readAccount(await accountItem.getValue()),
  set: (value: Account | null) => accountItem.setValue(value),
};

/**
 * A login.user session token, and the password when the user did not ask to remember it: in memory
 * only (storage.session), gone when the browser closes.
 */
export const sessionStore = {
  get: async () => readSession(await sessionItem.getValue()),
  set: (value: z.infer<typeof SessionSchema> | null) => sessionItem.setValue(value),
  getPassword: () => sessionPasswordItem.getValue(),
  setPassword: (value: string | null) => sessionPasswordItem.setValue(value),
};

const settingsItem = storage.defineItem<unknown>('local:settings', { fallback: null });
const sitesItem = storage.defineItem<unknown>('local:crm-sites', { fallback: [] });
const mappingsItem = storage.defineItem<unknown>('local:mappings', { fallback: {} });
const recipesItem = storage.defineItem<unknown>('local:recipes', { fallback: [] });

const readSites = parsed(z.array(z.string()), []);

/**
 * The CRM sites the user added (host permission patterns). Kept by the extension itself: a site
 * already covered by a broader grant adds no permission of its own, yet the user added it.
 */
export const sitesStore = {
  get: async () => readSites(await sitesItem.getValue()),
  add: async (pattern: string) => {
    const sites = await sitesStore.get();
    if (!sites.includes(pattern)) await sitesItem.setValue([...sites, pattern]);
  },
  remove: async (pattern: string) =>
    sitesItem.setValue((await sitesStore.get()).filter((site) => site !== pattern)),
};

export const settingsStore = {
  get: async (): Promise<Settings> => migrateSettings(await settingsItem.getValue()),
  set: (value: Settings) => settingsItem.setValue(value),
};

const readMappings = parsed(z.record(z.string(), MappingConfigSchema), {});

/** One MappingConfig per CRM pipeline, keyed by `mappingKey()`. */
export const mappingStore = {
  all: async () => readMappings(await mappingsItem.getValue()),
  get: async (key: string): Promise<MappingConfig | null> => (await mappingStore.all())[key] ?? null,
  set: async (key: string, config: MappingConfig) =>
    mappingsItem.setValue({ ...(await mappingStore.all()), [key]: config }),
  replaceAll: (all: Record<string, MappingConfig>) => mappingsItem.setValue(all),
};

export function mappingKey(site: string, crm: string, pipelineId: string): string {
  return `${site}|${crm}|${pipelineId}`;
}

export interface StoredRecipe {
  id: string;
  label: string;
  /** As the user wrote it, so the editor shows their text back. */
  json: string;
  recipe: Recipe;
}

const readRecipeTexts = parsed(z.array(z.string()), []);

/** User-defined adapters, kept as the JSON the user saved; a text that no longer parses is dropped. */
export const recipeStore = {
  all: async (): Promise<StoredRecipe[]> =>
    readRecipeTexts(await recipesItem.getValue()).flatMap((json) => {
      const parsed = parseRecipeJson(json);
      return parsed.ok
        ? [{ id: parsed.recipe.id, label: parsed.recipe.label, json, recipe: parsed.recipe }]
        : [];
    }),
  setTexts: (texts: string[]) => recipesItem.setValue(texts),
};

/** How many times the background has started; the end-to-end tests watch it across restarts. */
export const workerStarts = {
  get: () => startsItem.getValue(),
  increment: async () => startsItem.setValue((await startsItem.getValue()) + 1),
};

// ── Sync state (utils/sync) ──
// Written by the background only, under the outbox lock (utils/sync/outbox.ts).

import {
  type StoredDeals,
  StoredDealsSchema,
  type StoredJobDetail,
  StoredJobDetailSchema,
  type StoredJobIndex,
  StoredJobIndexSchema,
} from './sync/job';
import { EMPTY_STORED_LEDGER, type StoredLedger, StoredLedgerSchema } from './sync/ledger';

const syncLedgerItem = storage.defineItem<unknown>('local:sync-ledger', { fallback: null, version: 1 });
const syncJobsItem = storage.defineItem<unknown>('local:sync-jobs', { fallback: null, version: 1 });
const syncJobKey = (id: string) => `local:sync-job:${id}` as const;
const syncJobDealsKey = (id: string) => `local:sync-job-deals:${id}` as const;
const syncJobReadKey = (id: string, batch: number) => `local:sync-job-read:${id}:${batch}` as const;

/**
 * What a change to a `storage.local` key (as `storage.onChanged` names it) means to what a page
 * would send: a job's step-by-step detail and the worker's counter change nothing (`progress`), the
 * job index changes only what the last export did (`jobs`), `mappings` are the pipelines' mappings;
 * anything else is `data`.
 */
export function localChange(key: string): 'progress' | 'jobs' | 'mappings' | 'data' {
  if (key === 'sync-jobs') return 'jobs';
  if (key === 'mappings') return 'mappings';
  if (
    key.startsWith('sync-job:') ||
    key.startsWith('sync-job-deals:') ||
    key.startsWith('sync-job-read:') ||
    key === 'worker-starts'
  )
    return 'progress';
  return 'data';
}

const readSyncLedger = parsed(StoredLedgerSchema, EMPTY_STORED_LEDGER);
const readSyncJobs = parsed(StoredJobIndexSchema, { v: 1, jobs: [] });
const readSyncJobDetail = parsed(StoredJobDetailSchema.nullable(), null);
const readSyncJobDeals = parsed(StoredJobDetailSchema.shape.deals, null);

/** What each deal already has in CoMagic (utils/sync/ledger.ts), one compact item. */
export const syncLedgerStore = {
  get: async () => readSyncLedger(await syncLedgerItem.getValue()),
  set: (value: StoredLedger) => syncLedgerItem.setValue(value),
};

/** The outbox index: every job's summary, oldest first. */
export const syncJobsStore = {
  get: async () => readSyncJobs(await syncJobsItem.getValue()),
  set: (value: StoredJobIndex) => syncJobsItem.setValue(value),
};

/**
 * One job's plan and per-deal results (an item per job, so the index stays small), and its payloads
 * in an item of their own: they never change while the job runs, so a step's progress is a small write.
 */
export const syncJobDetailStore = {
  get: async (id: string) => readSyncJobDetail(await storage.getItem<unknown>(syncJobKey(id))),
  set: (id: string, value: StoredJobDetail) => storage.setItem(syncJobKey(id), value),
  getDeals: async (id: string) => readSyncJobDeals(await storage.getItem<unknown>(syncJobDealsKey(id))),
  setDeals: (id: string, deals: StoredJobDetail['deals']) => storage.setItem(syncJobDealsKey(id), deals),
  remove: (id: string) => storage.removeItems([syncJobKey(id), syncJobDealsKey(id)]),
};

const readSyncJobRead = parsed(StoredDealsSchema.nullable(), null);

/** A whole-deal export's deals read so far, an item per batch (utils/sync/reading.ts). */
export const syncJobReadStore = {
  get: async (id: string, batch: number) =>
    readSyncJobRead(await storage.getItem<unknown>(syncJobReadKey(id, batch))),
  set: (id: string, batch: number, deals: StoredDeals) => storage.setItem(syncJobReadKey(id, batch), deals),
  remove: (id: string, batches: number) =>
    storage.removeItems(Array.from({ length: batches }, (_, batch) => syncJobReadKey(id, batch))),
};

const wholeReadsItem = storage.defineItem<unknown>('local:whole-reads', { fallback: null, version: 1 });
const WholeReadsSchema = z.object({ v: z.literal(1), d: z.record(z.string(), z.string().max(100)) });
const readWholeReads = parsed(WholeReadsSchema, { v: 1, d: {} });

/**
 * Per deal (`<site> <deal ext_id>`): what its board card showed when the deal was last read whole and
 * CoMagic took it (utils/sync/reading.ts). A card still showing that is not read again.
 */
export const wholeReadsStore = {
  get: async () => readWholeReads(await wholeReadsItem.getValue()).d,
  set: (reads: Record<string, string>) => wholeReadsItem.setValue({ v: 1, d: reads }),
};
