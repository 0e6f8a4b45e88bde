import { describe, expect, it } from 'vitest';
import { espocrmAdapter } from '../utils/crm/adapters/espocrm';
import { odooAdapter } from '../utils/crm/adapters/odoo';
import type { Adapter } from '../utils/crm/model';
import { DEMO_TIME_ZONE, type DemoCrm, dealToSend, demoPipeline } from './data';
import { boardPage, dealPage, demoPaths } from './pages';

const adapters: Record<DemoCrm, Adapter> = { espocrm: espocrmAdapter, odoo: odooAdapter };
const ORIGIN = 'http://127.0.0.1:8791';

function read(html: string, url: string) {
  const document = new DOMParser().parseFromString(html, 'text/html');
  return { document, context: { now: '2026-01-10T12:00:00Z', timeZone: DEMO_TIME_ZONE, locale: null, url } };
}

describe.each(['espocrm', 'odoo'] as const)('%s demo pages', (crm) => {
  const pipeline = demoPipeline(crm);
  const adapter = adapters[crm];

  it('the board shows every deal in its stage, as the adapter reads it', () => {
    const { document, context } = read(boardPage(pipeline), `${ORIGIN}${demoPaths[crm].board}`);
    expect(adapter.detect(document, context.url)).toBe('board');
    const board = adapter.scrapeBoard(document, context).data;
    const shown = Object.fromEntries(board?.deals.map((deal) => [deal.id, deal.stage?.id]) ?? []);
    expect(shown).toEqual(Object.fromEntries(pipeline.deals.map((deal) => [deal.id, deal.stageId])));
  });

  it.each([0, 1, 2, 17, 49])(
    'deal %i: its page shows its name, stage, owner, contact and history',
    (index) => {
      const deal = pipeline.deals[index];
      if (!deal) throw new Error('no such deal');
      const { document, context } = read(
        dealPage(pipeline, deal),
        `${ORIGIN}${demoPaths[crm].deal(deal.id)}`,
      );
      expect(adapter.detect(document, context.url)).toBe('deal');
      const { data, problems } = adapter.scrapeDeal(document, context);
      expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect(data).toMatchObject({ id: deal.id, name: deal.name, stage: { id: deal.stageId } });
      expect(data?.owner?.name).toBe(deal.owner.name);
      expect(data?.contacts.map((c) => [c.name, c.emails])).toEqual([
        [deal.person.name, [deal.person.email]],
      ]);
      expect(data?.history.map((visit) => [visit.stage.id, visit.enteredAt])).toEqual(
        deal.history.map((visit) => [visit.stageId, visit.at.toISOString()]),
      );
    },
  );

  it('the deal the demo sends skips a stage in its history', () => {
    const deal = dealToSend(pipeline);
    const lastStage = pipeline.stages.findIndex((stage) => stage.id === deal.stageId);
    expect(deal.history.length).toBeGreaterThan(1);
    expect(deal.history.length).toBeLessThan(lastStage + 1);
  });
});

describe('demoPipeline', () => {
  it('gives the same deals for the same seed and others for another seed', () => {
    expect(demoPipeline('odoo', { seed: 3 })).toEqual(demoPipeline('odoo', { seed: 3 }));
    expect(demoPipeline('odoo', { seed: 3 }).deals).not.toEqual(demoPipeline('odoo', { seed: 4 }).deals);
  });

  it('refuses fewer than 50 cards', () => {
    expect(() => demoPipeline('espocrm', { cards: 49 })).toThrow(RangeError);
  });

  it('every history starts at the first stage, goes forward in time and ends in the deal stage', () => {
    for (const crm of ['espocrm', 'odoo'] as const) {
      const { stages, deals } = demoPipeline(crm);
      for (const deal of deals) {
        expect(deal.history[0]?.stageId).toBe(stages[0]?.id);
        expect(deal.history.at(-1)?.stageId).toBe(deal.stageId);
        const times = deal.history.map((visit) => visit.at.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    }
  });
});
