/**
 * A whole EspoCRM Opportunity through the JSON endpoints its own web client uses, with the user's
 * session: the record, its stream (the create note's first stage, each update
 * note's stage entered, to the second) and its related contacts. Read-only: GET only.
 * Runs in the content script: plain checks, no zod.
 */
import {
  type ApiReadContext,
  type ApiReader,
  CrmReadError,
  type Json,
  type JsonFetch,
  type JsonRequest,
  jsonObject,
  jsonText,
  route,
  utcInstant,
} from '../../api-read';
import { Problems } from '../../dom';
import { buildHistory, type Moment, type StageChange } from '../../history';
import type { CrmCompany, CrmContact, CrmDeal, CrmStage, CrmUser, Money, ScrapeResult } from '../../model';
import { normalizeEmails } from '../../parse/emails';
import { zonedToInstant } from '../../parse/time-zone';
import { type PageLocale, pageLocale } from '../../read';
import { dealExtras } from '../extras';
import { dealUrl, espoPipeline } from './common';
import { stageFromValue } from './stages';

/** The routes read, relative to where EspoCRM is installed (the page's path); `{…}` are filled in. */
export const espocrmEndpoints = {
  record: 'api/v1/Opportunity/{id}',
  stream: 'api/v1/Opportunity/{id}/stream?maxSize={maxSize}&offset={offset}',
  contacts: 'api/v1/Opportunity/{id}/contacts?maxSize={maxSize}&offset={offset}',
  /** The deal's account, for its own phones and e-mails (the Opportunity record names it only). */
  account: 'api/v1/Account/{id}',
} as const;

/** The largest page EspoCRM serves by default (`recordListMaxSizeLimit`); it refuses a larger one. */
const PAGE_SIZE = 200;
/** A guard against a list that never ends: 100 pages of 200 notes is far beyond any deal. */
const MAX_PAGES = 100;
/** Where the web client keeps its auth string (`Espo.Storage`, prefix `espo`, type `user`). */
const AUTH_KEY = 'espo-user-auth';
const ANOTHER_USER_KEY = 'espo-user-anotherUser';

