/**
 * How one CRM pipeline maps to one CoMagic sales funnel.
 *
 * Every CRM stage has an entry. Several entries may share an ext_id: they are then one CoMagic
 * stage (Bitrix24's two lost columns, a stage the user folds into another). CoMagic needs exactly
 * one won (`success`) and one lost (`failed`) stage, but EspoCRM's board hides "Closed Lost" and
 * Odoo has no lost column at all. For that case the config holds a *synthetic* stage: an entry
 * with `crmStageId: null`, proposed with `userEdited: false` and reported as an error until the user
 * confirms it. A CRM column of that outcome seen later (a lost deal's page) takes the synthetic
 * stage's ext_id and name over, so a funnel already created in CoMagic stays valid.
 */
import { z } from 'zod';
import { SalesFunnelCreate } from '../comagic/schemas';
import type { CrmId, CrmPipeline, CrmStage } from '../crm/model';
import { compileExtIds, type ExtIdSettings, normalizeName, stageExtId } from './ext-ids';
import { cleanName } from './names';
import { forDeal, hasError, type Issue, issue, type MappingProblem } from './problems';

export const STAGE_STATUSES = ['in_process', 'success', 'failed'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
export type TerminalStatus = Exclude<StageStatus, 'in_process'>;

/** CoMagic allows 100 stages; whether won and lost count is undocumented, so stay below (doc §11). */
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

function syntheticStage(config: MappingConfig, status: TerminalStatus): StageMapping {
  const russian = config.stages.some((stage) => /[а-яё]/i.test(stage.name));
  const names = SYNTHETIC_NAMES[status];
  return {
    crmStageId: null,
    crmStageName: '',
    extId: stageExtId(config.funnel.extId, status === 'success' ? 'won' : 'lost'),
    name: russian ? names.ru : names.en,
    status,
    order: null,
    userEdited: false,
  };
}

/** Exactly one synthetic stage per outcome no CRM column has; none where a column has it. */
function reconcileTerminals(config: MappingConfig): MappingConfig {
  let stages = config.stages;
  for (const status of ['success', 'failed'] as const) {
    const backed = stages.some((stage) => stage.status === status && stage.crmStageId !== null);
    const synthetic = stages.some((stage) => stage.status === status && stage.crmStageId === null);
    if (backed && synthetic) {
      stages = stages.filter((stage) => stage.status !== status || stage.crmStageId !== null);
    } else if (!backed && !synthetic) {
      stages = [...stages, syntheticStage({ ...config, stages }, status)];
    }
  }
  return stages === config.stages ? config : { ...config, stages };
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
  for (const stage of source.stages) {
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

function orderBetween(lower: number, upper: number | null): number | null {
  if (upper === null) return lower + ORDER_STEP <= MAX_ORDER ? lower + ORDER_STEP : null;
  return upper - lower >= 2 ? Math.floor((lower + upper) / 2) : null;
}

/**
 * Adds stages the CRM gained since the mapping was made. A new in-process stage gets an order
 * between its neighbours' (25 between 20 and 30); existing entries, the user's edits included,
 * are left as they are.
 */
export function mergeNewStages(config: MappingConfig, crmStages: CrmStage[]): ConfigResult {
  const byId = new Map<string, StageMapping>();
  for (const stage of config.stages) if (stage.crmStageId !== null) byId.set(stage.crmStageId, stage);
  const orderAt = (index: number) => {
    const entry = byId.get(crmStages[index]?.id ?? '');
    return entry?.status === 'in_process' ? entry.order : null;
  };
  const issues: Issue[] = [];
  const stages = [...config.stages];
  crmStages.forEach((stage, index) => {
    if (byId.has(stage.id)) return;
    const status = recognizeStatus(stage);
    let order: number | null = null;
    if (status === 'in_process') {
      let lower = 0;
      for (let i = index - 1; i >= 0; i--) {
        const found = orderAt(i);
        if (found !== null) {
          lower = found;
          break;
        }
      }
      let upper: number | null = null;
      for (let i = index + 1; i < crmStages.length && upper === null; i++) upper = orderAt(i);
      order = orderBetween(lower, upper);
      if (order === null) issues.push(noRoomIssue(stage));
    }
    const entry = joinTerminal(newEntry(stage, config.funnel.extId, status, order), stages, issues);
    stages.push(entry);
    byId.set(stage.id, entry);
    issues.push(
      issue('warning', 'stage_added', `stages.${stage.id}`, {
        en: `New CRM stage "${entry.name}" was added to the mapping; check it in Options → Mapping and create it in CoMagic.`,
        ru: `Новый этап CRM «${entry.name}» добавлен в сопоставление; проверьте его в Настройках → Сопоставление и создайте в CoMagic.`,
      }),
    );
  });
  return withProblems(reconcileTerminals({ ...config, stages }), issues);
}

function noRoomIssue(stage: CrmStage): Issue {
  return issue('error', 'funnel_needs_reordering', `stages.${stage.id}`, {
    en: `There is no free order number for new stage "${stage.name}" between its neighbours. Renumber the funnel's stages in Options → Mapping.`,
    ru: `Для нового этапа «${stage.name}» нет свободного порядкового номера между соседними этапами. Перенумеруйте этапы воронки в Настройках → Сопоставление.`,
  });
}

/** In-process stages renumbered 10, 20, 30… in their current order, leaving room again. */
export function renumberStages(config: MappingConfig): MappingConfig {
  const ordered = distinctInProcess(config.stages).sort(
    (a, b) => (a.order ?? MAX_ORDER + 1) - (b.order ?? MAX_ORDER + 1),
  );
  const orders = new Map(ordered.map((stage, index) => [stage.extId, (index + 1) * ORDER_STEP]));
  const stages = config.stages.map((stage) =>
    stage.status === 'in_process' ? { ...stage, order: orders.get(stage.extId) ?? null } : stage,
  );
  return { ...config, stages };
}

/** One entry per CoMagic stage: entries sharing an ext_id are one stage. */
function distinctInProcess(stages: StageMapping[]): StageMapping[] {
  const byExtId = new Map<string, StageMapping>();
  for (const stage of stages)
    if (stage.status === 'in_process' && !byExtId.has(stage.extId)) byExtId.set(stage.extId, stage);
  return [...byExtId.values()];
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
    const synthetic = config.stages.find((stage) => stage.status === status && stage.crmStageId === null);
    if (synthetic && !synthetic.userEdited) {
      issues.push(
        issue('error', 'terminal_stage_unconfirmed', `stages.${synthetic.extId}`, {
          en: `The extension has not seen a ${outcome.en} stage of pipeline "${pipeline}" (a deal page shows only the stages that deal passed; Odoo has no lost column). Open the pipeline's board once so its columns are read, or confirm the CoMagic stage "${synthetic.name}" or mark a CRM stage as ${outcome.en} in Options → Mapping.`,
          ru: `Расширение ещё не видело ${outcome.ru} этапа воронки «${pipeline}» (страница сделки показывает только пройденные ею этапы; в Odoo нет колонки проигрыша). Откройте доску этой воронки, чтобы расширение прочитало её колонки, или подтвердите этап CoMagic «${synthetic.name}» либо отметьте этап CRM в Настройках → Сопоставление.`,
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
  for (const stage of inProcess) {
    if (stage.order === null || stage.order < 0 || stage.order > MAX_ORDER) {
      issues.push(
        issue('error', 'stage_order_invalid', `stages.${stage.extId}.order`, {
          en: `Stage "${stage.name}" needs an order number from 0 to ${MAX_ORDER}. Renumber the funnel's stages in Options → Mapping.`,
          ru: `Этапу «${stage.name}» нужен порядковый номер от 0 до ${MAX_ORDER}. Перенумеруйте этапы воронки в Настройках → Сопоставление.`,
        }),
      );
    }
  }
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
