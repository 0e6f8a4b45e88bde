/**
 * The demo Odoo 18: the web client's shell at `/odoo/crm` and `/odoo/crm/<id>` whose script renders
 * the path's view (and opens a record from a card with pushState), and the JSON-RPC routes the web
 * client calls, behind the `session_id` cookie (HttpOnly, SameSite=Lax, as Odoo sets it).
 */
import type { DemoPipeline } from '../../../demo/data';
import { clientScript } from '../client';
import type { ApiAnswer, ApiRequest, CrmSite, Session } from '../site';
import { boardView, dealView, notFoundView } from './pages';
import { missingRecord, odooRpc, RpcError, rpcError, sessionExpired } from './rpc';

const CALL_KW = /^\/web\/dataset\/call_kw(?:\/.*)?$/;
const THREAD_MESSAGES = '/mail/thread/messages';
const RECORD = /^\/odoo\/crm\/(\d+)$/;

/**
 * How a person changes a lead's stage in Odoo 17+'s web client, both saved as its record saves
 * (`web_save` through call_kw), then the view shows the saved record: a kanban card dropped on
 * another column (the groups are in stage order, stage ids from 1), a stage clicked in the form's
 * statusbar (its data-value). The demo has no drag library: the browser's drag and drop events.
 */
const ODOO_EDITS = `
  function saveLead(id, values) {
    return fetch('/web/dataset/call_kw/crm.lead/web_save', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: Date.now(),
        params: { model: 'crm.lead', method: 'web_save', args: [[Number(id)], values], kwargs: { specification: {} } } })
    }).then(function () { render(); });
  }
  var dragged = null;
  main.addEventListener('dragstart', function (event) {
    var card = event.target.closest && event.target.closest('article.o_kanban_record');
    if (!card) return;
    dragged = cardIds[Array.prototype.indexOf.call(main.querySelectorAll('article.o_kanban_record'), card)];
  });
  main.addEventListener('dragover', function (event) {
    if (event.target.closest('.o_kanban_group')) event.preventDefault();
  });
  main.addEventListener('drop', function (event) {
    var group = event.target.closest('.o_kanban_group');
    if (!group || !dragged) return;
    event.preventDefault();
    var stage = Array.prototype.indexOf.call(main.querySelectorAll('.o_kanban_group'), group) + 1;
    saveLead(dragged, { stage_id: stage });
    dragged = null;
  });
  main.addEventListener('click', function (event) {
    var button = event.target.closest('.o_statusbar_status button[data-value]');
    var id = location.pathname.split('/').pop();
    if (button && /^[0-9]+$/.test(id)) saveLead(id, { stage_id: Number(button.getAttribute('data-value')) });
  });`;

function shell(renderDelayMs: number): string {
  return `<!doctype html>
<!-- Demo CRM modelled on Odoo 18.0 CRM (en_US). Written by hand from Odoo's templates as facts. -->
<html lang="en-US">
<head><meta charset="utf-8"><title>Odoo</title></head>
<body class="o_web_client">
<header class="o_navbar"><nav class="o_main_navbar"><a class="o_menu_brand" href="/odoo/crm">CRM</a></nav></header>
<div class="o_action_manager"></div>
<script>${clientScript({ routing: 'path', main: '.o_action_manager', renderDelayMs, edits: ODOO_EDITS })}</script>
</body>
</html>`;
}

interface JsonRpcCall {
  id: unknown;
  params: Record<string, unknown>;
}

function callOf(request: ApiRequest): JsonRpcCall | null {
  const body = request.body as { id?: unknown; params?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || typeof body.params !== 'object' || body.params === null) {
    return null;
  }
  return { id: body.id, params: body.params as Record<string, unknown> };
}

const ok = (id: unknown, result: unknown): ApiAnswer => ({
  status: 200,
  body: { jsonrpc: '2.0', id: id ?? null, result },
});

export function odooSite(pipeline: DemoPipeline, options: { renderDelayMs: number }): CrmSite {
  const rpc = odooRpc(pipeline);
  const dealById = new Map(pipeline.deals.map((deal) => [deal.id, deal]));

  function idsRead(request: ApiRequest): number[] {
    const call = callOf(request);
    if (!call) return [];
    if (request.path === THREAD_MESSAGES) {
      return call.params.thread_model === 'crm.lead' ? [Number(call.params.thread_id)] : [];
    }
    if (call.params.model !== 'crm.lead' || call.params.method !== 'read') return [];
    const ids = (call.params.args as unknown[] | undefined)?.[0];
    return (Array.isArray(ids) ? ids : [ids]).filter((id): id is number => typeof id === 'number');
  }

  return {
    boardPath: '/odoo/crm',
    dealPath: (id) => `/odoo/crm/${id}`,
    page: (path) => (path === '/odoo/crm' || RECORD.test(path) ? shell(options.renderDelayMs) : null),
    sessionCookies: (session: Session) => [
      `session_id=${session.token}; Max-Age=604800; HttpOnly; Path=/; SameSite=Lax`,
    ],
    view(route) {
      if (route === '/odoo/crm') return { status: 200, view: boardView(pipeline) };
      const deal = dealById.get(RECORD.exec(route)?.[1] ?? '');
      return deal ? { status: 200, view: dealView(pipeline, deal) } : { status: 404, view: notFoundView() };
    },
    isApi: (path) => CALL_KW.test(path) || path === THREAD_MESSAGES,
    presentedToken: (request, sessions) => {
      const token = request.cookies.session_id;
      return token !== undefined && sessions.has(token) ? token : null;
    },
    // Odoo answers JSON-RPC errors with HTTP 200 and the error in the body.
    unauthorized: (request) => ({ status: 200, body: rpcError(callOf(request)?.id, sessionExpired()) }),
    failure(request, status) {
      // A record that is not there is Odoo's MissingError, not an HTTP status; anything else is a
      // failure in front of Odoo (a proxy's 502, a worker's 503), with no JSON-RPC body.
      if (status !== 404) return { status };
      return {
        status: 200,
        body: rpcError(callOf(request)?.id, missingRecord('crm.lead', idsRead(request))),
      };
    },
    dealIdsOf: (request) => idsRead(request).map(String),
    routeOf(request) {
      const call = callOf(request);
      if (request.path === THREAD_MESSAGES) return `POST ${THREAD_MESSAGES}`;
      return `POST /web/dataset/call_kw ${String(call?.params.model)}.${String(call?.params.method)}`;
    },
    answer(request) {
      if (request.method !== 'POST') return { status: 405 };
      const call = callOf(request);
      if (!call) {
        return {
          status: 200,
          body: rpcError(null, new RpcError('werkzeug.exceptions.BadRequest', 'Invalid JSON-RPC data')),
        };
      }
      try {
        const result =
          request.path === THREAD_MESSAGES ? rpc.threadMessages(call.params) : rpc.callKw(call.params);
        return ok(call.id, result);
      } catch (error) {
        if (error instanceof RpcError) return { status: 200, body: rpcError(call.id, error) };
        throw error;
      }
    },
  };
}
