/**
 * The one protocol map of the extension: every message the background accepts, its zod schema,
 * who may send it, and the type of its answer. The background parses every message with these
 * schemas and checks the sender before any handler runs.
 *
 * Content scripts import only the types (`import type`), so zod stays out of their bundle.
 */
import { z } from 'zod';
import type { CrmReadFailure } from './crm/api-read';
import type { CrmBoard, CrmDeal, VisitSource } from './crm/model';
import type { RecipeReadRow } from './crm/recipe/read-table';
import type { Recipe } from './crm/recipe/schema';
import { CrmDealSchema, ScrapeReportSchema } from './crm/schema';
import type { ScrapeReport } from './crm/scrape';
import type { MappingConfig } from './mapping/funnel';
import { MappingConfigSchema } from './mapping/funnel';
import { type Settings, SettingsSchema } from './settings';
import { EndpointSchema } from './storage';
import type { JobStatus } from './sync/job-status';
import { LiveChangeSchema } from './sync/live';
import { AutoSyncPrefsSchema } from './sync/schedule';

/** Who may send a message: extension pages (popup, options), or content scripts on granted CRM sites. */
export type SenderKind = 'page' | 'content';

/** What the options page sends: an empty secret keeps the stored one. */
export const AuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), token: z.string().trim().nullable() }),
  z.object({
    kind: z.literal('login'),
    login: z.string().trim().min(1),
    password: z.string().nullable(),
    remember: z.boolean(),
  }),
]);

