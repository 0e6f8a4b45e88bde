import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { generateBoard } from '../fixtures/generate-board';
import { expectEqual, test } from '../support/extension-browser';
import { jobEnd, openAmoDealPopup, openMappedBoard, withSession } from '../support/extension-flows';

const AXE_SOURCE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script> tag: the extension pages' CSP blocks inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    async () =>
      (
        await (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run()
      ).violations,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target).slice(0, 3))}`,
    );
}

test('accessibility: popup on a deal page, before and after sending, has no serious or critical axe violations', async () => {
  await withSession({}, async (session) => {
    const popup = await openAmoDealPopup(session);
    expectEqual(await seriousViolations(popup), [], 'violations on the deal preview');
    await popup.getByTestId('send-deal').click();
    await jobEnd(popup);
    expectEqual(await seriousViolations(popup), [], 'violations with the job panel');
  });
});

test('accessibility: popup on a board and options page have no serious or critical axe violations', async () => {
  await withSession({}, async (session) => {
    const { popup } = await openMappedBoard(session, generateBoard('amocrm', { cards: 100, seed: 3 }).html);
    expectEqual(await seriousViolations(popup), [], 'violations on the board');
    await popup.getByTestId('export-board').click();
    await jobEnd(popup);
    expectEqual(await seriousViolations(popup), [], 'violations on the board with results');

    const options = await session.browser.openPage('options.html');
    await options.getByTestId('mapping-editor').first().waitFor();
    expectEqual(await seriousViolations(options), [], 'violations on the options page');
  });
});
