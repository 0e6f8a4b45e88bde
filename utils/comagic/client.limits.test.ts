// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configure, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { callLog, launchEmulator, rejection, START, testClient } from '../../tests/support/emulator';
import { describeError } from './errors';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => reset(emulator.origin));

describe('rate limits', () => {
  it('tracks metadata.limits of every answer with the time it was read', async () => {
    await configure(emulator.origin, { minuteLimit: 60, dayLimit: 3000 });
    const { client } = testClient(emulator);
    expect(client.limits).toBeNull();
    await client.call('get.account', {});
    await client.call('get.account', {});
    expect(client.limits).toEqual({
      day_limit: 3000,
      day_remaining: 2998,
      day_reset: expect.any(Number),
      minute_limit: 60,
      minute_remaining: 58,
      minute_reset: 30,
      readAt: START,
    });
  });

  it('waits for the minute reset when no point remains, instead of spending a failing call', async () => {
    await configure(emulator.origin, { minuteLimit: 2 });
    const { client, clock } = testClient(emulator, { maxWaitMs: 60_000 });
    await client.call('get.account', {});
    await client.call('get.account', {});
    expect(client.limits?.minute_remaining).toBe(0);
    const reportedReset = client.limits?.minute_reset ?? Number.NaN;
    await client.call('get.account', {});
    expect(clock.sleeps).toEqual([reportedReset * 1000]);
    expect((await callLog(emulator)).map((call) => call.ok)).toEqual([true, true, true]);
  });

  it('does not sleep through a wait longer than maxWaitMs: a rate error carries retryAfterMs', async () => {
    await configure(emulator.origin, { dayLimit: 1 });
    const { client, clock } = testClient(emulator);
    await client.call('get.account', {});
    const dayReset = client.limits?.day_reset ?? Number.NaN;
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'rate', mnemonic: 'limit_exceeded', retryAfterMs: dayReset * 1000 });
    expect(clock.sleeps).toEqual([]);
    expect(await callLog(emulator)).toHaveLength(1);
    expect(describeError(info, 'en')).toContain(`Retry in ${dayReset} s.`);
  });

  it('on limit_exceeded waits for the reported reset and retries the same call', async () => {
    await configure(emulator.origin, { minuteLimit: 1 });
    const other = testClient(emulator).client;
    await other.call('get.account', {});
    const { client, clock } = testClient(emulator, { maxWaitMs: 60_000 });
    expect(await client.call('get.deals_in_processing', {})).toEqual({ count: 0 });
    expect(clock.sleeps).toEqual([30_000]);
    const calls = (await callLog(emulator)).filter((call) => call.method === 'get.deals_in_processing');
    expect(calls.map((call) => call.mnemonic ?? 'ok')).toEqual(['limit_exceeded', 'ok']);
    expect(calls[1]?.id).toBe(calls[0]?.id);
  });

  it('gives up on limit_exceeded after the configured retries, still saying when to come back', async () => {
    await configure(emulator.origin, { minuteLimit: 1 });
    await testClient(emulator).client.call('get.account', {});
    const { client, clock } = testClient(emulator, { retries: 0, maxWaitMs: 60_000 });
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({ class: 'rate', code: -32029, retryAfterMs: 30_000 });
    expect(clock.sleeps).toEqual([]);
  });

  it('turns limit_exceeded with a long reset into a rate error with retryAfterMs', async () => {
    await configure(emulator.origin, { minuteLimit: 1 });
    await testClient(emulator).client.call('get.account', {});
    const { client, clock } = testClient(emulator, { maxWaitMs: 10_000 });
    const info = await rejection(client.call('get.account', {}));
    expect(info).toMatchObject({
      class: 'rate',
      code: -32029,
      mnemonic: 'limit_exceeded',
      retryAfterMs: 30_000,
    });
    expect(clock.sleeps).toEqual([]);
  });
});
