/**
 * Every stored item of the extension, in one place. Values are parsed on read: an older version of
 * the extension, or a hand-edited profile, may have written them. Each item carries the version of
 * its shape and a chain of steps from older ones (utils/versioned.ts); a collection (the ledger, the
 * job log, mappings, recipes, sites) is parsed element by element, a bad element dropped and the
 * rest kept; an item of a NEWER version than this one knows is never overwritten. Both are reported
 * in Options → Activity (`storageNotices`).
 *
 * Secrets (the API key, a remembered password, a session token) live in `storage.local` /
 * `storage.session`, which the background locks to trusted contexts, so content scripts cannot
 * read them (Chrome 140+; Firefox lacks the lock, see README).
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { BRANDS } from './comagic/endpoints';
import { parseRecipeJson, type Recipe } from './crm/recipe/schema';
import { fill, type Localized, localize } from './i18n';
import { type MappingConfig, MappingConfigSchema } from './mapping/funnel';
import { DEFAULT_SETTINGS, readSettings, type Settings, settingsNeedLegacySites } from './settings';
import {
  capText,
  type Migrated,
  migrate,
  parseEach,
  parseEachValue,
  type VersionChain,
  versionField,
} from './versioned';

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
  /** The currency the account's reports use (`getobj.account`); absent when not read yet. */
  reportCurrency: z.string().max(16).nullable().optional(),
});
export type Account = z.infer<typeof AccountSchema>;

export const SessionSchema = z.object({ token: z.string(), expiresAt: z.number() });

// ── What could not be read as stored ──

/** Which stored data a notice is about. */
const STORED_KINDS = [
  'connection',
  'account',
  'settings',
  'ledger',
  'jobs',
  'job',
  'mappings',
  'recipes',
  'sites',
  'whole-reads',
  'live-inbox',
  'schedule-state',
  'auto-sync',
] as const;
export type StoredKind = (typeof STORED_KINDS)[number];

export interface StorageNotice {
  item: StoredKind;
  /** `dropped`: elements that did not pass were left out; `newer`: left untouched; `broken`: unreadable, reset. */
  kind: 'dropped' | 'newer' | 'broken';
  /** Elements dropped. */
  count: number;
  /** The newer version found. */
  version: number | null;
  /** Epoch ms. */
  at: number;
}

const MAX_NOTICES = 20;
const noticesItem = storage.defineItem<unknown>('local:storage-notices', { fallback: null });
const NoticeSchema = z.object({
  item: z.enum(STORED_KINDS),
  kind: z.enum(['dropped', 'newer', 'broken']),
  count: z.number(),
  version: z.number().nullable(),
  at: z.number(),
});
/** Reported by this worker already: a collection read at every step reports its bad element once. */
const reported = new Set<string>();
/** Notices are written one after another (each rewrites the list) beside the read that found them. */
let noticeWrites: Promise<void> = Promise.resolve();

function report(notice: Omit<StorageNotice, 'at'>): void {
  const key = JSON.stringify(notice);
  if (reported.has(key)) return;
  reported.add(key);
  noticeWrites = noticeWrites
    .then(() => storageNotices.add({ ...notice, at: Date.now() }))
    .catch(() => {
      reported.delete(key);
    });
}

async function readNotices(): Promise<StorageNotice[]> {
  const stored = (await noticesItem.getValue()) as { v?: unknown; n?: unknown } | null;
  if (stored?.v !== 1 || !Array.isArray(stored.n)) return [];
  return parseEach(stored.n, (notice) => {
    const parsed = NoticeSchema.safeParse(notice);
    return parsed.success ? parsed.data : null;
  }).kept;
}

/** What Options → Activity says about stored data that could not be read as it was, newest last. */
export const storageNotices = {
  get: async (): Promise<StorageNotice[]> => {
    await noticeWrites;
    return readNotices();
  },
  /** A notice replaces the one of the same item and kind. */
  add: async (notice: StorageNotice) => {
    const others = (await readNotices()).filter(
      (old) => old.item !== notice.item || old.kind !== notice.kind,
    );
    await noticesItem.setValue({ v: 1, n: [...others, notice].slice(-MAX_NOTICES) });
  },
  clear: async () => {
    await noticeWrites;
    reported.clear();
    await noticesItem.setValue(null);
  },
};

