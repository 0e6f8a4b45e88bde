/**
 * A team: two browsers (two profiles) with the extension, one CRM, one CoMagic account. Each keeps
 * its own ledger; before sending what it does not know, each asks CoMagic what it holds.
 */
import type { Page } from 'playwright-core';
import { DEMO_TIME_ZONE, type DemoPipeline, demoPipeline } from '../../demo/data';
import { expectationOf, mismatches } from '../../demo/verify';
import { inspect } from '../../emulator/control';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { MappingConfig } from '../../utils/mapping/funnel';
import type { JobView } from '../../utils/messaging';
import { sitePrefixOf } from '../../utils/settings';
import { type RunningCrm, startCrm } from '../crm-sites/server';
import {
  type ExtensionBrowser,
  expectEqual,
  expectTrue,
  launchExtension,
  test,
} from '../support/extension-browser';
import {
  connect,
  duplicates,
  jobEnd,
  message,
  openCrmTab,
  openPopup,
  type Session,
  storedRecords,
  TOKEN,
} from '../support/extension-flows';

/** The board exported from a freshly opened tab (it shows the CRM as it is now); the finished job. */
async function exportBoard(session: Session, options: Page, crm: RunningCrm): Promise<JobView> {
  const { page, tabId } = await openCrmTab(session, crm.boardUrl);
  await page.locator('div.list-kanban').first().waitFor();
  const popup = await openPopup(session, tabId);
  await popup.getByTestId('deal-list').waitFor({ timeout: 20_000 });
  await popup.getByTestId('export-board').click();
  expectEqual(await jobEnd(popup, 240_000), 'done', 'job status');
  const [last] = await message(options, 'job.list', {});
  const job = last ? await message(options, 'job.get', { jobId: last.id }) : null;
  await popup.close();
  await page.close();
  if (!job) throw new Error('no job');
  return job;
}

/**
 * Someone moves a deal in the CRM to the next stage, a minute ago (whole minutes, as the CRM shows
 * them); its id.
 */
function moveDeal(pipeline: DemoPipeline, skip: readonly string[]): string {
  const order = pipeline.stages.map((stage) => stage.id).filter((id) => !id.startsWith('Closed'));
  const deal = pipeline.deals.find(
    (candidate) =>
      !skip.includes(candidate.id) &&
      order.indexOf(candidate.stageId) >= 0 &&
      order.indexOf(candidate.stageId) < order.length - 1,
  );
  if (!deal) throw new Error('no deal to move');
  const next = order[order.indexOf(deal.stageId) + 1] as string;
  deal.history.push({ stageId: next, at: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000) });
  deal.stageId = next;
  return deal.id;
}

const methodsOf = async (emulator: RunningEmulator, from: number) =>
  (await inspect(emulator.origin)).calls.slice(from).map((call) => call.method);
const callCount = async (emulator: RunningEmulator) => (await inspect(emulator.origin)).calls.length;
const outcomes = (job: JobView, outcome: string) =>
  job.results.filter((result) => result.outcome === outcome).length;

test('team: two browsers export one board alternately with stage changes between; CoMagic holds each record once, no call is refused, the second browser sends no unchanged deal', async () => {
  const pipeline = demoPipeline('espocrm', { cards: 50, seed: 61 });
  const crm = await startCrm(pipeline);
  // The demo CRM's amounts are in USD, and so are the account's reports: nothing to convert.
  const emulator = await startEmulator({
    port: 0,
    tokens: [TOKEN],
    timezone: DEMO_TIME_ZONE,
    reportCurrency: 'USD',
  });
  const browsers: ExtensionBrowser[] = [];
  try {
    // Two launches, two profiles: nothing is shared but the CRM, CoMagic and the settings file.
    const sessions = [] as { session: Session; options: Page }[];
    for (const _person of ['Anna', 'Boris']) {
      const browser = await launchExtension();
      browsers.push(browser);
      const session = { emulator, browser };
      sessions.push({ session, options: await connect(session) });
    }
    const [anna, boris] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];

    // Anna sets the extension up (Options saved) and exports; Boris imports her settings file.
    await message(anna.options, 'settings.save', await message(anna.options, 'settings.get', {}));
    const annaFirst = await exportBoard(anna.session, anna.options, crm);
    expectEqual(outcomes(annaFirst, 'sent'), pipeline.deals.length, "deals Anna's first export sent");
    const backup = await message(anna.options, 'settings.export', {});
    expectEqual(
      await message(boris.options, 'settings.import', { json: backup.content }),
      { ok: true, errors: [] },
      "importing Anna's settings",
    );
    const moved = [moveDeal(pipeline, [])];

    let from = await callCount(emulator);
    const first = await exportBoard(boris.session, boris.options, crm);
    const borisCalls = await methodsOf(emulator, from);
    expectEqual(outcomes(first, 'sent'), 1, "deals Boris's first export sent (the one moved)");
    expectEqual(outcomes(first, 'unchanged'), pipeline.deals.length - 1, 'deals it left unchanged');
    expectEqual(
      borisCalls.filter((method) => method === 'upload.deals_history').length,
      1,
      "upload calls of Boris's first export",
    );
    expectTrue(
      !borisCalls.some((method) => method?.startsWith('create.')),
      `no create call for what CoMagic holds, got ${borisCalls.join(', ')}`,
    );

    moved.push(moveDeal(pipeline, moved));
    from = await callCount(emulator);
    const again = await exportBoard(anna.session, anna.options, crm);
    expectEqual(outcomes(again, 'failed'), 0, "deals Anna's second export failed");
    // Her ledger was confirmed by CoMagic today: she asks nothing, and what she re-sends CoMagic takes.
    const annaCalls = await methodsOf(emulator, from);
    expectTrue(!annaCalls.includes('get.deals_history'), `no history read, got ${annaCalls.join(', ')}`);

    const calls = (await inspect(emulator.origin)).calls;
    const refused = calls.filter((call) => !call.ok).map((call) => `${call.method}: ${call.mnemonic}`);
    expectEqual(refused, [], 'calls CoMagic refused');
    const stored = await storedRecords(anna.session);
    expectEqual(duplicates(stored), [], 'records held twice');
    const settings = await message(anna.options, 'settings.get', {});
    const [mapping] = await message(anna.options, 'mapping.list', {});
    const wrong = mismatches(await inspect(emulator.origin), [
      expectationOf(pipeline, mapping?.config as MappingConfig, {
        label: 'EspoCRM',
        prefix: sitePrefixOf(settings, crm.origin),
      }),
    ]);
    expectEqual(wrong.slice(0, 5), [], `what CoMagic holds after ${moved.length} stage changes`);
  } finally {
    for (const browser of browsers) await browser.close();
    await emulator.close();
    await crm.close();
  }
});
