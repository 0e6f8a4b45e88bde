import { describe, expect, it } from 'vitest';
import { Problems } from './dom';
import { buildHistory, type Moment, momentOf, type StageChange, stageResolver } from './history';
import type { CrmStage, StageVisit } from './model';

const stage = (id: string): CrmStage => ({ id, name: id, outcome: null });
const exact = (instant: string): Moment => ({ instant, estimated: false });
const estimate = (instant: string): Moment => ({ instant, estimated: true });
const change = (from: string, to: string, at: Moment): StageChange => ({
  from: stage(from),
  to: stage(to),
  at,
});
const stagesAndTimes = (history: StageVisit[]) => history.map((visit) => [visit.stage.id, visit.enteredAt]);

describe('momentOf', () => {
  it('marks a day-precision date as estimated', () => {
    expect(momentOf({ instant: '2026-03-01T00:00:00.000Z', precision: 'day' })).toEqual(
      estimate('2026-03-01T00:00:00.000Z'),
    );
  });

  it('takes a date with a time of day as exact', () => {
    expect(momentOf({ instant: '2026-03-01T10:15:00.000Z', precision: 'minute' })).toEqual(
      exact('2026-03-01T10:15:00.000Z'),
    );
  });
});

describe('buildHistory', () => {
  it('starts with the oldest change\'s "was" stage at the creation time', () => {
    const history = buildHistory(
      [change('A', 'B', exact('2026-03-02T10:00:00.000Z'))],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(history).toEqual([
      { stage: stage('A'), enteredAt: '2026-03-01T09:00:00.000Z', source: 'created', estimated: false },
      { stage: stage('B'), enteredAt: '2026-03-02T10:00:00.000Z', source: 'timeline', estimated: false },
    ]);
  });

  it('uses the current stage at creation when the timeline shows no change', () => {
    expect(buildHistory([], stage('A'), estimate('2026-03-01T00:00:00.000Z'))).toEqual([
      { stage: stage('A'), enteredAt: '2026-03-01T00:00:00.000Z', source: 'created', estimated: true },
    ]);
  });

  it('has no creation visit when the creation time is unknown', () => {
    expect(buildHistory([], stage('A'), null)).toEqual([]);
  });

  it('reports the first stage it leaves out for want of a creation time', () => {
    const problems = new Problems();
    const history = buildHistory(
      [change('A', 'B', exact('2026-03-02T10:00:00.000Z'))],
      stage('B'),
      null,
      problems,
    );
    expect(history.map((visit) => visit.stage.id)).toEqual(['B']);
    expect(problems.list).toEqual([
      { code: 'history_start_unknown', field: 'history[0].enteredAt', detail: 'A', severity: 'warning' },
    ]);
  });

  it('reports nothing when the creation time is known', () => {
    const problems = new Problems();
    buildHistory(
      [change('A', 'B', exact('2026-03-02T10:00:00.000Z'))],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
      problems,
    );
    expect(problems.list).toEqual([]);
  });

  it('merges consecutive visits of the same stage', () => {
    const history = buildHistory(
      [
        change('A', 'A', exact('2026-03-02T10:00:00.000Z')),
        change('A', 'B', exact('2026-03-03T10:00:00.000Z')),
      ],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(stagesAndTimes(history)).toEqual([
      ['A', '2026-03-01T09:00:00.000Z'],
      ['B', '2026-03-03T10:00:00.000Z'],
    ]);
  });

  it('moves an estimated time that falls before the previous visit up to it', () => {
    const history = buildHistory(
      [change('A', 'B', estimate('2026-03-01T00:00:00.000Z'))],
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

  it('keeps a day-only change after the exact changes of that day that come before it', () => {
    const history = buildHistory(
      [
        change('A', 'B', exact('2026-03-01T09:00:00.000Z')),
        change('B', 'C', estimate('2026-03-01T00:00:00.000Z')),
      ],
      stage('C'),
      exact('2026-03-01T08:00:00.000Z'),
    );
    expect(stagesAndTimes(history)).toEqual([
      ['A', '2026-03-01T08:00:00.000Z'],
      ['B', '2026-03-01T09:00:00.000Z'],
      ['C', '2026-03-01T09:00:00.000Z'],
    ]);
  });

  it('leaves an exact time as the page gave it', () => {
    const history = buildHistory(
      [change('A', 'B', exact('2026-03-01T08:00:00.000Z'))],
      stage('B'),
      exact('2026-03-01T09:00:00.000Z'),
    );
    expect(history[1]?.enteredAt).toBe('2026-03-01T08:00:00.000Z');
  });
});

describe('stageResolver', () => {
  const known: CrmStage[] = [{ id: '52001', name: 'Initial contact', outcome: 'in_progress' }];
  const byName = (name: string): CrmStage => ({ id: name, name, outcome: null });

  it("names a stage by the page's list, whatever the case", () => {
    const problems = new Problems();
    expect(stageResolver(known, byName, problems)('INITIAL CONTACT')).toBe(known[0]);
    expect(problems.list).toEqual([]);
  });

  it('makes a stage not on the list from its name and reports it once', () => {
    const problems = new Problems();
    const resolve = stageResolver(known, byName, problems);
    expect(resolve('Archive')).toEqual(byName('Archive'));
    expect(resolve('Archive')).toEqual(byName('Archive'));
    expect(problems.list).toEqual([
      { code: 'stage_id_unknown', field: 'history', detail: 'Archive', severity: 'warning' },
    ]);
  });
});