/** A write refused because the item holds a newer version's data (which this version cannot read). */
const NEWER_VERSION: Localized = {
  en: '“{item}” was saved by a newer version of the extension (version {version}) and is left as it is: update the extension to change it.',
  ru: '«{item}» сохранено более новой версией расширения (версия {version}) и оставлено как есть: обновите расширение, чтобы его изменить.',
};

export class NewerVersionError extends Error {
  /** In both languages, for a job's message. */
  readonly text: Localized;
  constructor(item: string, version: number) {
    const text = fill(NEWER_VERSION, { item, version });
    super(localize(text));
    this.name = 'NewerVersionError';
    this.text = text;
  }
}

/** Stored keys found to hold a newer version's data, with that version: never written. */
const newerItems = new Map<string, number>();

function guardWrite(key: string): void {
  const version = newerItems.get(key);
  if (version !== undefined) throw new NewerVersionError(key, version);
}

/**
 * A versioned item read in its current form: nothing stored gives `empty`; a newer version gives
 * `empty` and marks the key so no write replaces it; elements dropped by `chain.parse` are reported.
 */
function readVersioned<T>(
  key: string,
  item: StoredKind,
  value: unknown,
  chain: VersionChain<{ value: T; dropped: number }>,
  empty: T,
): T {
  if (value === null || value === undefined) return empty;
  const result = migrate(value, chain);
  if (result.kind === 'newer') {
    newerItems.set(key, result.version);
    report({ item, kind: 'newer', count: 0, version: result.version });
    return empty;
  }
  newerItems.delete(key);
  if (result.kind === 'broken') {
    report({ item, kind: 'broken', count: 0, version: null });
    return empty;
  }
  if (result.value.dropped > 0) report({ item, kind: 'dropped', count: result.value.dropped, version: null });
  return result.value.value;
}

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

/** Version 1 of an object item is the object itself; a later version's carries `v`. */
const objectVersion = (stored: unknown) =>
  typeof stored === 'object' && stored !== null && !Array.isArray(stored)
    ? 'v' in stored
      ? versionField('v')(stored)
      : 1
    : null;

/** An item holding one object of version 1 (no step yet): a newer one is left untouched. */
function readObjectItem<T>(key: string, item: StoredKind, schema: z.ZodType<T>, value: unknown): T | null {
  return readVersioned<T | null>(
    key,
    item,
    value,
    {
      current: 1,
      versionOf: objectVersion,
      steps: {},
      parse: (stored) => {
        const parsed = schema.safeParse(stored);
        return parsed.success ? { value: parsed.data, dropped: 0 } : null;
      },
    },
    null,
  );
}

const readConnection = (value: unknown) =>
  readObjectItem('connection', 'connection', ConnectionSchema, value);
const readAccount = (value: unknown) => readObjectItem('account', 'account', AccountSchema, value);
const readSession = parsed(SessionSchema.nullable(), null);

/**
 * A versioned item's reader and writer. A write reads first, so an item holding a newer version's
 * data is marked (`readVersioned`) and kept.
 */
function versionedStore<T>(
  item: { getValue(): Promise<unknown>; setValue(value: unknown): Promise<void> },
  key: string,
  read: (value: unknown) => T,
) {
  return {
    get: async (): Promise<T> => read(await item.getValue()),
    set: async (value: T) => {
      read(await item.getValue());
      guardWrite(key);
      await item.setValue(value);
    },
  };
}

export const connectionStore = {
  ...versionedStore<Connection | null>(connectionItem, 'connection', readConnection),
  watch: (callback: () => void) => connectionItem.watch(callback),
};

/** The account last read by "test connection": its name and time zone. */
export const accountStore = versionedStore<Account | null>(accountItem, 'account', readAccount);

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

/** Sites, recipes: version 1 is the bare array; an object `{ v }` is a later version's. */
const arrayVersion = (stored: unknown) => (Array.isArray(stored) ? 1 : versionField('v')(stored));

