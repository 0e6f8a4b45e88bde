/** A job's payloads and per-deal results, exported as JSON or CSV for a person or another tool. */
import { type Locale, uiLocale } from '../i18n';
import type { Job } from './job';

export type ExportFormat = 'json' | 'csv';

const CSV_COLUMNS = [
  'deal_ext_id',
  'crm_deal_id',
  'status',
  'at',
  'code',
  'field',
  'message',
  'action',
  'records',
] as const;

/**
 * Quoted when needed; a cell a spreadsheet would read as a formula gets a leading apostrophe. A
 * cell holding `;` is quoted too: Excel in a Russian locale splits on `;`, so `a;=cmd` would
 * otherwise open as a cell `=cmd`.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(job: Job, locale: Locale): string {
  const crmIds = new Map(job.deals?.map((deal) => [deal.dealExtId, deal]) ?? []);
  const rows = job.results.map((result) => {
    const deal = crmIds.get(result.dealExtId);
    return [
      result.dealExtId,
      deal?.crmDealId ?? null,
      result.status,
      new Date(result.at).toISOString(),
      result.reason?.code ?? null,
      result.reason?.field ?? null,
      result.reason?.message[locale] ?? null,
      result.reason?.action[locale] ?? null,
      deal ? deal.records.length : null,
    ];
  });
  return `${[CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function toJson(job: Job): string {
  const { results, deals, plan, ...summary } = job;
  return JSON.stringify({ job: summary, results, payloads: deals, steps: plan?.steps ?? null }, null, 2);
}

/** CSV texts are in `locale`, the browser's language unless given; JSON carries both languages. */
export function exportJob(job: Job, format: ExportFormat, locale?: Locale): string {
  return format === 'json' ? toJson(job) : toCsv(job, locale ?? uiLocale());
}
