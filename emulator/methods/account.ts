import { randomUUID } from 'node:crypto';
import { RpcFault } from '../errors';
import { nowMs, type Runtime } from '../runtime';
import { checkKeys, requireString } from '../validate';
import type { Method } from './types';

const authError = () => new RpcFault(-32001, 'auth_error', 'Wrong login or password');

const loginUser: Method = {
  needsToken: false,
  takesUserId: false,
  crm: false,
  mutates: false,
  run(params, rt) {
    checkKeys(params, '', ['login', 'password'], []);
    const login = requireString(params, 'login', '');
    const password = requireString(params, 'password', '');
    const user = rt.users.find((u) => u.login === login && u.password === password);
    if (!user) throw authError();
    const token = `session-${randomUUID()}`;
    const expiresAtMs = nowMs(rt) + rt.sessionTtlSeconds * 1000;
    rt.sessions.set(token, expiresAtMs);
    return { data: { access_token: token, expire_at: Math.floor(expiresAtMs / 1000), app_id: rt.appId } };
  },
};

const logoutUser: Method = {
  needsToken: true,
  takesUserId: false,
  crm: false,
  mutates: false,
  run(params, rt, token) {
    checkKeys(params, '', [], []);
    if (token) rt.sessions.delete(token);
    return { data: {} };
  },
};

const isPartner = (rt: Runtime) => rt.config.partnerUserIds.length > 0;

/** The docs offer get.account to client accounts only (and list no user_id for it). */
const getAccount: Method = {
  needsToken: true,
  takesUserId: false,
  crm: false,
  mutates: false,
  run(params, rt: Runtime) {
    checkKeys(params, '', [], []);
    if (isPartner(rt)) {
      throw new RpcFault(
        -32003,
        'forbidden',
        'get.account is for client accounts; a partner uses getobj.account',
      );
    }
    return { data: [{ app_id: rt.appId, name: rt.accountName, timezone: rt.timezone }] };
  },
};

/** The user a token stands for: the emulator has one user per account. */
const ACCOUNT_USER = {
  user_id: 1,
  user_login: 'admin@example.com',
  user_name: 'Администратор',
  user_type: 'admin',
};

/**
 * For client and partner accounts; a partner names the client user it acts for in `user_id` and gets
 * that client's account. Needs the component «Data API для настройки», as its page says.
 */
const getAccountObject: Method = {
  needsToken: true,
  takesUserId: true,
  crm: false,
  mutates: false,
  run(params, rt: Runtime, _token, userId) {
    checkKeys(params, '', [], []);
    if (!rt.config.setupComponent) {
      throw new RpcFault(
        -32008,
        'method_component_disabled',
        'The component «Data API для настройки» is disabled',
      );
    }
    const viaPartner = isPartner(rt);
    return {
      data: {
        app_id: rt.appId,
        app_state: 'active',
        app_name: rt.accountName,
        is_agent_app: viaPartner,
        customer_id: rt.appId,
        ...ACCOUNT_USER,
        ...(viaPartner && userId !== undefined ? { user_id: userId } : {}),
        tp_id: 1,
        tp_name: 'Emulator',
        crm_type: null,
        lang: 'ru',
        project: 'comagic',
        timezone: rt.timezone,
        permissions: [],
        components: rt.config.salesFunnelComponent ? ['sales_funnel'] : [],
        is_bi_available: false,
        report_currency: rt.config.reportCurrency,
        is_agent: false,
        agent_type: null,
      },
    };
  },
};

export const accountMethods: Record<string, Method> = {
  'login.user': loginUser,
  'logout.user': logoutUser,
  'get.account': getAccount,
  'getobj.account': getAccountObject,
};
