/**
 * `npm run bench [-- section…]`: runs the benchmark sections (all by default), prints one table
 * and writes bench/results.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchDeep } from './deep';
import { benchDeliver } from './deliver';
import { benchLive } from './live';
import { type Result, table, writeReadmeFigures } from './measure';
import { benchPlan } from './plan';
import { benchPopup } from './popup';
import { benchScrape, chromiumVersion } from './scrape';
import { benchSizes } from './sizes';
import { benchStorage } from './storage';
import { benchTeam } from './team';

const sections: Record<string, () => Promise<Result[]>> = {
  scrape: benchScrape,
  plan: benchPlan,
  deliver: benchDeliver,
  deep: benchDeep,
  sizes: benchSizes,
  popup: benchPopup,
  live: benchLive,
  team: benchTeam,
  storage: benchStorage,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in sections));
if (unknown.length > 0) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}

const ran: Result[] = [];
for (const [name, run] of Object.entries(sections)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  console.error(`bench: ${name}…`);
  const measuredAt = new Date().toISOString();
  ran.push(...(await run()).map((r) => ({ ...r, section: name, measuredAt })));
}

const resultsFile = new URL('./results.json', import.meta.url);
const previous: Result[] = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8')).results
  : [];
const ranSections = new Set(ran.map((r) => r.section));
// A partial run replaces its own sections' figures and keeps the others' (each says when it was measured).
const results = [...previous.filter((r) => r.section && !ranSections.has(r.section)), ...ran].sort(
  (a, b) => sectionOrder(a) - sectionOrder(b),
);

function sectionOrder(r: Result): number {
  return Object.keys(sections).indexOf(r.section ?? '');
}

const loadAtEnd = loadavg().map((load) => Math.round(load * 100) / 100);
const report = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    node: process.version,
    chromium: await chromiumVersion(),
    /** 1, 5 and 15-minute load averages when the last run ended: the machine is shared. */
    loadAverage: loadAtEnd,
  },
  results,
};
writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
writeReadmeFigures(new URL('../README.md', import.meta.url), results);
console.log(table(ran));
const failed = ran.filter((r) => r.ok === false);
console.log(
  `\n${ran.length} figures, ${failed.length} missed their target; written to bench/results.json and the README's figures`,
);
