import { useCallback, useEffect, useState } from 'preact/hooks';
import type { JobView, MessageData } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { isFinished } from '@/utils/sync/job-status';

export const POLL_MS = 500;

export type JobAction = MessageData<'job.control'>['action'];

export interface JobState {
  /** `undefined` while the first answer is awaited, `null` when the background knows no such job. */
  job: JobView | null | undefined;
  error: string | null;
  control: (action: JobAction) => Promise<void>;
}

/**
 * The job as the background sees it, asked again every 500 ms until it ends: the popup keeps no
 * state of its own, so closing and reopening it shows the same progress.
 */
export function useJob(jobId: string, initial: JobView | null = null): JobState {
  const [job, setJob] = useState<JobView | null | undefined>(initial?.id === jobId ? initial : undefined);
  const [error, setError] = useState<string | null>(null);
  // Bumped by a control action: a finished job that is retried needs polling again.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await sendMessage('job.get', { jobId });
        if (stopped) return;
        setJob(next);
        setError(null);
        if (!next || isFinished(next.status)) return;
      } catch (failure) {
        if (stopped) return;
        setError((failure as Error).message);
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, generation]);

  const control = useCallback(
    async (action: JobAction) => {
      try {
        await sendMessage('job.control', { jobId, action });
        setGeneration((value) => value + 1);
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    [jobId],
  );

  return { job, error, control };
}
