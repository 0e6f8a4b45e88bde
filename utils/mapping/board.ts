import type { CrmBoard } from '../crm/model';
import type { MappingConfig } from './funnel';
import { forDeal, type Issue, issue, type MappingProblem } from './problems';
import { compileMapping, type DealMapping, type MappingSettings, mapCompiled } from './records';

export interface BoardContext {
  /** The reference "now" (ISO instant). */
  now: string;
  /** When the extension first saw each deal, by CRM deal id; a deal not in it is first seen now. */
  firstSeenAt?: ReadonlyMap<string, string>;
}

export interface BoardMapping {
  /** One per card, in the board's order. */
  deals: DealMapping[];
  /** About the board as a whole: its pipeline, its columns. */
  problems: MappingProblem[];
}

function boardIssues(board: CrmBoard, config: MappingConfig): Issue[] {
  const issues: Issue[] = [];
  if (board.pipeline.id !== config.pipelineId) {
    issues.push(
      issue('error', 'pipeline_mismatch', 'board.pipeline', {
        en: `The board shows pipeline "${board.pipeline.name}", but the mapping is for "${config.pipelineName}". Map that pipeline in Options → Mapping.`,
        ru: `На доске воронка «${board.pipeline.name}», а сопоставление — для «${config.pipelineName}». Сопоставьте эту воронку в Настройках → Сопоставление.`,
      }),
    );
    return issues;
  }
  const mapped = new Set(config.stages.map((stage) => stage.crmStageId));
  board.stages.forEach((stage, index) => {
    if (mapped.has(stage.id)) return;
    issues.push(
      issue('error', 'stage_unmapped', `board.stages[${index}]`, {
        en: `Column "${stage.name}" is not in the mapping, so its cards cannot be sent. Add it in Options → Mapping.`,
        ru: `Колонки «${stage.name}» нет в сопоставлении, поэтому её карточки не отправить. Добавьте её в Настройках → Сопоставление.`,
      }),
    );
  });
  for (const stageId of board.incompleteStages) {
    const name = board.stages.find((stage) => stage.id === stageId)?.name ?? stageId;
    issues.push(
      issue('warning', 'stage_incomplete', `board.stages.${stageId}`, {
        en: `The board shows only part of "${name}" (more cards, or a hidden column): only the visible cards are exported. Open the deals from the CRM's list to send the rest.`,
        ru: `Доска показывает не все карточки этапа «${name}» (есть ещё или колонка скрыта): выгружаются только видимые. Остальные сделки отправьте из списка CRM.`,
      }),
    );
  }
  return issues;
}

/** Every card of a board → its payloads; the mapping is compiled once, so the work is linear in cards. */
export function mapBoard(
  board: CrmBoard,
  config: MappingConfig,
  settings: MappingSettings,
  context: BoardContext,
): BoardMapping {
  const compiled = compileMapping(config, settings, context.now);
  const firstSeen = context.firstSeenAt ?? new Map<string, string>();
  const deals = board.deals.map((deal) =>
    mapCompiled(deal, compiled, (deal.id && firstSeen.get(deal.id)) || null, true),
  );
  return { deals, problems: forDeal(boardIssues(board, config), null, null) };
}
