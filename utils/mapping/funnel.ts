/**
 * How one CRM pipeline maps to one CoMagic sales funnel.
 *
 * Every CRM stage has an entry. Several entries may share an ext_id: they are then one CoMagic
 * stage (Bitrix24's two lost columns, a stage the user folds into another). CoMagic needs exactly
 * one won (`success`) and one lost (`failed`) stage, and a deal page shows only the stages that
 * deal passed. Where the CRM itself defines them (amoCRM's statuses 142 and 143, EspoCRM's
 * `Closed Won` / `Closed Lost`) the config holds those stages even before a page showed them.
 * Otherwise it holds a *synthetic* stage: an entry with `crmStageId: null`. That is what Odoo means
 * by lost (it archives lost leads, it has no lost column); anywhere else it is *proposed*: sent as
 * it is, with a warning, until the user confirms or changes it. A CRM column of that outcome seen
 * later (a lost deal's page) takes the synthetic stage's ext_id and name over, so a funnel already
 * created in CoMagic stays valid. Missing won/lost knowledge never blocks a send.
 */
import { z } from 'zod';
import { SalesFunnelCreate } from '../comagic/schemas';
import type { CrmId, CrmPipeline, CrmStage } from '../crm/model';
import { asColumn, crmHasNoColumnFor, knownTerminalStage, localeOf } from './crm-stages';
import { compileExtIds, type ExtIdSettings, normalizeName, stageExtId } from './ext-ids';
import { cleanName } from './names';
import { forDeal, hasError, type Issue, issue, type MappingProblem } from './problems';

