/**
 * The user's settings (no secrets): how CRM data becomes CoMagic data. Versioned; `migrateSettings`
 * brings any stored version to the current one, with a test per step.
 */
import { z } from 'zod';

export const ESTIMATE_SOURCES = ['modified', 'created', 'first_seen'] as const;

export const SettingsSchema = z.object({
  version: z.literal(1),
  /** How a CRM id becomes an ext_id; `{id}` is the CRM's own id. */
  extIdTemplate: z.string().min(1).max(64).includes('{id}'),
  /** Per CRM site (origin): a prefix so two CRMs feeding one account never collide. */
  sitePrefixes: z.record(
    z.string(),
    z
      .string()
      .max(24)
      .regex(/^[A-Za-z0-9_.:-]*$/),
  ),
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
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
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
};

/** Any stored shape → the current one; unknown or broken input falls back to the defaults. */
export function migrateSettings(stored: unknown): Settings {
  const current = SettingsSchema.safeParse(stored);
  if (current.success) return current.data;
  const partial = SettingsSchema.partial().safeParse(stored);
  return partial.success ? { ...DEFAULT_SETTINGS, ...partial.data, version: 1 } : DEFAULT_SETTINGS;
}
