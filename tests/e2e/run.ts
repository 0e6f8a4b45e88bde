import { findChromium, run } from '../support/extension-browser';
import './options.spec';
import './deal.spec';
import './board.spec';
import './whole.spec';
import './live.spec';
import './recipe.spec';
import './first-send.spec';
import './faults.spec';
import './durability.spec';
import './bad-input.spec';
import './security.spec';
import './accessibility.spec';
import './team.spec';

try {
  findChromium();
} catch (error) {
  console.log(`✗ Chromium: ${(error as Error).message}\ne2e: 0 passed, 1 failed`);
  process.exit(1);
}
process.exit(await run());
