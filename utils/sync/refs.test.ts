// @vitest-environment node
// A job's companies and deal user fields, against the emulator: made once, before the records naming them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { inspect, reset } from '../../emulator/control';
import type { RunningEmulator } from '../../emulator/server';
import { dealMapping, testConfig } from '../../tests/support/deal-mapping';
import { KEY, launchEmulator, START } from '../../tests/support/emulator';
import { ComagicClient } from '../comagic/client';
import type { DealMapping } from '../mapping/records';
import { createSyncService } from './service';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await launchEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await reset(emulator.origin);
  fakeBrowser.reset();
});

const company = { ext_id: 'acc-1', name: 'Orbitway Logistics', phones: ['493055501200'] };
const probability = { ext_id: 'field:probability', name: 'Probability', data_type: 'numeric' as const };

/** A deal whose records name the company and fill the user field, as the mapping makes it. */
function withRefs(id: string, value: string): DealMapping {
  const mapping = dealMapping(id, { stages: [['new', '2026-03-01 10:00:00']] });
  return {
    ...mapping,
    records: mapping.records.map((record) => ({
      ...record,
      company_ext_id: company.ext_id,
      user_fields: [{ ext_id: probability.ext_id, value }],
    })),
    company,
    userFields: [probability],
  };
}

async function send(mappings: DealMapping[]) {
  const sync = createSyncService({
    clientFactory: async () =>
      new ComagicClient({ endpoint: emulator.url, auth: { kind: 'key', token: KEY }, now: () => START }),
    now: () => START,
    scheduleWake: () => {},
    accountTimeZone: async () => 'Europe/Moscow',
  });
  const id = await sync.enqueue({
    kind: 'board',
    label: 'Sales board',
    site: 'https://crm.example.com',
    config: testConfig(),
    mappings,
    dryRun: false,
  });
  await sync.idle();
  return sync.job(id);
}

const methods = async () => (await inspect(emulator.origin)).calls.map((call) => call.method);

describe('companies and user fields in a job', () => {
  it('makes the company and the user field once, before the upload, and the records name them', async () => {
    const job = await send([withRefs('d1', '80'), withRefs('d2', '40')]);
    expect(job?.status).toBe('done');
    const state = await inspect(emulator.origin);
    expect(state.companies.map((held) => [held.ext_id, held.name, held.phones])).toEqual([
      ['acc-1', 'Orbitway Logistics', ['493055501200']],
    ]);
    expect(state.user_fields).toEqual([probability]);
    expect(state.deals.d1?.at(-1)).toMatchObject({
      company_ext_id: 'acc-1',
      user_fields: [{ ext_id: 'field:probability', value: '80' }],
    });
    const calls = await methods();
    expect(calls.filter((method) => method === 'create.crm_company')).toHaveLength(1);
    expect(calls.filter((method) => method === 'create.deal_user_field')).toHaveLength(1);
    expect(calls.indexOf('create.crm_company')).toBeLessThan(calls.indexOf('upload.deals_history'));
  });

  it('looks them up before making them: a later job of a new deal makes neither again', async () => {
    await send([withRefs('d1', '80')]);
    await send([withRefs('d3', '10')]);
    const calls = await methods();
    expect(calls.filter((method) => method === 'create.crm_company')).toHaveLength(1);
    expect(calls.filter((method) => method === 'create.deal_user_field')).toHaveLength(1);
    expect(calls.filter((method) => method === 'get.crm_companies')).toHaveLength(2);
    expect((await inspect(emulator.origin)).deals.d3?.at(-1)?.company_ext_id).toBe('acc-1');
  });
});
