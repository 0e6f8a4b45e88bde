/**
 * Gzipped sizes of the built extension's parts, and the budgets a build must stay within:
 * `checkBudgets` runs from wxt.config.ts after every production build and throws past a budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const KB = 1024;

/** `null`: measured and reported, with no budget. */
export const BUDGETS: { part: string; entry: string; budgetBytes: number | null }[] = [
  { part: 'content script', entry: 'content-scripts/crm.js', budgetBytes: 30 * KB },
  // Injected only into the CRM tab a whole-deal export reads through (entrypoints/deal-reads.ts).
  { part: 'deal reads script', entry: 'deal-reads.js', budgetBytes: 20 * KB },
  { part: 'popup', entry: 'popup.html', budgetBytes: 60 * KB },
  { part: 'options', entry: 'options.html', budgetBytes: null },
  { part: 'background', entry: 'background.js', budgetBytes: null },
];

export interface PartSize {
  part: string;
  files: string[];
  gzipBytes: number;
  budgetBytes: number | null;
}

const HTML_ASSET = /(?:src|href)="\/([^"]+\.(?:js|css))"/g;
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g;

/** A page's scripts and styles with every chunk they import statically; a script with its imports. */
export function filesOf(outDir: string, entry: string): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file)) return;
    found.add(file);
    if (!file.endsWith('.js')) return;
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const [, name] of readFileSync(join(outDir, file), 'utf8').matchAll(STATIC_IMPORT))
      visit(folder + name);
  };
  if (entry.endsWith('.html')) {
    for (const [, file] of readFileSync(join(outDir, entry), 'utf8').matchAll(HTML_ASSET))
      if (file) visit(file);
  } else visit(entry);
  return [...found];
}

const gzipSize = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

export function measureParts(outDir: string): PartSize[] {
  return BUDGETS.filter(({ entry }) => existsSync(join(outDir, entry))).map(
    ({ part, entry, budgetBytes }) => {
      const files = filesOf(outDir, entry);
      const gzipBytes = files.reduce((sum, file) => sum + gzipSize(join(outDir, file)), 0);
      return { part, files, gzipBytes, budgetBytes };
    },
  );
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

/** Throws, naming every part over its budget, its files, its size and its budget. */
export function checkBudgets(outDir: string): void {
  const over = measureParts(outDir).filter((p) => p.budgetBytes !== null && p.gzipBytes > p.budgetBytes);
  if (over.length === 0) return;
  const lines = over.map(
    (p) =>
      `${p.part} (${p.files.join(' + ')}) is ${kb(p.gzipBytes)} gzipped, over its budget of ${kb(p.budgetBytes ?? 0)}`,
  );
  throw new Error(
    `Size budget exceeded in ${outDir}:\n  ${lines.join('\n  ')}\n(budgets: bench/size-budget.ts)`,
  );
}