const readSites = (value: unknown) =>
  readVersioned<string[]>(
    'sites',
    'sites',
    value,
    {
      current: 1,
      versionOf: arrayVersion,
      steps: {},
      parse: (sites) => {
        const { kept, dropped } = parseEach(sites as unknown[], (site) =>
          typeof site === 'string' ? site : null,
        );
        return { value: kept, dropped };
      },
    },
    [],
  );

/**
 * The CRM sites the user added (host permission patterns). Kept by the extension itself: a site
 * already covered by a broader grant adds no permission of its own, yet the user added it.
 */
export const sitesStore = {
  get: async () => readSites(await sitesItem.getValue()),
  add: async (pattern: string) => {
    const sites = await sitesStore.get();
    guardWrite('sites');
    if (!sites.includes(pattern)) await sitesItem.setValue([...sites, pattern]);
  },
  remove: async (pattern: string) => {
    const sites = await sitesStore.get();
    guardWrite('sites');
    await sitesItem.setValue(sites.filter((site) => site !== pattern));
  },
};

/**
 * The sites whose deals CoMagic may hold under version-1 ext_ids (no prefix): those the extension
 * sent, mapped or read for, once the ledger shows anything was sent. What the ledger holds has no
 * site, so every site the extension knew of keeps the prefix it had.
 */
async function legacySites(): Promise<string[]> {
  const ledger = await syncLedgerStore.get();
  if (Object.keys(ledger.d).length === 0 && Object.keys(ledger.f).length === 0) return [];
  const sites = new Set<string>();
  for (const job of (await syncJobsStore.get()).jobs) if (!job.dryRun) sites.add(job.site);
  for (const key of Object.keys(await wholeReadsStore.get())) sites.add(key.slice(0, key.indexOf(' ')));
  for (const config of Object.values(await mappingStore.all())) sites.add(config.site);
  return [...sites].sort();
}

export const settingsStore = {
  /** Settings of an older version are written back once migrated, so their pinned prefixes stay. */
  get: async (): Promise<Settings> => {
    const stored = await settingsItem.getValue();
    const legacy = settingsNeedLegacySites(stored) ? await legacySites() : [];
    const read = readSettings(stored, { legacySites: legacy });
    if (read.newer !== null) {
      newerItems.set('settings', read.newer);
      report({ item: 'settings', kind: 'newer', count: 0, version: read.newer });
    } else newerItems.delete('settings');
    if (read.dropped.length > 0) {
      report({ item: 'settings', kind: 'dropped', count: read.dropped.length, version: null });
    }
    // Nothing stored and nothing sent yet: the defaults need no writing (the first ledger write
    // writes them, see syncLedgerStore).
    if (read.migrated && (stored !== null || legacy.length > 0)) await settingsItem.setValue(read.settings);
    return read.settings;
  },
  set: async (value: Settings) => {
    await settingsStore.get();
    guardWrite('settings');
    await settingsItem.setValue(value);
  },
};

/** The mapping version this extension writes (MappingConfigSchema). */
const MAPPING_VERSION = 1;

interface StoredMappings {
  configs: Record<string, MappingConfig>;
  /** Mappings a newer version wrote, as stored: kept on every write, never replaced. */
  newer: Record<string, unknown>;
}

function readMappings(value: unknown): StoredMappings {
  const newer: Record<string, unknown> = {};
  const configs = readVersioned<Record<string, MappingConfig>>(
    'mappings',
    'mappings',
    value,
    {
      current: 1,
      // The record itself has no version: each mapping carries its own.
      versionOf: (stored) => (typeof stored === 'object' && !Array.isArray(stored) ? 1 : null),
      steps: {},
      parse: (stored) => {
        const { kept, dropped } = parseEachValue(stored as Record<string, unknown>, (element, key) => {
          const version = versionField('version')(element);
          if (version !== null && version > MAPPING_VERSION) {
            newer[key] = element;
            report({ item: 'mappings', kind: 'newer', count: 0, version });
            return null;
          }
          const config = MappingConfigSchema.safeParse(element);
          return config.success ? config.data : null;
        });
        return { value: kept, dropped: dropped - Object.keys(newer).length };
      },
    },
    {},
  );
  return { configs, newer };
}

/**
 * Page text of a mapping, capped where it is stored: the pipeline's and stages' names. Ids are
 * not cut: a cut id would no longer match what the page shows.
 */
