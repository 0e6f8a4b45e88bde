import { attrOf, cleanText, firstOfEach, Problems, shownText, textOf } from '../../dom';
import type { CrmBoard, CrmContact, CrmDeal, CrmStage, ScrapeContext, ScrapeResult } from '../../model';
import { parseMoney } from '../../parse/money';
import { unreadDeal, urlResolver } from '../../read';
import { odooSelectors as S } from './selectors';
import { ODOO_PIPELINE, odooStage } from './stages';

/** A column title's text without the card count a folded column shows inside it. */
function columnTitle(title: Element | null): string | null {
  if (!title) return null;
  const parts: string[] = [];
  for (let child = title.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) parts.push(child.textContent ?? '');
    else if (child.nodeType === 1 && !(child as Element).matches(S.columnCount)) {
      // 18+ writes the count of a folded column as a bare "(3)".
      const text = cleanText(child.textContent);
      if (!/^\(\d+\)$/.test(text)) parts.push(` ${text} `);
    }
  }
  return cleanText(parts.join('')) || null;
}

const ID_IN_HREF = /\/odoo\/crm\/(\d+)|[#?&]id=(\d+)/;

const cardFields = firstOfEach({ name: S.cardName, revenue: S.cardRevenue, partner: S.cardPartner });

interface CardRecord {
  id: string | null;
  /** The card's own link to the lead, when it has one. */
  href: string | null;
}

function leadLink(href: string): RegExpExecArray | null {
  const otherModel = href.includes('model=') && !href.includes('model=crm.lead');
  return otherModel ? null : ID_IN_HREF.exec(href);
}

/** A database id from a customised card's link to the lead; never the client datapoint `data-id`. */
function cardRecord(card: Element): CardRecord {
  for (const link of card.querySelectorAll(S.cardIdLink)) {
    const href = attrOf(link, 'href');
    const match = href ? leadLink(href) : null;
    if (match) return { id: match[1] ?? match[2] ?? null, href };
  }
  return { id: null, href: null };
}

/** The lead id a board card shows, as the board reading takes it; `null` when it shows none. */
export function odooCardId(card: Element): string | null {
  return cardRecord(card).id;
}

function cardUrl(
  { id, href }: CardRecord,
  boardUrl: string,
  resolve: (href: string) => string | null,
): string {
  if (!id) return boardUrl;
  const own = boardUrl.includes('/odoo/') ? `/odoo/crm/${id}` : `/web#id=${id}&model=crm.lead&view_type=form`;
  return resolve(href ?? own) ?? boardUrl;
}

function readContacts(partner: Element | null): CrmContact[] {
  const name = shownText(partner);
  return name ? [{ id: null, name, phones: [], emails: [], createdAt: null }] : [];
}

function readCard(
  card: Element,
  index: number,
  stage: CrmStage | null,
  context: ScrapeContext,
  resolve: (href: string) => string | null,
  problems: Problems,
): CrmDeal {
  const record = cardRecord(card);
  const id = record.id;
  if (!id) {
    const detail = S.cardIdLink;
    problems.add({ code: 'no_id', field: `card[${index}].id`, detail, dealId: null, severity: 'warning' });
  }
  const fields = cardFields(card);
  const name = textOf(fields.name);
  if (!name) problems.missed(`card[${index}].name`, S.cardName, 'warning', id);
  const revenue = shownText(fields.revenue);
  const amount = parseMoney(revenue ?? '');
  if (!revenue) problems.missed(`card[${index}].amount`, S.cardRevenue, 'warning', id);
  else if (!amount) problems.unparsed(`card[${index}].amount`, revenue, 'amount_unparsed', id);
  return {
    ...unreadDeal('odoo', cardUrl(record, context.url, resolve)),
    id,
    name: name ?? '',
    pipeline: ODOO_PIPELINE,
    stage,
    amount,
    contacts: readContacts(fields.partner),
  };
}

export function scrapeOdooBoard(document: Document, context: ScrapeContext): ScrapeResult<CrmBoard> {
  const problems = new Problems();
  const board = document.querySelector(S.board);
  if (!board) {
    problems.missed('board.stages', S.board, 'error');
    return { data: null, problems: problems.list };
  }
  const stages: CrmStage[] = [];
  const deals: CrmDeal[] = [];
  const incompleteStages: string[] = [];
  const resolve = urlResolver(context.url);
  board.querySelectorAll(S.column).forEach((column, index) => {
    const name = columnTitle(column.querySelector(S.columnTitle));
    if (!name) problems.missed(`stages[${index}].name`, S.columnTitle);
    // Odoo exposes no stage id on the board: the column title is the stage's identity (stages.ts).
    const stage = name ? odooStage(name) : null;
    for (const card of column.querySelectorAll(S.card))
      deals.push(readCard(card, deals.length, stage, context, resolve, problems));
    if (!stage) return;
    stages.push(stage);
    if (column.matches(S.foldedColumn) || column.querySelector(S.loadMore)) incompleteStages.push(stage.id);
  });
  return {
    data: { crm: 'odoo', url: context.url, pipeline: ODOO_PIPELINE, stages, deals, incompleteStages },
    problems: problems.list,
  };
}
