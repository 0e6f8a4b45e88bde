/**
 * Reading a whole Odoo lead through the JSON-RPC endpoints Odoo's own web client calls, with the page's session cookie: `call_kw` for the lead, its partner and the stages, the
 * chatter's `/mail/thread/messages` for the stage history (reading `mail.tracking.value` itself needs
 * admin rights). Names come in the session's language, as the pages show them, so the reading equals
 * the lead's form page: stage ids are stage names (stages.ts), a lost lead ends in the lost stage;
 * the contact comes with its res.partner id and own name besides (the form shows neither). Runs in the content script: plain code, no zod.
 */
import {
  type ApiReadContext,
  type ApiReader,
  CrmReadError,
  isJson,
  type Json,
  type JsonFetch,
  jsonText,
  utcInstant,
} from '../../api-read';
import { Problems } from '../../dom';
import { buildHistory, type Moment, type StageChange, stageResolver } from '../../history';
import type {
  CrmBoard,
  CrmCompany,
  CrmContact,
  CrmDeal,
  CrmStage,
  CrmUser,
  Money,
  ScrapeResult,
} from '../../model';
import { extractEmails } from '../../parse/emails';
import { pageLocale } from '../../read';
import { dealExtras, htmlText } from '../extras';
import { endOf, odooDealId, pathOf, siteOf, utmSource } from './deal';
import { odooLabels } from './selectors';
import { isOneOf, ODOO_PIPELINE, odooLostStage, odooStage } from './stages';

/** A many2one value as `read` answers it: `[id, display_name]`, or `false` when empty. */
function many2one(value: unknown): { id: number; name: string } | null {
  if (!Array.isArray(value) || typeof value[0] !== 'number') return null;
  return { id: value[0], name: typeof value[1] === 'string' ? value[1] : '' };
}

/** A JSON-RPC `error` answer: an expired session asks for a login; a record gone is not found. */
function rpcFailure(error: Json, path: string): CrmReadError {
  const data = isJson(error.data) ? error.data : {};
  const name = jsonText(data.name) ?? '';
  const message = `${path}: ${jsonText(data.message) ?? jsonText(error.message) ?? 'JSON-RPC error'}`;
  if (name === 'odoo.http.SessionExpiredException' || error.code === 100)
    return new CrmReadError('auth', 200, message);
  if (name === 'odoo.exceptions.MissingError') return new CrmReadError('not_found', 200, message);
  return new CrmReadError('refused', 200, message);
}

type Rpc = (path: string, params: Json) => Promise<unknown>;

/** `type="json"` routes take a JSON-RPC 2.0 call and answer `{result}` or `{error}` with HTTP 200. */
function jsonRpc(fetchJson: JsonFetch): Rpc {
  return async (path, params) => {
    const answer = await fetchJson(path, {
      method: 'POST',
      body: { jsonrpc: '2.0', method: 'call', params },
    });
    if (!isJson(answer)) throw new CrmReadError('refused', 200, `${path}: not a JSON-RPC answer`);
    if (isJson(answer.error)) throw rpcFailure(answer.error, path);
    if (!('result' in answer)) throw new CrmReadError('refused', 200, `${path}: no result`);
    return answer.result;
  };
}

function callKw(
  rpc: Rpc,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Json = {},
): Promise<unknown> {
  return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
}

/** Fields of crm.lead in 17.0, 18.0 and 19.0 alike. */
const LEAD_FIELDS = [
  'name',
  'type',
  'active',
  'probability',
  'stage_id',
  'user_id',
  'partner_id',
  'email_from',
  'phone',
  'expected_revenue',
  'company_currency',
  'create_date',
  'date_closed',
  'partner_name',
  'tag_ids',
  'source_id',
  'medium_id',
  'campaign_id',
  'description',
  'date_deadline',
];

/** `create_date`: when the contact was made, which CoMagic takes as the contact's creation time. */
const PARTNER_FIELDS = ['name', 'phone', 'email', 'is_company', 'parent_id', 'create_date'];

