/**
 * Bytes stored (as chrome counts them against storage.local: each key and its value's JSON, UTF-8)
 * for a finished 10,000-deal export and for the ledger of 100,000 delivered deals, with Russian
 * names (two bytes a letter), built with the extension's own mapping, planning and stored forms.
 */
import {
  CHROME_LOCAL_QUOTA,
  finishedJob,
  mappedExport,
  quotaBytes,
  storedLedgerOf,
} from '../tests/support/stored-export';
import { JOB_INDEX_VERSION, storeDeals, storeDetail, storedSummary } from '../utils/sync/job';
import { atMost, info, type Result, result } from './measure';

const COMMAND = 'npm run bench -- storage';
const MB = 1_000_000;
const mb = (bytes: number) => bytes / MB;

export async function benchStorage(): Promise<Result[]> {
  const { mappings } = mappedExport(10_000);
  const { summary, detail } = finishedJob('export-10k', mappings);
  // The items a finished export leaves: its summary in the index, its detail, its payloads.
  const job = quotaBytes({
    'sync-jobs': { v: JOB_INDEX_VERSION, jobs: [storedSummary(summary)] },
    'sync-job:export-10k': storeDetail({ ...detail, deals: null }),
    'sync-job-deals:export-10k': { v: 2, d: storeDeals(detail.deals ?? []) },
  });
  const payloads = quotaBytes({ 'sync-job-deals:export-10k': { v: 2, d: storeDeals(detail.deals ?? []) } });
  const ledger10k = quotaBytes({ 'sync-ledger': storedLedgerOf(10_000, mappings) });
  const ledger100k = quotaBytes({ 'sync-ledger': storedLedgerOf(100_000, mappings) });
  const quota = `chrome's storage.local quota without unlimitedStorage is ${mb(CHROME_LOCAL_QUOTA).toFixed(2)} MB`;
  return [
    result(
      'storage 10,000-deal export: job stored',
      'MB',
      [mb(job)],
      atMost(15),
      COMMAND,
      `summary + detail (plan, results) + payloads (${mb(payloads).toFixed(2)} MB of it), 5 records, a contact and an owner per deal, Russian names; ${quota}, so the store build asks for unlimitedStorage`,
    ),
    result(
      'storage 10,000-deal export: job + its ledger',
      'MB',
      [mb(job + ledger10k)],
      info,
      COMMAND,
      `ledger of the 10,000 deals: ${mb(ledger10k).toFixed(2)} MB`,
    ),
    result(
      'storage ledger of 100,000 deals',
      'MB',
      [mb(ledger100k)],
      atMost(10),
      COMMAND,
      'one compact entry per deal (last stage, fingerprint, creation time, observed stage with its Russian title); alone within the 10 MB quota',
    ),
  ];
}
