/** Gzipped sizes of the production build (`npm run build` → .output/chrome-mv3); gzip is deterministic, so one run. */
import { resolve } from 'node:path';
import { atMost, info, type Result, result } from './measure';
import { measureParts } from './size-budget';

const OUT_DIR = resolve('.output/chrome-mv3');

export async function benchSizes(): Promise<Result[]> {
  const parts = measureParts(OUT_DIR);
  if (parts.length === 0) throw new Error(`No build in ${OUT_DIR}: run \`npm run build\` first.`);
  return parts.map((part) =>
    result(
      `size ${part.part} (gzip)`,
      'KB',
      [part.gzipBytes / 1024],
      part.budgetBytes === null ? info : atMost(part.budgetBytes / 1024),
      'npm run build && npm run bench -- sizes',
      part.files.join(' + '),
    ),
  );
}
