/**
 * The demo Odoo's JSON-RPC: `POST /web/dataset/call_kw/<model>/<method>` (read, search_read,
 * search, search_count on crm.lead, crm.stage, res.partner, res.users) and the chatter route
 * `POST /mail/thread/messages`. Read-only: any other method is refused as Odoo refuses an unknown one.
 *
 * Envelope and errors from odoo/odoo 18.0 (`odoo/http.py` JsonRPCDispatcher): `{jsonrpc, id, result}`
 * or `{jsonrpc, id, error: {code, message, data: {name, debug, message, arguments, context}}}` with
 * HTTP 200; code 100 "Odoo Session Expired" for a request without a session, 200 "Odoo Server Error"
 * otherwise. `/mail/thread/messages` (18.0 `mail/controllers/thread.py`): params `thread_model,
 * thread_id, search_term, before, after, around, limit=30`; newest first; answers
 * `{data: {"mail.message": [...], "mail.thread": [...], "res.partner": [...]}, messages: [ids]}`.
 */
import type { DemoDeal, DemoPipeline } from '../../../demo/data';
import { DomainError, type DomainModel, domainFilter } from './domain';
import {
  authorRecord,
  chatterOf,
  leadRecord,
  messageRecord,
  type OdooRecord,
  type OdooValue,
  partnerRecords,
  stageRecords,
  tagRecords,
  userRecords,
} from './records';

export class RpcError extends Error {
  constructor(
    /** Odoo's exception class, e.g. `odoo.exceptions.MissingError`. */
    readonly exception: string,
    message: string,
    readonly code = 200,
    readonly title = 'Odoo Server Error',
  ) {
    super(message);
  }
}

export function rpcError(id: unknown, error: RpcError): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: id ?? null,
    error: {
      code: error.code,
      message: error.title,
      data: {
        name: error.exception,
        debug: `Traceback (most recent call last):\n${error.exception}: ${error.message}\n`,
        message: error.message,
        arguments: [error.message],
        context: {},
      },
    },
  };
}

export const sessionExpired = () =>
  new RpcError('odoo.http.SessionExpiredException', 'Session expired', 100, 'Odoo Session Expired');

