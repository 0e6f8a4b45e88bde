/**
 * "Export visible pipeline" as a whole-deal export: each card of the board becomes a deal the job
 * reads whole from the CRM before it sends it, except cards unchanged since their deal was last read
 * whole and taken by CoMagic (they are neither read nor sent again).
 */
import { CRMS_READ_BY_API } from '../crm/api-read';
import type { CrmBoard, CrmDeal } from '../crm/model';
import { fill, type Localized } from '../i18n';
import { compileExtIds, fnv1a64 } from '../mapping/ext-ids';
import type { EnqueueInput, ReadCard, ReadVia } from '../sync/job';
import { unchangedSinceRead } from '../sync/reading';
import { boardCardIds, crmLabel, SEND_FROM_PAGE } from './deal-reader';
import { mappingSettingsFor, type Prepared, rowKey } from './deals';

const text = {
  unidentified: {
    en: '{crm} did not tell which deal the card "{name}" is (two cards alike, or the card is not in the CRM any more).',
    ru: '{crm} не сообщила, какой сделке соответствует карточка «{name}» (две одинаковые карточки или сделки уже нет в CRM).',
  },
} satisfies Record<string, Localized>;

/**
 * What a card shows that changes when its deal changes in a way a person sees on the board: a card
 * that still shows the same after an export had its deal read whole is not read again.
 */
export function cardKey(deal: CrmDeal): string {
  return fnv1a64(
    JSON.stringify([
      deal.stage?.id ?? null,
      deal.amount?.amount ?? null,
      deal.amount?.currency ?? null,
      deal.name,
    ]),
  );
}

/** The deal's page on the same site, for a CRM read by rendering it (or when its endpoints refuse). */
function pageUrl(site: string, deal: CrmDeal, id: string): string {
  if (URL.canParse(deal.url) && new URL(deal.url).origin === site) return deal.url;
  if (deal.crm === 'odoo') return `${site}/web#id=${encodeURIComponent(id)}&model=crm.lead&view_type=form`;
  if (deal.crm === 'amocrm') return `${site}/leads/detail/${encodeURIComponent(id)}`;
  return deal.url;
}

export async function wholeExportReading(
  board: CrmBoard,
  prepared: Prepared,
  site: string,
  tabId: number,
  keys?: string[],
): Promise<NonNullable<EnqueueInput['reading']>> {
  const wanted = keys ? new Set(keys) : null;
  const chosen = prepared.deals.filter(({ deal }, index) => !wanted || wanted.has(rowKey(deal, index)));
  let ids = chosen.map(({ deal }) => deal.id);
  // Odoo's cards carry no record id: the CRM is asked which record each card is.
  const byApi = CRMS_READ_BY_API.includes(board.crm);
  if (ids.some((id) => id === null) && byApi) {
    const found = await boardCardIds(tabId, { ...board, deals: chosen.map(({ deal }) => deal) });
    if (found) ids = ids.map((id, index) => id ?? found[index] ?? null);
  }
  const extIds = compileExtIds(await mappingSettingsFor(site));
  const cards: ReadCard[] = [];
  const known = new Set<string>();
  const unidentified: NonNullable<EnqueueInput['reading']>['unidentified'] = [];
  const crm = crmLabel(board.crm, site);
  chosen.forEach(({ deal, entry }, index) => {
    const id = ids[index];
    if (!id) {
      unidentified.push({
        key: `#${index + 1}`,
        reason: {
          code: 'no_id',
          field: null,
          message: fill(text.unidentified, { crm, name: deal.name }),
          action: fill(SEND_FROM_PAGE, { crm }),
        },
      });
      return;
    }
    const dealExtId = extIds.fromCrmId(id);
    if (entry) known.add(dealExtId);
    cards.push({
      dealExtId,
      crmDealId: id,
      name: deal.name,
      url: pageUrl(site, deal, id),
      key: cardKey(deal),
    });
  });
  const unchanged = await unchangedSinceRead(site, cards);
  // Only a deal CoMagic holds (the ledger knows it) can be left out as unchanged.
  const skip = (card: ReadCard) => unchanged.has(card.dealExtId) && known.has(card.dealExtId);
  const via: ReadVia = byApi ? 'api' : 'page';
  return {
    crm: board.crm,
    via,
    tabId,
    cards: cards.filter((card) => !skip(card)),
    unchanged: cards.filter(skip).map((card) => card.dealExtId),
    unidentified,
  };
}
