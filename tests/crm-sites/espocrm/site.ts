/**
 * The demo EspoCRM: one HTML shell at `/` whose script renders the hash route (`#Opportunity`,
 * `#Opportunity/view/<id>`), and the read-only API the web client uses, behind EspoCRM's auth.
 *
 * Auth, from espocrm/espocrm 10.0 (`Core/Api/Auth.php`, `Core/Authentication/Authentication.php`,
 * `client/src/app.js`, `client/src/storage.js`): the client sends `Espo-Authorization:
 * base64(user:token)` (+ `Espo-Authorization-By-Token: true`), the value it keeps in localStorage
 * `espo-user-auth`; without that header the `auth-token` cookie is the token. A token made at login
 * has a secret that must come in the HttpOnly `auth-token-secret` cookie. Without valid auth: 401,
 * empty body, and `WWW-Authenticate: Basic realm=""` only for a GET that is neither XHR nor has a
 * Referer. `maxSize` over 200 is 403 ("Max size should not exceed 200. Use offset and limit.").
 */
import type { DemoDeal, DemoPipeline } from '../../../demo/data';
import { clientScript } from '../client';
import type { ApiAnswer, ApiRequest, CrmSite, Session } from '../site';
import { boardView, dealView, homeView, notFoundView } from './pages';
import { accountRecord, contactRecord, ESPO_ADMIN, noteRecord, notesOf, opportunityRecord } from './records';

const MAX_SIZE_LIMIT = 200;
const API = /^\/api\/v1\/(.*)$/;
const OPPORTUNITY = /^Opportunity\/([^/]+)(?:\/(stream|contacts))?$/;
const ACCOUNT = /^Account\/([^/]+)$/;

/**
 * The two ways a person changes a deal's stage in EspoCRM 10's web client, both saved the way its
 * model saves (`client/src/views/record/kanban.js` on a drop, the field's inline edit on the detail
 * view): `PUT api/v1/Opportunity/<id>` with the changed attributes, then the view shows the saved
 * record. The demo has no drag library: a card is moved with the browser's drag and drop events.
 */
function espoEdits(stages: { id: string; name: string }[]): string {
  return `
  function saveDeal(id, attributes) {
    return fetch('api/v1/Opportunity/' + encodeURIComponent(id), {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'Espo-Authorization': localStorage.getItem('espo-user-auth'),
        'Espo-Authorization-By-Token': 'true',
        'X-Requested-With': 'XMLHttpRequest'
      },
      body: JSON.stringify(attributes)
    }).then(function () { render(); });
  }
  main.addEventListener('dragstart', function (event) {
    var item = event.target.closest && event.target.closest('div.item[data-id]');
    if (item) event.dataTransfer.setData('text/plain', item.getAttribute('data-id'));
  });
  main.addEventListener('dragover', function (event) {
    if (event.target.closest('.group-column-list')) event.preventDefault();
  });
  main.addEventListener('drop', function (event) {
    var column = event.target.closest('.group-column-list');
    var id = event.dataTransfer.getData('text/plain');
    if (!column || !id) return;
    event.preventDefault();
    var item = main.querySelector('div.item[data-id="' + CSS.escape(id) + '"]');
    if (item) column.prepend(item);
    saveDeal(id, { stage: column.getAttribute('data-name') });
  });
  var STAGES = ${JSON.stringify(stages)};
  main.addEventListener('click', function (event) {
    var edit = event.target.closest('a.inline-edit-link[data-name="stage"]');
    var save = event.target.closest('button[data-action="inlineSave"]');
    var record = main.querySelector('.detail[data-scope="Opportunity"]');
    if (edit && record) {
      var field = record.querySelector('.field[data-name="stage"]');
      var select = document.createElement('select');
      select.className = 'form-control main-element';
      select.setAttribute('data-name', 'stage');
      STAGES.forEach(function (stage) { select.add(new Option(stage.name, stage.id)); });
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-primary btn-sm';
      button.setAttribute('data-action', 'inlineSave');
      button.textContent = 'Update';
      field.replaceChildren(select, button);
    }
    if (save && record) {
      var id = location.hash.split('/').pop();
      saveDeal(id, { stage: record.querySelector('select[data-name="stage"]').value });
    }
  });`;
}

