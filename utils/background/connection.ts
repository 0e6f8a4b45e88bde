import { ComagicClient, describeError, isComagicError } from '../comagic';
import { endpointAddress, endpointProblem, endpointUrl } from '../comagic/endpoints';
import { localize } from '../i18n';
import type { ConnectionTestResult, ConnectionView, MessageData } from '../messaging';
import {
  accountStore,
  type Connection,
  connectionStore,
  type Endpoint,
  sessionStore,
  settingsStore,
} from '../storage';
import { ui } from '../ui-text';

const messages = {
  notConfigured: {
    en: 'No connection is saved yet: choose the service and enter an API key, then save.',
    ru: 'Подключение ещё не сохранено: выберите сервис, введите ключ API и сохраните.',
  },
  connected: {
    en: 'Connected to “{name}”. Sales funnels are available.',
    ru: 'Подключено к «{name}». Воронки продаж доступны.',
  },
};

export function endpointOf(endpoint: Endpoint): string {
  return endpoint.brand === 'custom' ? endpointUrl(endpoint.url) : endpointUrl(endpoint.brand);
}

/** `••••••3f9a`: enough to tell keys apart, never enough to use one. */
export function maskToken(token: string): string {
  return `••••••${token.slice(-4)}`;
}

export function viewOf(connection: Connection | null): ConnectionView | null {
  if (!connection) return null;
  const { endpoint, auth } = connection;
  return {
    endpoint,
    authKind: auth.kind,
    login: auth.kind === 'login' ? auth.login : null,
    maskedToken: auth.kind === 'key' ? maskToken(auth.token) : null,
    passwordRemembered: auth.kind === 'login' && auth.password !== null,
  };
}

/**
 * Saves what the options page sent. An empty key keeps the stored one, and an empty password the
 * stored one, only for the same address: credentials never follow a changed endpoint to another
 * host. A password the user did not ask to remember is kept only for this browser session
 * (storage.session, memory only). A custom endpoint must be https, or http on this computer.
 */
export async function saveConnection(input: MessageData<'connection.save'>): Promise<void> {
  const stored = await connectionStore.get();
  const { endpoint, auth } = input;
  if (endpoint.brand === 'custom') {
    const problem = endpointProblem(endpoint.url);
    if (problem) throw new Error(localize(problem.text, problem.params));
  }
  const address = endpointOf(endpoint);
  const moved = stored !== null && endpointAddress(stored.endpoint) !== address;
  const kept = moved ? null : stored?.auth;
  let next: Connection;
  if (auth.kind === 'key') {
    const token = auth.token || (kept?.kind === 'key' ? kept.token : null);
    if (!token && moved && stored.auth.kind === 'key') {
      throw new Error(localize(ui.keyForOtherAddress, { address }));
    }
    if (!token) throw new Error(localize(messages.notConfigured));
    next = { endpoint, auth: { kind: 'key', token } };
  } else {
    if (!auth.password && moved && stored.auth.kind === 'login') {
      throw new Error(localize(ui.passwordForOtherAddress, { address }));
    }
    const password = auth.password ?? (kept?.kind === 'login' ? kept.password : null);
    next = {
      endpoint,
      auth: { kind: 'login', login: auth.login, password: auth.remember ? password : null },
    };
    // A password kept for this browser session is the previous address's when the address moved.
    if (auth.password || moved) await sessionStore.setPassword(auth.remember ? null : auth.password);
  }
  // A session token was given by the previous address (or for the previous login).
  await sessionStore.set(null);
  await connectionStore.set(next);
  await accountStore.set(null);
}

/** A client for the stored connection, or null when none is saved. */
export async function clientFor(connection: Connection | null): Promise<ComagicClient | null> {
  if (!connection) return null;
  const { auth } = connection;
  const password = auth.kind === 'login' ? (auth.password ?? (await sessionStore.getPassword())) : null;
  const { partnerUserId } = await settingsStore.get();
  return new ComagicClient({
    endpoint: endpointOf(connection.endpoint),
    auth: auth.kind === 'key' ? auth : { kind: 'login', login: auth.login, password },
    sessionStore: { get: sessionStore.get, set: sessionStore.set },
    ...(partnerUserId === null ? {} : { userId: partnerUserId }),
  });
}

/**
 * getobj.account answers client and partner accounts alike (get.account only clients), but its page
 * names the component «Data API для настройки» as needed: an account without it is asked get.account.
 */
async function accountOf(
  client: ComagicClient,
): Promise<{ name: string; timezone: string; reportCurrency?: string }> {
  try {
    const account = await client.call('getobj.account', {});
    // The currency revenue is counted in: a deal in another one is converted or held back.
    return { name: account.app_name, timezone: account.timezone, reportCurrency: account.report_currency };
  } catch (error) {
    if (!isComagicError(error) || error.info.mnemonic !== 'method_component_disabled') throw error;
  }
  const [account] = await client.call('get.account', {});
  if (!account) throw new Error('get.account returned no account');
  return account;
}

/** "Test connection": the account's name and time zone, the limits left, or what to fix. */
export async function testConnection(now: () => Date = () => new Date()): Promise<ConnectionTestResult> {
  const client = await clientFor(await connectionStore.get());
  if (!client) return { ok: false, message: localize(messages.notConfigured) };
  try {
    const account = await accountOf(client);
    // Neither account method needs the sales-funnel component; a one-row funnel list does.
    await client.list('get.sales_funnel', { limit: 1, fields: ['ext_id'] });
    await accountStore.set({
      name: account.name,
      timeZone: account.timezone,
      checkedAt: now().toISOString(),
      reportCurrency: account.reportCurrency ?? null,
    });
    const limits = client.limits;
    return {
      ok: true,
      message: localize(messages.connected, { name: account.name }),
      account: { name: account.name, timeZone: account.timezone },
      limits: limits
        ? {
            dayRemaining: limits.day_remaining,
            dayLimit: limits.day_limit,
            minuteRemaining: limits.minute_remaining,
            minuteLimit: limits.minute_limit,
          }
        : undefined,
    };
  } catch (error) {
    if (isComagicError(error)) {
      return { ok: false, message: describeError(error.info), errorClass: error.info.class };
    }
    return {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      errorClass: 'fatal',
    };
  }
}
