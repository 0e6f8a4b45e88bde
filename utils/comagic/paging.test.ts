import { describe, expect, it } from 'vitest';
import { allOf, anyOf, chunk, countedPages, inFilters, type Page, pageThrough, where } from './paging';

describe('filter builders', () => {
  it('build simple and tree filters as the API spells them', () => {
    expect(
      allOf(where('ext_id', '=', 'd-1'), anyOf(where('name', 'ilike', '%x%'), where('name', 'is_null'))),
    ).toEqual({
      condition: 'and',
      filters: [
        { field: 'ext_id', operator: '=', value: 'd-1' },
        {
          condition: 'or',
          filters: [
            { field: 'name', operator: 'ilike', value: '%x%' },
            { field: 'name', operator: 'is_null' },
          ],
        },
      ],
    });
  });
});

describe('chunk and inFilters', () => {
  it('split values into chunks of at most the size, distinct values only', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inFilters('ext_id', ['a', 'b', 'a', 'c'], 2)).toEqual([
      { field: 'ext_id', operator: 'in', value: ['a', 'b'] },
      { field: 'ext_id', operator: 'in', value: ['c'] },
    ]);
    expect(inFilters('ext_id', [])).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('pageThrough', () => {
  async function collect(total: number | null, rows: number, pageSize: number) {
    const offsets: number[] = [];
    const fetchPage = async (offset: number): Promise<Page<number>> => {
      offsets.push(offset);
      const count = Math.max(0, Math.min(pageSize, rows - offset));
      return { rows: Array.from({ length: count }, (_, i) => offset + i), totalItems: total };
    };
    const pages: number[][] = [];
    for await (const page of pageThrough(fetchPage, 0, pageSize)) pages.push(page);
    return { offsets, pages };
  }

  it('stops at total_items', async () => {
    const { offsets, pages } = await collect(7, 7, 3);
    expect(offsets).toEqual([0, 3, 6]);
    expect(pages.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('without a total, stops at the first short page', async () => {
    expect((await collect(null, 6, 3)).offsets).toEqual([0, 3, 6]);
    expect((await collect(null, 5, 3)).offsets).toEqual([0, 3]);
  });

  it('stops on an empty page even if the total promised more', async () => {
    const { offsets, pages } = await collect(10, 4, 2);
    expect(offsets).toEqual([0, 2, 4]);
    expect(pages.flat()).toEqual([0, 1, 2, 3]);
  });
});

describe('countedPages', () => {
  const pages =
    (rows: number, total: number | null) =>
    async (offset: number): Promise<Page<number>> => {
      const count = Math.max(0, Math.min(3, rows - offset));
      return { rows: Array.from({ length: count }, (_, i) => offset + i), totalItems: total };
    };

  it('collects every row and counts each call made', async () => {
    expect(await countedPages(pages(7, 7), 3)).toEqual({ rows: [0, 1, 2, 3, 4, 5, 6], calls: 3 });
    expect(await countedPages(pages(6, null), 3)).toEqual({ rows: [0, 1, 2, 3, 4, 5], calls: 3 });
  });

  it('counts an empty answer as a call', async () => {
    expect(await countedPages(pages(0, 0), 3)).toEqual({ rows: [], calls: 1 });
  });
});