function storedConfig(config: MappingConfig): MappingConfig {
  return {
    ...config,
    pipelineName: capText(config.pipelineName),
    funnel: { ...config.funnel, name: capText(config.funnel.name) },
    stages: config.stages.map((stage) => ({
      ...stage,
      crmStageName: capText(stage.crmStageName),
      name: capText(stage.name),
    })),
  };
}

/** One MappingConfig per CRM pipeline, keyed by `mappingKey()`. */
export const mappingStore = {
  all: async () => readMappings(await mappingsItem.getValue()).configs,
  get: async (key: string): Promise<MappingConfig | null> => (await mappingStore.all())[key] ?? null,
  set: async (key: string, config: MappingConfig) => {
    const { configs, newer } = readMappings(await mappingsItem.getValue());
    guardWrite('mappings');
    const found = versionField('version')(newer[key]);
    if (found !== null) throw new NewerVersionError(`The mapping of ${key}`, found);
    await mappingsItem.setValue({ ...newer, ...configs, [key]: storedConfig(config) });
  },
  /** A backup's mappings; those a newer version wrote stay. */
  replaceAll: async (all: Record<string, MappingConfig>) => {
    const { newer } = readMappings(await mappingsItem.getValue());
    guardWrite('mappings');
    const kept = Object.fromEntries(Object.entries(newer).filter(([key]) => !(key in all)));
    const capped = Object.fromEntries(
      Object.entries(all).map(([key, config]) => [key, storedConfig(config)]),
    );
    await mappingsItem.setValue({ ...kept, ...capped });
  },
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

const RECIPES_VERSION = 2;

/**
 * Version 1 recipes had no pipeline rule and every deal they read was in pipeline `default`; the
 * recipe's own id is the default now. A recipe saved then keeps `default` written into it, so its
 * mappings and the funnel CoMagic holds for it stay the same.
 */
export function pinLegacyRecipePipeline(json: string): string {
  try {
    const recipe: unknown = JSON.parse(json);
    if (typeof recipe !== 'object' || recipe === null || Array.isArray(recipe) || 'pipeline' in recipe) {
      return json;
    }
    return JSON.stringify({ ...recipe, pipeline: { id: 'default' } }, null, 2);
  } catch {
    return json;
  }
}

const readRecipes = (value: unknown) =>
  readVersioned<StoredRecipe[]>(
    'recipes',
    'recipes',
    value,
    {
      current: RECIPES_VERSION,
      versionOf: arrayVersion,
      steps: {
        1: (texts: unknown[]) => ({
          v: 2,
          texts: texts.map((text) => (typeof text === 'string' ? pinLegacyRecipePipeline(text) : text)),
        }),
      },
      parse: (stored) => {
        const texts = (stored as { texts?: unknown }).texts;
        if (!Array.isArray(texts)) return null;
        const { kept, dropped } = parseEach(texts, (json) => {
          if (typeof json !== 'string') return null;
          const parsed = parseRecipeJson(json);
          return parsed.ok
            ? { id: parsed.recipe.id, label: parsed.recipe.label, json, recipe: parsed.recipe }
            : null;
        });
        return { value: kept, dropped };
      },
    },
    [],
  );

/** User-defined adapters, kept as the JSON the user saved; a text that no longer parses is dropped. */
export const recipeStore = {
  all: async (): Promise<StoredRecipe[]> => readRecipes(await recipesItem.getValue()),
  setTexts: async (texts: string[]) => {
    readRecipes(await recipesItem.getValue());
    guardWrite('recipes');
    await recipesItem.setValue({ v: RECIPES_VERSION, texts });
  },
};

/** How many times the background has started; the end-to-end tests watch it across restarts. */
export const workerStarts = {
  get: () => startsItem.getValue(),
  increment: async () => startsItem.setValue((await startsItem.getValue()) + 1),
};

// ── Sync state (utils/sync) ──
// Written by the background only, under the outbox lock (utils/sync/outbox.ts).

import {
  JOB_INDEX_STEPS,
  JOB_INDEX_VERSION,
  JOB_VERSION,
  parseJobIndex,
  parseStoredDeals,
  parseStoredDetail,
  type StoredDeals,
  type StoredJobDetail,
  type StoredJobIndex,
  storedSummary,
} from './sync/job';
import {
  EMPTY_STORED_LEDGER,
  LEDGER_STEPS,
  LEDGER_VERSION,
  parseStoredLedger,
  type StoredLedger,
} from './sync/ledger';

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
    key === 'worker-starts' ||
    key === 'storage-notices' ||
    key === 'sync-payload-sizes' ||
    // Live mode's inbox, the schedules and their state (below).
    key === 'live-inbox' ||
    key === 'auto-sync' ||
    key === 'schedule-state'
  )
    return 'progress';
  return 'data';
}

