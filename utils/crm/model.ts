/**
 * The neutral model every CRM adapter produces and the mapping consumes.
 * Plain data only (no classes, no Dates): snapshots cross the extension's message boundary.
 * Instants are ISO 8601 strings with an offset, e.g. "2026-03-02T10:15:00+03:00" or "…Z".
 */

export type CrmId = 'espocrm' | 'amocrm' | 'odoo' | `recipe:${string}`;

/** What the page told about a stage's outcome; `null` when it did not say. */
export type StageOutcome = 'won' | 'lost' | 'in_progress';

export interface CrmStage {
  /** The CRM's own stage id (an enum value, a status id); the label when the page shows no id. */
  id: string;
  name: string;
  outcome: StageOutcome | null;
}

export interface CrmPipeline {
  /** The CRM's pipeline id; `default` when the CRM has a single pipeline. */
  id: string;
  name: string;
}

export interface CrmUser {
  /** `null` when the page shows the name only. */
  id: string | null;
  name: string;
}

export interface CrmContact {
  id: string | null;
  name: string;
  /** As the page shows them; mapping normalises to E.164. */
  phones: string[];
  emails: string[];
  createdAt: string | null;
}

/** Where a stage visit's time came from. */
export type VisitSource =
  | 'timeline' // the deal page's history (stream, feed, chatter)
  | 'board' // a board card (the time is an estimate, see `estimated`)
  | 'observed' // two exports saw the deal in different stages
  | 'created'; // the creation time stands for the first stage

export interface StageVisit {
  stage: CrmStage;
  /** When the deal entered the stage. */
  enteredAt: string;
  source: VisitSource;
  /** The time is not exact: day precision only, or estimated from another field. */
  estimated: boolean;
}

export interface Money {
  amount: number;
  /** ISO 4217 when recognised, else the symbol as shown; `null` when the page shows none. */
  currency: string | null;
  /** The page showed an abbreviated figure ("$39.6K", "1,2 млн ₽"). */
  rounded: boolean;
}

/** The organisation a deal is with: EspoCRM's account, amoCRM's company, the Odoo partner's company. */
export interface CrmCompany {
  /** The CRM's record id; `null` or absent when the page shows the name only. */
  id?: string | null;
  name: string;
  /** As the page shows them: the company's own, never a contact's. */
  phones?: string[];
  emails?: string[];
}

export interface CrmDeal {
  crm: CrmId;
  /** The CRM's own deal id; `null` when the page exposes none (Odoo board cards). */
  id: string | null;
  url: string;
  name: string;
  pipeline: CrmPipeline | null;
  stage: CrmStage | null;
  amount: Money | null;
  createdAt: string | null;
  modifiedAt: string | null;
  closedAt: string | null;
  owner: CrmUser | null;
  contacts: CrmContact[];
  /** Oldest first. Empty when the page shows no history. */
  history: StageVisit[];
  // Optional: absent from snapshots of older versions and from readers that do not read them.
  company?: CrmCompany | null;
  /** Where the deal came from, as the CRM names it (EspoCRM's lead source; Odoo's source / medium / campaign). */
  source?: string | null;
  tags?: string[];
  description?: string | null;
  /**
   * Other fields the page shows, by a stable key (`probability`, `closeDate`, `currency`, a recipe's
   * field name), as text: what the user may send as CoMagic user fields.
   */
  fields?: Record<string, string>;
}

export interface CrmBoard {
  crm: CrmId;
  url: string;
  pipeline: CrmPipeline;
  /** Columns in the order the board shows them. */
  stages: CrmStage[];
  deals: CrmDeal[];
  /** Stages known to hold more cards than the page shows ("show more"), or hidden (Closed Lost). */
  incompleteStages: string[];
}

/** Something an adapter could not read. Never thrown: returned beside the data. */
export interface Problem {
  /** Stable code, e.g. `selector_missed`, `date_unparsed`, `field_missing`, `no_id`. */
  code: string;
  /** The field concerned, e.g. `deal.amount`, `history[2].enteredAt`, `card[17].id`. */
  field: string;
  /** The selector that matched nothing, or the raw text that did not parse. */
  detail?: string;
  /** The deal the problem belongs to, when it concerns one card of a board. */
  dealId?: string | null;
  severity: 'error' | 'warning';
}

export interface ScrapeResult<T> {
  data: T | null;
  problems: Problem[];
}

export type PageKind = 'deal' | 'board';

export interface ScrapeContext {
  /** Reference "now" as an instant (ISO), for relative dates. */
  now: string;
  /** The CRM's display time zone (IANA), e.g. `Europe/Moscow`. */
  timeZone: string;
  /** The page's UI locale when known, `ru` or `en`; adapters also detect it from the page. */
  locale: 'ru' | 'en' | null;
  /** The page URL (location.href). */
  url: string;
}

export interface Adapter {
  id: CrmId;
  label: string;
  detect(document: Document, url: string): PageKind | null;
  scrapeDeal(document: Document, context: ScrapeContext): ScrapeResult<CrmDeal>;
  scrapeBoard(document: Document, context: ScrapeContext): ScrapeResult<CrmBoard>;
}
