/**
 * A job's status: the sets the rest of the extension asks about, the moves allowed between statuses,
 * and the one policy that turns an error of the Data API into what the job does next (the same
 * while it plans and while it runs its steps).
 */
import type { ComagicErrorInfo } from '../comagic/errors';

export const JOB_STATUSES = [
  'queued',
  'running',
  'waiting',
  'paused',
  'done',
  'failed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The runner takes it: now, or at its `resumeAt` (waiting). The user may pause it. */
export const RUNNABLE_STATUSES: readonly JobStatus[] = ['queued', 'running', 'waiting'];
/** Not finished yet: it may still send, so it may be cancelled and is not a last export's outcome. */
export const ACTIVE_STATUSES: readonly JobStatus[] = [...RUNNABLE_STATUSES, 'paused'];
/** Nothing more happens to it. */
export const FINISHED_STATUSES: readonly JobStatus[] = ['done', 'failed', 'cancelled'];

export const isRunnable = (status: JobStatus) => RUNNABLE_STATUSES.includes(status);
export const isActive = (status: JobStatus) => ACTIVE_STATUSES.includes(status);
export const isFinished = (status: JobStatus) => FINISHED_STATUSES.includes(status);

/**
 * Where each status may go. `running → running`: a job the worker stopped mid-run is taken up again.
 * Only the runner ends a job (`done`, `failed`) or makes it wait, and only while it runs; a pause or a
 * cancel by the user wins over it.
 */
const MOVES: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'paused', 'cancelled'],
  running: ['running', 'waiting', 'paused', 'done', 'failed', 'cancelled'],
  waiting: ['running', 'paused', 'cancelled'],
  paused: ['queued', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};

export function canMove(from: JobStatus, to: JobStatus): boolean {
  return MOVES[from].includes(to);
}

/** Tries of one piece of work (the plan, or one step) in one run before the job waits for an alarm. */
export const TRIES_BEFORE_WAIT = 3;
/** The waits after a transient failure outlasted those tries, growing with each further try. */
export const TRANSIENT_WAITS_MS = [30_000, 120_000, 600_000];
/** A rate limit that does not say when it resets: the minute limit's reset. */
export const RATE_WAIT_MS = 60_000;

export type ErrorOutcome =
  /** Try the same work again at once; `tries`: its failed tries so far, to be kept with it. */
  | { kind: 'retry'; tries: number }
  /** The job waits, then goes on by itself. */
  | { kind: 'wait'; ms: number; cause: 'transient'; tries: number }
  | { kind: 'wait'; ms: number; cause: 'rate' }
  /** Every runnable job pauses until the connection (token, rights, component) changes. */
  | { kind: 'pause'; reason: 'auth' | 'access' | 'component' }
  /** The job fails; every deal not sent yet carries the error. */
  | { kind: 'fail' };

/**
 * What an error does to the job, whether it plans or runs a step. `tries`: the failed tries of this
 * work before this error (a rate limit is a wait, not a try). Of the two policies the runner had,
 * this keeps what loses nothing: the API's `retryAfterMs` when it gives one (planning honoured it,
 * steps did not), the tries within a run and the growing waits (steps had them, planning waited at
 * once), a rate limit's wait of a minute when it does not say (planning waited 30 s), and the error
 * kept on each deal not sent (planning dropped it).
 */
export function errorOutcome(
  info: Pick<ComagicErrorInfo, 'class' | 'retryAfterMs'>,
  tries: number,
): ErrorOutcome {
  switch (info.class) {
    case 'transient': {
      const now = tries + 1;
      if (now < TRIES_BEFORE_WAIT) return { kind: 'retry', tries: now };
      const later = Math.min(now - TRIES_BEFORE_WAIT, TRANSIENT_WAITS_MS.length - 1);
      const ms = info.retryAfterMs ?? TRANSIENT_WAITS_MS[later] ?? RATE_WAIT_MS;
      return { kind: 'wait', ms, cause: 'transient', tries: now };
    }
    case 'rate':
      return { kind: 'wait', ms: info.retryAfterMs ?? RATE_WAIT_MS, cause: 'rate' };
    case 'auth':
    case 'access':
    case 'component':
      return { kind: 'pause', reason: info.class };
    case 'validation':
    case 'fatal':
      return { kind: 'fail' };
  }
}
