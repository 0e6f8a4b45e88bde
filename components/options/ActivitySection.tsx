import { useMemo } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import type { JobSummaryView } from '@/utils/messaging';
import { ui } from '@/utils/ui-text';
import { shortened } from '../shared/ClampedText';
import { formatInstant } from '../shared/format';
import { JobPanel, jobStatusText } from '../shared/JobPanel';
import { LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';

const newestFirst = (a: JobSummaryView, b: JobSummaryView) => b.createdAt.localeCompare(a.createdAt);

/** The job log; `#activity/<jobId>` opens one job with its per-deal results. */
export function ActivitySection({ jobId }: { jobId: string | null }) {
  const jobs = useAnswer('job.list');
  const sorted = useMemo(() => [...(jobs.value ?? [])].sort(newestFirst), [jobs.value]);

  return (
    <section id="activity" aria-labelledby="activity-heading">
      <h2 id="activity-heading">{localize(ui.activityHeading)}</h2>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => jobs.reload()}>
          {localize(ui.refresh)}
        </button>
      </div>
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
