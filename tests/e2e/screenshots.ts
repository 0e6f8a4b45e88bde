/**
 * The README's screenshots, from the real extension: `npm run build:e2e && npx tsx tests/e2e/screenshots.ts`.
 * Writes docs/screenshots/popup-deal.png, popup-board.png and options.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { generateBoard } from '../fixtures/generate-board';
import { openAmoDealPopup, openMappedBoard, withSession } from '../support/extension-flows';

const OUT = 'docs/screenshots';
mkdirSync(OUT, { recursive: true });

/** A browser popup takes its page's own width: the viewport does the same here. */
async function asPopup(page: Page): Promise<void> {
  await page.setViewportSize({ width: 200, height: 720 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize({ width, height: 720 });
}

await withSession({ accountName: 'Acme Trading', timezone: 'Europe/Moscow' }, async (session) => {
  const deal = await openAmoDealPopup(session);
  await asPopup(deal);
  await deal.screenshot({ path: `${OUT}/popup-deal.png` });
});

await withSession({ accountName: 'Acme Trading' }, async (session) => {
  const { popup } = await openMappedBoard(session, generateBoard('amocrm', { cards: 250, seed: 4 }).html);
  await asPopup(popup);
  await popup.screenshot({ path: `${OUT}/popup-board.png` });

  const options = await session.browser.openPage('options.html');
  await options.setViewportSize({ width: 1000, height: 900 });
  await options.getByTestId('mapping-editor').first().waitFor();
  await options.getByTestId('test-connection').click();
  await options.getByTestId('account-name').waitFor();
  await options.screenshot({ path: `${OUT}/options.png` });
});
console.log(`screenshots written to ${OUT}/`);
