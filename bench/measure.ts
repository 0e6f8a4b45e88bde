import { readFileSync, writeFileSync } from 'node:fs';

/** What every bench section returns, and the one table and JSON file they end in. */
export interface Result {
  name: string;
  unit: string;
  median: number;
  runs: number[];
  /** As a person reads it, e.g. `< 250` or `= 51`. */
  target: string;
  /** `null` for a figure shown for context only (no target). */
  ok: boolean | null;
  command: string;
  /** How it was measured when the name alone does not say. */
  note?: string;
  /** Set by `bench/run.ts`: which section measured it, and when. */
  section?: string;
  measuredAt?: string;
}

export function median(runs: readonly number[]): number {
  const sorted = [...runs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error('median of no runs');
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

type Check = { target: string; pass: ((value: number) => boolean) | null };

export const info: Check = { target: '—', pass: null };
export const below = (limit: number): Check => ({ target: `< ${limit}`, pass: (v) => v < limit });
export const atMost = (limit: number): Check => ({ target: `≤ ${limit}`, pass: (v) => v <= limit });
export const equals = (wanted: number): Check => ({ target: `= ${wanted}`, pass: (v) => v === wanted });

export function result(
  name: string,
  unit: string,
  runs: number[],
  check: Check,
  command: string,
  note?: string,
): Result {
  const value = round(median(runs));
  return {
    name,
    unit,
    median: value,
    runs: runs.map(round),
    target: check.target,
    ok: check.pass ? check.pass(value) : null,
    command,
    ...(note ? { note } : {}),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function repeat<T>(times: number, run: () => Promise<T> | T): Promise<T[]> {
  const runs: T[] = [];
  for (let index = 0; index < times; index++) runs.push(await run());
  return runs;
}

export function table(results: readonly Result[]): string {
  const rows = [
    ['metric', 'median', 'target', 'ok'],
    ...results.map((r) => [
      r.name,
      `${r.median} ${r.unit}`,
      r.ok === null ? r.target : `${r.target} ${r.unit}`,
      r.ok === null ? '' : r.ok ? 'pass' : 'FAIL',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | '))
    .join('\n');
}

const FIGURES_START = '<!-- figures: written by npm run bench -->';
const FIGURES_END = '<!-- /figures -->';

/** Replaces the README's figures table (between its markers) with these results. */
export function writeReadmeFigures(readme: URL, results: readonly Result[]): void {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(FIGURES_START);
  const end = text.indexOf(FIGURES_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${FIGURES_START} … ${FIGURES_END} block`);
  const rows = results.map((r) => {
    const met = r.ok === null ? '—' : r.ok ? 'yes' : 'no';
    const target = r.ok === null ? r.target : `${r.target} ${r.unit}`;
    const when = r.measuredAt?.slice(0, 10) ?? '';
    return `| ${r.name} | ${r.median} ${r.unit} | ${target} | ${met} | \`${r.command}\` | ${when} |`;
  });
  const block = [
    FIGURES_START,
    '| metric | median | target | met | reproduce | measured |',
    '|---|---|---|---|---|---|',
    ...rows,
    FIGURES_END,
  ].join('\n');
  writeFileSync(readme, text.slice(0, start) + block + text.slice(end + FIGURES_END.length));
}
