// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { advanceClock, configure, reset } from './control';
import { UNLIMITED } from './limits';
import { call, expectError, expectOk, FIXED_NOW, useEmulator } from './testing';

describe('rate limits', () => {
  const emulator = useEmulator({ minuteLimit: 3, dayLimit: 5 });
  const limits = async () => (await call(emulator(), 'get.account')).result?.metadata.limits;

  it('reports limits, remaining points and seconds to reset on every answer', async () => {
    expect(await limits()).toEqual({
      day_limit: 5,
      day_remaining: 4,
      day_reset: 86400 - ((FIXED_NOW.getTime() / 1000) % 86400),
      minute_limit: 3,
      minute_remaining: 2,
      minute_reset: 60 - ((FIXED_NOW.getTime() / 1000) % 60),
    });
  });

  it('answers -32029 limit_exceeded with its params once the minute pool is spent', async () => {
    for (let i = 0; i < 3; i += 1) expectOk(await call(emulator(), 'get.account'));
    const error = expectError(await call(emulator(), 'get.account'), 'limit_exceeded');
    expect(error.code).toBe(-32029);
    expect(error.data.params).toEqual({ limit_type: 'minute', limit_max_value: 3 });
    expect(error.message).toBe('Limit per minute has been exceeded. Value of current limit per minute is 3');
  });

  it('charges only successful calls', async () => {
    for (let i = 0; i < 5; i += 1)
      expectError(await call(emulator(), 'get.account', { bad: 1 }), 'unexpected_parameters');
    expect(await limits()).toMatchObject({ minute_remaining: 2, day_remaining: 4 });
  });

  it('refills the minute pool when the clock moves to the next minute, the day pool the next day', async () => {
    for (let i = 0; i < 3; i += 1) expectOk(await call(emulator(), 'get.account'));
    await advanceClock(emulator().origin, 60);
    expectOk(await call(emulator(), 'get.account'));
    expectOk(await call(emulator(), 'get.account'));
    const error = expectError(await call(emulator(), 'get.account'), 'limit_exceeded');
    expect(error.data.params).toEqual({ limit_type: 'day', limit_max_value: 5 });
    await advanceClock(emulator().origin, 86400);
    expectOk(await call(emulator(), 'get.account'));
  });

  it('changes limits at run time and resets counters on reset', async () => {
    for (let i = 0; i < 3; i += 1) expectOk(await call(emulator(), 'get.account'));
    await configure(emulator().origin, { minuteLimit: 10 });
    expectOk(await call(emulator(), 'get.account'));
    await reset(emulator().origin);
    expect(await limits()).toMatchObject({ minute_limit: 3, minute_remaining: 2 });
  });
});

describe('unlimited', () => {
  const emulator = useEmulator();

  it('reports a large number when no limit is configured', async () => {
    const answer = await call(emulator(), 'get.account');
    expect(answer.result?.metadata.limits).toMatchObject({ day_limit: UNLIMITED, minute_limit: UNLIMITED });
  });
});
