import { attrOf, cleanText, firstOfEach, Problems, textOf } from '../../dom';
import type {
  CrmBoard,
  CrmContact,
  CrmDeal,
  CrmPipeline,
  CrmStage,
  Money,
  ScrapeContext,
  ScrapeResult,
} from '../../model';
import { parseMoney } from '../../parse/money';
import { unreadDeal, urlResolver } from '../../read';
import { amocrmSelectors as S } from './selectors';
import { amocrmStage, amocrmStageNamed } from './stages';

const PIPELINE_ID_IN_URL = /\/leads\/pipeline\/(\d+)/;
const STATUS_ID_IN_CLASS = /(?:^|\s)pipeline_cell-(\d+)(?:\s|$)/;
const CONTACT_ID_IN_URL = /\/contacts\/detail\/(\d+)/;

const STATUS_ID_IN_HEADER = /^status_id_(\d+)$/;

const cardFields = firstOfEach({
  title: S.cardTitle,
  titleCss: S.cardTitleCss,
  price: S.cardPrice,
  contact: S.cardContact,
});

function readPipeline(document: Document, url: string, problems: Problems): CrmPipeline {
  const id = PIPELINE_ID_IN_URL.exec(url)?.[1] ?? null;
  if (!id)
    problems.add({ code: 'field_missing', field: 'board.pipeline.id', detail: url, severity: 'warning' });
  const name = textOf(document.querySelector(S.boardPipelineName));
  if (!name) problems.missed('board.pipeline.name', S.boardPipelineName);
  const pipelineId = id ?? 'default';
  return { id: pipelineId, name: name ?? pipelineId };
}

/** The column's status id: its class, else its header's id, its card list's or its header's `data-id`. */
function readStatusId(column: Element, index: number, problems: Problems): string | null {
  const fromClass = STATUS_ID_IN_CLASS.exec(column.className)?.[1];
  if (fromClass) return fromClass;
  const links: [string, (element: Element) => string | null][] = [
    [S.columnHeaderById, (header) => STATUS_ID_IN_HEADER.exec(header.id)?.[1] ?? null],
    [S.columnList, (list) => attrOf(list, 'data-id')],
    [S.columnHeader, (header) => attrOf(header, 'data-id')],
  ];
  for (const [selector, read] of links) {
    const element = column.querySelector(selector);
    const id = element && read(element);
    if (!id) continue;
    problems.add({
      code: 'fallback_used',
      field: `stages[${index}].id`,
      detail: selector,
      severity: 'warning',
    });
    return id;
  }
  problems.missed(`stages[${index}].id`, `${S.boardColumn}[class*="pipeline_cell-"]`);
  return null;
}

function readStage(column: Element, index: number, problems: Problems): CrmStage | null {
  const id = readStatusId(column, index, problems);
  const name = attrOf(column.querySelector(S.columnTitle), 'title');
  if (!name) problems.missed(`stages[${index}].name`, S.columnTitle);
  if (id) return amocrmStage(id, name ?? id);
  return name ? amocrmStageNamed(name) : null;
}

/** The column's own count ("12 сделок") exceeds the cards rendered: the board loads the rest on scroll. */
function isTruncated(column: Element, shown: number): boolean {
  const digits = textOf(column.querySelector(S.columnCount))?.match(/\d[\d\s]*/)?.[0];
  return digits !== undefined && Number(digits.replace(/\s/g, '')) > shown;
}

/** `data-price` holds the exact budget; the text gives the currency. */
function readPrice(element: Element | null): Money | null {
  if (!element) return null;
  const shown = parseMoney(cleanText(element.textContent));
  const exact = Number(attrOf(element, 'data-price') ?? Number.NaN);
  if (Number.isFinite(exact)) return { amount: exact, currency: shown?.currency ?? null, rounded: false };
  return shown;
}

function readContact(link: Element | null): CrmContact[] {
  const name = textOf(link);
  if (!name) return [];
  const id = CONTACT_ID_IN_URL.exec(attrOf(link, 'href') ?? '')?.[1] ?? null;
  return [{ id, name, phones: [], emails: [], createdAt: null }];
}

function readCard(
  card: Element,
  stage: CrmStage | null,
  pipeline: CrmPipeline,
  context: ScrapeContext,
  resolve: (href: string) => string | null,
  problems: Problems,
): CrmDeal {
  const id = attrOf(card, 'data-id');
  const { title: vendorTitle, titleCss, price, contact } = cardFields(card);
  const title = vendorTitle ?? titleCss;
  const name = textOf(title);
  if (!name) problems.missed('deal.name', S.cardTitle, 'warning', id);
  else if (!vendorTitle)
    problems.add({
      code: 'fallback_used',
      field: 'deal.name',
      detail: S.cardTitleCss,
      dealId: id,
      severity: 'warning',
    });
  const amount = readPrice(price);
  if (!amount) problems.missed('deal.amount', S.cardPrice, 'warning', id);
  const href = attrOf(title, 'href') ?? `/leads/detail/${id}`;
  return {
    ...unreadDeal('amocrm', resolve(href) ?? context.url),
    id,
    name: name ?? '',
    pipeline,
    stage,
    amount,
    contacts: readContact(contact),
  };
}

export function scrapeAmocrmBoard(document: Document, context: ScrapeContext): ScrapeResult<CrmBoard> {
  const problems = new Problems();
  const columns = document.querySelectorAll(S.boardColumn);
  if (columns.length === 0) {
    problems.missed('board.stages', S.boardColumn, 'error');
    return { data: null, problems: problems.list };
  }
  const pipeline = readPipeline(document, context.url, problems);
  const stages: CrmStage[] = [];
  const deals: CrmDeal[] = [];
  const incompleteStages: string[] = [];
  const resolve = urlResolver(context.url);
  columns.forEach((column, index) => {
    const stage = readStage(column, index, problems);
    const cards = column.querySelectorAll(S.card);
    for (const card of cards) deals.push(readCard(card, stage, pipeline, context, resolve, problems));
    if (!stage) return;
    stages.push(stage);
    if (isTruncated(column, cards.length)) incompleteStages.push(stage.id);
  });
  return {
    data: { crm: 'amocrm', url: context.url, pipeline, stages, deals, incompleteStages },
    problems: problems.list,
  };
}
