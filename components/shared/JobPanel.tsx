import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type Localized, localize } from '@/utils/i18n';
import { CONTACTLESS_TEXT } from '@/utils/mapping/contactless';
import type { DealResultView, JobView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { isFinished, isRunnable, type JobStatus } from '@/utils/sync/job-status';
import { ui } from '@/utils/ui-text';
import { ClampedText, shortened } from './ClampedText';
import { saveFile } from './download';
import { formatDuration, formatInstant } from './format';
import { useJob } from './use-job';
import { VirtualList } from './VirtualList';

const STATUS_TEXT: Record<JobStatus, Localized> = {
  queued: ui.jobQueued,
  running: ui.jobRunning,
  waiting: ui.jobWaiting,
  paused: ui.jobPaused,
  done: ui.jobDone,
  failed: ui.jobFailed,
  cancelled: ui.jobCancelled,
};

const OUTCOME_TEXT: Record<DealResultView['outcome'], Localized> = {
  pending: ui.outcomePending,
  sent: ui.outcomeSent,
  unchanged: ui.outcomeUnchanged,
  failed: ui.outcomeFailed,
  validated: ui.outcomeValidated,
};

/** Failures are listed in full up to this many; the download holds them all. */
/** Before planning, the job asked CoMagic what it holds (another browser may have sent the deals). */
const READS_TEXT: Localized = {
  en: 'CoMagic was asked first what it holds: {deals} deals in {history} reads, the funnel, employees and contacts in {entities}.',
  ru: 'Сначала CoMagic спросили, что в нём уже есть: сделки ({deals}) — запросов {history}, воронка, сотрудники и контакты — запросов {entities}.',
};

const FAILURES_SHOWN = 100;
const RESULT_ROW_HEIGHT = 44;

export const jobStatusText = (status: JobStatus) => localize(STATUS_TEXT[status]);
export const outcomeText = (outcome: DealResultView['outcome']) => localize(OUTCOME_TEXT[outcome]);

interface Props {
  jobId: string;
  initial?: JobView | null;
  heading: 'h2' | 'h3';
  /** The popup links to the job's page in the options; the options page is that page. */
  detailsLink?: boolean;
}

/** A job's progress, controls, per-deal results and downloads, kept fresh by polling. */
export function JobPanel({ jobId, initial = null, heading: Heading, detailsLink = false }: Props) {
  const { job, error, control } = useJob(jobId, initial);
  return (
    <section class="job" aria-labelledby={`job-heading-${jobId}`}>
      <Heading id={`job-heading-${jobId}`}>{localize(ui.jobHeading)}</Heading>
      {job === undefined && <p role="status">{localize(ui.loading)}</p>}
      {job === null && <p role="status">{localize(ui.jobNotFound)}</p>}
      {job && <JobBody job={job} control={control} detailsLink={detailsLink} />}
      {error && (
        <p role="alert" class="error wrap">
          {error}
        </p>
      )}
    </section>
  );
}

function JobBody({
  job,
  control,
  detailsLink,
}: {
  job: JobView;
  control: ReturnType<typeof useJob>['control'];
  detailsLink: boolean;
}) {
  const { done, total, failed, skipped } = job.progress;
  const finished = isFinished(job.status);
  const canPause = isRunnable(job.status);
  return (
    <>
      <ClampedText as="p" text={job.label} class="job-label" />
      {job.dryRun && <p class="note">{localize(ui.dryRunJob)}</p>}
      <p data-testid="job-status" data-status={job.status} role="status" aria-live="polite" class="wrap">
        <strong>{jobStatusText(job.status)}</strong>
        {job.message && ` — ${job.message}`}
        {job.resumeAt && ` ${localize(ui.resumesAt, { time: formatInstant(job.resumeAt) })}`}
      </p>
      <progress
        data-testid="job-progress"
        value={done}
        max={Math.max(total, 1)}
        aria-label={localize(ui.progressLabel)}
        aria-valuetext={localize(ui.progressText, { done, total })}
      >
        {done} / {total}
      </progress>
      <p class="progress-text" data-testid="job-progress-text">
        {job.reading && job.reading.done < job.reading.total
          ? `${localize(ui.progressRead, { read: job.reading.done, total: job.reading.total })} · ${localize(ui.progressSent, { n: job.progress.sent })}`
          : localize(ui.progressText, { done, total })}
        {failed > 0 && ` · ${localize(ui.progressFailed, { n: failed })}`}
        {skipped > 0 && ` · ${localize(ui.progressSkipped, { n: skipped })}`}
        {!finished &&
          job.etaSeconds !== null &&
          ` · ${localize(ui.timeLeft, { time: formatDuration(job.etaSeconds) })}`}
      </p>
      {job.reads && job.reads.history + job.reads.entities > 0 && (
        <p class="note" data-testid="job-reads">
          {localize(READS_TEXT, job.reads)}
        </p>
      )}
      {job.contactless > 0 && (
        <p class="note" data-testid="job-contactless">
          {localize(CONTACTLESS_TEXT, { count: job.contactless })}
        </p>
      )}
      <div class="actions">
        {canPause && (
          <button type="button" class="secondary" data-testid="job-pause" onClick={() => control('pause')}>
            {localize(ui.pause)}
          </button>
        )}
        {job.status === 'paused' && (
          <button type="button" data-testid="job-resume" onClick={() => control('resume')}>
            {localize(ui.resume)}
          </button>
        )}
        {!finished && (
          <button type="button" class="secondary" data-testid="job-cancel" onClick={() => control('cancel')}>
            {localize(ui.cancel)}
          </button>
        )}
        {finished && failed > 0 && (
          <button type="button" data-testid="job-retry" onClick={() => control('retry')}>
            {localize(ui.retryFailed)}
          </button>
        )}
      </div>
      <JobResults results={job.results} />
      <JobDownloads jobId={job.id} />
      {detailsLink && (
        <p>
          <a
            href={`${browser.runtime.getURL('/options.html')}#activity/${encodeURIComponent(job.id)}`}
            target="_blank"
            rel="noopener"
          >
            {localize(ui.jobDetails)}
          </a>
        </p>
      )}
    </>
  );
}

function JobResults({ results }: { results: DealResultView[] }) {
  if (results.length === 0) return null;
  const failures = results.filter((result) => result.outcome === 'failed');
  return (
    <div class="results">
      {failures.length > 0 && (
        <>
          <p class="problems-title">{localize(ui.failedDeals, { n: failures.length })}</p>
          <ul class="failures" data-testid="job-failures">
            {failures.slice(0, FAILURES_SHOWN).map((result) => (
              <li key={result.key}>
                <ClampedText as="strong" text={result.name} />
                <span class="wrap">{result.reason ?? localize(ui.noReason)}</span>
              </li>
            ))}
          </ul>
          {failures.length > FAILURES_SHOWN && (
            <p class="note">{localize(ui.moreInDownload, { n: failures.length - FAILURES_SHOWN })}</p>
          )}
        </>
      )}
      <VirtualList
        items={results}
        rowKey={resultKey}
        renderRow={resultRow}
        rowProps={resultRowProps}
        label={localize(ui.resultsLabel)}
        rowHeight={RESULT_ROW_HEIGHT}
        height={220}
        testId="job-results"
      />
    </div>
  );
}

const resultKey = (result: DealResultView) => result.key;
const resultRowProps = (result: DealResultView) => ({
  'data-testid': 'job-result',
  'data-outcome': result.outcome,
});

function resultRow(result: DealResultView) {
  return (
    <>
      <span class="row-title" title={result.name}>
        {shortened(result.name)}
      </span>
      <span class="row-meta" title={result.reason ?? undefined}>
        <span class={`tag ${result.outcome}`}>{outcomeText(result.outcome)}</span>
        {result.reason && ` ${shortened(result.reason)}`}
      </span>
    </>
  );
}

function JobDownloads({ jobId }: { jobId: string }) {
  const [error, setError] = useState<string | null>(null);
  async function download(format: 'json' | 'csv') {
    setError(null);
    try {
      saveFile(await sendMessage('job.export', { jobId, format }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  }
  return (
    <div class="actions">
      <button type="button" class="secondary" data-testid="download-json" onClick={() => download('json')}>
        {localize(ui.downloadJson)}
      </button>
      <button type="button" class="secondary" data-testid="download-csv" onClick={() => download('csv')}>
        {localize(ui.downloadCsv)}
      </button>
      {error && (
        <p role="alert" class="error wrap">
          {error}
        </p>
      )}
    </div>
  );
}
