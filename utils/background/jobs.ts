import { localize } from '../i18n';
import { contactlessCount } from '../mapping/contactless';
import type { DealResultView, JobSummaryView, JobView } from '../messaging';
import type { DealResult, Job, JobSummary } from '../sync/job';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Seconds left at the pace so far; `null` until a deal is done or once nothing is left. */
export function etaSeconds(job: JobSummary, now: number): number | null {
  const { total, pending } = job.counts;
  const done = total - pending;
  if (job.status !== 'running' || job.startedAt === null || done === 0 || pending === 0) return null;
  return Math.round((((now - job.startedAt) / done) * pending) / 1000);
}

export function summaryView(job: JobSummary, now: number): JobSummaryView {
  const { skipped, failed, total, pending, sent } = job.counts;
  return {
    id: job.id,
    kind: job.kind,
    label: job.label,
    status: job.status,
    dryRun: job.dryRun,
    createdAt: new Date(job.createdAt).toISOString(),
    updatedAt: new Date(job.finishedAt ?? job.startedAt ?? job.createdAt).toISOString(),
    message: job.message ? localize(job.message) : null,
    resumeAt: iso(job.resumeAt),
    progress: { done: total - pending, total, failed, skipped, sent },
    reading: job.reading,
    etaSeconds: etaSeconds(job, now),
  };
}

function resultView(job: Job, result: DealResult, names: Map<string, string>): DealResultView {
  const outcome =
    result.status === 'skipped'
      ? 'unchanged'
      : result.status === 'sent' && job.dryRun
        ? 'validated'
        : result.status;
  const reason = result.reason
    ? `${localize(result.reason.message)} ${localize(result.reason.action)}`.trim()
    : null;
  return {
    key: result.dealExtId,
    dealExtId: result.dealExtId,
    name: names.get(result.dealExtId) ?? result.dealExtId,
    outcome,
    reason,
  };
}

export function jobView(job: Job, now: number): JobView {
  const names = new Map<string, string>();
  for (const card of job.cards) names.set(card.dealExtId, card.name);
  for (const deal of job.deals ?? []) {
    const name = deal.records[0]?.name;
    if (name) names.set(deal.dealExtId, name);
  }
  return {
    ...summaryView(job, now),
    results: job.results.map((result) => resultView(job, result, names)),
    contactless: contactlessCount((job.deals ?? []).filter((deal) => deal.sendable)),
    ...(job.plan?.reads ? { reads: job.plan.reads } : {}),
  };
}
