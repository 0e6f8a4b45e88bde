import { describe, expect, it } from 'vitest';
import { localChange } from './storage';

describe('localChange', () => {
  it("tells a job's progress, the job index and the mappings from data that changes what a page would send", () => {
    expect(['sync-job:7', 'sync-job-deals:7', 'worker-starts'].map(localChange)).toEqual([
      'progress',
      'progress',
      'progress',
    ]);
    expect(localChange('sync-jobs')).toBe('jobs');
    expect(localChange('mappings')).toBe('mappings');
    expect(['settings', 'sync-ledger', 'connection', 'account', 'sites'].map(localChange)).toEqual(
      Array(5).fill('data'),
    );
  });
});