const JobId = z.string().min(1).max(100);
/** A host permission pattern for one site: `https://crm.example.com/*`. */
const SitePattern = z.string().regex(/^https?:\/\/[^/*\s]+\/\*$/);
const TabId = z.number().int().nonnegative();

export const protocol = {
  'connection.get': { from: ['page'], schema: z.object({}) },
  'connection.save': {
    from: ['page'],
    schema: z.object({ endpoint: EndpointSchema, auth: AuthInputSchema }),
  },
  'connection.test': { from: ['page'], schema: z.object({}) },
  /** The content script's settings: the CRM's display time zone and the user's recipes. */
  'content.config': { from: ['content'], schema: z.object({}) },
  /** The in-page button: send the deal this page shows. */
  'deal.send': { from: ['content'], schema: z.object({ deal: CrmDealSchema }) },
  'job.dealState': { from: ['content'], schema: z.object({ jobId: JobId }) },
  /**
   * Live mode: a change the page saw (utils/content/change-watch.ts). The background keeps it (once)
   * and answers when it is stored; nothing is kept for a site not in live mode.
   */
  'live.changed': { from: ['content'], schema: LiveChangeSchema },
  /**
   * The sender's tab shows a board: the background reads that tab itself and prepares its preview for
   * the popup opened next; the answer is the cards' badges.
   */
  'board.shown': { from: ['content'], schema: z.object({}) },
  /** The popup: what the tab shows and what would be sent. */
  'tab.preview': { from: ['page'], schema: z.object({ tabId: TabId }) },
  /** The popup: send the deal, or export the visible pipeline (optionally only some deals). */
  'tab.send': {
    from: ['page'],
    schema: z.object({
      tabId: TabId,
      dryRun: z.boolean(),
      dealKeys: z.array(z.string()).max(20_000).optional(),
    }),
  },
  /**
   * The popup, after the user confirmed: delete the deal the tab shows in CoMagic and upload it again
   * whole (only while CoMagic holds a poorer history of it, see DealPreview.repair).
   */
  'deal.repair': { from: ['page'], schema: z.object({ tabId: TabId }) },
  'job.get': { from: ['page'], schema: z.object({ jobId: JobId }) },
  'job.list': { from: ['page'], schema: z.object({}) },
  'job.control': {
    from: ['page'],
    schema: z.object({ jobId: JobId, action: z.enum(['pause', 'resume', 'cancel', 'retry']) }),
  },
  'job.export': { from: ['page'], schema: z.object({ jobId: JobId, format: z.enum(['json', 'csv']) }) },
  /** Options → Activity: every finished job leaves the log, with its stored payloads and results. */
  'jobs.clearFinished': { from: ['page'], schema: z.object({}) },
  /** Options → Activity: stored data that could not be read as it was (dropped, or a newer version's). */
  'storage.notices': { from: ['page'], schema: z.object({}) },
  'settings.get': { from: ['page'], schema: z.object({}) },
  'settings.save': { from: ['page'], schema: SettingsSchema },
  /** Settings, mappings and recipes as one JSON file, never with a secret. */
  'settings.export': { from: ['page'], schema: z.object({}) },
  'settings.import': { from: ['page'], schema: z.object({ json: z.string().max(5_000_000) }) },
  /** The CRM sites the user added; the page asks the browser for access first (a user gesture). */
  'sites.list': { from: ['page'], schema: z.object({}) },
  'sites.add': { from: ['page'], schema: z.object({ pattern: SitePattern }) },
  'sites.remove': { from: ['page'], schema: z.object({ pattern: SitePattern }) },
  'recipes.list': { from: ['page'], schema: z.object({}) },
  'recipes.save': { from: ['page'], schema: z.object({ json: z.string().max(200_000) }) },
  'recipes.delete': { from: ['page'], schema: z.object({ id: z.string().max(200) }) },
  /** Runs a recipe (not saved yet) on a tab and tells what it reads and what it misses. */
  'recipes.test': { from: ['page'], schema: z.object({ json: z.string().max(200_000), tabId: TabId }) },
  'mapping.list': { from: ['page'], schema: z.object({}) },
  'mapping.save': {
    from: ['page'],
    schema: z.object({ key: z.string().max(2_000), config: MappingConfigSchema }),
  },
  /** Creates (or completes) the CoMagic funnel of a mapped pipeline. */
  'mapping.createFunnel': { from: ['page'], schema: z.object({ key: z.string().max(2_000) }) },
  /**
   * Options: the sites in live mode and the schedules, with each schedule's expected cost in API
   * points per run against the day's points left.
   */
  'autoSync.get': { from: ['page'], schema: z.object({}) },
  'autoSync.save': { from: ['page'], schema: AutoSyncPrefsSchema },
} as const satisfies Record<string, { from: readonly SenderKind[]; schema: z.ZodType }>;

export type MessageType = keyof typeof protocol;
export type MessageData<T extends MessageType> = z.input<(typeof protocol)[T]['schema']>;

/** What the options page may know of the stored connection: never the secret itself. */
export interface ConnectionView {
  endpoint: z.infer<typeof EndpointSchema>;
  authKind: 'key' | 'login';
  login: string | null;
  /** e.g. `••••••3f9a`, so the user can tell which key is stored. */
  maskedToken: string | null;
  passwordRemembered: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  account?: { name: string; timeZone: string };
  limits?: { dayRemaining: number; dayLimit: number; minuteRemaining: number; minuteLimit: number };
  /** A message for a person, in the UI language, saying what to do. */
  message: string;
  errorClass?: string;
}

export interface ProblemView {
  severity: 'error' | 'warning';
  field: string;
  /** For a person, in the UI language: what is wrong and what to do. */
  message: string;
}

export type DealStatus = 'new' | 'changed' | 'unchanged' | 'problems';

/**
 * A board card's badge: its status, or what the last export from this site did with it (`sent`
 * while nothing changed since, `failed` until it is sent).
 */
export type BadgeState = DealStatus | 'sent' | 'failed';

/** Each card's badge by CRM deal id; `null` when badges are off or the tab shows no board. */
export type BoardBadges = Record<string, BadgeState> | null;

/** One `upload.deals_history` record as the preview shows it. */
export interface RecordView {
  stageName: string;
  /** `YYYY-MM-DD hh:mm:ss` in the account's time zone, exactly as sent. */
  enteredAt: string;
  source: VisitSource;
  estimated: boolean;
  observed: boolean;
  closed: boolean;
}

export interface DealPreview {
  key: string;
  deal: CrmDeal;
  dealExtId: string | null;
  status: DealStatus;
  records: RecordView[];
  /** The exact params that will be sent, per method (without the token). */
  payloads: { method: string; params: unknown }[];
  problems: ProblemView[];
  /** CoMagic holds a poorer history of the deal than the page shows; absent when it does not. */
  repair?: RepairView;
  /** CoMagic is asked first whether it holds the deal; absent when this browser confirmed it today. */
  askFirst?: AskFirstView;
}

/**
 * Sendable deals this browser's ledger does not know or confirmed over a day ago: before sending,
 * CoMagic is asked what it holds of them (utils/sync/reconcile.ts), one read per 10,000.
 */
export interface AskFirstView {
  deals: number;
  reads: number;
}

export interface RepairView {
  /** The creation time CoMagic holds (`YYYY-MM-DD hh:mm:ss`, account zone); `null` when not known. */
  held: string | null;
  /** Stages of the page older than the last one CoMagic holds, which it can never take. */
  missing: number;
}

/** One card of a board, light enough for 10,000 rows. */
export interface DealRow {
  key: string;
  dealId: string | null;
  name: string;
  stageId: string | null;
  stageName: string;
  amount: string | null;
  status: DealStatus;
  problems: string[];
}

export interface StageCount {
  id: string;
  name: string;
  count: number;
  incomplete: boolean;
}

export interface DealResultView {
  key: string;
  dealExtId: string | null;
  name: string;
  outcome: 'pending' | 'sent' | 'unchanged' | 'failed' | 'validated';
  /** Why it failed, and what to do about it. */
  reason: string | null;
}

export interface JobView {
  id: string;
  kind: 'deal' | 'board';
  label: string;
  status: JobStatus;
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  /** Why the job waits or stopped, for a person. */
  message: string | null;
  resumeAt: string | null;
  progress: { done: number; total: number; failed: number; skipped: number; sent: number };
  /** A whole-deal export's reading of its deals from the CRM, while it has one. */
  reading: { done: number; total: number } | null;
  /** Seconds left at the current pace, when it can be told. */
  etaSeconds: number | null;
  results: DealResultView[];
  /** Deals of the job CoMagic cannot tie to calls: none of their contacts has a phone or an e-mail. */
  contactless: number;
  /** What planning read from CoMagic to learn what it holds (utils/sync/planner.ts PlanReads); absent before. */
  reads?: { deals: number; history: number; entities: number };
}

export type JobSummaryView = Omit<JobView, 'results' | 'contactless'>;

export type TabPreview =
  | { kind: 'not-configured' }
  | { kind: 'no-tab'; reason: string }
  | { kind: 'no-access'; origin: string }
  | { kind: 'not-crm'; reasons: string[] }
  | { kind: 'unreadable'; adapterLabel: string | null; reasons: string[]; problems: ProblemView[] }
  | {
      kind: 'deal';
      adapterLabel: string;
      preview: DealPreview;
      funnelName: string;
      activeJob: JobView | null;
    }
  | {
      kind: 'board';
      adapterLabel: string;
      pipelineName: string;
      funnelName: string;
      stages: StageCount[];
      rows: DealRow[];
      problems: ProblemView[];
      activeJob: JobView | null;
      /** Absent when this browser confirmed every sendable deal with CoMagic today. */
      askFirst?: AskFirstView;
    };

export type ButtonStateView =
  | { kind: 'sending' }
  | { kind: 'sent'; at: string }
  | { kind: 'failed'; reason: string };

export interface SiteView {
  /** The host permission pattern, e.g. `https://crm.example.com/*`. */
  pattern: string;
  origin: string;
  /** Whether the browser grants access now (the user may have withdrawn it in the browser's settings). */
  granted: boolean;
  /** The adapter that reads it when known (host hint or a recipe's URL pattern). */
  adapterLabel: string | null;
}

export interface RecipeView {
  id: string;
  label: string;
  json: string;
}

export interface RecipeTestView {
  /** Errors of the recipe itself (not valid JSON, a bad selector…), each naming the field. */
  errors: string[];
  kind: 'deal' | 'board' | null;
  reasons: string[];
  deal: CrmDeal | null;
  board: { pipelineName: string; stages: string[]; cards: number } | null;
  problems: ProblemView[];
  /** What it read per card (the first cards of a board) or of the deal, field by field, with the rule that found it. */
  table: RecipeReadRow[];
}

export interface MappingView {
  key: string;
  config: MappingConfig;
  problems: ProblemView[];
}

/** One thing stored data could not be read as: for a person, in the UI language, saying what to do. */
export interface StorageNoticeView {
  at: string;
  message: string;
}

export interface Answers {
  'connection.get': ConnectionView | null;
  'connection.save': { saved: true };
  'connection.test': ConnectionTestResult;
  'content.config': { timeZone: string; recipes: Recipe[] };
  'deal.send': { jobId: string };
  'job.dealState': ButtonStateView;
  /** The job the change went into, once it did (`null`: kept, not sent, e.g. live mode is off). */
  'live.changed': { jobId: string | null };
  'board.shown': BoardBadges;
  'tab.preview': TabPreview;
  'tab.send': { jobId: string };
  'deal.repair': { jobId: string };
  'job.get': JobView | null;
  'job.list': JobSummaryView[];
  'job.control': { jobId: string };
  'job.export': FileDownload;
  'jobs.clearFinished': { cleared: number };
  'storage.notices': StorageNoticeView[];
  'settings.get': Settings;
  'settings.save': Settings;
  'settings.export': FileDownload;
  'settings.import': { ok: boolean; errors: string[] };
  'sites.list': SiteView[];
  'sites.add': SiteView[];
  'sites.remove': SiteView[];
  'recipes.list': RecipeView[];
  'recipes.save': { ok: boolean; id: string | null; errors: string[] };
  'recipes.delete': { deleted: boolean };
  'recipes.test': RecipeTestView;
  'mapping.list': MappingView[];
  'mapping.save': MappingView;
  'mapping.createFunnel': { ok: boolean; message: string };
  'autoSync.get': AutoSyncView;
  'autoSync.save': AutoSyncView;
}

export interface AutoSyncView {
  liveSites: string[];
  schedules: z.infer<typeof AutoSyncPrefsSchema>['schedules'];
  budget: ScheduleBudgetView;
}

export interface ScheduleBudgetView {
  /** Points left today and the day's limit, as CoMagic last said; `null` before any answer. */
  dayRemaining: number | null;
  dayLimit: number | null;
  /**
   * Per schedule (by mapping key): points a run is expected to cost and the changed deals that makes;
   * `null` before the schedule's first run (it then reads every card not exported yet).
   */
  perRun: Record<string, { points: number | null; deals: number | null }>;
}

export interface FileDownload {
  filename: string;
  mime: string;
  content: string;
}

export interface Envelope<T extends MessageType = MessageType> {
  type: T;
  data: MessageData<T>;
}

/** Every answer travels as a value: a refused or failed message never rejects silently. */
export type Reply<T extends MessageType> = { ok: true; value: Answers[T] } | { ok: false; error: string };

export const EnvelopeSchema = z.object({
  type: z.enum(Object.keys(protocol) as [MessageType, ...MessageType[]]),
  data: z.unknown(),
});

/**
 * What the background asks a CRM tab (`browser.tabs.sendMessage`): the content script every granted
 * CRM tab runs, or the deal reads script the background injects into the one tab an export reads
 * through (entrypoints/deal-reads.ts). A request travels flat, `{ type, ...fields }`. The tab checks
 * the sender and the request by hand (`tabRequestOf` in utils/send-message.ts: no zod in content
 * scripts); the background checks every answer with `tabAnswerSchemas`, since it comes from inside a
 * page the extension does not control.
 */
export interface TabRequests {
  /** Read the page with this recipe only (the options page testing a draft). */
  'crm.scrape': { recipe: Recipe };
  /** Read the page; `known` is the reading the background holds, which then comes back without its report. */
  'crm.read': { known?: string };
  /** Draw these badges on the board the tab last showed. */
  'crm.badges': { states: BoardBadges };
  /** Read these deals whole through the CRM's endpoints (deal reads script). */
  'crm.readDeals': { crm: string; ids: string[]; concurrency: number; delayMs: number };
  /** The record ids of the board's cards that show none, in the board's order (deal reads script). */
  'crm.cardIds': { board: CrmBoard };
  /** The saved recipes or the settings changed: the content script asks for its config again and re-reads. */
  'crm.configChanged': Record<never, never>;
}

export type TabMessageType = keyof TabRequests;
export type TabRequest<T extends TabMessageType = TabMessageType> = {
  [K in T]: { type: K } & TabRequests[K];
}[T];

/** A page's reading and its id; a reading the background already holds comes back without its report. */
export interface TabReading {
  id: string;
  report: ScrapeReport | null;
}

export type DealReadAnswer =
  | { id: string; deal: CrmDeal }
  | { id: string; failure: CrmReadFailure; message: string };

export interface TabAnswers {
  'crm.scrape': ScrapeReport;
  'crm.read': TabReading;
  'crm.badges': true;
  'crm.readDeals': DealReadAnswer[];
  'crm.cardIds': { ids: (string | null)[] } | { failure: CrmReadFailure; message: string };
  'crm.configChanged': true;
}

const CrmReadFailureSchema = z.enum(['auth', 'busy', 'not_found', 'refused']);

/** Each answer's check; typed per request, so a caller of one request gets that request's answer. */
export const tabAnswerSchemas: { [T in TabMessageType]: z.ZodType<TabAnswers[T]> } = {
  'crm.scrape': ScrapeReportSchema,
  'crm.read': z.object({ id: z.string().min(1).max(100), report: ScrapeReportSchema.nullable() }),
  'crm.badges': z.literal(true),
  'crm.readDeals': z
    .array(
      z.union([
        z.object({ id: z.string().max(1_000), deal: CrmDealSchema }),
        z.object({
          id: z.string().max(1_000),
          failure: CrmReadFailureSchema,
          message: z.string().max(2_000),
        }),
      ]),
    )
    .max(1_000),
  'crm.configChanged': z.literal(true),
  'crm.cardIds': z.union([
    z.object({ ids: z.array(z.string().max(1_000).nullable()).max(20_000) }),
    z.object({ failure: CrmReadFailureSchema, message: z.string().max(2_000) }),
  ]),
};
