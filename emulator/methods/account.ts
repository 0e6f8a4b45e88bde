import { randomUUID } from 'node:crypto';
import { RpcFault } from '../errors';
import { nowMs, type Runtime } from '../runtime';
import { checkKeys, requireString } from '../validate';
import type { Method } from './types';

const authError = () => new RpcFault(-32001, 'auth_error', 'Wrong login or password');

const loginUser: Method = {
  needsToken: false,
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
  crm: false,
  mutates: false,
  run(params, rt, token) {
    checkKeys(params, '', [], []);
    if (token) rt.sessions.delete(token);
    return { data: {} };
  },
};

const getAccount: Method = {
  needsToken: true,
  crm: false,
  mutates: false,
  run(params, rt: Runtime) {
    checkKeys(params, '', [], []);
    return { data: [{ app_id: rt.appId, name: rt.accountName, timezone: rt.timezone }] };
  },
};

export const accountMethods: Record<string, Method> = {
  'login.user': loginUser,
  'logout.user': logoutUser,
  'get.account': getAccount,
};
