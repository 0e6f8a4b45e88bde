// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPipeline } from '../../../demo/data';
import { type RunningCrm, startCrm } from '../server';

// Its own CRM: these tests change leads, which the other server tests read as generated.
const pipeline = demoPipeline('odoo');
let odoo: RunningCrm;
beforeAll(async () => {
  odoo = await startCrm(pipeline);
});
afterAll(() => odoo.close());

async function call(cookie: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) {
  const response = await fetch(`${odoo.origin}/web/dataset/call_kw/crm.lead/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', cookie },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'call',
      id: 1,
      params: { model: 'crm.lead', method, args, kwargs },
    }),
  });
  return (await response.json()) as {
    result?: Record<string, unknown>[];
    error?: { data: { name: string } };
  };
}

describe('a person changing a lead’s stage in the demo Odoo', () => {
  it('is saved by web_save, tracked at the time it was saved, and shown by the pipeline', async () => {
    const cookie = (await fetch(`${odoo.origin}/odoo/crm`)).headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const deal = pipeline.deals.find((d) => d.stageId === pipeline.stages[0]!.id)!;
    const target = pipeline.stages[2]!;
    const before = Math.floor(Date.now() / 1000) * 1000;
    const saved = await call(cookie, 'web_save', [[Number(deal.id)], { stage_id: 3 }], { specification: {} });
    expect(saved.result?.[0]?.stage_id).toEqual([3, target.name]);
    const read = await call(cookie, 'read', [[Number(deal.id)], ['stage_id']]);
    expect(read.result?.[0]?.stage_id).toEqual([3, target.name]);
    expect(deal.history.at(-1)?.stageId).toBe(target.id);
    expect(deal.history.at(-1)!.at.getTime()).toBeGreaterThanOrEqual(before);
    const board = (await (await fetch(`${odoo.origin}/__crm/view?route=/odoo/crm`)).json()) as {
      cardIds: string[];
    };
    expect(board.cardIds).toContain(deal.id);
  });

  it('refuses a write it does not know, and one without the session', async () => {
    const cookie = (await fetch(`${odoo.origin}/odoo/crm`)).headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const deal = pipeline.deals[0]!;
    const other = await call(cookie, 'web_save', [[Number(deal.id)], { name: 'Renamed' }]);
    expect(other.error?.data.name).toBe('odoo.exceptions.AccessError');
    expect(deal.name).not.toBe('Renamed');
    const anonymous = await call('', 'web_save', [[Number(deal.id)], { stage_id: 2 }]);
    expect(anonymous.error?.data.name).toBe('odoo.http.SessionExpiredException');
  });
});
