/**
 * A whole amoCRM / Kommo lead through the JSON endpoints its own web client uses, with the user's
 * session: API v4 for the lead, its contacts, its owner and its pipeline; the
 * card's own events timeline for the stage changes, else API v4 events. Read-only: GET only.
 * Runs in the content script: plain checks, no zod.
 */
import {
  type ApiReadContext,
  type ApiReader,
  CrmReadError,
  type Json,
  type JsonFetch,
  jsonObject,
  jsonText,
  route,
} from '../../api-read';
import { Problems } from '../../dom';
import { buildHistory, type StageChange } from '../../history';
import type { CrmCompany, CrmContact, CrmDeal, CrmStage, CrmUser, Money, ScrapeResult } from '../../model';
import { normalizeEmails } from '../../parse/emails';
import { dealExtras } from '../extras';
import { amocrmStage } from './stages';

/** The routes read, as data; `{id}` and `{page}` are filled in. */
export const amocrmEndpoints = {
  lead: '/api/v4/leads/{id}?with=contacts',
  contact: '/api/v4/contacts/{id}',
  company: '/api/v4/companies/{id}',
  user: '/api/v4/users/{id}',
  pipeline: '/api/v4/leads/pipelines/{id}',
  /** The card's own feed (confirmed from the page; its JSON is not documented). */
  timeline: '/ajax/v3/leads/{id}/events_timeline?limit=100',
  events:
    '/api/v4/events?filter[type]=lead_status_changed&filter[entity]=lead&filter[entity_id][]={id}&limit=100&page={page}',
} as const;

const EVENTS_PAGE_SIZE = 100;
/** A guard against a paging link that never ends: 50 pages of 100 events is far beyond any lead. */
const MAX_PAGES = 50;
const STATUS_CHANGED = 'lead_status_changed';

function array(value: unknown): unknown[] | null {
  return Array.isArray(value) ? value : null;
}

/** An id as the page shows it: amoCRM's ids are numbers in JSON, strings in the markup. */
function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** amoCRM's times are unix seconds. */
function instantOf(seconds: unknown): string | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? new Date(seconds * 1000).toISOString()
    : null;
}

function embedded(body: Json | null, key: string): unknown[] | null {
  return array(jsonObject(body?._embedded)?.[key]);
}

/** A failure that means "this piece is not there for you", not "stop reading". */
function isMissing(error: unknown): error is CrmReadError {
  return error instanceof CrmReadError && (error.failure === 'not_found' || error.failure === 'refused');
}

/** A pipeline gone or closed to the user names no stages; the lead is still read. */
function skipMissing(error: unknown): null {
  if (isMissing(error)) return null;
  throw error;
}

interface Pipeline {
  id: string;
  name: string;
  statuses: Map<string, CrmStage>;
}

/** Kept per export in the context's cache: every lead of a pipeline shares it. */
function readPipeline(id: string, fetchJson: JsonFetch, context: ApiReadContext): Promise<Pipeline | null> {
  const key = `amocrm:pipeline:${id}`;
  const cached = context.cache.get(key) as Promise<Pipeline | null> | undefined;
  if (cached) return cached;
  const reading = fetchJson(route(amocrmEndpoints.pipeline, { id })).then((answer) => {
    const body = jsonObject(answer);
    const statuses = new Map<string, CrmStage>();
    for (const status of embedded(body, 'statuses') ?? []) {
      const statusId = idOf(jsonObject(status)?.id);
      const name = jsonText(jsonObject(status)?.name);
      if (statusId && name) statuses.set(statusId, amocrmStage(statusId, name));
    }
    return body ? { id, name: jsonText(body.name) ?? id, statuses } : null;
  }, skipMissing);
  context.cache.set(key, reading);
  // A failed read is not kept: the next lead asks again.
  reading.catch(() => context.cache.delete(key));
  return reading;
}

function readUser(id: string, fetchJson: JsonFetch, context: ApiReadContext): Promise<CrmUser | null> {
  const key = `amocrm:user:${id}`;
  const cached = context.cache.get(key) as Promise<CrmUser | null> | undefined;
  if (cached) return cached;
  const reading = fetchJson(route(amocrmEndpoints.user, { id })).then((answer) => {
    const name = jsonText(jsonObject(answer)?.name);
    return name ? { id, name } : null;
  });
  context.cache.set(key, reading);
  reading.catch(() => context.cache.delete(key));
  return reading;
}