/** A date field (`YYYY-MM-DD`) stands for its day's midnight in the CRM's zone, as the page's does. */
function dayInstant(value: unknown, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(jsonText(value) ?? '');
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return zonedToInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** The directory of the page's path before '#': EspoCRM may be installed under a sub-path (`/crm/`). */
function installPath(pageUrl: string): string {
  const path = URL.canParse(pageUrl) ? new URL(pageUrl).pathname : '/';
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function stored(window: Window | undefined, key: string): string | null {
  try {
    return jsonText(window?.localStorage.getItem(key));
  } catch {
    // A page whose storage is blocked: the `auth-token` cookie still signs the requests in.
    return null;
  }
}

/**
 * What EspoCRM's web client sends with each request (`client/src/app.js`): its auth string, when
 * the page keeps one, and always `X-Requested-With`, without which a 401 asks the browser for a login.
 */
function requestOf(window: Window | undefined): JsonRequest {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
  const auth = stored(window, AUTH_KEY);
  if (auth) {
    headers.Authorization = `Basic ${auth}`;
    headers['Espo-Authorization'] = auth;
    headers['Espo-Authorization-By-Token'] = 'true';
  }
  const anotherUser = stored(window, ANOTHER_USER_KEY);
  if (anotherUser) headers['X-Another-User'] = anotherUser;
  return { method: 'GET', headers };
}

/** EspoCRM's uncounted totals (`Record\Collection`): -1 "has more", -2 "has no more". */
const TOTAL_HAS_MORE = -1;
const TOTAL_HAS_NO_MORE = -2;

function isLastPage(total: unknown, read: number): boolean {
  if (total === TOTAL_HAS_MORE) return false;
  return total === TOTAL_HAS_NO_MORE || typeof total !== 'number' || read >= total;
}

/** Every item of a list endpoint, page by page (`maxSize`, `offset`) until its `total` is read. */
async function readList(
  template: string,
  id: string,
  base: string,
  fetchJson: JsonFetch,
  request: JsonRequest,
  problems: Problems,
): Promise<Json[]> {
  const items: Json[] = [];
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const path = base + route(template, { id, maxSize: PAGE_SIZE, offset });
    const body = jsonObject(await fetchJson(path, request));
    const list = Array.isArray(body?.list) ? (body.list as unknown[]) : null;
    if (!body || !list) throw new CrmReadError('refused', 0, `${path}: not a list`);
    for (const item of list) {
      const entry = jsonObject(item);
      if (entry) items.push(entry);
    }
    offset += list.length;
    if (list.length === 0 || isLastPage(body.total, offset)) return items;
  }
  problems.add({
    code: 'history_truncated',
    field: 'deal.history',
    detail: base + route(template, { id, maxSize: PAGE_SIZE, offset }),
    severity: 'warning',
  });
  return items;
}

/** The notes about this deal itself, oldest first (a page of the stream lists the newest first). */
function ownNotes(notes: Json[], id: string): Json[] {
  const seen = new Set<string>();
  const own = notes.filter((note) => {
    const noteId = jsonText(note.id) ?? '';
    const about = jsonText(note.parentId);
    if (seen.has(noteId) || (about !== null && about !== id)) return false;
    seen.add(noteId);
    return true;
  });
  const order = (note: Json) =>
    `${jsonText(note.createdAt) ?? ''}|${String(note.number ?? '').padStart(12, '0')}`;
  return own.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

interface Stream {
  /** The create note's stage (`data.statusValue`): the deal's first stage. */
  first: CrmStage | null;
  createdAt: string | null;
  changes: StageChange[];
}

/**
 * Stages from the notes: the create note's `statusValue`, then each update note's `value` (set only
 * when the stage changed; EspoCRM never records the stage left: it is the stage entered before).
 * Notes of 9.1 and older (`Status`, legacy) carry the stage entered as `value` too.
 */
function readStream(notes: Json[], locale: PageLocale | null): Stream {
  let first: CrmStage | null = null;
  let createdAt: string | null = null;
  const changes: StageChange[] = [];
  for (const note of notes) {
    const data = jsonObject(note.data);
    const at = utcInstant(note.createdAt);
    if (note.type === 'Create') {
      const value = jsonText(data?.statusValue);
      first = value === null ? null : stageFromValue(value, locale);
      createdAt = at;
      continue;
    }
    const value = note.type === 'Update' || note.type === 'Status' ? jsonText(data?.value) : null;
    if (value === null) continue;
    const moment: Moment | null = at === null ? null : { instant: at, estimated: false };
    changes.push({ from: changes.at(-1)?.to ?? first, to: stageFromValue(value, locale), at: moment });
  }
  return { first, createdAt, changes };
}

function strings(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  const entries = list.map(jsonObject).filter((entry): entry is Json => entry !== null);
  // The primary one first, as EspoCRM shows it.
  entries.sort((a, b) => Number(b.primary === true) - Number(a.primary === true));
  return entries.map((entry) => jsonText(entry[key])).filter((value): value is string => value !== null);
}

/** Every phone and e-mail the answer holds: the `…Data` lists when present, else the primary ones. */
function contactOf(contact: Json): CrmContact {
  const phoneList = strings(contact.phoneNumberData, 'phoneNumber');
  const emailList = strings(contact.emailAddressData, 'emailAddress');
  const phone = jsonText(contact.phoneNumber);
  const email = jsonText(contact.emailAddress);
  return {
    id: jsonText(contact.id),
    name: jsonText(contact.name) ?? '',
    phones: [...new Set(phoneList.length > 0 ? phoneList : phone === null ? [] : [phone])],
    emails: normalizeEmails(emailList.length > 0 ? emailList : email === null ? [] : [email]),
    createdAt: utcInstant(contact.createdAt),
  };
}

/** Contacts in the record's own order (`contactsIds`, as the page's contacts field lists them). */
function orderedContacts(contacts: Json[], record: Json): CrmContact[] {
  const ids = Array.isArray(record.contactsIds) ? record.contactsIds.map(jsonText) : [];
  const rank = (contact: CrmContact) => {
    const index = ids.indexOf(contact.id);
    return index < 0 ? ids.length : index;
  };
  return contacts.map(contactOf).sort((a, b) => rank(a) - rank(b));
}

function amountOf(record: Json): Money | null {
  if (typeof record.amount !== 'number' || !Number.isFinite(record.amount)) return null;
  return { amount: record.amount, currency: jsonText(record.amountCurrency), rounded: false };
}

/**
 * The deal's account with its phones and e-mails, read once per account for the whole export. An
 * account the user may not read is sent by name alone; a busy CRM or a lost session stops the deal.
 */
async function companyOf(
  record: Json,
  base: string,
  fetchJson: JsonFetch,
  request: JsonRequest,
  context: ApiReadContext,
  problems: Problems,
): Promise<CrmCompany | null> {
  const id = jsonText(record.accountId);
  if (id === null) return null;
  const name = jsonText(record.accountName) ?? id;
  const path = base + route(espocrmEndpoints.account, { id });
  const key = `espocrm:account:${path}`;
  let account = context.cache.get(key) as Json | null | undefined;
  if (account === undefined) {
    try {
      account = jsonObject(await fetchJson(path, request));
    } catch (error) {
      if (!(error instanceof CrmReadError) || error.failure === 'auth' || error.failure === 'busy')
        throw error;
      account = null;
    }
    context.cache.set(key, account);
  }
  if (account === null) {
    problems.add({ code: 'field_missing', field: 'deal.company.phones', detail: path, severity: 'warning' });
    return { id, name };
  }
  const phones = strings(account.phoneNumberData, 'phoneNumber');
  const emails = strings(account.emailAddressData, 'emailAddress');
  const phone = jsonText(account.phoneNumber);
  const email = jsonText(account.emailAddress);
  return {
    id,
    name,
    phones: [...new Set(phones.length > 0 ? phones : phone === null ? [] : [phone])],
    emails: normalizeEmails(emails.length > 0 ? emails : email === null ? [] : [email]),
  };
}

function ownerOf(record: Json): CrmUser | null {
  const id = jsonText(record.assignedUserId);
  return id === null ? null : { id, name: jsonText(record.assignedUserName) ?? id };
}

/** Stage names in the page's language: its `<html lang>` when the context does not say. */
function localeOf(context: ApiReadContext): PageLocale | null {
  const document = context.window?.document;
  return document ? pageLocale(document, context) : context.locale;
}

async function readDeal(
  id: string,
  fetchJson: JsonFetch,
  context: ApiReadContext,
): Promise<ScrapeResult<CrmDeal>> {
  const problems = new Problems();
  const base = installPath(context.url);
  const request = requestOf(context.window);
  const recordPath = base + route(espocrmEndpoints.record, { id });
  const record = jsonObject(await fetchJson(recordPath, request));
  if (!record || jsonText(record.id) !== id) {
    throw new CrmReadError('refused', 0, `${recordPath}: not an Opportunity`);
  }
  const locale = localeOf(context);
  const stageValue = jsonText(record.stage);
  const stage = stageValue === null ? null : stageFromValue(stageValue, locale);
  if (stage === null) {
    problems.add({ code: 'field_missing', field: 'deal.stage', detail: recordPath, severity: 'error' });
  }
  const owner = ownerOf(record);
  if (owner === null) {
    problems.add({ code: 'field_empty', field: 'deal.owner', detail: recordPath, severity: 'warning' });
  }
  const notes = await readList(espocrmEndpoints.stream, id, base, fetchJson, request, problems);
  const stream = readStream(ownNotes(notes, id), locale);
  const contacts = await readList(espocrmEndpoints.contacts, id, base, fetchJson, request, problems);
  const createdAt = utcInstant(record.createdAt) ?? stream.createdAt;
  const company = await companyOf(record, base, fetchJson, request, context, problems);
  const closed = stage?.outcome === 'won' || stage?.outcome === 'lost';
  return {
    data: {
      crm: 'espocrm',
      id,
      url: dealUrl(context.url, id),
      name: jsonText(record.name) ?? '',
      pipeline: espoPipeline,
      stage,
      amount: amountOf(record),
      createdAt,
      modifiedAt: utcInstant(record.modifiedAt),
      closedAt: closed ? dayInstant(record.closeDate, context.timeZone) : null,
      owner,
      contacts: orderedContacts(contacts, record),
      history: buildHistory(
        stream.changes,
        stream.first ?? stage,
        createdAt === null ? null : { instant: createdAt, estimated: false },
        problems,
      ),
      ...dealExtras({
        company,
        // The enum value: a Russian page shows its translated label instead.
        source: jsonText(record.leadSource),
        tags: [],
        description: jsonText(record.description),
        fields: {
          probability: typeof record.probability === 'number' ? String(record.probability) : null,
          closeDate: /^\d{4}-\d{2}-\d{2}$/.test(jsonText(record.closeDate) ?? '')
            ? jsonText(record.closeDate)
            : null,
        },
      }),
    },
    problems: problems.list,
  };
}

export const espocrmApiReader: ApiReader = { crm: 'espocrm', readDeal };
