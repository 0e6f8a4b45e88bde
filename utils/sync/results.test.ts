import { describe, expect, it } from 'vitest';
import { dealMapping } from '../../tests/support/deal-mapping';
import type { Job } from './job';
import { csvCell, exportJob } from './results';

function job(): Job {
  const deal = dealMapping('d1', { stages: [['new', '2026-03-01 10:00:00']], name: '=HYPERLINK("x")' });
  return {
    id: 'job-1',
    kind: 'board',
    label: 'Sales, "Q1"',
    site: 'https://crm.example.com',
    dryRun: false,
    status: 'done',
    pauseReason: null,
    message: null,
    resumeAt: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 1000,
    counts: { total: 2, sent: 1, skipped: 0, failed: 1, pending: 0 },
    steps: { done: 1, total: 1 },
    reading: null,
    cards: [],
    results: [
      { dealExtId: 'd1', status: 'sent', at: 1000, reason: null },
      {
        dealExtId: '-d2',
        status: 'failed',
        at: 1000,
        reason: {
          code: 'invalid_date_time',
          field: 'deals.0.modified_stage_date_time',
          message: { en: 'Rejected, "too old"\nsee field', ru: 'Отклонено' },
          action: { en: '@fix it', ru: 'исправьте' },
        },
      },
    ],
    deals: [{ ...deal, dealExtId: 'd1', crmDealId: '+17' }],
    plan: null,
  };
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+7 900', "'+7 900"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tcmd', "'\tcmd"],
    ['a;=cmd()', '"a;=cmd()"'],
    ['x,+cmd', '"x,+cmd"'],
    ['a;b', '"a;b"'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes null as an empty cell', () => {
    expect(csvCell(null)).toBe('');
  });
});

describe('exportJob', () => {
  it('writes one CSV row per deal with its outcome, reason and action, escaped and formula-safe', () => {
    const lines = exportJob(job(), 'csv', 'en').split('\r\n');
    expect(lines[0]).toBe('deal_ext_id,crm_deal_id,status,at,code,field,message,action,records');
    expect(lines[1]).toBe("d1,'+17,sent,1970-01-01T00:00:01.000Z,,,,,1");
    expect(lines[2]).toBe(
      `'-d2,,failed,1970-01-01T00:00:01.000Z,invalid_date_time,deals.0.modified_stage_date_time,"Rejected, ""too old""\nsee field",'@fix it,`,
    );
    expect(lines[3]).toBe('');
  });

  it('writes the results in the chosen language', () => {
    expect(exportJob(job(), 'csv', 'ru')).toContain('Отклонено');
  });

  it('exports the summary, results and payloads as JSON', () => {
    const parsed = JSON.parse(exportJob(job(), 'json'));
    expect(parsed.job).toMatchObject({ id: 'job-1', label: 'Sales, "Q1"', counts: { sent: 1, failed: 1 } });
    expect(parsed.results).toHaveLength(2);
    expect(parsed.payloads[0].records[0].name).toBe('=HYPERLINK("x")');
  });
});
