import { describe, expect, it } from 'vitest';
import type { CrmStage } from '../model';
import { buildHistory } from './history';

const stage = (id: string): CrmStage => ({ id, name: id, outcome: null });
const exact = (instant: string) => ({ instant, precision: 'minute' as const });
const day = (instant: string) => ({ instant, precision: 'day' as const });

describe('buildHistory', () => {
  it('starts with the oldest change\'s "was" stage at the creation time', () => {
    const history = buildHistory(
      [{ at: exact('2026-03-02T10:00:00.000Z'), from: stage('A'), to: stage('B') }],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(history).toEqual([
      { stage: stage('A'), enteredAt: '2026-03-01T09:00:00.000Z', source: 'created', estimated: false },
      { stage: stage('B'), enteredAt: '2026-03-02T10:00:00.000Z', source: 'timeline', estimated: false },
    ]);
  });

  it('uses the current stage at creation when the timeline shows no change', () => {
    expect(buildHistory([], stage('A'), day('2026-03-01T00:00:00.000Z'))).toEqual([
      { stage: stage('A'), enteredAt: '2026-03-01T00:00:00.000Z', source: 'created', estimated: true },
    ]);
  });

  it('has no creation visit when the creation time is unknown', () => {
    expect(buildHistory([], stage('A'), null)).toEqual([]);
  });

  it('merges consecutive visits of the same stage', () => {
    const history = buildHistory(
      [
        { at: exact('2026-03-02T10:00:00.000Z'), from: stage('A'), to: stage('A') },
        { at: exact('2026-03-03T10:00:00.000Z'), from: stage('A'), to: stage('B') },
      ],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(history.map((visit) => [visit.stage.id, visit.enteredAt])).toEqual([
      ['A', '2026-03-01T09:00:00.000Z'],
      ['B', '2026-03-03T10:00:00.000Z'],
    ]);
  });

  it('moves a day-precision time that falls before the previous visit up to it', () => {
    const history = buildHistory(
      [{ at: day('2026-03-01T00:00:00.000Z'), from: stage('A'), to: stage('B') }],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(history[1]).toEqual({
      stage: stage('B'),
      enteredAt: '2026-03-01T09:00:00.000Z',
      source: 'timeline',
      estimated: true,
    });
  });
});
