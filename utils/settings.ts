/**
 * The user's settings (no secrets): how CRM data becomes CoMagic data. Versioned; `readSettings`
 * brings any stored version to the current one through `SETTINGS_STEPS`, one step per version, each
 * with a test from a stored example.
 */
import { z } from 'zod';
import { defaultSitePrefix } from './mapping/ext-ids';
import { migrate, versionField } from './versioned';

export const ESTIMATE_SOURCES = ['modified', 'created', 'first_seen'] as const;

export const SETTINGS_VERSION = 2;

/** What `sitePrefixes` may hold for a site: what an ext_id allows (see checkExtIdSettings). */
const SitePrefixSchema = z
  .string()
  .max(24)
  .regex(/^[A-Za-z0-9_.:-]*$/);

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** How a CRM id becomes an ext_id; `{id}` is the CRM's own id. */
  extIdTemplate: z.string().min(1).max(64).includes('{id}'),
  /**
   * Per CRM site (origin): a prefix so two CRMs feeding one account never collide. A site without
   * one gets `defaultSitePrefix` (see `sitePrefixOf`); `''` is the prefix sites had before version 2.
   */
  sitePrefixes: z.record(z.string(), SitePrefixSchema),
  /** The CRM's display time zone (IANA); `null` = this browser's. */
  crmTimeZone: z.string().nullable(),
  /** The CoMagic account's time zone (IANA); `null` = as `get.account` reports it. */
  accountTimeZone: z.string().nullable(),
  /** When a board card does not tell when the deal entered its stage. */
  estimateStageTime: z.enum(ESTIMATE_SOURCES),
  /** For phone numbers written without a country code. */
  defaultPhoneCountry: z.string().length(2),
  /** Show the small export-state badge on board cards. */
  boardBadges: z.boolean(),
  /**
   * How "Export visible pipeline" reads its deals: `whole` reads every card's deal (its stages with
   * their times, contacts, owner, creation time), `board` sends only what the cards show (no history,
   * no calls tied): a quick first look.
   */
  exportMode: z.enum(['whole', 'board']),
  /** Whole-deal reads of one export at once, at most; the CRM is the user's own, so stay polite. */
  crmReadConcurrency: z.number().int().min(1).max(8),
  /** A pause between two reads of one reader, in ms (0: none). */
  crmReadDelayMs: z.number().int().min(0).max(10_000),
  /** Send a deal whose creation time the CRM did not show, with the time estimated (marked so). */
  allowEstimatedCreation: z.boolean(),
  /** CRM fields sent as CoMagic deal user fields (Options → Mapping), each made once in CoMagic. */
  userFields: z
    .array(
      z.object({
        crmField: z.string().trim().min(1).max(100),
        name: z.string().trim().min(1).max(255),
        dataType: z.enum(['numeric', 'string']),
      }),
    )
    .max(50),
  /**
   * What one unit of each currency (ISO 4217) is worth in the CoMagic account's report currency: a
   * deal in another currency is converted with it, or held back when its currency has no rate.
   */
  currencyRates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive().finite()),
  /**
   * A partner («Агент») key acting for one of its clients: that client's user id, sent as `user_id`
   * with every CRM method (a client's own key never sends it). `null`: the key's own account.
   */
  partnerUserId: z.number().int().positive().nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  extIdTemplate: '{id}',
  sitePrefixes: {},
  crmTimeZone: null,
  accountTimeZone: null,
  estimateStageTime: 'modified',
  defaultPhoneCountry: 'RU',
  boardBadges: false,
  exportMode: 'whole',
  crmReadConcurrency: 4,
  crmReadDelayMs: 0,
  allowEstimatedCreation: false,
  userFields: [],
  currencyRates: {},
  partnerUserId: null,
};