/** What Odoo answers for a record that is not there (deleted, or never was). */
export const missingRecord = (model: string, ids: number[]) =>
  new RpcError(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: 2)`,
  );

const RELATIONS: Record<string, Record<string, string>> = {
  'crm.lead': { stage_id: 'crm.stage', user_id: 'res.users', partner_id: 'res.partner' },
  'res.partner': { parent_id: 'res.partner' },
  'res.users': { partner_id: 'res.partner' },
  'crm.stage': {},
  'crm.tag': {},
};

/** `_order` of each model, for search without an explicit order. */
const DEFAULT_ORDER: Record<string, string> = {
  'crm.lead': 'priority desc, id desc',
  'crm.stage': 'sequence, name, id',
  'res.partner': 'name, id',
  'res.users': 'name, id',
  'crm.tag': 'name, id',
};

type Args = { args: unknown[]; kwargs: Record<string, unknown> };

/** A positional argument or its keyword, as Odoo's method signature binds them. */
function arg(call: Args, index: number, name: string): unknown {
  return call.kwargs[name] ?? call.args[index];
}

function sortBy(order: string): (a: OdooRecord, b: OdooRecord) => number {
  const keys = order
    .split(',')
    .map((part) => part.trim().split(/\s+/))
    .filter(([field]) => field)
    .map(([field, direction]) => ({
      field: field as string,
      sign: direction?.toLowerCase() === 'desc' ? -1 : 1,
    }));
  const key = (value: OdooValue | undefined) => (Array.isArray(value) ? value[0] : value);
  return (a, b) => {
    for (const { field, sign } of keys) {
      const x = key(a[field]);
      const y = key(b[field]);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (order !== 0) return order * sign;
    }
    return 0;
  };
}

export function odooRpc(pipeline: DemoPipeline) {
  const tables: Record<string, OdooRecord[]> = {
    'crm.lead': pipeline.deals.map((deal) => leadRecord(pipeline, deal)),
    'crm.stage': stageRecords(pipeline),
    'res.partner': partnerRecords(pipeline),
    'res.users': userRecords(pipeline),
    'crm.tag': tagRecords(),
  };
  const byId = Object.fromEntries(
    Object.entries(tables).map(([model, records]) => [
      model,
      new Map(records.map((r) => [r.id as number, r])),
    ]),
  ) as Record<string, Map<number, OdooRecord>>;
  const dealById = new Map(pipeline.deals.map((deal) => [Number(deal.id), deal]));

  function table(model: string): OdooRecord[] {
    const records = tables[model];
    if (!records) throw new RpcError('builtins.KeyError', `'${model}'`);
    return records;
  }

  function project(model: string, record: OdooRecord, fields: unknown): OdooRecord {
    if (fields === undefined || fields === null || (Array.isArray(fields) && fields.length === 0))
      return record;
    if (!Array.isArray(fields))
      throw new RpcError('builtins.TypeError', 'fields must be a list of field names');
    const out: OdooRecord = { id: record.id as number };
    for (const field of fields) {
      if (typeof field !== 'string' || !(field in record)) {
        throw new RpcError(
          'builtins.ValueError',
          `Invalid field ${JSON.stringify(field)} on model '${model}'`,
        );
      }
      out[field] = record[field] as OdooValue;
    }
    return out;
  }

  function search(
    model: string,
    domain: unknown,
    offset: unknown,
    limit: unknown,
    order: unknown,
  ): OdooRecord[] {
    const records = table(model);
    const domainModel: DomainModel = {
      relations: RELATIONS[model] ?? {},
      resolve: (target, id) => byId[target]?.get(id),
    };
    let matching: OdooRecord[];
    try {
      const filter = domainFilter(domain ?? [], domainModel);
      // Archived records are left out unless the domain asks about `active` (Odoo's active_test).
      const mentionsActive = JSON.stringify(domain ?? []).includes('"active"');
      matching = records.filter((r) => (mentionsActive || r.active !== false) && filter(r));
    } catch (error) {
      if (error instanceof DomainError) throw new RpcError('builtins.ValueError', error.message);
      throw error;
    }
    matching.sort(sortBy(typeof order === 'string' && order ? order : (DEFAULT_ORDER[model] ?? 'id')));
    const start = typeof offset === 'number' ? offset : 0;
    const end = typeof limit === 'number' && limit > 0 ? start + limit : undefined;
    return matching.slice(start, end);
  }

  function read(model: string, ids: unknown, fields: unknown): OdooRecord[] {
    const list = (Array.isArray(ids) ? ids : [ids]) as unknown[];
    if (!list.every((id) => Number.isInteger(id)))
      throw new RpcError('builtins.TypeError', 'ids must be integers');
    table(model);
    const missing = (list as number[]).filter((id) => !byId[model]?.has(id));
    if (missing.length > 0) throw missingRecord(model, missing);
    return (list as number[]).map((id) => project(model, byId[model]?.get(id) as OdooRecord, fields));
  }

  /**
   * `web_save`, as Odoo 17+'s web client saves a record (a kanban card dropped on another column, a
   * statusbar stage clicked): only a lead's `stage_id` here; the move is tracked at the time it is saved.
   */
  function save(model: string, ids: unknown, values: unknown): OdooRecord[] {
    const list = (Array.isArray(ids) ? ids : [ids]) as unknown[];
    const stageId = (values as { stage_id?: unknown } | null)?.stage_id;
    const stage = typeof stageId === 'number' ? pipeline.stages[stageId - 1] : undefined;
    if (model !== 'crm.lead' || !stage) {
      throw new RpcError('odoo.exceptions.AccessError', 'The demo Odoo saves only a lead’s stage.');
    }
    const records = read(model, list, undefined);
    for (const record of records) {
      const deal = dealById.get(record.id as number) as DemoDeal;
      if (deal.stageId !== stage.id) {
        deal.stageId = stage.id;
        deal.history.push({ stageId: stage.id, at: new Date(Math.floor(Date.now() / 1000) * 1000) });
      }
      const saved = leadRecord(pipeline, deal);
      const leads = table('crm.lead');
      leads[leads.findIndex((lead) => lead.id === saved.id)] = saved;
      byId['crm.lead']?.set(saved.id as number, saved);
    }
    return read(model, list, undefined);
  }

  /** `call_kw` params: `{model, method, args, kwargs}`. */
  function callKw(params: Record<string, unknown>): unknown {
    const model = String(params.model ?? '');
    const method = String(params.method ?? '');
    const call: Args = {
      args: Array.isArray(params.args) ? params.args : [],
      kwargs:
        typeof params.kwargs === 'object' && params.kwargs !== null
          ? (params.kwargs as Record<string, unknown>)
          : {},
    };
    table(model);
    switch (method) {
      case 'read':
        return read(model, call.args[0], arg(call, 1, 'fields'));
      case 'search_read':
        return search(
          model,
          arg(call, 0, 'domain'),
          arg(call, 2, 'offset'),
          arg(call, 3, 'limit'),
          arg(call, 4, 'order'),
        ).map((record) => project(model, record, arg(call, 1, 'fields')));
      case 'search':
        return search(
          model,
          arg(call, 0, 'domain'),
          arg(call, 1, 'offset'),
          arg(call, 2, 'limit'),
          arg(call, 3, 'order'),
        ).map((record) => record.id);
      case 'search_count':
        return search(model, arg(call, 0, 'domain'), 0, arg(call, 1, 'limit'), null).length;
      case 'web_save':
        return save(model, call.args[0], call.args[1]);
      default:
        throw new RpcError('builtins.AttributeError', `The method '${model}.${method}' does not exist`);
    }
  }

  /** `/mail/thread/messages` params. */
  function threadMessages(params: Record<string, unknown>): unknown {
    if (params.thread_model === undefined || params.thread_id === undefined) {
      throw new RpcError(
        'builtins.TypeError',
        "ThreadController.mail_thread_messages() missing required positional arguments: 'thread_model' and 'thread_id'",
      );
    }
    const deal = params.thread_model === 'crm.lead' ? dealById.get(Number(params.thread_id)) : undefined;
    const limit = typeof params.limit === 'number' ? params.limit : 30;
    const events = deal ? chatterOf(pipeline, deal).reverse() : [];
    const window = events
      .filter((event) => typeof params.before !== 'number' || event.id < params.before)
      .filter((event) => typeof params.after !== 'number' || event.id > params.after)
      .slice(0, limit);
    if (!deal || window.length === 0) return { data: {}, messages: [] };
    const authors = [...new Map(window.map((event) => [event.author.id, event.author])).values()];
    return {
      data: {
        'mail.message': window.map((event) => messageRecord(pipeline, deal, event)),
        'mail.thread': [{ id: Number(deal.id), model: 'crm.lead', display_name: deal.name }],
        'res.partner': authors.map(authorRecord),
      },
      messages: window.map((event) => event.id),
    };
  }

  return { callKw, threadMessages };
}