const readSyncLedger = (value: unknown) =>
  readVersioned<StoredLedger>(
    'sync-ledger',
    'ledger',
    value,
    {
      current: LEDGER_VERSION,
      versionOf: versionField('v'),
      steps: LEDGER_STEPS,
      parse: (migrated) => {
        const parsed = parseStoredLedger(migrated);
        return parsed && { value: parsed.ledger, dropped: parsed.dropped };
      },
    },
    EMPTY_STORED_LEDGER,
  );

const readSyncJobs = (value: unknown) =>
  readVersioned<StoredJobIndex>(
    'sync-jobs',
    'jobs',
    value,
    {
      current: JOB_INDEX_VERSION,
      versionOf: versionField('v'),
      steps: JOB_INDEX_STEPS,
      parse: (migrated) => {
        const parsed = parseJobIndex(migrated);
        return parsed && { value: parsed.index, dropped: parsed.dropped };
      },
    },
    { v: JOB_INDEX_VERSION, jobs: [] },
  );

/** What each deal already has in CoMagic (utils/sync/ledger.ts), one compact item. */
export const syncLedgerStore = {
  get: async () => readSyncLedger(await syncLedgerItem.getValue()),
  /** Every write follows a read under the outbox lock, which marked a newer version's ledger. */
  set: async (value: StoredLedger) => {
    guardWrite('sync-ledger');
    // A profile that never stored settings has its version-2 ones written before its first deal is
    // recorded: a later read must not take the filled ledger for a version-1 profile's.
    if ((await settingsItem.getValue()) === null) await settingsItem.setValue(DEFAULT_SETTINGS);
    await syncLedgerItem.setValue(value);
  },
};

/** The outbox index: every job's summary, oldest first. */
export const syncJobsStore = {
  get: async () => readSyncJobs(await syncJobsItem.getValue()),
  set: async (value: StoredJobIndex) => {
    guardWrite('sync-jobs');
    await syncJobsItem.setValue({ ...value, jobs: value.jobs.map(storedSummary) });
  },
};

/** A job's item of a newer version reads as gone (`null`) and is never written over. */
function readJobItem<T>(key: string, value: unknown, parse: (value: unknown) => Migrated<T>): T | null {
  if (value === null || value === undefined) return null;
  const result = parse(value);
  if (result.kind === 'current') return result.value;
  const version = result.kind === 'newer' ? result.version : null;
  if (version !== null) newerItems.set(key, version);
  report({ item: 'job', kind: result.kind, count: 0, version });
  return null;
}

const dealsItem = (deals: StoredDeals | null) => deals && { v: JOB_VERSION, d: deals };

const payloadSizesItem = storage.defineItem<unknown>('local:sync-payload-sizes', { fallback: null });

/** Job id → what its stored payloads take (characters of JSON); a small item beside the job index. */
const payloadSizes = {
  all: async (): Promise<Record<string, number>> => {
    const stored = (await payloadSizesItem.getValue()) as { v?: unknown; s?: unknown } | null;
    if (stored?.v !== 1 || typeof stored.s !== 'object' || stored.s === null) return {};
    return parseEachValue(stored.s as Record<string, unknown>, (size) =>
      typeof size === 'number' && size >= 0 ? size : null,
    ).kept;
  },
  set: async (id: string, size: number | null) => {
    const { [id]: _, ...others } = await payloadSizes.all();
    await payloadSizesItem.setValue({ v: 1, s: size === null ? others : { ...others, [id]: size } });
  },
};

