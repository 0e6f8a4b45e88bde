/** Filter builders and paging over `get.*` lists (limit ≤ 10 000, offset ≤ 100 000, total in metadata). */
import type { Filter, FilterOperator, FilterValue, SimpleFilter, TreeFilter } from './schemas';

export function where<F extends string>(
  field: F,
  operator: FilterOperator,
  value?: FilterValue,
): SimpleFilter<F> {
  return value === undefined ? { field, operator } : { field, operator, value };
}

export function allOf<F extends string>(...filters: Filter<F>[]): TreeFilter<F> {
  return { filters, condition: 'and' };
}

export function anyOf<F extends string>(...filters: Filter<F>[]): TreeFilter<F> {
  return { filters, condition: 'or' };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** `field in [...]` over many values, as one filter per chunk of distinct values. */
export function inFilters<F extends string>(
  field: F,
  values: readonly (string | number)[],
  chunkSize = 1000,
): SimpleFilter<F>[] {
  return chunk([...new Set(values)], chunkSize).map((part) => where(field, 'in', part));
}

export interface Page<Row> {
  rows: Row[];
  /** `metadata.total_items`; `null` when the answer did not carry it. */
  totalItems: number | null;
}

/** Yields each non-empty page from `offset` on, until the total (or a short page) says there is no more. */
export async function* pageThrough<Row>(
  fetchPage: (offset: number) => Promise<Page<Row>>,
  firstOffset: number,
  pageSize: number,
): AsyncGenerator<Row[]> {
  for (let offset = firstOffset; ; ) {
    const { rows, totalItems } = await fetchPage(offset);
    if (rows.length === 0) return;
    yield rows;
    offset += rows.length;
    const more = totalItems === null ? rows.length === pageSize : offset < totalItems;
    if (!more) return;
  }
}

/**
 * Every row from offset 0 on and the calls it took (an empty answer is a call too), for a caller
 * that keeps to a read budget.
 */
export async function countedPages<Row>(
  fetchPage: (offset: number) => Promise<Page<Row>>,
  pageSize: number,
): Promise<{ rows: Row[]; calls: number }> {
  const rows: Row[] = [];
  let calls = 0;
  for (let offset = 0; ; ) {
    const page = await fetchPage(offset);
    calls += 1;
    rows.push(...page.rows);
    offset += page.rows.length;
    const more = page.totalItems === null ? page.rows.length === pageSize : offset < page.totalItems;
    if (page.rows.length === 0 || !more) return { rows, calls };
  }
}
