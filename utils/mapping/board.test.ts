import { describe, expect, it } from 'vitest';
import {
  board,
  config,
  contact,
  deal,
  NOW,
  STAGES,
  settings,
  stage,
  visit,
} from '../../tests/support/crm-model';
import { DealHistoryRecord } from '../comagic/schemas';
import type { CrmDeal } from '../crm/model';
import { mapBoard } from './board';
import { mapDeal } from './records';

const ORDER = [STAGES.new, STAGES.qualified, STAGES.proposal, STAGES.won];
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T09:00:00Z');

/** Deal i walks (i % 4) + 1 stages, a day apart; every seventh has no contact data. */
function generatedDeal(i: number): CrmDeal {
  const stages = ORDER.slice(0, (i % ORDER.length) + 1);
  const created = START + i * 60_000;
  const history = stages.map((s, k) => visit(s, new Date(created + k * DAY).toISOString()));
  return deal({
    id: `d${i}`,
    name: `Deal ${i}`,
    stage: stages.at(-1)!,
    createdAt: new Date(created).toISOString(),
    modifiedAt: new Date(created + stages.length * DAY).toISOString(),
    owner: { id: `u${i % 5}`, name: `Owner ${i % 5}` },
    contacts: [contact({ id: `c${i}`, ...(i % 7 === 0 ? { phones: [], emails: [] } : {}) })],
    history,
  });
}

describe('mapBoard', () => {
  it('marks a card with only an estimated stage time partial, and not the same deal read from its page', () => {
    const card = deal({ history: [] });
    const [onBoard] = mapBoard(board([card]), config(), settings(), { now: NOW }).deals;
    expect(onBoard?.partial).toBe(true);
    expect(mapDeal(card, config(), settings(), { now: NOW }).partial).toBe(false);
  });

  it('maps generated cards one by one, every record valid and in order', () => {
    const deals = Array.from({ length: 200 }, (_, i) => generatedDeal(i));
    const result = mapBoard(board(deals), config(), settings(), { now: NOW });
    expect(result.problems).toEqual([]);
    expect(result.deals.map((mapping) => mapping.dealExtId)).toEqual(deals.map((d) => d.id));
    result.deals.forEach((mapping, i) => {
      expect(mapping.sendable).toBe(true);
      expect(mapping.records).toHaveLength((i % ORDER.length) + 1);
      for (const record of mapping.records) DealHistoryRecord.parse(record);
      const times = mapping.records.map((record) => record.modified_stage_date_time);
      expect([...times].sort()).toEqual(times);
      expect(mapping.problems.map((p) => p.code)).toEqual(i % 7 === 0 ? ['contact_unreachable'] : []);
    });
    const won = result.deals.filter((mapping) => mapping.records.at(-1)?.stage_ext_id === 'main:won');
    expect(won).toHaveLength(50);
    expect(won.every((mapping) => mapping.records.at(-1)?.closed_date_time)).toBe(true);
  });

  it('reports a card without an id and still maps the others', () => {
    const result = mapBoard(board([deal({ id: null }), deal({ id: '2' })]), config(), settings(), {
      now: NOW,
    });
    expect(result.deals.map((mapping) => [mapping.dealExtId, mapping.sendable])).toEqual([
      [null, false],
      ['2', true],
    ]);
    expect(result.deals[0]?.problems.map((p) => p.code)).toEqual(['deal_without_id']);
  });

  it('estimates each card from its own first sighting', () => {
    const cards = [deal({ id: 'a' }), deal({ id: 'b' })];
    const firstSeenAt = new Map([['a', '2026-03-10T09:00:00+03:00']]);
    const result = mapBoard(board(cards), config(), settings({ estimateStageTime: 'first_seen' }), {
      now: NOW,
      firstSeenAt,
    });
    expect(result.deals.map((mapping) => mapping.records[0]?.modified_stage_date_time)).toEqual([
      '2026-03-10 09:00:00',
      '2026-04-01 12:00:00',
    ]);
  });

  it('reports columns the mapping lacks and columns only partly shown', () => {
    const demo = stage('demo', 'Demo');
    const result = mapBoard(
      board([deal({ stage: demo })], {
        stages: [...Object.values(STAGES), demo],
        incompleteStages: ['lost'],
      }),
      config(),
      settings(),
      { now: NOW },
    );
    expect(result.problems.map((p) => [p.code, p.severity, p.field])).toEqual([
      ['stage_unmapped', 'error', 'board.stages[5]'],
      ['stage_incomplete', 'warning', 'board.stages.lost'],
    ]);
    expect(result.problems[1]?.message.en).toContain('Closed Lost');
    expect(result.deals[0]?.problems.map((p) => p.code)).toEqual(['stage_unmapped']);
  });

  it('rejects a board of another pipeline', () => {
    const result = mapBoard(board([], { pipeline: { id: 'x', name: 'X' } }), config(), settings(), {
      now: NOW,
    });
    expect(result.problems.map((p) => p.code)).toEqual(['pipeline_mismatch']);
  });
});