async function cached<T>(context: ApiReadContext, key: string, load: () => Promise<T>): Promise<T> {
  if (context.cache.has(key)) return context.cache.get(key) as T;
  const value = await load();
  context.cache.set(key, value);
  return value;
}

interface OdooStageRecord {
  name: string;
  won: boolean;
}

/** The pipeline's stages with Odoo's own won flag, once per export. */
function readStages(rpc: Rpc, context: ApiReadContext): Promise<OdooStageRecord[]> {
  return cached(context, 'odoo:stages', async () => {
    const rows = await callKw(rpc, 'crm.stage', 'search_read', [], {
      domain: [],
      fields: ['name', 'is_won', 'sequence', 'fold'],
    });
    return (Array.isArray(rows) ? rows : []).filter(isJson).flatMap((row) => {
      const name = jsonText(row.name);
      return name ? [{ name, won: row.is_won === true }] : [];
    });
  });
}

async function readRecord(rpc: Rpc, model: string, id: number, fields: string[]): Promise<Json> {
  const rows = await callKw(rpc, model, 'read', [[id], fields]);
  const row = Array.isArray(rows) ? rows[0] : null;
  if (!isJson(row)) throw new CrmReadError('not_found', 200, `${model} ${id} not found`);
  return row;
}

/** A chatter message, whichever answer shape carried it. */
interface Message {
  id: number;
  date: string | null;
  trackingValues: unknown[];
}

function toMessage(value: unknown): Message | null {
  if (!isJson(value) || typeof value.id !== 'number') return null;
  return {
    id: value.id,
    date: utcInstant(value.date),
    trackingValues: Array.isArray(value.trackingValues) ? value.trackingValues : [],
  };
}

/**
 * 17.0 answers `{messages: [message…]}`; 18.0+ `{messages: [id…], data: {"mail.message": [message…], …}}`
 * (the client's store). Newest first in both.
 */
function messagesOf(result: unknown): Message[] {
  if (!isJson(result)) return [];
  const listed = Array.isArray(result.messages) ? result.messages : [];
  const store = isJson(result.data) ? result.data['mail.message'] : undefined;
  const stored = Array.isArray(store) ? store : isJson(store) ? Object.values(store) : [];
  return [...listed, ...stored].flatMap((value) => toMessage(value) ?? []);
}

const MESSAGE_PAGE = 100;
/** 50 pages of 100 messages: a chatter longer than that is read to there, and said so. */
const MESSAGE_PAGES = 50;

