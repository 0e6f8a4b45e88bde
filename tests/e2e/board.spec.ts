import { inspect } from '../../emulator/control';
import { generateBoard } from '../fixtures/generate-board';
import { expectBoardDelivered, jobEnd, openMappedBoard, openPopup, withSession } from './flows';
import { expectEqual, expectTrue, test, until } from './harness';

test('board: export a 1,000-card pipeline with progress; a second export sends no history', async () => {
  const board = generateBoard('amocrm', { cards: 1_000, seed: 7 });
  await withSession({}, async (session) => {
    const { popup, tabId } = await openMappedBoard(session, board.html);
    expectTrue((await popup.getByTestId('deal-row').count()) > 0, 'deal rows shown');

    await popup.getByTestId('export-board').click();
    const progress = popup.getByTestId('job-progress');
    const seen = new Set<string | null>();
    await until(
      async () => {
        seen.add(await progress.getAttribute('value'));
        const status = await popup.getByTestId('job-status').getAttribute('data-status');
        return status === 'done' || status === 'failed' || status === 'cancelled';
      },
      'the export to finish',
      120_000,
    );
    expectEqual(await jobEnd(popup), 'done', 'job status');
    expectTrue(
      /Done|Завершена/.test((await popup.getByTestId('job-status').textContent()) ?? ''),
      'a done message',
    );
    expectEqual(await progress.getAttribute('value'), '1000', 'progress at the end');
    expectEqual(await progress.getAttribute('max'), '1000', 'progress maximum');
    expectTrue(seen.size >= 2, `the progress bar to move, saw ${[...seen].join(', ')}`);
    await expectBoardDelivered(session, board.expected);

    const uploads = async () =>
      (await inspect(session.emulator.origin)).calls.filter((c) => c.method === 'upload.deals_history')
        .length;
    const before = await uploads();
    const again = await openPopup(session, tabId);
    await again.getByTestId('export-board').click();
    expectEqual(await jobEnd(again), 'done', 'second job status');
    expectEqual(await uploads(), before, 'upload.deals_history calls after the second export');
    expectTrue(
      (await again.locator('[data-testid="job-result"][data-outcome="unchanged"]').count()) > 0,
      'results shown as unchanged',
    );
  });
});