async function setJobItem(key: `local:${string}`, value: unknown): Promise<void> {
  guardWrite(key);
  await storage.setItem(key, value);
}

/**
 * One job's plan and per-deal results (an item per job, so the index stays small), and its payloads
 * in an item of their own: they never change while the job runs, so a step's progress is a small write.
 */
export const syncJobDetailStore = {
  get: async (id: string) =>
    readJobItem<StoredJobDetail>(
      syncJobKey(id),
      await storage.getItem<unknown>(syncJobKey(id)),
      parseStoredDetail,
    ),
  set: (id: string, value: StoredJobDetail) => setJobItem(syncJobKey(id), value),
  getDeals: async (id: string) =>
    readJobItem<StoredDeals>(
      syncJobDealsKey(id),
      await storage.getItem<unknown>(syncJobDealsKey(id)),
      parseStoredDeals,
    ),
  /** Records what the payloads take, so finished jobs keep theirs by size (utils/sync/outbox.ts). */
  setDeals: async (id: string, deals: StoredJobDetail['deals']) => {
    // The payloads of a job a newer version wrote belong to it too.
    guardWrite(syncJobKey(id));
    const item = dealsItem(deals);
    await setJobItem(syncJobDealsKey(id), item);
    await payloadSizes.set(id, item ? JSON.stringify(item).length : 0);
  },
  /** The stored payloads' size, in characters of their JSON; measured once for jobs stored before sizes were. */
  payloadSize: async (id: string): Promise<number> => {
    const known = (await payloadSizes.all())[id];
    if (known !== undefined) return known;
    const stored = await storage.getItem<unknown>(syncJobDealsKey(id));
    const size = stored === null ? 0 : JSON.stringify(stored).length;
    await payloadSizes.set(id, size);
    return size;
  },
  /** The job's items, and its read batches if it left any. */
  remove: async (id: string) => {
    const batches = (await syncJobDetailStore.get(id))?.reading?.batches ?? 0;
    await storage.removeItems([
      syncJobKey(id),
      syncJobDealsKey(id),
      ...Array.from({ length: batches }, (_, batch) => syncJobReadKey(id, batch)),
    ]);
    await payloadSizes.set(id, null);
  },
};

/** A whole-deal export's deals read so far, an item per batch (utils/sync/reading.ts). */
export const syncJobReadStore = {
  get: async (id: string, batch: number) =>
    readJobItem<StoredDeals>(
      syncJobReadKey(id, batch),
      await storage.getItem<unknown>(syncJobReadKey(id, batch)),
      parseStoredDeals,
    ),
  set: (id: string, batch: number, deals: StoredDeals) =>
    setJobItem(syncJobReadKey(id, batch), dealsItem(deals)),
  remove: (id: string, batches: number) =>
    storage.removeItems(Array.from({ length: batches }, (_, batch) => syncJobReadKey(id, batch))),
};

const wholeReadsItem = storage.defineItem<unknown>('local:whole-reads', { fallback: null, version: 1 });
const readWholeReads = (value: unknown) =>
  readVersioned<Record<string, string>>(
    'whole-reads',
    'whole-reads',
    value,
    {
      current: 1,
      versionOf: versionField('v'),
      steps: {},
      parse: (stored) => {
        const reads = (stored as { d?: unknown }).d;
        if (typeof reads !== 'object' || reads === null) return null;
        const { kept, dropped } = parseEachValue(reads as Record<string, unknown>, (key) =>
          typeof key === 'string' && key.length <= 100 ? key : null,
        );
        return { value: kept, dropped };
      },
    },
    {},
  );

/**
 * Per deal (`<site> <deal ext_id>`): what its board card showed when the deal was last read whole and
 * CoMagic took it (utils/sync/reading.ts). A card still showing that is not read again.
 */
export const wholeReadsStore = {
  get: async () => readWholeReads(await wholeReadsItem.getValue()),
  set: async (reads: Record<string, string>) => {
    guardWrite('whole-reads');
    await wholeReadsItem.setValue({ v: 1, d: reads });
  },
};

// ── Live mode and the schedules (utils/sync/live.ts, utils/sync/schedule.ts) ──
// Written by the background only (utils/background/live-sync.ts, scheduled-sync.ts), and by the
// options page's save and a backup's import for the user's own choices (`autoSyncStore`).