/** The values of a contact's custom field with this `field_code` (PHONE, EMAIL). */
function fieldValues(contact: Json, code: string): string[] {
  return (array(contact.custom_fields_values) ?? [])
    .map(jsonObject)
    .filter((field) => field?.field_code === code)
    .flatMap((field) => array(field?.values) ?? [])
    .map((value) => jsonText(jsonObject(value)?.value))
    .filter((value): value is string => value !== null);
}

async function readContact(id: string, fetchJson: JsonFetch, problems: Problems): Promise<CrmContact | null> {
  const path = route(amocrmEndpoints.contact, { id });
  let contact: Json | null;
  try {
    contact = jsonObject(await fetchJson(path));
  } catch (error) {
    if (!isMissing(error)) throw error;
    contact = null;
  }
  if (!contact) {
    problems.add({ code: 'field_missing', field: 'deal.contacts', detail: path, severity: 'warning' });
    return null;
  }
  const parts = [jsonText(contact.first_name), jsonText(contact.last_name)].filter(Boolean);
  const phones = [...new Set(fieldValues(contact, 'PHONE'))];
  return {
    id,
    name: jsonText(contact.name) ?? parts.join(' '),
    phones,
    emails: normalizeEmails(fieldValues(contact, 'EMAIL')),
    createdAt: instantOf(contact.created_at),
  };
}

/**
 * The lead's first linked company with its own phones and e-mails, read once per export (several
 * leads share a company); one the user may not read is left out (its name is unknown).
 */
async function readCompany(
  lead: Json,
  fetchJson: JsonFetch,
  context: ApiReadContext,
  problems: Problems,
): Promise<CrmCompany | null> {
  const id = idOf(jsonObject(embedded(lead, 'companies')?.[0])?.id);
  if (id === null) return null;
  const path = route(amocrmEndpoints.company, { id });
  const key = `amocrm:company:${id}`;
  if (!context.cache.has(key)) context.cache.set(key, jsonObject(await fetchJson(path).catch(skipMissing)));
  const company = context.cache.get(key) as Json | null;
  if (!company) {
    // Without its name CoMagic would show a bare number as the company: left out, said so.
    problems.add({ code: 'field_missing', field: 'deal.company', detail: path, severity: 'warning' });
    return null;
  }
  return {
    id,
    name: jsonText(company.name) ?? id,
    phones: [...new Set(fieldValues(company, 'PHONE'))],
    emails: normalizeEmails(fieldValues(company, 'EMAIL')),
  };
}

function tagsOf(lead: Json): string[] {
  return (embedded(lead, 'tags') ?? []).flatMap((tag) => jsonText(jsonObject(tag)?.name) ?? []);
}

/** One stage change as the events give it: status ids and pipelines, unix seconds. */
interface StatusEvent {
  at: number;
  to: { status: string; pipeline: string };
  from: { status: string; pipeline: string } | null;
}

function leadStatus(values: unknown): { status: string; pipeline: string } | null {
  const status = jsonObject(jsonObject(array(values)?.[0])?.lead_status);
  const id = idOf(status?.id);
  const pipeline = idOf(status?.pipeline_id);
  return id && pipeline ? { status: id, pipeline } : null;
}

/**
 * An event of the shape API v4 documents; `undefined` when the item is not one we understand
 * (the timeline's own JSON is undocumented), `null` for an understood event of another type.
 */
function statusEvent(item: unknown): StatusEvent | null | undefined {
  const event = jsonObject(item);
  if (!event || typeof event.type !== 'string' || typeof event.created_at !== 'number') return undefined;
  if (event.type !== STATUS_CHANGED) return null;
  const to = leadStatus(event.value_after);
  return to ? { at: event.created_at, to, from: leadStatus(event.value_before) } : undefined;
}

/** The path of a paging link, which may be absolute. */
function pathOf(href: string): string {
  const url = new URL(href, 'https://amocrm.invalid');
  return url.pathname + url.search;
}

/**
 * The card's own timeline, older pages through `_links.prev`. Its items are
 * assumed to be API v4 events under `_embedded.events` (inferred: its JSON is not documented), so
 * any other answer gives `null` and the caller reads API v4 events instead.
 */
