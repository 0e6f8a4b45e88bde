import type { DealRow, DealStatus } from '@/utils/messaging';

export const DEAL_STATUSES: readonly DealStatus[] = ['new', 'changed', 'unchanged', 'problems'];

export interface BoardFilter {
  /** A stage id, or `null` for every stage. */
  stageId: string | null;
  status: DealStatus | null;
}

export const NO_FILTER: BoardFilter = { stageId: null, status: null };

export const isFiltering = (filter: BoardFilter) => filter.stageId !== null || filter.status !== null;

export function filterRows(rows: readonly DealRow[], filter: BoardFilter): readonly DealRow[] {
  if (!isFiltering(filter)) return rows;
  return rows.filter(
    (row) =>
      (filter.stageId === null || row.stageId === filter.stageId) &&
      (filter.status === null || row.status === filter.status),
  );
}

export function countByStatus(rows: readonly DealRow[]): Record<DealStatus, number> {
  const counts: Record<DealStatus, number> = { new: 0, changed: 0, unchanged: 0, problems: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}
