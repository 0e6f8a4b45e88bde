import { advanceClock, configure, injectFaults, inspect } from '../../emulator/control';
import { generateBoard } from '../fixtures/generate-board';
import { expectEqual, test, until } from '../support/extension-browser';
import {
  expectBoardDelivered,
  jobEnd,
  openMappedBoard,
  TOKEN,
  withSession,
} from '../support/extension-flows';

test('faults: 502, internal error, a hang, dropped connections (one after commit): the export completes once', async () => {
  const board = generateBoard('amocrm', { cards: 300, seed: 11 });
  await withSession({}, async (session) => {
    const { popup } = await openMappedBoard(session, board.html);
    const { origin } = session.emulator;
    // Consumed in this order by the calls that follow; the hang outlasts the client's 25 s timeout.
    await injectFaults(origin, { mode: 'http502', count: 1 });
    await injectFaults(origin, { mode: 'internal_error', count: 1 });
    await injectFaults(origin, { mode: 'drop', count: 1 });
    await injectFaults(origin, {
      mode: 'drop',
      count: 1,
      afterCommit: true,
      methods: ['upload.deals_history'],
    });
    await injectFaults(origin, { mode: 'hang', count: 1 });

    await popup.getByTestId('export-board').click();
    expectEqual(await jobEnd(popup, 120_000), 'done', 'job status');
    const faulted = (await inspect(origin)).calls.filter((c) => c.fault).map((c) => c.fault);
    expectEqual(faulted.length, 5, `faults served (${faulted.join(', ')})`);
    await expectBoardDelivered(session, board.expected);
  });
});

/** Another client of the same account spends this minute's requests (the limit is per account). */
async function spendMinuteQuota(url: string): Promise<void> {
  for (let id = 1; id <= 100; id++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'get.account', params: { access_token: TOKEN } }),
    });
    const answer = (await response.json()) as { error?: { data?: { mnemonic?: string } } };
    if (answer.error?.data?.mnemonic === 'limit_exceeded') return;
  }
  throw new Error('the minute limit was never reached');
}

test('faults: another client spends the minute limit; the export gets limit_exceeded, waits (running or waiting) and completes', async () => {
  const board = generateBoard('amocrm', { cards: 300, seed: 12 });
  await withSession({}, async (session) => {
    const { popup } = await openMappedBoard(session, board.html);
    const { origin } = session.emulator;
    await configure(origin, { minuteLimit: 20 });
    // 45 s into an emulator minute: time enough to spend it and start the export, and a short wait after.
    const { now } = await advanceClock(origin, 0);
    await advanceClock(origin, (105 - new Date(now).getUTCSeconds()) % 60);
    const refusals = async () =>
      (await inspect(origin)).calls.filter((c) => c.mnemonic === 'limit_exceeded').length;
    await spendMinuteQuota(session.emulator.url);
    const refusedBefore = await refusals();

    await popup.getByTestId('export-board').click();
    await until(
      async () => (await refusals()) > refusedBefore,
      'a limit_exceeded answer to the extension',
      30_000,
    );
    // The job goes on by itself when the minute the answer named is over.
    expectEqual(await jobEnd(popup, 120_000), 'done', 'job status');
    await expectBoardDelivered(session, board.expected);
  });
});