async function timelineEvents(
  id: string,
  fetchJson: JsonFetch,
  problems: Problems,
): Promise<StatusEvent[] | null> {
  const events: StatusEvent[] = [];
  const seen = new Set<string>();
  let path: string | null = route(amocrmEndpoints.timeline, { id });
  while (path && !seen.has(path) && seen.size < MAX_PAGES) {
    seen.add(path);
    let body: Json | null;
    try {
      body = jsonObject(await fetchJson(path, { headers: { 'X-Requested-With': 'XMLHttpRequest' } }));
    } catch (error) {
      if (!isMissing(error)) throw error;
      problems.add({ code: 'api_refused', field: 'deal.history', detail: path, severity: 'warning' });
      return null;
    }
    const items = embedded(body, 'events');
    const read = items?.map(statusEvent);
    if (!read || read.includes(undefined)) {
      problems.add({ code: 'api_shape_unknown', field: 'deal.history', detail: path, severity: 'warning' });
      return null;
    }
    for (const event of read) if (event) events.push(event);
    const prev = jsonText(jsonObject(jsonObject(body?._links)?.prev)?.href);
    path = prev ? pathOf(prev) : null;
  }
  if (path && !seen.has(path))
    problems.add({ code: 'history_truncated', field: 'deal.history', detail: path, severity: 'warning' });
  return events;
}