import { EMPTY_LIVE_INBOX, type LiveInbox, LiveInboxSchema } from './sync/live';
import {
  type AutoSyncPrefs,
  AutoSyncPrefsSchema,
  EMPTY_SCHEDULE_STATE,
  NO_AUTO_SYNC,
  type ScheduleState,
  ScheduleStateSchema,
} from './sync/schedule';

const liveInboxItem = storage.defineItem<unknown>('local:live-inbox', { fallback: null, version: 1 });
const scheduleStateItem = storage.defineItem<unknown>('local:schedule-state', { fallback: null, version: 1 });
const autoSyncItem = storage.defineItem<unknown>('local:auto-sync', { fallback: null, version: 1 });

const readLiveInbox = (value: unknown) =>
  readVersioned<LiveInbox>(
    'live-inbox',
    'live-inbox',
    value,
    {
      current: 1,
      versionOf: versionField('v'),
      steps: {},
      parse: (stored) => {
        const { pending, done } = stored as { pending?: unknown; done?: unknown };
        if (!Array.isArray(pending) || !Array.isArray(done)) return null;
        const entries = parseEach(pending, parsed(LiveInboxSchema.shape.pending.element.nullable(), null));
        const settled = parseEach(done, parsed(LiveInboxSchema.shape.done.element.nullable(), null));
        return {
          value: { v: 1, pending: entries.kept, done: settled.kept },
          dropped: entries.dropped + settled.dropped,
        };
      },
    },
    EMPTY_LIVE_INBOX,
  );

const readScheduleState = (value: unknown) =>
  readVersioned<ScheduleState>(
    'schedule-state',
    'schedule-state',
    value,
    {
      current: 1,
      versionOf: versionField('v'),
      steps: {},
      parse: (stored) => {
        const { runs, limits } = stored as { runs?: unknown; limits?: unknown };
        if (typeof runs !== 'object' || runs === null || Array.isArray(runs)) return null;
        const kept = parseEachValue(
          runs as Record<string, unknown>,
          parsed(ScheduleStateSchema.shape.runs.valueType.nullable(), null),
        );
        // The points CoMagic said were left count as one element: the next run's answer says them again.
        const seen = parsed(ScheduleStateSchema.shape.limits, null)(limits);
        const lostLimits = limits !== null && limits !== undefined && seen === null ? 1 : 0;
        return { value: { v: 1, runs: kept.kept, limits: seen }, dropped: kept.dropped + lostLimits };
      },
    },
    EMPTY_SCHEDULE_STATE,
  );

const readAutoSync = (value: unknown) =>
  readVersioned<AutoSyncPrefs>(
    'auto-sync',
    'auto-sync',
    value,
    {
      current: 1,
      versionOf: objectVersion,
      steps: {},
      parse: (stored) => {
        const { liveSites, schedules } = stored as { liveSites?: unknown; schedules?: unknown };
        if (!Array.isArray(liveSites) || !Array.isArray(schedules)) return null;
        const { shape } = AutoSyncPrefsSchema;
        const sites = parseEach(liveSites, parsed(shape.liveSites.element.nullable(), null));
        const plans = parseEach(schedules, parsed(shape.schedules.element.nullable(), null));
        // The lists' caps hold for the whole.
        const prefs = AutoSyncPrefsSchema.safeParse({ liveSites: sites.kept, schedules: plans.kept });
        return prefs.success ? { value: prefs.data, dropped: sites.dropped + plans.dropped } : null;
      },
    },
    NO_AUTO_SYNC,
  );

/** The sites in live mode and the schedules the user set. */
export const autoSyncStore = versionedStore<AutoSyncPrefs>(autoSyncItem, 'auto-sync', readAutoSync);

/** Live changes received and not yet made into a job, and the last ones that were. */
export const liveInboxStore = versionedStore<LiveInbox>(liveInboxItem, 'live-inbox', readLiveInbox);

/** Each schedule's last slot run and deals carried over, and the API points CoMagic last said were left. */
export const scheduleStateStore = versionedStore<ScheduleState>(
  scheduleStateItem,
  'schedule-state',
  readScheduleState,
);
