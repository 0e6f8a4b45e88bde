import { describe, expect, it } from 'vitest';
import {
  canMove,
  errorOutcome,
  isActive,
  isFinished,
  isRunnable,
  JOB_STATUSES,
  RATE_WAIT_MS,
  TRANSIENT_WAITS_MS,
} from './job-status';

describe('job status sets', () => {
  it('puts every status in exactly one of runnable, paused or finished', () => {
    for (const status of JOB_STATUSES) {
      const sets = [isRunnable(status), status === 'paused', isFinished(status)].filter(Boolean);
      expect(sets, status).toHaveLength(1);
      expect(isActive(status), status).toBe(!isFinished(status));
    }
  });
});

describe('job status moves', () => {
  it('allows exactly what the runner and the user do, and nothing out of a finished job', () => {
    const allowed = new Set([
      'queued → running',
      'waiting → running',
      // A job the worker stopped mid-run is taken up again.
      'running → running',
      'running → waiting',
      'running → done',
      'running → failed',
      'queued → paused',
      'running → paused',
      'waiting → paused',
      'paused → queued',
      'queued → cancelled',
      'running → cancelled',
      'waiting → cancelled',
      'paused → cancelled',
    ]);
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const move = `${from} → ${to}`;
        expect(canMove(from, to), move).toBe(allowed.has(move));
      }
    }
  });
});

describe('the error policy', () => {
  it('tries a transient failure again twice, then waits longer at each further try', () => {
    const transient = { class: 'transient' } as const;
    expect(errorOutcome(transient, 0)).toEqual({ kind: 'retry', tries: 1 });
    expect(errorOutcome(transient, 1)).toEqual({ kind: 'retry', tries: 2 });
    expect(errorOutcome(transient, 2)).toEqual({
      kind: 'wait',
      ms: TRANSIENT_WAITS_MS[0],
      cause: 'transient',
      tries: 3,
    });
    expect(errorOutcome(transient, 3)).toMatchObject({ kind: 'wait', ms: TRANSIENT_WAITS_MS[1], tries: 4 });
    expect(errorOutcome(transient, 40)).toMatchObject({ kind: 'wait', ms: TRANSIENT_WAITS_MS.at(-1) });
  });

  it('waits as long as the API asks, for a transient failure too', () => {
    expect(errorOutcome({ class: 'transient', retryAfterMs: 5_000 }, 2)).toMatchObject({
      kind: 'wait',
      ms: 5_000,
    });
    expect(errorOutcome({ class: 'rate', retryAfterMs: 90_000 }, 0)).toEqual({
      kind: 'wait',
      ms: 90_000,
      cause: 'rate',
    });
  });

  it('waits a minute for a rate limit that does not say, without counting it as a try', () => {
    expect(errorOutcome({ class: 'rate' }, 2)).toEqual({ kind: 'wait', ms: RATE_WAIT_MS, cause: 'rate' });
  });

  it('pauses for the connection on a token, rights or component problem', () => {
    for (const reason of ['auth', 'access', 'component'] as const) {
      expect(errorOutcome({ class: reason }, 0)).toEqual({ kind: 'pause', reason });
    }
  });

  it('fails the job on a validation or fatal error, at the first try', () => {
    expect(errorOutcome({ class: 'validation' }, 0)).toEqual({ kind: 'fail' });
    expect(errorOutcome({ class: 'fatal' }, 0)).toEqual({ kind: 'fail' });
  });
});
