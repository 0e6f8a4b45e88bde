import { fill, type Localized, localize } from '../i18n';
import { contactlessCount } from '../mapping/contactless';
import type { DealResultView, JobSummaryView, JobView, StorageNoticeView } from '../messaging';
import { type StorageNotice, type StoredKind, storageNotices } from '../storage';
import type { DealResult, Job, JobSummary } from '../sync/job';
import { clearFinishedJobs } from '../sync/outbox';

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

const STORED_NAMES: Record<StoredKind, Localized> = {
  connection: { en: 'The CoMagic connection', ru: 'Подключение к CoMagic' },
  account: { en: 'The CoMagic account read last', ru: 'Последние сведения об аккаунте CoMagic' },
  settings: { en: 'The settings', ru: 'Настройки' },
  ledger: { en: 'The record of what CoMagic holds', ru: 'Сведения о том, что уже есть в CoMagic' },
  jobs: { en: 'The export log', ru: 'Журнал выгрузок' },
  job: { en: 'An export', ru: 'Выгрузка' },
  mappings: { en: 'The pipeline mappings', ru: 'Сопоставления воронок' },
  recipes: { en: 'The recipes', ru: 'Рецепты' },
  sites: { en: 'The CRM sites', ru: 'Сайты CRM' },
  'whole-reads': { en: 'The record of deals read whole', ru: 'Сведения о сделках, прочитанных целиком' },
  'live-inbox': {
    en: 'Live mode’s changes not yet exported',
    ru: 'Изменения живого режима, ещё не выгруженные',
  },
  'schedule-state': { en: 'The scheduled runs’ progress', ru: 'Ход синхронизации по расписанию' },
  'auto-sync': { en: 'Live mode’s sites and the schedules', ru: 'Сайты живого режима и расписания' },
};

const NOTICE_TEXT: Record<StorageNotice['kind'], Localized> = {
  dropped: {
    en: '{item}: {count} stored element(s) could not be read and were left out; the rest is kept. Check Options and export again if something is missing.',
    ru: '{item}: не удалось прочитать сохранённых элементов — {count}; они пропущены, остальное сохранено. Проверьте настройки и выгрузите снова, если чего-то не хватает.',
  },
  newer: {
    en: '{item}: saved by a newer version of the extension (version {version}) and left as it is. Update the extension to use it.',
    ru: '{item}: сохранено более новой версией расширения (версия {version}) и оставлено как есть. Обновите расширение, чтобы им пользоваться.',
  },
  broken: {
    en: '{item}: could not be read at all and starts empty. Check Options; a settings backup restores it.',
    ru: '{item}: не удалось прочитать совсем, начато заново. Проверьте настройки; резервная копия настроек восстановит их.',
  },
};

export function noticeView(notice: StorageNotice): StorageNoticeView {
  const text = fill(NOTICE_TEXT[notice.kind], {
    item: STORED_NAMES[notice.item],
    count: String(notice.count),
    version: String(notice.version ?? ''),
  });
  return { at: new Date(notice.at).toISOString(), message: localize(text) };
}

/** For Options → Activity, newest first. */
export async function storageNoticeViews(): Promise<StorageNoticeView[]> {
  return (await storageNotices.get()).map(noticeView).reverse();
}

/** "Clear finished exports": their stored items are freed; notices about stored data are done with too. */
export async function clearFinishedExports(): Promise<{ cleared: number }> {
  const cleared = await clearFinishedJobs();
  await storageNotices.clear();
  return { cleared };
}
