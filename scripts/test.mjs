// `npm test`: typecheck, lint, unit tests, end-to-end tests; ends with one plain line
// `N passed, N failed` that counts every test (and a failed typecheck or lint as one failure),
// so a run that ran no test can never read as success.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npx = (args) => spawnSync('npx', args, { stdio: 'inherit' }).status === 0;
let passed = 0;
let failed = 0;
const check = (name, ok) => {
  if (!ok) {
    failed += 1;
    console.error(`✗ ${name} failed`);
  }
};

check('typecheck (tsc --noEmit)', npx(['tsc', '--noEmit']));
check('lint (biome check)', npx(['biome', 'check', '.']));

const report = join(mkdtempSync(join(tmpdir(), 'crm-comagic-test-')), 'vitest.json');
const unit = npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests + json.numPendingTests + json.numTodoTests;
  if (json.numTotalTests === 0) failed += 1;
  if (!unit && json.numFailedTests === 0) failed += 1; // a suite that failed to load
} catch {
  check('unit tests (no report written)', false);
}

const e2e = spawnSync('npm', ['run', 'e2e'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
process.stdout.write(e2e.stdout ?? '');
const counts = /^e2e: (\d+) passed, (\d+) failed$/m.exec(e2e.stdout ?? '');
if (counts) {
  passed += Number(counts[1]);
  failed += Number(counts[2]);
}
if (!counts || e2e.status !== 0) {
  if (!counts || Number(counts[2]) === 0) failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