function shell(session: Session, renderDelayMs: number, stages: { id: string; name: string }[]): string {
  const auth = Buffer.from(`${ESPO_ADMIN.userName}:${session.token}`).toString('base64');
  // The web client, once logged in, keeps the token in a cookie and the auth string in localStorage.
  const setup = `document.cookie = 'auth-token=${session.token}; SameSite=Lax; path=/';
  localStorage.setItem('espo-user-auth', '${auth}');`;
  return `<!doctype html>
<!-- Demo CRM modelled on EspoCRM 10.0 (English UI, date format DD.MM.YYYY, time HH:mm). Written by hand from EspoCRM's templates as facts. -->
<html lang="en">
<head><meta charset="utf-8"><title>EspoCRM</title></head>
<body>
<div id="header"><div id="navbar"><div class="navbar navbar-inverse" role="navigation"><ul class="nav navbar-nav tabs"><li data-name="Opportunity" class="not-in-more tab"><a href="#Opportunity" class="nav-link"><span class="full-label">Opportunities</span></a></li></ul></div></div></div>
<div id="content" class="container content"><div id="main"></div></div>
<script>${clientScript({ routing: 'hash', main: '#main', renderDelayMs, setup, edits: espoEdits(stages) })}</script>
</body>
</html>`;
}

function tokenFromBasic(value: string | undefined): string | null {
  if (!value) return null;
  const decoded = Buffer.from(value.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0 || decoded.slice(0, at).trim() !== ESPO_ADMIN.userName) return null;
  return decoded.slice(at + 1).trim();
}

/** `maxSize` and `offset` as EspoCRM's SearchParamsFetcher reads them, or the 4xx it answers. */
function paging(query: URLSearchParams): { offset: number; maxSize: number } | ApiAnswer {
  const raw = query.get('maxSize');
  const maxSize = raw === null || raw === '' ? MAX_SIZE_LIMIT : Number.parseInt(raw, 10);
  if (Number.isNaN(maxSize))
    return { status: 400, headers: { 'X-Status-Reason': 'maxSize must be integer.' } };
  if (maxSize > MAX_SIZE_LIMIT) {
    return {
      status: 403,
      headers: { 'X-Status-Reason': `Max size should not exceed ${MAX_SIZE_LIMIT}. Use offset and limit.` },
    };
  }
  const offset = Number.parseInt(query.get('offset') ?? '0', 10) || 0;
  return { offset, maxSize };
}

function only(record: Record<string, unknown>, select: string | null): Record<string, unknown> {
  if (!select) return record;
  const wanted = new Set(['id', ...select.split(',').map((name) => name.trim())]);
  return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.has(key)));
}

