import { attrOf, firstOfEach, Problems, textOf } from '../../dom';
import type { CrmBoard, CrmDeal, CrmStage, ScrapeContext, ScrapeResult } from '../../model';
import type { DateContext } from '../../parse/dates';
import { dateContext, pageLocale, readDate, readMoney, unreadDeal } from '../../read';
import { dateText, dealUrl, espoPipeline } from './common';
import { espoSelectors as s } from './selectors';
import { espoStage, hiddenLostStage, stageFromValue } from './stages';

const cardFields = firstOfEach({ name: s.cardName, amount: s.cardAmount, closeDate: s.cardCloseDate });

export function scrapeEspoBoard(document: Document, context: ScrapeContext): ScrapeResult<CrmBoard> {
  const problems = new Problems();
  const root = document.querySelector(s.boardRoot);
  if (!root) {
    problems.add({ code: 'not_a_board', field: 'board', detail: s.boardRoot, severity: 'error' });
    return { data: null, problems: problems.list };
  }
  const stages = readStages(root, problems);
  const bodies = new Map<string, Element>();
  for (const body of root.querySelectorAll(s.columnBody))
    bodies.set(body.getAttribute('data-name') ?? '', body);

  const dates = dateContext(document, context);
  const deals: CrmDeal[] = [];
  const incompleteStages: string[] = [];
  for (const stage of stages) {
    const body = bodies.get(stage.id);
    if (!body) {
      problems.missed(`board.column[${stage.id}]`, s.columnBody, 'error');
      continue;
    }
    if (body.querySelector(s.columnShowMore)) incompleteStages.push(stage.id);
    for (const card of body.querySelectorAll(s.card)) {
      deals.push(readCard(card, deals.length, stage, context.url, dates, problems));
    }
  }
  if (!stages.some((stage) => stage.id === hiddenLostStage)) {
    // EspoCRM hides its lost stage from the kanban (`kanbanStatusIgnoreList`), but the stage exists:
    // listing it lets the funnel have its lost stage without the user inventing one.
    stages.push(stageFromValue(hiddenLostStage, pageLocale(document, context)));
    incompleteStages.push(hiddenLostStage);
    problems.add({
      code: 'stage_hidden',
      field: 'board.stages',
      detail: hiddenLostStage,
      severity: 'warning',
    });
  }
  return {
    data: {
      crm: 'espocrm',
      url: context.url,
      pipeline: espoPipeline,
      stages,
      deals,
      incompleteStages,
    },
    problems: problems.list,
  };
}

function readStages(root: Element, problems: Problems): CrmStage[] {
  const headers = [...root.querySelectorAll(s.columnHeader)];
  if (headers.length === 0) problems.missed('board.stages', s.columnHeader, 'error');
  return headers.map((header) => {
    const id = header.getAttribute('data-name') ?? '';
    const label = textOf(header.querySelector(s.columnLabel));
    if (label === null) problems.missed(`board.stages[${id}].name`, s.columnLabel);
    return espoStage(id, label ?? id);
  });
}

function readCard(
  card: Element,
  index: number,
  stage: CrmStage,
  url: string,
  dates: DateContext,
  problems: Problems,
): CrmDeal {
  const field = `card[${index}]`;
  const id = attrOf(card, 'data-id');
  if (id === null) problems.add({ code: 'no_id', field: `${field}.id`, detail: s.card, severity: 'error' });
  const fields = cardFields(card);
  const name = textOf(fields.name);
  if (name === null) problems.missed(`${field}.name`, s.cardName, 'error', id);
  const amountText = textOf(fields.amount);
  if (amountText === null) problems.missed(`${field}.amount`, s.cardAmount, 'warning', id);
  const closed = stage.outcome === 'won' || stage.outcome === 'lost';
  const closeDate = closed ? dateText(fields.closeDate) : null;
  return {
    ...unreadDeal('espocrm', id === null ? url : dealUrl(url, id)),
    id,
    name: name ?? '',
    pipeline: espoPipeline,
    stage,
    amount: readMoney(amountText, `${field}.amount`, problems, id),
    closedAt: readDate(closeDate, dates, `${field}.closedAt`, problems, id)?.instant ?? null,
  };
}