/** API v4 events, page by page until HTTP 204 (no more pages) or a short page. */
async function apiEvents(
  id: string,
  fetchJson: JsonFetch,
  problems: Problems,
): Promise<StatusEvent[] | null> {
  const events: StatusEvent[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const path = route(amocrmEndpoints.events, { id, page });
    let answer: unknown;
    try {
      answer = await fetchJson(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // A later page refused still leaves the changes read so far.
      const code = page === 1 ? 'api_refused' : 'history_truncated';
      problems.add({ code, field: 'deal.history', detail: path, severity: 'warning' });
      return page === 1 ? null : events;
    }
    if (answer === null) return events;
    const items = embedded(jsonObject(answer), 'events');
    if (!items) {
      problems.add({ code: 'api_shape_unknown', field: 'deal.history', detail: path, severity: 'warning' });
      return null;
    }
    for (const event of items.map(statusEvent)) if (event) events.push(event);
    if (items.length < EVENTS_PAGE_SIZE) return events;
  }
  problems.add({
    code: 'history_truncated',
    field: 'deal.history',
    detail: route(amocrmEndpoints.events, { id, page: MAX_PAGES + 1 }),
    severity: 'warning',
  });
  return events;
}

async function statusEvents(
  id: string,
  fetchJson: JsonFetch,
  problems: Problems,
): Promise<StatusEvent[] | null> {
  const timeline = await timelineEvents(id, fetchJson, problems);
  if (timeline) return timeline;
  const events = await apiEvents(id, fetchJson, problems);
  if (events)
    problems.add({
      code: 'fallback_used',
      field: 'deal.history',
      detail: route(amocrmEndpoints.events, { id, page: 1 }),
      severity: 'warning',
    });
  return events;
}

/** A status by its pipeline's list; a status the pipeline no longer has keeps its id as its name. */
async function stageOf(
  status: { status: string; pipeline: string },
  fetchJson: JsonFetch,
  context: ApiReadContext,
  problems: Problems,
): Promise<CrmStage> {
  const stage = (await readPipeline(status.pipeline, fetchJson, context))?.statuses.get(status.status);
  if (stage) return stage;
  problems.add({
    code: 'field_missing',
    field: 'history',
    detail: `status ${status.status} of ${route(amocrmEndpoints.pipeline, { id: status.pipeline })}`,
    severity: 'warning',
  });
  return amocrmStage(status.status, status.status);
}

async function stageChanges(
  events: StatusEvent[],
  fetchJson: JsonFetch,
  context: ApiReadContext,
  problems: Problems,
): Promise<StageChange[]> {
  // Oldest first, as the history is built; equal times keep the order they came in.
  const ordered = [...events].sort((a, b) => a.at - b.at);
  const changes: StageChange[] = [];
  for (const event of ordered) {
    changes.push({
      from: event.from ? await stageOf(event.from, fetchJson, context, problems) : null,
      to: await stageOf(event.to, fetchJson, context, problems),
      at: { instant: new Date(event.at * 1000).toISOString(), estimated: false },
    });
  }
  return changes;
}

function dealUrl(id: string, pageUrl: string): string {
  const origin = URL.canParse(pageUrl) ? new URL(pageUrl).origin : '';
  return `${origin}/leads/detail/${id}`;
}

/** amoCRM has no "no budget": an empty one is 0, which the page shows empty too. */
function amountOf(price: unknown): Money | null {
  return typeof price === 'number' && Number.isFinite(price) && price !== 0
    ? { amount: price, currency: null, rounded: false }
    : null;
}

async function readOwner(
  userId: string | null,
  fetchJson: JsonFetch,
  context: ApiReadContext,
  problems: Problems,
): Promise<CrmUser | null> {
  const path = userId ? route(amocrmEndpoints.user, { id: userId }) : 'responsible_user_id';
  let owner: CrmUser | null = null;
  try {
    owner = userId ? await readUser(userId, fetchJson, context) : null;
  } catch (error) {
    // The users route may be closed to users who are not admins: the lead is still read.
    if (!(error instanceof CrmReadError) || error.failure === 'busy') throw error;
  }
  if (!owner) problems.add({ code: 'field_missing', field: 'deal.owner', detail: path, severity: 'warning' });
  return owner;
}

async function readDeal(
  id: string,
  fetchJson: JsonFetch,
  context: ApiReadContext,
): Promise<ScrapeResult<CrmDeal>> {
  const problems = new Problems();
  const leadPath = route(amocrmEndpoints.lead, { id });
  const lead = jsonObject(await fetchJson(leadPath));
  const statusId = idOf(lead?.status_id);
  const pipelineId = idOf(lead?.pipeline_id);
  if (!lead || idOf(lead.id) !== id) throw new CrmReadError('refused', 0, `${leadPath}: not a lead`);

  const pipeline = pipelineId ? await readPipeline(pipelineId, fetchJson, context) : null;
  const current =
    statusId && pipelineId
      ? await stageOf({ status: statusId, pipeline: pipelineId }, fetchJson, context, problems)
      : null;
  if (!current)
    problems.add({ code: 'field_missing', field: 'deal.stage', detail: leadPath, severity: 'warning' });

  const owner = await readOwner(idOf(lead.responsible_user_id), fetchJson, context, problems);
  const contactIds = (embedded(lead, 'contacts') ?? [])
    .map((contact) => idOf(jsonObject(contact)?.id))
    .filter((contactId): contactId is string => contactId !== null);
  const contacts: CrmContact[] = [];
  for (const contactId of contactIds) {
    const contact = await readContact(contactId, fetchJson, problems);
    if (contact) contacts.push(contact);
  }

  const createdAt = instantOf(lead.created_at);
  if (!createdAt)
    problems.add({ code: 'field_missing', field: 'deal.createdAt', detail: leadPath, severity: 'warning' });
  const events = await statusEvents(id, fetchJson, problems);
  if (!events)
    problems.add({ code: 'field_missing', field: 'deal.history', detail: leadPath, severity: 'warning' });
  const changes = await stageChanges(events ?? [], fetchJson, context, problems);

  return {
    data: {
      crm: 'amocrm',
      id,
      url: dealUrl(id, context.url),
      name: jsonText(lead.name) ?? '',
      pipeline: pipelineId ? { id: pipelineId, name: pipeline?.name ?? pipelineId } : null,
      stage: current,
      amount: amountOf(lead.price),
      createdAt,
      modifiedAt: instantOf(lead.updated_at),
      closedAt: instantOf(lead.closed_at),
      owner,
      contacts,
      history: buildHistory(
        changes,
        current,
        createdAt ? { instant: createdAt, estimated: false } : null,
        problems,
      ),
      ...dealExtras({
        company: await readCompany(lead, fetchJson, context, problems),
        source: null,
        tags: tagsOf(lead),
        description: null,
        fields: {},
      }),
    },
    problems: problems.list,
  };
}

export const amocrmApiReader: ApiReader = { crm: 'amocrm', readDeal };
