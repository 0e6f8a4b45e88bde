import { describe, expect, it } from 'vitest';
import { dealRows } from '../../tests/support/ui';
import { countByStatus, filterRows, isFiltering, NO_FILTER } from './board-filter';

const rows = dealRows(20);

describe('filterRows', () => {
  it('returns the same rows when nothing is filtered', () => {
    expect(filterRows(rows, NO_FILTER)).toBe(rows);
    expect(isFiltering(NO_FILTER)).toBe(false);
  });

  it('keeps the rows of one stage and one status', () => {
    const shown = filterRows(rows, { stageId: 's1', status: 'changed' });
    expect(shown.length).toBe(5);
    expect(shown.every((row) => row.stageId === 's1' && row.status === 'changed')).toBe(true);
  });

  it('can leave nothing', () => {
    expect(filterRows(rows, { stageId: 's1', status: 'new' })).toEqual([]);
  });
});

describe('countByStatus', () => {
  it('counts every status, zero included', () => {
    expect(countByStatus(rows)).toEqual({ new: 5, changed: 5, unchanged: 5, problems: 5 });
    expect(countByStatus([])).toEqual({ new: 0, changed: 0, unchanged: 0, problems: 0 });
  });
});