export const STAGE_STATUSES = ['in_process', 'success', 'failed'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
export type TerminalStatus = Exclude<StageStatus, 'in_process'>;

/** CoMagic allows 100 stages; whether won and lost count is undocumented, so stay below. */
export const MAX_IN_PROCESS_STAGES = 98;
export const ORDER_STEP = 10;
export const MAX_ORDER = 10_000;

const CrmIdSchema = z.union([
  z.enum(['espocrm', 'amocrm', 'odoo']),
  z.templateLiteral(['recipe:', z.string()]),
]) as z.ZodType<CrmId>;

export const StageMappingSchema = z.strictObject({
  /** `null` for a synthetic won/lost stage that has no CRM column. */
  crmStageId: z.string().nullable(),
  crmStageName: z.string(),
  extId: z.string(),
  name: z.string(),
  status: z.enum(STAGE_STATUSES),
  /** In-process stages only; `null` for won/lost (CoMagic orders them itself). */
  order: z.number().int().nullable(),
  userEdited: z.boolean(),
});
export type StageMapping = z.infer<typeof StageMappingSchema>;

/** Stored per CRM pipeline; the version lets a later shape migrate it. */
export const MappingConfigSchema = z.strictObject({
  version: z.literal(1),
  crm: CrmIdSchema,
  /** The CRM site's origin. */
  site: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  funnel: z.strictObject({ extId: z.string(), name: z.string() }),
  stages: z.array(StageMappingSchema),
});
export type MappingConfig = z.infer<typeof MappingConfigSchema>;

export interface PipelineSource {
  crm: CrmId;
  site: string;
  pipeline: CrmPipeline;
  /** In the order the CRM shows them. */
  stages: CrmStage[];
}

export interface ConfigResult {
  config: MappingConfig;
  problems: MappingProblem[];
}

export type StagePatch = Partial<Pick<StageMapping, 'extId' | 'name' | 'status' | 'order'>>;

// Names compared after normalizeName with dashes and underscores read as spaces.
const WON_NAMES = new Set([
  'won',
  'win',
  'closed won',
  'deal won',
  'успешно',
  'успех',
  'успешно реализовано',
  'успешная сделка',
  'сделка успешна',
  'сделка заключена',
  'выиграно',
  'выиграна',
]);
const LOST_NAMES = new Set([
  'lost',
  'lose',
  'closed lost',
  'deal lost',
  'закрыто и не реализовано',
  'не реализовано',
  'проиграно',
  'проиграна',
  'отказ',
  'сделка провалена',
  'провал',
]);

function comparable(text: string): string {
  return normalizeName(text)
    .replace(/[-_–—]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The adapter's hint first, then the id or name; an unrecognised stage is in process. */
export function recognizeStatus(stage: CrmStage): StageStatus {
  if (stage.outcome === 'won') return 'success';
  if (stage.outcome === 'lost') return 'failed';
  if (stage.outcome === 'in_progress') return 'in_process';
  const candidates = [comparable(stage.id), comparable(stage.name)];
  if (candidates.some((text) => WON_NAMES.has(text))) return 'success';
  if (candidates.some((text) => LOST_NAMES.has(text))) return 'failed';
  return 'in_process';
}

const isTerminal = (status: StageStatus): status is TerminalStatus => status !== 'in_process';

function stageName(crmStageName: string, crmStageId: string): string {
  return cleanName(crmStageName).name || cleanName(crmStageId).name;
}

const SYNTHETIC_NAMES: Record<TerminalStatus, { en: string; ru: string }> = {
  success: { en: 'Won', ru: 'Успешно реализовано' },
  failed: { en: 'Lost', ru: 'Закрыто и не реализовано' },
};

/** The language the pipeline's page was read in, from the names it showed. */
function localeOfConfig(config: MappingConfig): 'ru' | 'en' {
  return localeOf([config.pipelineName, ...config.stages.map((stage) => stage.crmStageName || stage.name)]);
}

function syntheticStage(config: MappingConfig, status: TerminalStatus): StageMapping {
  const names = SYNTHETIC_NAMES[status];
  return {
    crmStageId: null,
    crmStageName: '',
    extId: stageExtId(config.funnel.extId, status === 'success' ? 'won' : 'lost'),
    name: localeOfConfig(config) === 'ru' ? names.ru : names.en,
    status,
    order: null,
    userEdited: false,
  };
}

/**
 * The CRM's own won or lost stage when it has one the config lacks. A synthetic stage made earlier
 * hands it its ext_id (a funnel made with it may exist in CoMagic) and, if the user chose it, its name.
 */
function knownTerminalEntry(
  config: MappingConfig,
  status: TerminalStatus,
  synthetic: StageMapping | undefined,
): StageMapping | null {
  const known = knownTerminalStage(config.crm, status, localeOfConfig(config));
  if (!known || config.stages.some((stage) => stage.crmStageId === known.id)) return null;
  const entry = newEntry(known, config.funnel.extId, status, null);
  if (!synthetic) return entry;
  return {
    ...synthetic,
    crmStageId: known.id,
    crmStageName: known.name,
    name: synthetic.userEdited ? synthetic.name : entry.name,
  };
}

/**
 * Exactly one won and one lost stage: a CRM column's, else the CRM's own stage it always has,
 * else one synthetic stage; no synthetic stage where a column has the outcome.
 */
function reconcileTerminals(config: MappingConfig): MappingConfig {
  let stages = config.stages;
  for (const status of ['success', 'failed'] as const) {
    const backed = stages.some((stage) => stage.status === status && stage.crmStageId !== null);
    const synthetic = stages.find((stage) => stage.status === status && stage.crmStageId === null);
    if (backed && synthetic) {
      stages = stages.filter((stage) => stage.status !== status || stage.crmStageId !== null);
    } else if (!backed) {
      const known = knownTerminalEntry({ ...config, stages }, status, synthetic);
      if (known) stages = [...stages.filter((stage) => stage !== synthetic), known];
      else if (!synthetic) stages = [...stages, syntheticStage({ ...config, stages }, status)];
    }
  }
  return stages === config.stages ? config : { ...config, stages };
}

/**
 * A won or lost stage with no CRM column that the extension chose and the user has not confirmed;
 * it is sent as proposed (a warning says so), never a reason to hold a send back.
 */
export function isProposed(config: Pick<MappingConfig, 'crm'>, stage: StageMapping): boolean {
  return (
    stage.crmStageId === null &&
    !stage.userEdited &&
    isTerminal(stage.status) &&
    !crmHasNoColumnFor(config.crm, stage.status)
  );
}

/** The stage an outcome already maps to, which a further column of that outcome joins. */
function terminalOf(stages: StageMapping[], status: TerminalStatus): StageMapping | undefined {
  return (
    stages.find((stage) => stage.status === status && stage.crmStageId !== null) ??
    stages.find((stage) => stage.status === status)
  );
}

function newEntry(
  stage: CrmStage,
  funnelExtId: string,
  status: StageStatus,
  order: number | null,
): StageMapping {
  return {
    crmStageId: stage.id,
    crmStageName: stage.name,
    extId: stageExtId(funnelExtId, stage.id),
    name: stageName(stage.name, stage.id),
    status,
    order,
    userEdited: false,
  };
}

/** Joins the outcome's existing CoMagic stage, with a warning saying so. */
function joinTerminal(entry: StageMapping, stages: StageMapping[], issues: Issue[]): StageMapping {
  if (!isTerminal(entry.status)) return entry;
  const existing = terminalOf(stages, entry.status);
  if (!existing) return entry;
  if (existing.crmStageId !== null) {
    const outcome =
      entry.status === 'success' ? { en: 'won', ru: 'успешный' } : { en: 'lost', ru: 'проигранный' };
    issues.push(
      issue('warning', 'terminal_stages_merged', `stages.${entry.crmStageId}`, {
        en: `CoMagic allows one ${outcome.en} stage per funnel, so "${entry.crmStageName}" is sent as "${existing.name}". Change it in Options → Mapping if that is wrong.`,
        ru: `В воронке CoMagic может быть только один ${outcome.ru} этап, поэтому «${entry.crmStageName}» передаётся как «${existing.name}». Измените это в Настройках → Сопоставление, если это неверно.`,
      }),
    );
  }
  return { ...entry, extId: existing.extId, name: existing.name };
}

function withProblems(config: MappingConfig, issues: Issue[]): ConfigResult {
  return { config, problems: forDeal([...issues, ...checkConfig(config)], null, null) };
}

/** A first mapping of a pipeline: in-process stages ordered 10, 20, 30… in the CRM's order. */
export function generateMapping(source: PipelineSource, settings: ExtIdSettings): ConfigResult {
  const extIds = compileExtIds(settings);
  const funnelExtId = extIds.fromCrmId(source.pipeline.id);
  const issues: Issue[] = [];
  const stages: StageMapping[] = [];
  const seen = new Set<string>();
  let inProcess = 0;
  for (const shown of source.stages) {
    const stage = asColumn(source.crm, shown);
    if (seen.has(stage.id)) continue;
    seen.add(stage.id);
    const status = recognizeStatus(stage);
    const order = status === 'in_process' ? ++inProcess * ORDER_STEP : null;
    stages.push(joinTerminal(newEntry(stage, funnelExtId, status, order), stages, issues));
  }
  const config: MappingConfig = {
    version: 1,
    crm: source.crm,
    site: source.site,
    pipelineId: source.pipeline.id,
    pipelineName: source.pipeline.name,
    funnel: { extId: funnelExtId, name: cleanName(source.pipeline.name).name || source.pipeline.id },
    stages,
  };
  return withProblems(reconcileTerminals(config), issues);
}

/** The user's choice for one CRM stage; kept by later merges. Throws on a stage not in the config. */
export function overrideStage(config: MappingConfig, crmStageId: string, patch: StagePatch): MappingConfig {
  const current = config.stages.find((stage) => stage.crmStageId === crmStageId);
  if (!current) throw new RangeError(`Stage ${crmStageId} is not in the mapping`);
  const others = config.stages.filter((stage) => stage !== current);
  let next: StageMapping = { ...current, ...patch, userEdited: true };
  if (patch.status && patch.status !== current.status) {
    const existing = isTerminal(patch.status) ? terminalOf(others, patch.status) : undefined;
    if (existing && patch.extId === undefined) next = { ...next, extId: existing.extId, name: existing.name };
    if (!isTerminal(patch.status) && isTerminal(current.status) && patch.extId === undefined) {
      const name = patch.name ?? stageName(current.crmStageName, crmStageId);
      next = { ...next, extId: stageExtId(config.funnel.extId, crmStageId), name };
    }
    next = {
      ...next,
      order: isTerminal(patch.status) ? null : (patch.order ?? lastOrder(others) + ORDER_STEP),
    };
  }
  const stages = config.stages.map((stage) => (stage === current ? next : stage));
  return reconcileTerminals({ ...config, stages });
}

/** The user accepts (and may rename) the won or lost stage that has no CRM column. */
export function confirmSyntheticStage(
  config: MappingConfig,
  status: TerminalStatus,
  patch: Partial<Pick<StageMapping, 'extId' | 'name'>> = {},
): MappingConfig {
  const index = config.stages.findIndex((stage) => stage.status === status && stage.crmStageId === null);
  if (index < 0) throw new RangeError(`The mapping has no synthetic ${status} stage`);
  const stages = config.stages.map((stage, i) =>
    i === index ? { ...stage, ...patch, userEdited: true } : stage,
  );
  return { ...config, stages };
}

function lastOrder(stages: StageMapping[]): number {
  return stages.reduce((last, stage) => Math.max(last, stage.order ?? 0), 0);
}

const validOrder = (order: number | null): order is number =>
  order !== null && Number.isInteger(order) && order >= 1 && order <= MAX_ORDER;

/** `count` increasing integers strictly between `lower` and `upper` (none: after the last, room up to MAX_ORDER). */
function spread(lower: number, upper: number | null, count: number): number[] | null {
  if (upper === null && lower + count * ORDER_STEP <= MAX_ORDER) {
    return Array.from({ length: count }, (_, k) => lower + (k + 1) * ORDER_STEP);
  }
  const ceiling = upper ?? MAX_ORDER + 1;
  if (ceiling - lower - 1 < count) return null;
  // Steps of at least 1, so the floors stay distinct and inside the bounds.
  const step = (ceiling - lower) / (count + 1);
  return Array.from({ length: count }, (_, k) => Math.floor(lower + step * (k + 1)));
}

/**
 * Orders for stages in this sequence: the kept ones as they are, the others spread between them;
 * `null` when the kept ones are not increasing or leave too little room.
 */
function fillOrders(sequence: (number | null)[]): number[] | null {
  const orders = [...sequence];
  let previous = 0;
  for (const order of orders) {
    if (order === null) continue;
    if (!validOrder(order) || order <= previous) return null;
    previous = order;
  }
  for (let from = 0; from < orders.length; ) {
    if (orders[from] !== null) {
      from++;
      continue;
    }
    let to = from;
    while (to < orders.length && orders[to] === null) to++;
    const values = spread(orders[from - 1] ?? 0, orders[to] ?? null, to - from);
    if (!values) return null;
    orders.splice(from, values.length, ...values);
    from = to;
  }
  return orders as number[];
}

interface Slot {
  extId: string;
  order: number | null;
  /** The user edited a stage of this CoMagic stage: its order is kept where possible. */
  fixed: boolean;
}

/**
 * Orders for the slots in their sequence, unique and positive: every order kept and the new ones
 * between, else only the user's kept, else all renumbered 10, 20, 30…
 */
function assignOrders(slots: Slot[], isNew: (slot: Slot) => boolean): number[] | null {
  return (
    fillOrders(slots.map((slot) => (isNew(slot) ? null : slot.order))) ??
    fillOrders(slots.map((slot) => (slot.fixed && !isNew(slot) ? slot.order : null))) ??
    fillOrders(slots.map(() => null))
  );
}

/** The in-process CoMagic stages by order (a stage with none last), one slot per ext_id. */
function slotsOf(stages: StageMapping[]): Slot[] {
  const fixed = new Set(stages.filter((stage) => stage.userEdited).map((stage) => stage.extId));
  return distinctInProcess(stages)
    .map((stage) => ({ extId: stage.extId, order: stage.order, fixed: fixed.has(stage.extId) }))
    .sort((a, b) => (a.order ?? MAX_ORDER + 1) - (b.order ?? MAX_ORDER + 1));
}

/**
 * Adds a new in-process stage right after the stage the CRM shows before it (or before the one it
 * shows after it) with an order no other stage uses; existing stages are renumbered only when no
 * integer is free there. `null` when even renumbering finds no room.
 */
function placeInProcess(
  stages: StageMapping[],
  entry: StageMapping,
  before: StageMapping | undefined,
  after: StageMapping | undefined,
): { stages: StageMapping[]; entry: StageMapping; renumbered: boolean } | null {
  const slots = slotsOf(stages);
  const shared = slots.find((slot) => slot.extId === entry.extId);
  if (shared) {
    const joined = { ...entry, order: shared.order };
    return { stages: [...stages, joined], entry: joined, renumbered: false };
  }
  const beforeIndex = before ? slots.findIndex((slot) => slot.extId === before.extId) : -1;
  const afterIndex = after ? slots.findIndex((slot) => slot.extId === after.extId) : -1;
  const at = beforeIndex >= 0 ? beforeIndex + 1 : afterIndex >= 0 ? afterIndex : slots.length;
  const added: Slot = { extId: entry.extId, order: null, fixed: false };
  slots.splice(at, 0, added);
  const orders = assignOrders(slots, (slot) => slot === added);
  if (!orders) return null;
  const byExtId = new Map(slots.map((slot, index) => [slot.extId, orders[index] as number]));
  let renumbered = false;
  const placed = [...stages, entry].map((stage) => {
    const order = byExtId.get(stage.extId);
    if (stage.status !== 'in_process' || order === undefined || order === stage.order) return stage;
    if (stage !== entry) renumbered = true;
    return { ...stage, order };
  });
  return { stages: placed, entry: placed.at(-1) as StageMapping, renumbered };
}

/**
 * Adds stages the CRM gained since the mapping was made. A new in-process stage gets an order
 * between its neighbours' (25 between 20 and 30) that no other stage has; the others, the user's
 * edits included, keep theirs unless there is no free integer (then they are renumbered, with a
 * warning, the user's orders kept where possible).
 */
export function mergeNewStages(config: MappingConfig, shownStages: CrmStage[]): ConfigResult {
  const crmStages = shownStages.map((stage) => asColumn(config.crm, stage));
  const byId = new Map<string, StageMapping>();
  for (const stage of config.stages) if (stage.crmStageId !== null) byId.set(stage.crmStageId, stage);
  const inProcessAt = (index: number) => {
    const entry = byId.get(crmStages[index]?.id ?? '');
    return entry?.status === 'in_process' ? entry : undefined;
  };
  /** The closest stage the CRM shows before (-1) or after (1) this one that the funnel holds in process. */
  const nearest = (index: number, direction: -1 | 1) => {
    for (let i = index + direction; i >= 0 && i < crmStages.length; i += direction) {
      const found = inProcessAt(i);
      if (found) return found;
    }
    return undefined;
  };
  const issues: Issue[] = [];
  let stages = [...config.stages];
  let renumbered = false;
  crmStages.forEach((stage, index) => {
    if (byId.has(stage.id)) return;
    const status = recognizeStatus(stage);
    let entry = joinTerminal(newEntry(stage, config.funnel.extId, status, null), stages, issues);
    const placed =
      status === 'in_process' ? placeInProcess(stages, entry, nearest(index, -1), nearest(index, 1)) : null;
    if (placed) {
      stages = placed.stages;
      entry = placed.entry;
      renumbered ||= placed.renumbered;
      for (const moved of stages) if (moved.crmStageId !== null) byId.set(moved.crmStageId, moved);
    } else {
      // An in-process stage with no room even after renumbering keeps no order: checkConfig says so.
      stages.push(entry);
    }
    byId.set(stage.id, entry);
    issues.push(
      issue('warning', 'stage_added', `stages.${stage.id}`, {
        en: `New CRM stage "${entry.name}" was added to the mapping; check it in Options → Mapping and create it in CoMagic.`,
        ru: `Новый этап CRM «${entry.name}» добавлен в сопоставление; проверьте его в Настройках → Сопоставление и создайте в CoMagic.`,
      }),
    );
  });
  if (renumbered) {
    issues.push(
      issue('warning', 'stages_renumbered', 'stages', {
        en: `There was no free order number for a new stage of pipeline "${config.pipelineName}", so its stages were renumbered (your own orders kept where possible). Check the order in Options → Mapping.`,
        ru: `Для нового этапа воронки «${config.pipelineName}» не нашлось свободного порядкового номера, поэтому этапы перенумерованы (ваши номера сохранены, где это возможно). Проверьте порядок в Настройках → Сопоставление.`,
      }),
    );
  }
  return withProblems(reconcileTerminals({ ...config, stages }), issues);
}

/** One entry per CoMagic stage: entries sharing an ext_id are one stage. */
function distinctInProcess(stages: StageMapping[]): StageMapping[] {
  const byExtId = new Map<string, StageMapping>();
  for (const stage of stages)
    if (stage.status === 'in_process' && !byExtId.has(stage.extId)) byExtId.set(stage.extId, stage);
  return [...byExtId.values()];
}

/**
 * CoMagic refuses (`invalid_parameter_value` on `order`) an in-process stage without a whole order
 * from 1 to MAX_ORDER, and one that another stage of the funnel already has.
 */
function orderIssues(inProcess: StageMapping[]): Issue[] {
  const issues: Issue[] = [];
  const byOrder = new Map<number, StageMapping>();
  for (const stage of inProcess) {
    if (!validOrder(stage.order)) {
      issues.push(
        issue('error', 'stage_order_invalid', `stages.${stage.extId}.order`, {
          en: `Stage "${stage.name}" needs an order number from 1 to ${MAX_ORDER}. Renumber the funnel's stages in Options → Mapping.`,
          ru: `Этапу «${stage.name}» нужен порядковый номер от 1 до ${MAX_ORDER}. Перенумеруйте этапы воронки в Настройках → Сопоставление.`,
        }),
      );
      continue;
    }
    const first = byOrder.get(stage.order);
    if (!first) {
      byOrder.set(stage.order, stage);
      continue;
    }
    issues.push(
      issue('error', 'stage_order_duplicate', `stages.${stage.extId}.order`, {
        en: `Stages "${first.name}" and "${stage.name}" both have order ${stage.order}; CoMagic needs a different order for each stage. Change one in Options → Mapping.`,
        ru: `У этапов «${first.name}» и «${stage.name}» одинаковый порядковый номер ${stage.order}, а CoMagic нужен свой номер для каждого этапа. Измените один из них в Настройках → Сопоставление.`,
      }),
    );
  }
  return issues;
}

/** What keeps the config from describing a funnel CoMagic accepts. */
export function checkConfig(config: MappingConfig): Issue[] {
  const issues: Issue[] = [];
  const pipeline = config.pipelineName;
  for (const status of ['success', 'failed'] as const) {
    const outcome =
      status === 'success' ? { en: 'won', ru: 'успешного' } : { en: 'lost', ru: 'проигранного' };
    const extIds = new Set(
      config.stages.filter((stage) => stage.status === status).map((stage) => stage.extId),
    );
    if (extIds.size === 0) {
      issues.push(
        issue('error', `no_${status}_stage`, 'stages', {
          en: `Pipeline "${pipeline}" has no ${outcome.en} stage; CoMagic needs exactly one. Mark one in Options → Mapping.`,
          ru: `В воронке «${pipeline}» нет ${outcome.ru} этапа, а CoMagic нужен ровно один. Отметьте его в Настройках → Сопоставление.`,
        }),
      );
    } else if (extIds.size > 1) {
      issues.push(
        issue('error', `several_${status}_stages`, 'stages', {
          en: `Pipeline "${pipeline}" maps to ${extIds.size} different ${outcome.en} stages; CoMagic allows one. Give them the same CoMagic stage in Options → Mapping.`,
          ru: `Воронка «${pipeline}» сопоставлена с ${extIds.size} разными этапами ${outcome.ru} типа, а CoMagic допускает один. Назначьте им один этап CoMagic в Настройках → Сопоставление.`,
        }),
      );
    }
    const proposed = config.stages.find((stage) => stage.status === status && isProposed(config, stage));
    if (proposed) {
      issues.push(
        issue('warning', 'terminal_stage_proposed', `stages.${proposed.extId}`, {
          en: `The CRM does not say which stage of pipeline "${pipeline}" is ${outcome.en}, so deals are sent with CoMagic's ${outcome.en} stage "${proposed.name}". Change it in Options → Mapping if that is wrong.`,
          ru: `CRM не показывает ${outcome.ru} этапа воронки «${pipeline}», поэтому сделки передаются с этапом CoMagic «${proposed.name}». Измените его в Настройках → Сопоставление, если это неверно.`,
        }),
      );
    }
  }
  const inProcess = distinctInProcess(config.stages);
  if (inProcess.length === 0) {
    issues.push(
      issue('error', 'no_in_process_stage', 'stages', {
        en: `Pipeline "${pipeline}" has no in-process stage; CoMagic needs at least one. Map one in Options → Mapping.`,
        ru: `В воронке «${pipeline}» нет ни одного промежуточного этапа, а CoMagic нужен хотя бы один. Сопоставьте его в Настройках → Сопоставление.`,
      }),
    );
  }
  if (inProcess.length > MAX_IN_PROCESS_STAGES) {
    issues.push(
      issue('error', 'too_many_stages', 'stages', {
        en: `Pipeline "${pipeline}" has ${inProcess.length} in-process stages; CoMagic takes at most ${MAX_IN_PROCESS_STAGES}. Map several CRM stages to one CoMagic stage in Options → Mapping.`,
        ru: `В воронке «${pipeline}» ${inProcess.length} промежуточных этапов, а CoMagic принимает не больше ${MAX_IN_PROCESS_STAGES}. Объедините несколько этапов CRM в один этап CoMagic в Настройках → Сопоставление.`,
      }),
    );
  }
  issues.push(...orderIssues(inProcess));
  const firstByExtId = new Map<string, StageMapping>();
  for (const stage of config.stages) {
    if (stage.extId === '' || stage.name === '') {
      issues.push(
        issue('error', 'stage_name_empty', `stages.${stage.crmStageId ?? stage.status}`, {
          en: `A stage of pipeline "${pipeline}" has an empty CoMagic name or ext_id. Fill it in Options → Mapping.`,
          ru: `У этапа воронки «${pipeline}» пустое название или ext_id в CoMagic. Заполните его в Настройках → Сопоставление.`,
        }),
      );
    }
    const first = firstByExtId.get(stage.extId);
    if (!first) firstByExtId.set(stage.extId, stage);
    else if (first.status !== stage.status || first.name !== stage.name || first.order !== stage.order) {
      issues.push(
        issue('error', 'stage_ext_id_conflict', `stages.${stage.extId}`, {
          en: `CRM stages "${first.crmStageName}" and "${stage.crmStageName}" share the CoMagic stage ${stage.extId} but differ in name, outcome or order. Make them agree in Options → Mapping.`,
          ru: `Этапы CRM «${first.crmStageName}» и «${stage.crmStageName}» сопоставлены с одним этапом CoMagic ${stage.extId}, но отличаются названием, типом или порядком. Согласуйте их в Настройках → Сопоставление.`,
        }),
      );
    }
  }
  return issues;
}

/** `create.sales_funnel` params (without access_token), or `null` with the problems that stop it. */
export function funnelCreatePayload(config: MappingConfig): {
  params: SalesFunnelCreate | null;
  problems: MappingProblem[];
} {
  const problems = forDeal(checkConfig(config), null, null);
  const success = terminalOf(config.stages, 'success');
  const failed = terminalOf(config.stages, 'failed');
  if (hasError(problems) || !success || !failed) return { params: null, problems };
  const parsed = SalesFunnelCreate.safeParse({
    ext_id: config.funnel.extId,
    name: config.funnel.name,
    stages: {
      success: { ext_id: success.extId, name: success.name },
      failed: { ext_id: failed.extId, name: failed.name },
      in_process: distinctInProcess(config.stages)
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
        .map((stage) => ({ ext_id: stage.extId, name: stage.name, order: stage.order ?? 0 })),
    },
  });
  if (parsed.success) return { params: parsed.data, problems };
  const invalid = parsed.error.issues.map((found) =>
    issue('error', 'funnel_invalid', found.path.join('.'), {
      en: `The funnel for pipeline "${config.pipelineName}" is not valid for CoMagic (${found.message}). Check it in Options → Mapping.`,
      ru: `Воронка для «${config.pipelineName}» не подходит CoMagic (${found.message}). Проверьте её в Настройках → Сопоставление.`,
    }),
  );
  return { params: null, problems: [...problems, ...forDeal(invalid, null, null)] };
}
