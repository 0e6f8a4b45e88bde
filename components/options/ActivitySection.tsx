import { useMemo, useState } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import type { JobSummaryView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { isFinished } from '@/utils/sync/job-status';
import { ui } from '@/utils/ui-text';
import { shortened } from '../shared/ClampedText';
import { formatInstant } from '../shared/format';
import { JobPanel, jobStatusText } from '../shared/JobPanel';
import { LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';

const newestFirst = (a: JobSummaryView, b: JobSummaryView) => b.createdAt.localeCompare(a.createdAt);

/**
 * The job log; `#activity/<jobId>` opens one job with its per-deal results. Below it, what stored
 * data could not be read as it was (utils/storage.ts), and "Clear finished exports".
 */
export function ActivitySection({ jobId }: { jobId: string | null }) {
  const jobs = useAnswer('job.list');
  const notices = useAnswer('storage.notices');
  const sorted = useMemo(() => [...(jobs.value ?? [])].sort(newestFirst), [jobs.value]);
  const [cleared, setCleared] = useState<string | null>(null);
  const hasFinished = sorted.some((job) => isFinished(job.status));

  async function clearFinished() {
    const { cleared: count } = await sendMessage('jobs.clearFinished', {});
    setCleared(localize(ui.clearedFinished, { n: count }));
    await Promise.all([jobs.reload(), notices.reload()]);
  }

  return (
    <section id="activity" aria-labelledby="activity-heading">
      <h2 id="activity-heading">{localize(ui.activityHeading)}</h2>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => jobs.reload()}>
          {localize(ui.refresh)}
        </button>
        <button
          type="button"
          class="secondary"
          data-testid="clear-finished"
          disabled={!hasFinished}
          title={localize(ui.clearFinishedHint)}
          onClick={() => void clearFinished()}
        >
          {localize(ui.clearFinished)}
        </button>
      </div>
      {cleared && (
        <p class="note" role="status">
          {cleared}
        </p>
      )}
      {(notices.value?.length ?? 0) > 0 && (
        <section aria-labelledby="stored-data-heading" data-testid="storage-notices">
          <h3 id="stored-data-heading">{localize(ui.storageNoticesHeading)}</h3>
          <ul>
            {notices.value?.map((notice) => (
              <li key={notice.at + notice.message}>
                {formatInstant(notice.at)} · {notice.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <LoadState loading={jobs.value === undefined} error={jobs.error} />
      {jobs.value?.length === 0 && <p class="note">{localize(ui.noJobs)}</p>}
      {sorted.length > 0 && (
        <ul class="activity-log" data-testid="activity-log">
          {sorted.map((job) => (
            <li key={job.id} data-job-id={job.id} data-status={job.status}>
              <a
                href={`#activity/${encodeURIComponent(job.id)}`}
                aria-current={job.id === jobId ? 'true' : undefined}
                class="clamped"
                title={job.label}
              >
                {shortened(job.label)}
              </a>
              <span class="note">
                {jobStatusText(job.status)} · {formatInstant(job.createdAt)} ·{' '}
                {localize(ui.progressText, { done: job.progress.done, total: job.progress.total })}
                {job.progress.failed > 0 && ` · ${localize(ui.progressFailed, { n: job.progress.failed })}`}
                {job.dryRun && ` · ${localize(ui.dryRunShort)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {jobId && <JobPanel key={jobId} jobId={jobId} heading="h3" />}
    </section>
  );
}
