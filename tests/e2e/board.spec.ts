import { inspect } from '../../emulator/control';
import { FINISHED_STATUSES } from '../../utils/sync/job-status';
import { generateBoard } from '../fixtures/generate-board';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  AMO_BOARD_URL,
  connect,
  expectBoardDelivered,
  jobEnd,
  kindOf,
  message,
  openCrmTab,
  openMappedBoard,
  openPopup,
  serveCrm,
  withSession,
} from '../support/extension-flows';
import { shadowContents } from '../support/shadow-content';

test('board-only export: a 1,000-card pipeline with progress; a second export sends no history', async () => {
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
        return FINISHED_STATUSES.some((finished) => finished === status);
      },
      'the export to finish',
      120_000,
    );
    expectEqual(await jobEnd(popup), 'done', 'job status');
    expectTrue(
      /Done|Завершена/.test((await popup.getByTestId('job-status').textContent()) ?? ''),
      'a done message',
    );
    // The status can render a moment before the bar's last value: the end value is a sample too.
    const end = await progress.getAttribute('value');
    seen.add(end);
    expectEqual(end, '1000', 'progress at the end');
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

test('board: a board visited is prepared storing nothing; the popup opened on it stores its mapping', async () => {
  const board = generateBoard('amocrm', { cards: 200, seed: 5 });
  await withSession({}, async (session) => {
    await serveCrm(session, 'https://acme.amocrm.ru', () => board.html);
    const options = await connect(session);
    const { tabId } = await openCrmTab(session, AMO_BOARD_URL);
    // The content script has told the background, which has read the tab and made its preview.
    await new Promise((wake) => setTimeout(wake, 1_500));
    expectEqual((await message(options, 'mapping.list', {})).length, 0, 'mappings stored by the visit');
    const popup = await openPopup(session, tabId);
    expectEqual(await kindOf(popup), 'board', 'what the popup shows');
    await until(async () => (await message(options, 'mapping.list', {})).length === 1, 'the mapping stored');
    await popup.getByTestId('deal-row').first().waitFor();
  });
});

test('board: with badges on, each card shows its export state, and it changes after an export', async () => {
  const board = generateBoard('amocrm', { cards: 100, seed: 11 });
  await withSession({}, async (session) => {
    const { popup, tabId } = await openMappedBoard(session, board.html);
    const crm = session.browser.context.pages().find((page) => page.url().startsWith(AMO_BOARD_URL));
    if (!crm) throw new Error('no CRM tab');
    const badges = crm.locator('crm-comagic-badge');
    expectEqual(await badges.count(), 0, 'badges while the setting is off');

    await message(popup, 'settings.save', {
      ...(await message(popup, 'settings.get', {})),
      boardBadges: true,
    });
    const states = async () =>
      crm.locator('crm-comagic-badge').evaluateAll((all) => all.map((b) => b.getAttribute('data-state')));
    const before = await until(async () => {
      const seen = await states();
      return seen.length === board.expected.dealIds.length ? seen : null;
    }, 'a badge on every card');
    const fresh = before.filter((state) => state === 'new').length;
    expectTrue(fresh > 0, `new deals among ${before.join(', ')}`);
    // The badges' roots are closed: their text is read through the DevTools protocol.
    const label = (await shadowContents(crm, 'crm-comagic-badge'))[0]?.text ?? '';
    expectTrue(/New|Новая|Has problems|Есть проблемы/.test(label), `a translated label, got "${label}"`);

    await popup.getByTestId('export-board').click();
    expectEqual(await jobEnd(popup), 'done', 'job status');
    const after = await until(
      async () => {
        const seen = await states();
        return seen.includes('new') ? null : seen;
      },
      'the badges to change after the export',
      15_000,
    );
    expectEqual(after.filter((state) => state === 'sent').length, fresh, 'cards shown as sent');
    expectEqual(after.length, before.length, 'badges after the export');
    // The popup kept this board's preview from before the export: it must not show it again.
    const again = await openPopup(session, tabId);
    await again.getByTestId('deal-row').first().waitFor();
    expectEqual(await again.locator('[data-testid="deal-row"][data-status="new"]').count(), 0, 'new rows');
  });
});
