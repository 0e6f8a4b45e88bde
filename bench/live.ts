/**
 * Live mode: a person moves a card on the demo EspoCRM's board (tests/crm-sites) with live mode on;
 * the time from the move (the drop) to CoMagic (the emulator) holding the deal in its new stage, and
 * the parts of it: the CRM saving and showing the move, the page settling before it is read (the
 * content script waits until the board has not changed for 2 s), and the background reading the deal
 * whole and sending it.
 */
import { DEMO_TIME_ZONE, demoPipeline } from '../demo/data';
import { inspect } from '../emulator/control';
import { startCrm } from '../tests/crm-sites/server';
import { dragCard } from '../tests/support/crm-edits';
import { connectForDemo } from '../tests/support/demo-crm';
import { until } from '../tests/support/extension-browser';
import { message, openCrmTab, withSession } from '../tests/support/extension-flows';
import { atMost, info, type Result, result } from './measure';

const RUNS = 7;
const COMMAND = 'npm run build:e2e && npm run bench -- live';
/** A person looks at a board a moment before moving the next card. */
const BETWEEN_MOVES_MS = 1_000;

interface Timing {
  total: number;
  /** The drop until the page last changed (the CRM saved the move and showed the board again). */
  crm: number;
  /** The page's last change until the background was handed the change: the wait for it to settle. */
  settle: number;
  /** Handed over until CoMagic holds it: the deal read whole, mapped, sent. */
  send: number;
}

export async function benchLive(): Promise<Result[]> {
  const pipeline = demoPipeline('espocrm', { cards: 50, seed: 61 });
  const crm = await startCrm(pipeline);
  const timings: Timing[] = [];
  try {
    await withSession({ timezone: DEMO_TIME_ZONE }, async (session) => {
      const options = await connectForDemo(session);
      await message(options, 'autoSync.save', { liveSites: [crm.origin], schedules: [] });
      const { page } = await openCrmTab(session, crm.boardUrl);
      await page.locator('div.list-kanban').first().waitFor();
      // When the page last changed (its own clock, main world) and when the background was handed a change.
      await page.evaluate(() => {
        const marks = window as unknown as { lastChange: number };
        new MutationObserver(() => {
          marks.lastChange = Date.now();
        }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      await session.browser.worker.evaluate(() => {
        const marks = globalThis as unknown as { handedOver: number };
        chrome.runtime.onMessage.addListener((request: { type?: string }) => {
          if (request?.type === 'live.changed') marks.handedOver = Date.now();
        });
      });
      const movable = pipeline.deals.filter((deal) => deal.stageId === 'Prospecting').slice(0, RUNS);
      if (movable.length < RUNS) throw new Error(`${RUNS} deals in Prospecting expected`);
      for (const deal of movable) {
        await page.waitForTimeout(BETWEEN_MOVES_MS);
        const movedAt = Date.now();
        await dragCard(page, deal.id, 'Negotiation');
        await until(
          async () =>
            Object.entries((await inspect(session.emulator.origin)).deals).some(
              ([extId, records]) =>
                (extId === deal.id || extId.endsWith(`:${deal.id}`)) &&
                records.some((record) => record.stage_ext_id.endsWith(':Negotiation')),
            ),
          `CoMagic to hold ${deal.id} in Negotiation`,
          30_000,
        );
        const storedAt = Date.now();
        const lastChange = (await page.evaluate(
          () => (window as unknown as { lastChange: number }).lastChange,
        )) as number;
        const handedOver = (await session.browser.worker.evaluate(
          () => (globalThis as unknown as { handedOver: number }).handedOver,
        )) as number;
        timings.push({
          total: storedAt - movedAt,
          crm: lastChange - movedAt,
          settle: handedOver - lastChange,
          send: storedAt - handedOver,
        });
      }
    });
  } finally {
    await crm.close();
  }
  const of = (part: keyof Timing) => timings.map((timing) => timing[part]);
  return [
    result(
      'live: a card moved → CoMagic holds its new stage',
      'ms',
      of('total'),
      atMost(10_000),
      COMMAND,
      `demo EspoCRM board (50 cards), live mode on, ${RUNS} moves: the drop → the emulator holds the deal in its new stage (polled every 100 ms)`,
    ),
    result(
      'live: of which the CRM saving and showing the move',
      'ms',
      of('crm'),
      info,
      COMMAND,
      'the drop → the page’s last DOM change (PUT Opportunity/<id>, the board rendered again)',
    ),
    result(
      'live: of which waiting for the page to settle (debounce)',
      'ms',
      of('settle'),
      info,
      COMMAND,
      'the page’s last change → the background handed the change: 2 s without a change, then the page read',
    ),
    result(
      'live: of which reading the deal whole and sending it',
      'ms',
      of('send'),
      info,
      COMMAND,
      'handed over → stored: kept in the inbox, read through the CRM’s endpoints, mapped, uploaded',
    ),
  ];
}
