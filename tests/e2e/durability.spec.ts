import type { Page } from 'playwright-core';
import { injectFaults, inspect } from '../../emulator/control';
import { generateBoard } from '../fixtures/generate-board';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  expectBoardDelivered,
  jobEnd,
  openMappedBoard,
  stopServiceWorker,
  withSession,
} from '../support/extension-flows';

const workerStarts = (page: Page) =>
  page.evaluate(async () => Number((await chrome.storage.local.get('worker-starts'))['worker-starts'] ?? 0));

test('durability: the service worker is stopped mid-export of 1,000 deals; the job resumes by itself, nothing lost or doubled', async () => {
  const board = generateBoard('amocrm', { cards: 1_000, seed: 21 });
  await withSession({}, async (session) => {
    const { popup } = await openMappedBoard(session, board.html);
    const startsBefore = await workerStarts(popup);
    const { origin } = session.emulator;
    // CoMagic stores the history, then its answer never arrives: the worker dies with the call in flight.
    await injectFaults(origin, {
      mode: 'hang',
      count: 1,
      afterCommit: true,
      methods: ['upload.deals_history'],
    });

    await popup.getByTestId('export-board').click();
    await until(
      async () => (await inspect(origin)).calls.some((c) => c.method === 'upload.deals_history' && c.fault),
      'the export to be mid-upload',
      60_000,
    );
    await stopServiceWorker(session, popup);

    expectEqual(await jobEnd(popup, 120_000), 'done', 'job status');
    const startsAfter = await workerStarts(popup);
    expectTrue(
      startsAfter > startsBefore,
      `the worker to start again (starts ${startsBefore} → ${startsAfter})`,
    );
    await expectBoardDelivered(session, board.expected);
  });
});
