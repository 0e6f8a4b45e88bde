/**
 * Test support: the local emulator on a free port, a fake clock that both the client and the
 * emulator follow, and a client wired to them. Imported by the tests only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { advanceClock, inspect } from '../../emulator/control';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import { ComagicClient, type ComagicClientOptions } from '../../utils/comagic/client';
import { type ComagicError, type ComagicErrorInfo, isComagicError } from '../../utils/comagic/errors';

export const KEY = 'test-key';
export const USER = { login: 'analyst@example.com', password: 'pa55-w0rd-secret' };
/** 09:00:30 UTC: 30 s into a minute, so `minute_reset` reads 30. */
export const START = Date.parse('2026-03-10T09:00:30Z');

export function launchEmulator(
  options: Pick<
    EmulatorOptions,
    'sessionTtlSeconds' | 'minuteLimit' | 'dayLimit' | 'accountName' | 'reportCurrency' | 'partnerUserIds'
  > = {},
) {
  return startEmulator({
    port: 0,
    tokens: [KEY],
    users: [USER],
    timezone: 'Europe/Moscow',
    now: () => new Date(START),
    ...options,
  });
}

/** A clock for the client that moves only when the client sleeps, and moves the emulator with it. */
export function fakeClock(emulator: RunningEmulator) {
  const clock = { now: START, sleeps: [] as number[] };
  const sleep = async (ms: number) => {
    clock.sleeps.push(ms);
    clock.now += ms;
    await advanceClock(emulator.origin, ms / 1000);
  };
  return { clock, now: () => clock.now, sleep };
}

export function testClient(emulator: RunningEmulator, options: Partial<ComagicClientOptions> = {}) {
  const { clock, now, sleep } = fakeClock(emulator);
  const client = new ComagicClient({
    endpoint: emulator.url,
    auth: { kind: 'key', token: KEY },
    now,
    sleep,
    random: () => 0.5,
    ...options,
  });
  return { client, clock };
}

export async function callLog(emulator: RunningEmulator) {
  return (await inspect(emulator.origin)).calls;
}

/** A real HTTP server answering every POST with `answer(request)`, for API states the emulator has no switch for. */
export async function stubApi(
  answer: (request: { id: unknown; method: unknown }) => unknown,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer(JSON.parse(body))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`, server };
}

/** The ComagicError a call failed with; throws when it did not fail with one. */
export async function caughtComagicError(promise: Promise<unknown>): Promise<ComagicError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isComagicError(error)) throw new Error(`expected a ComagicError, got ${String(error)}`);
  return error;
}

/** What a call that failed with a ComagicError says of its failure. */
export async function rejection(promise: Promise<unknown>): Promise<ComagicErrorInfo> {
  return (await caughtComagicError(promise)).info;
}