/** The ext_id prefix of a CRM site (origin): the one the user set, else one derived from the site. */
export function sitePrefixOf(settings: Pick<Settings, 'sitePrefixes'>, site: string): string {
  return Object.hasOwn(settings.sitePrefixes, site)
    ? (settings.sitePrefixes[site] as string)
    : defaultSitePrefix(site);
}

/** What a step needs beyond the stored value. */
export interface SettingsContext {
  /**
   * The sites whose deals CoMagic may already hold under version-1 ext_ids (no prefix): see
   * `legacySites` in utils/storage.ts.
   */
  legacySites: readonly string[];
}

type Stored = Record<string, unknown>;
const asObject = (value: unknown): Stored =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Stored) : {};

/** `SETTINGS_STEPS[n]` turns version-n settings into version n + 1. */
export const SETTINGS_STEPS = {
  /**
   * Version 2 gives a site without a prefix one derived from it. Sites that already sent deals had
   * none (`''`): it is pinned for them, so what CoMagic holds keeps its ext_ids.
   */
  1: (v1: unknown, context: SettingsContext): Stored => {
    const old = asObject(v1);
    const pinned = Object.fromEntries(context.legacySites.map((site) => [site, '']));
    return { ...old, version: 2, sitePrefixes: { ...pinned, ...asObject(old.sitePrefixes) } };
  },
} as const;

export interface SettingsRead {
  settings: Settings;
  /** The stored value was of an older version (and should be written back in this one). */
  migrated: boolean;
  /** The version of settings written by a newer extension: read as far as known, never written. */
  newer: number | null;
  /** Fields (and `sitePrefixes.<site>`) that did not pass and took their default. */
  dropped: string[];
}

/** Settings stored before they carried a version were version 1; nothing stored reads as version 1 too. */
const settingsVersionOf = (stored: unknown) =>
  stored === null || stored === undefined || (typeof stored === 'object' && !('version' in stored))
    ? 1
    : versionField('version')(stored);

/**
 * Field by field: a field that does not pass takes its default (and is named in `dropped`), the
 * others are kept, so one bad field never resets the prefixes that make every ext_id.
 */
function parseFields(value: unknown): { settings: Settings; dropped: string[] } {
  const stored = asObject(value);
  const dropped: string[] = [];
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [field, schema] of Object.entries(SettingsSchema.shape)) {
    if (field === 'version' || field === 'sitePrefixes' || stored[field] === undefined) continue;
    const parsed = schema.safeParse(stored[field]);
    if (parsed.success) settings[field] = parsed.data;
    else dropped.push(field);
  }
  const prefixes: Record<string, string> = {};
  for (const [site, prefix] of Object.entries(asObject(stored.sitePrefixes))) {
    const parsed = SitePrefixSchema.safeParse(prefix);
    if (parsed.success) prefixes[site] = parsed.data;
    else dropped.push(`sitePrefixes.${site}`);
  }
  return { settings: { ...(settings as Settings), sitePrefixes: prefixes }, dropped };
}

/** Any stored shape → the current one (see SettingsRead). */
export function readSettings(stored: unknown, context: SettingsContext = { legacySites: [] }): SettingsRead {
  const result = migrate(stored, {
    current: SETTINGS_VERSION,
    versionOf: settingsVersionOf,
    steps: { 1: (v1: unknown) => SETTINGS_STEPS[1](v1, context) },
    parse: parseFields,
  });
  if (result.kind === 'current') return { ...result.value, migrated: result.migrated, newer: null };
  if (result.kind === 'newer') return { ...parseFields(stored), migrated: false, newer: result.version };
  return { settings: DEFAULT_SETTINGS, migrated: false, newer: null, dropped: ['settings'] };
}

/** The version-1 settings stored before version 2, or nothing stored: their sites need `legacySites`. */
export const settingsNeedLegacySites = (stored: unknown) => settingsVersionOf(stored) === 1;

/** Any stored shape → the current one; what cannot be read takes its default. */
export function migrateSettings(stored: unknown, context?: SettingsContext): Settings {
  return readSettings(stored, context).settings;
}
