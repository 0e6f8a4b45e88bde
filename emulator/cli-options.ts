import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './runtime';
import { isValidTimeZone } from './validate';

export const USAGE = `Usage: npm run emulator -- [options]
  --port N              port to listen on (default 8780, 0 = any free port)
  --host HOST           address to bind (default 127.0.0.1)
  --token KEY           permanent API key, repeatable (default demo-key)
  --user LOGIN:PASSWORD credentials accepted by login.user, repeatable
  --session-ttl SECONDS login.user session lifetime (default 3600)
  --minute-limit N      calls per minute (default unlimited)
  --day-limit N         calls per day (default unlimited)
  --timezone ZONE       account time zone, IANA (default Europe/Moscow)
  --account-name NAME   account name returned by get.account and getobj.account
  --report-currency XXX getobj.account's report currency, ISO 4217 (default RUB)
  --partner-user-id N   the tokens are a partner's acting for client user N (repeatable):
                        every method then needs user_id
  --state FILE          keep stored data in FILE across restarts
  --help                show this message`;

export class UsageError extends Error {}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a non-negative integer`);
  return Number(value);
}

function user(value: string): { login: string; password: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError('--user must be LOGIN:PASSWORD');
  return { login: value.slice(0, colon), password: value.slice(colon + 1) };
}

export function parseCli(argv: string[]): EmulatorOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (values.timezone !== undefined && !isValidTimeZone(values.timezone)) {
    throw new UsageError(`unknown time zone ${values.timezone}`);
  }
  const currency = values['report-currency'];
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new UsageError('--report-currency must be three capital letters, e.g. RUB');
  }
  return {
    port: integer(values.port, '--port') ?? 8780,
    host: values.host,
    tokens: values.token,
    users: values.user?.map(user),
    sessionTtlSeconds: integer(values['session-ttl'], '--session-ttl'),
    minuteLimit: integer(values['minute-limit'], '--minute-limit'),
    dayLimit: integer(values['day-limit'], '--day-limit'),
    timezone: values.timezone,
    accountName: values['account-name'],
    reportCurrency: currency,
    partnerUserIds: values['partner-user-id']?.map((id) => integer(id, '--partner-user-id') as number),
    statePath: values.state,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true },
      'session-ttl': { type: 'string' },
      'minute-limit': { type: 'string' },
      'day-limit': { type: 'string' },
      timezone: { type: 'string' },
      'account-name': { type: 'string' },
      'report-currency': { type: 'string' },
      'partner-user-id': { type: 'string', multiple: true },
      state: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
