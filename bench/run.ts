/**
 * `npm run bench [-- section…]`: runs the benchmark sections (all by default), prints one table
 * and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchDeliver } from './deliver';
import { type Result, table } from './measure';
import { benchPlan } from './plan';
import { benchPopup } from './popup';
import { benchScrape, chromiumVersion } from './scrape';
import { benchSizes } from './sizes';

const sections: Record<string, () => Promise<Result[]>> = {
  scrape: benchScrape,
  plan: benchPlan,
  deliver: benchDeliver,
  sizes: benchSizes,
  popup: benchPopup,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}

const results: Result[] = [];
for (const [name, run] of Object.entries(sections)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  console.error(`bench: ${name}…`);
  results.push(...(await run()));
}

const loadAtEnd = loadavg().map((load) => Math.round(load * 100) / 100);
const report = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    node: process.version,
    chromium: await chromiumVersion(),
    /** 1, 5 and 15-minute load averages when the run ended: the machine is shared. */
    loadAverage: loadAtEnd,
  },
  results,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log(table(results));
const failed = results.filter((r) => r.ok === false);
console.log(
  `\n${results.length} figures, ${failed.length} missed their target; written to bench/results.json`,
);