export function espoSite(pipeline: DemoPipeline, options: { renderDelayMs: number }): CrmSite {
  const dealById = new Map(pipeline.deals.map((deal) => [deal.id, deal]));

  /**
   * EspoCRM's update (`Record::update`): the changed attributes saved, a stage change noted in the
   * stream at the time it is saved (`Stream/Service.php` handleAudited: the status field's Update note).
   */
  function update(deal: DemoDeal, body: unknown): ApiAnswer {
    const attributes = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const stage = attributes.stage;
    if (stage !== undefined) {
      if (typeof stage !== 'string' || !pipeline.stages.some((known) => known.id === stage)) {
        return { status: 400, headers: { 'X-Status-Reason': 'Not valid value for field stage.' } };
      }
      if (stage !== deal.stageId) {
        deal.stageId = stage;
        deal.history.push({ stageId: stage, at: new Date(Math.floor(Date.now() / 1000) * 1000) });
      }
    }
    return { status: 200, body: opportunityRecord(pipeline, deal) };
  }

  function answer(request: ApiRequest): ApiAnswer {
    const route = API.exec(request.path)?.[1] ?? '';
    const match = OPPORTUNITY.exec(route);
    const deal = match ? dealById.get(match[1] as string) : undefined;
    if ((request.method === 'PUT' || request.method === 'PATCH') && match?.[2] === undefined) {
      return deal ? update(deal, request.body) : { status: 404 };
    }
    if (request.method !== 'GET') {
      return {
        status: 403,
        headers: { 'X-Status-Reason': 'The demo CRM only reads and updates opportunities.' },
      };
    }
    const accountId = ACCOUNT.exec(route)?.[1];
    if (accountId !== undefined) {
      const account = accountRecord(pipeline, accountId);
      return account ? { status: 200, body: account } : { status: 404 };
    }
    if (!match || !deal) return { status: 404 };
    if (match[2] === undefined) return { status: 200, body: opportunityRecord(pipeline, deal) };
    const page = paging(request.query);
    if ('status' in page) return page;
    const window = <T>(list: T[]) => list.slice(page.offset, page.offset + page.maxSize);
    if (match[2] === 'stream') {
      const notes = notesOf(pipeline, deal).reverse();
      return {
        status: 200,
        body: {
          total: notes.length,
          list: window(notes).map((note) => noteRecord(pipeline, deal, note)),
          pinnedList: [],
        },
      };
    }
    const contacts = deal.contacts.map((person) => contactRecord(pipeline, deal, person));
    return {
      status: 200,
      body: {
        total: contacts.length,
        list: window(contacts).map((c) => only(c, request.query.get('select'))),
      },
    };
  }

  return {
    boardPath: '/#Opportunity',
    dealPath: (id) => `/#Opportunity/view/${id}`,
    page: (path, session) =>
      path === '/' || path === '/index.html' ? shell(session, options.renderDelayMs, pipeline.stages) : null,
    // The server sets only the secret; the page script sets `auth-token` itself, as EspoCRM's client does.
    sessionCookies: (session) => [`auth-token-secret=${session.secret}; Path=/; HttpOnly; SameSite=Lax`],
    view(route) {
      if (route === '' || route === 'Home') return { status: 200, view: homeView() };
      // Kanban is a view mode of the list, not a route of its own.
      if (route === 'Opportunity') return { status: 200, view: boardView(pipeline) };
      const id = /^Opportunity\/view\/([^/]+)$/.exec(route)?.[1];
      const deal = id === undefined ? undefined : dealById.get(id);
      return deal ? { status: 200, view: dealView(pipeline, deal) } : { status: 404, view: notFoundView() };
    },
    isApi: (path) => API.test(path),
    presentedToken(request, sessions) {
      const header = request.headers['espo-authorization'];
      const token =
        tokenFromBasic(typeof header === 'string' ? `Basic ${header}` : undefined) ??
        tokenFromBasic(request.headers.authorization) ??
        request.cookies['auth-token'] ??
        null;
      if (token === null) return null;
      const session = sessions.get(token);
      return session && request.cookies['auth-token-secret'] === session.secret ? token : null;
    },
    unauthorized(request) {
      const xhr = String(request.headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest';
      const dialog = !xhr && !request.headers.referer && request.method === 'GET';
      const headers: Record<string, string> = dialog ? { 'WWW-Authenticate': 'Basic realm=""' } : {};
      return { status: 401, headers };
    },
    failure: (_request, status) => ({ status }),
    dealIdsOf(request) {
      const id = OPPORTUNITY.exec(API.exec(request.path)?.[1] ?? '')?.[1];
      return id === undefined ? [] : [id];
    },
    routeOf(request) {
      const route = (API.exec(request.path)?.[1] ?? '')
        .replace(OPPORTUNITY, (_all, _id, tail) => (tail ? `Opportunity/{id}/${tail}` : 'Opportunity/{id}'))
        .replace(ACCOUNT, 'Account/{id}');
      return `${request.method} /api/v1/${route}`;
    },
    answer,
  };
}