async function readMessages(rpc: Rpc, id: number, problems: Problems): Promise<Message[]> {
  const byId = new Map<number, Message>();
  let before: number | undefined;
  for (let page = 0; page < MESSAGE_PAGES; page++) {
    const result = await rpc('/mail/thread/messages', {
      thread_id: id,
      thread_model: 'crm.lead',
      limit: MESSAGE_PAGE,
      ...(before === undefined ? {} : { before }),
    });
    const messages = messagesOf(result);
    for (const message of messages) byId.set(message.id, message);
    const ids = isJson(result) && Array.isArray(result.messages) ? result.messages.length : 0;
    if (ids < MESSAGE_PAGE || messages.length === 0) return [...byId.values()].sort((a, b) => a.id - b.id);
    before = Math.min(...messages.map((message) => message.id));
  }
  problems.add({
    code: 'history_truncated',
    field: 'history',
    detail: String(MESSAGE_PAGE * MESSAGE_PAGES),
    severity: 'warning',
  });
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** A tracked value: `{value}` in 17.0/18.0, the value itself in later versions. */
function trackedName(value: unknown): string | null {
  return jsonText(isJson(value) ? value.value : value);
}

/** 17.0/18.0 name the field (`fieldName`) beside its label; later versions nest the label in `fieldInfo`. */
function isStageTracking(tracking: Json): boolean {
  const info = isJson(tracking.fieldInfo) ? tracking.fieldInfo : {};
  const name = jsonText(tracking.fieldName) ?? jsonText(info.fieldName) ?? jsonText(info.name);
  if (name) return name === 'stage_id';
  const label = jsonText(tracking.changedField) ?? jsonText(info.changedField);
  return label !== null && isOneOf(odooLabels.stageField, label);
}

function stageChanges(
  messages: Message[],
  resolve: (name: string) => CrmStage,
  problems: Problems,
): StageChange[] {
  const changes: StageChange[] = [];
  for (const message of messages) {
    for (const tracking of message.trackingValues) {
      if (!isJson(tracking) || !isStageTracking(tracking)) continue;
      const to = trackedName(tracking.newValue);
      if (!to) continue;
      const from = trackedName(tracking.oldValue);
      const at: Moment | null = message.date ? { instant: message.date, estimated: false } : null;
      if (!at) problems.unparsed(`message[${message.id}].date`, 'date');
      changes.push({ from: from ? resolve(from) : null, to: resolve(to), at });
    }
  }
  return changes;
}

function amountOf(lead: Json): Money | null {
  if (typeof lead.expected_revenue !== 'number') return null;
  return {
    amount: lead.expected_revenue,
    currency: many2one(lead.company_currency)?.name || null,
    rounded: false,
  };
}

function pushNew(list: string[], value: string | null, same: (a: string, b: string) => boolean): void {
  if (value && !list.some((known) => same(known, value))) list.push(value);
}

const NO_PARTNER_MOBILE = 'odoo:partnerHasNoMobile';

/**
 * res.partner lost `mobile` in 19.0, and Odoo refuses a read naming a field it lacks ("Invalid field
 * 'mobile'"): there the partner is read again without it, and so are the next ones of this export.
 */
async function readPartner(rpc: Rpc, id: number, context: ApiReadContext): Promise<Json> {
  if (!context.cache.has(NO_PARTNER_MOBILE)) {
    try {
      return await readRecord(rpc, 'res.partner', id, [...PARTNER_FIELDS, 'mobile']);
    } catch (error) {
      if (!(error instanceof CrmReadError && error.failure === 'refused' && /\bmobile\b/.test(error.message)))
        throw error;
      context.cache.set(NO_PARTNER_MOBILE, true);
    }
  }
  return readRecord(rpc, 'res.partner', id, PARTNER_FIELDS);
}

/** The lead's customer with the lead's phone and e-mail (what the form shows) and the partner's own. */
function contactsOf(lead: Json, record: Json | null): CrmContact[] {
  const partner = many2one(lead.partner_id);
  if (!partner || !record) return [];
  const phones: string[] = [];
  for (const phone of [lead.phone, record.phone, record.mobile])
    pushNew(phones, jsonText(phone), (a, b) => a === b);
  const emails: string[] = [];
  const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (const email of [
    ...extractEmails(jsonText(lead.email_from) ?? ''),
    ...extractEmails(jsonText(record.email) ?? ''),
  ])
    pushNew(emails, email, sameEmail);
  // The record's own name: the many2one shows a company's contact as "Company, Person" (its display name).
  const name = jsonText(record.name) ?? partner.name;
  return [{ id: String(partner.id), name, phones, emails, createdAt: utcInstant(record.create_date) }];
}

/** The lead's tags by name, from every tag read once per export (a lead's `tag_ids` are ids only). */
async function readTags(rpc: Rpc, lead: Json, context: ApiReadContext): Promise<string[]> {
  const ids = Array.isArray(lead.tag_ids) ? lead.tag_ids.filter((id) => typeof id === 'number') : [];
  if (ids.length === 0) return [];
  const names = await cached(context, 'odoo:tags', async () => {
    const rows = await callKw(rpc, 'crm.tag', 'search_read', [], { domain: [], fields: ['name'] });
    const byId = new Map<number, string>();
    for (const row of Array.isArray(rows) ? rows.filter(isJson) : []) {
      const name = jsonText(row.name);
      if (typeof row.id === 'number' && name) byId.set(row.id, name);
    }
    return byId;
  });
  return ids.flatMap((id) => names.get(id) ?? []);
}

function phonesAndEmails(record: Json): { phones: string[]; emails: string[] } {
  const phones: string[] = [];
  for (const phone of [record.phone, record.mobile]) pushNew(phones, jsonText(phone), (a, b) => a === b);
  return { phones, emails: extractEmails(jsonText(record.email) ?? '') };
}

/**
 * The customer's company: its parent company (read for its own phones and e-mails, once per export),
 * else the customer itself when it is a company, else the lead's "Company Name".
 */
async function readCompany(
  rpc: Rpc,
  lead: Json,
  partner: Json | null,
  context: ApiReadContext,
): Promise<CrmCompany | null> {
  const parent = partner ? many2one(partner.parent_id) : null;
  if (parent) {
    const record = await cached(context, `odoo:partner:${parent.id}`, () =>
      readPartner(rpc, parent.id, context),
    );
    return { id: String(parent.id), name: jsonText(record.name) ?? parent.name, ...phonesAndEmails(record) };
  }
  if (partner && partner.is_company === true && typeof partner.id === 'number') {
    return { id: String(partner.id), name: jsonText(partner.name) ?? '', ...phonesAndEmails(partner) };
  }
  const name = jsonText(lead.partner_name);
  return name ? { id: null, name } : null;
}

function ownerOf(lead: Json): CrmUser | null {
  const user = many2one(lead.user_id);
  return user ? { id: String(user.id), name: user.name } : null;
}

/** The lead's own form address: the page read from when it is that lead's, else beside the page's. */
function dealUrl(id: string, pageUrl: string): string {
  if (odooDealId(pageUrl) === id) return pageUrl;
  const site = siteOf(pageUrl);
  return /^\/odoo(?:\/|$)/.test(pathOf(pageUrl))
    ? `${site}/odoo/crm/${id}`
    : `${site}/web#id=${id}&model=crm.lead&view_type=form`;
}

async function readDeal(
  id: string,
  fetchJson: JsonFetch,
  context: ApiReadContext,
): Promise<ScrapeResult<CrmDeal>> {
  if (!/^\d+$/.test(id)) throw new CrmReadError('not_found', 0, `Not an Odoo record id: ${id}`);
  const rpc = jsonRpc(fetchJson);
  const problems = new Problems();
  const leadId = Number(id);
  const [lead, stages, messages] = await Promise.all([
    readRecord(rpc, 'crm.lead', leadId, LEAD_FIELDS),
    readStages(rpc, context),
    readMessages(rpc, leadId, problems),
  ]);
  const known = stages.map((stage) => odooStage(stage.name, stage.won ? 'won' : null));
  const resolve = stageResolver(known, odooStage, problems);
  const stageName = many2one(lead.stage_id)?.name;
  const current = stageName ? resolve(stageName) : null;
  if (!current)
    problems.add({ code: 'field_missing', field: 'deal.stage', detail: 'stage_id', severity: 'warning' });
  const createdAt = utcInstant(lead.create_date);
  const created: Moment | null = createdAt ? { instant: createdAt, estimated: false } : null;
  const history = buildHistory(stageChanges(messages, resolve, problems), current, created, problems);
  const closedAt = utcInstant(lead.date_closed);
  // Lost: archived with probability 0 (what the form's Lost ribbon shows).
  const isLost = lead.active === false && lead.probability === 0;
  const lost = isLost
    ? {
        at: closedAt ? { instant: closedAt, estimated: false } : null,
        // The page's language, as the lead's form page names the lost stage.
        stage: odooLostStage(context.window ? pageLocale(context.window.document, context) : context.locale),
      }
    : null;
  const end = endOf(history, current, lost);
  const customer = many2one(lead.partner_id);
  const partner = customer ? await readPartner(rpc, customer.id, context) : null;
  const deadline = jsonText(lead.date_deadline);
  return {
    data: {
      crm: 'odoo',
      id,
      url: dealUrl(id, context.url),
      name: jsonText(lead.name) ?? '',
      pipeline: ODOO_PIPELINE,
      stage: end.stage,
      amount: amountOf(lead),
      createdAt,
      modifiedAt: null,
      closedAt:
        end.stage?.outcome === 'won' || end.stage?.outcome === 'lost' ? (closedAt ?? end.closedAt) : null,
      owner: ownerOf(lead),
      contacts: contactsOf(lead, partner),
      history: end.history,
      ...dealExtras({
        company: await readCompany(rpc, lead, partner, context),
        source: utmSource(
          [lead.source_id, lead.medium_id, lead.campaign_id].map((value) => many2one(value)?.name),
        ),
        tags: await readTags(rpc, lead, context),
        description: htmlText(jsonText(lead.description)),
        fields: {
          probability: typeof lead.probability === 'number' ? String(lead.probability) : null,
          closeDate: deadline && /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? deadline : null,
        },
      }),
    },
    problems: problems.list,
  };
}

interface LeadRow {
  id: string;
  name: string;
  stage: string | null;
  partner: string | null;
  contactName: string | null;
}

function leadRow(value: unknown): LeadRow | null {
  if (!isJson(value) || typeof value.id !== 'number') return null;
  return {
    id: String(value.id),
    name: jsonText(value.name) ?? '',
    stage: many2one(value.stage_id)?.name ?? null,
    partner: many2one(value.partner_id)?.name ?? null,
    contactName: jsonText(value.contact_name),
  };
}

/** The customer a card shows: 17.0 the partner only; 18+ the partner, else the lead's contact name. */
function showsCustomer(row: LeadRow, shown: string | null): boolean {
  if (shown === null) return row.partner === null;
  return row.partner === shown || (row.partner === null && row.contactName === shown);
}

/**
 * Odoo cards carry no record id: one `search_read` of the opportunities with the board's card names in
 * the board's stages (active ones, as the board shows), then a card is the one lead of its name, stage
 * and customer. Two cards alike, or a card no lead or several leads fit, get `null`.
 */
async function cardIds(board: CrmBoard, fetchJson: JsonFetch): Promise<(string | null)[]> {
  const wanted = board.deals.filter((deal) => !deal.id && deal.name);
  if (wanted.length === 0) return board.deals.map((deal) => deal.id);
  const names = [...new Set(wanted.map((deal) => deal.name))];
  const stages = [...new Set(board.stages.map((stage) => stage.name))];
  const rows = await callKw(jsonRpc(fetchJson), 'crm.lead', 'search_read', [], {
    domain: [
      ['type', '=', 'opportunity'],
      ['name', 'in', names],
      ['stage_id.name', 'in', stages],
    ],
    fields: ['id', 'name', 'stage_id', 'partner_id', 'contact_name'],
  });
  const leads = (Array.isArray(rows) ? rows : []).flatMap((row) => leadRow(row) ?? []);
  const key = (deal: CrmDeal) =>
    JSON.stringify([deal.name, deal.stage?.name ?? null, deal.contacts[0]?.name ?? null]);
  const cardsAlike = new Map<string, number>();
  for (const deal of wanted) cardsAlike.set(key(deal), (cardsAlike.get(key(deal)) ?? 0) + 1);
  const nameStage = (name: string, stage: string | null | undefined) => JSON.stringify([name, stage ?? null]);
  const cardsNamed = new Map<string, number>();
  for (const deal of wanted) {
    const at = nameStage(deal.name, deal.stage?.name);
    cardsNamed.set(at, (cardsNamed.get(at) ?? 0) + 1);
  }
  return board.deals.map((deal) => {
    if (deal.id || !deal.name || cardsAlike.get(key(deal)) !== 1) return deal.id;
    const named = leads.filter((lead) => lead.name === deal.name && lead.stage === deal.stage?.name);
    // One card and one lead of this name in this stage are each other's, whatever customer the card
    // shows (a card may show the company where the lead has no contact); else the customer decides.
    if (named.length === 1 && cardsNamed.get(nameStage(deal.name, deal.stage?.name)) === 1) {
      return named[0]?.id ?? null;
    }
    const shown = deal.contacts[0]?.name ?? null;
    const fits = named.filter((lead) => showsCustomer(lead, shown));
    return fits.length === 1 ? (fits[0]?.id ?? null) : null;
  });
}

export const odooApiReader: ApiReader = {
  crm: 'odoo',
  readDeal,
  cardIds,
};
