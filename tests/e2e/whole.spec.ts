/**
 * "Export visible pipeline" reads every card's deal whole, from CRMs that behave like the real ones
 * (tests/crm-sites: single-page clients, their own JSON endpoints behind a session cookie).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { DEMO_TIME_ZONE, type DemoPipeline, demoPipeline } from '../../demo/data';
import { expectationOf, mismatches } from '../../demo/verify';
import { inspect } from '../../emulator/control';
import { defaultSitePrefix } from '../../utils/mapping/ext-ids';
import type { MappingConfig } from '../../utils/mapping/funnel';
import { type RunningCrm, startCrm } from '../crm-sites/server';
import { crmControl } from '../support/demo-crm';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  connect,
  fixture,
  jobEnd,
  message,
  openCrmTab,
  openPopup,
  type Session,
  stopServiceWorker,
  storedRecordsByCrmId,
  withSession,
} from '../support/extension-flows';

const crmReads = async (crm: RunningCrm) => ((await crmControl(crm, 'stats')) as { reads: number }).reads;
const uploads = async (session: Session) =>
  (await inspect(session.emulator.origin)).calls.filter((call) => call.method === 'upload.deals_history')
    .length;

/** Connected, the board open in a tab, the popup on it showing the board. */
async function openBoard(
  session: Session,
  crm: RunningCrm,
): Promise<{ popup: Page; options: Page; tabId: number }> {
  const options = await connect(session);
  const { page, tabId } = await openCrmTab(session, crm.boardUrl);
  // A person opens the popup on the board they see: once the single-page client has rendered it.
  await page.locator('div.list-kanban, div.o_kanban_renderer').first().waitFor();
  const popup = await openPopup(session, tabId);
  await popup.getByTestId('deal-list').waitFor({ timeout: 20_000 });
  return { popup, options, tabId };
}

async function savedMapping(options: Page, crm: RunningCrm): Promise<MappingConfig> {
  const mappings = await message(options, 'mapping.list', {});
  const found = mappings.find((entry) => entry.config.site === crm.origin);
  if (!found) throw new Error(`no mapping saved for ${crm.origin}`);
  return found.config as MappingConfig;
}

async function expectHeldWhole(session: Session, options: Page, crm: RunningCrm, pipeline: DemoPipeline) {
  const jobs = await message(options, 'job.list', {});
  const last = jobs[0] ? await message(options, 'job.get', { jobId: jobs[0].id }) : null;
  const failures = (last?.results ?? [])
    .filter((result) => result.outcome === 'failed')
    .map((result) => `${result.name}: ${result.reason}`);
  const wrong = mismatches(await inspect(session.emulator.origin), [
    expectationOf(pipeline, await savedMapping(options, crm), {
      label: pipeline.crm,
      prefix: defaultSitePrefix(crm.origin),
    }),
  ]);
  if (wrong.length > 0) {
    throw new Error(
      `${wrong.length} differences, e.g.\n${wrong.slice(0, 5).join('\n')}\nnot sent: ${failures.slice(0, 5).join('\n') || 'none'}`,
    );
  }
}

async function withCrm(pipeline: DemoPipeline, fn: (crm: RunningCrm, session: Session) => Promise<void>) {
  const crm = await startCrm(pipeline);
  try {
    await withSession({ timezone: DEMO_TIME_ZONE }, (session) => fn(crm, session));
  } finally {
    await crm.close();
  }
}

test('whole export: a 200-card EspoCRM board lands whole in CoMagic; an unchanged re-export reads and sends nothing', async () => {
  const pipeline = demoPipeline('espocrm', { cards: 200, seed: 41 });
  await withCrm(pipeline, async (crm, session) => {
    const { popup, options, tabId } = await openBoard(session, crm);
    await popup.getByTestId('export-board').click();
    expectEqual(await jobEnd(popup, 240_000), 'done', 'job status');
    await expectHeldWhole(session, options, crm, pipeline);
    const contactless = pipeline.deals.filter((deal) => deal.contacts.length === 0).length;
    if (contactless > 0) {
      const line = await popup.getByTestId('job-contactless').textContent();
      expectTrue(
        line?.includes(String(contactless)),
        `the line about ${contactless} deals without contacts, got "${line}"`,
      );
    }

    const [readsBefore, uploadsBefore] = [await crmReads(crm), await uploads(session)];
    const again = await openPopup(session, tabId);
    await again.getByTestId('deal-list').waitFor();
    await again.getByTestId('export-board').click();
    expectEqual(await jobEnd(again), 'done', 'second job status');
    expectEqual(await crmReads(crm), readsBefore, 'CRM reads of the unchanged re-export');
    expectEqual(await uploads(session), uploadsBefore, 'upload calls of the unchanged re-export');
  });
});

test('whole export: an Odoo board (cards without record ids) lands whole in CoMagic', async () => {
  const pipeline = demoPipeline('odoo', { cards: 60, seed: 42 });
  await withCrm(pipeline, async (crm, session) => {
    const { popup, options } = await openBoard(session, crm);
    await popup.getByTestId('export-board').click();
    expectEqual(await jobEnd(popup, 240_000), 'done', 'job status');
    await expectHeldWhole(session, options, crm, pipeline);
  });
});

test('whole export: the CRM session ends mid-read; the export pauses saying to log in, and resumes after it', async () => {
  const pipeline = demoPipeline('espocrm', { cards: 60, seed: 43 });
  await withCrm(pipeline, async (crm, session) => {
    const { popup, options, tabId } = await openBoard(session, crm);
    await crmControl(crm, 'faults', { expireSessionAfter: 40 });
    await popup.getByTestId('export-board').click();
    const status = popup.getByTestId('job-status');
    await until(
      async () => (await status.getAttribute('data-status')) === 'paused',
      'the export to pause',
      60_000,
    );
    expectTrue(/log in|Войдите/i.test((await status.textContent()) ?? ''), 'a message to log in');
    expectEqual(
      Object.keys((await inspect(session.emulator.origin)).deals).length,
      0,
      'deals sent before the reading ended',
    );

    // Logging in again: the CRM's page loads with a new session.
    const crmPage = session.browser.context.pages().find((page) => page.url().startsWith(crm.origin));
    await crmPage?.reload();
    await popup.getByTestId('job-resume').click();
    expectEqual(await jobEnd(popup, 120_000), 'done', 'job status after resume');
    await expectHeldWhole(session, options, crm, pipeline);
    void tabId;
  });
});

test('whole export: a deal the CRM no longer has is reported by name; the others land whole', async () => {
  const pipeline = demoPipeline('espocrm', { cards: 60, seed: 44 });
  const gone = pipeline.deals[7];
  if (!gone) throw new Error('no deal');
  await withCrm(pipeline, async (crm, session) => {
    const { popup, options } = await openBoard(session, crm);
    await crmControl(crm, 'faults', { failIds: { [gone.id]: 404 } });
    await popup.getByTestId('export-board').click();
    const end = await jobEnd(popup, 120_000);
    expectTrue(end === 'done' || end === 'failed', `the job to end, got ${end}`);
    const failures = popup.getByTestId('job-failures').locator('li');
    expectEqual(await failures.count(), 1, 'deals reported');
    const report = (await failures.first().textContent()) ?? '';
    expectTrue(report.includes(gone.name), `the report to name "${gone.name}", got "${report}"`);
    const rest = { ...pipeline, deals: pipeline.deals.filter((deal) => deal !== gone) };
    await expectHeldWhole(session, options, crm, rest);
  });
});

test('whole export: the service worker is stopped mid-read; the export goes on by itself, reading no deal twice without need', async () => {
  const pipeline = demoPipeline('espocrm', { cards: 80, seed: 45 });
  await withCrm(pipeline, async (crm, session) => {
    const { popup, options } = await openBoard(session, crm);
    // Slow enough that the worker can be stopped between the first and the last read.
    await crmControl(crm, 'faults', { latencyMs: 120 });
    await popup.getByTestId('export-board').click();
    await until(
      async () => {
        const [job] = await message(options, 'job.list', {});
        return job?.reading && job.reading.done > 0 && job.reading.done < job.reading.total;
      },
      'the export to be mid-read',
      60_000,
    );
    await stopServiceWorker(session, popup);
    expectEqual(await jobEnd(popup, 180_000), 'done', 'job status');
    await expectHeldWhole(session, options, crm, pipeline);
    // EspoCRM: three reads a deal (record, stream, contacts); a batch cut short by the stop is read
    // again. A deal's account is read once per export, so once more after the restart: not counted.
    const { byRoute } = (await crmControl(crm, 'stats')) as { byRoute: Record<string, number> };
    const reads = Object.entries(byRoute)
      .filter(([route]) => route.startsWith('GET /api/v1/Opportunity/{id}'))
      .reduce((sum, [, count]) => sum + count, 0);
    const batch = 4 * 5;
    expectTrue(
      reads <= (pipeline.deals.length + batch) * 3,
      `at most one batch read twice, made ${reads} reads`,
    );
  });
});

/**
 * A CRM only a recipe reads (Krayin's markup, tests/fixtures/recipe) on a real server on 127.0.0.1: the
 * tabs the extension opens itself are not under the test's control, so they must reach a real host.
 */
async function startRecipeCrm(
  names: Record<string, string>,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    const id = /\/leads\/view\/(\d+)/.exec(req.url ?? '')?.[1];
    const page = id
      ? fixture('recipe/krayin-deal.html').replace('>Website redesign</h1>', `>${names[id]}</h1>`)
      : fixture('recipe/krayin-board.html');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page.replaceAll('https://crm.example.org', origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('whole export: a recipe CRM is read whole through each deal’s page, rendered in a tab the user does not see', async () => {
  const names: Record<string, string> = {
    '41': 'Website redesign',
    '42': 'CRM rollout',
    '43': 'Support contract',
    '44': 'Annual licence',
  };
  const crm = await startRecipeCrm(names);
  try {
    await withSession({}, async (session) => {
      const options = await connect(session);
      const recipe = fixture('recipe/krayin.recipe.json').replaceAll('https://crm.example.org', crm.origin);
      await message(options, 'recipes.save', { json: recipe });
      const boardUrl = `${crm.origin}/admin/leads?view_type=kanban&pipeline_id=1`;
      const { page, tabId } = await openCrmTab(session, boardUrl);
      const popup = await openPopup(session, tabId);
      await popup.getByTestId('deal-list').waitFor();
      const tabsBefore = session.browser.context.pages().length;
      await popup.getByTestId('export-board').click();
      expectEqual(await jobEnd(popup, 120_000), 'done', 'job status');
      const stored = await storedRecordsByCrmId(session);
      for (const id of Object.keys(names)) {
        // Each deal page shows three stages and a contact with a phone: all of it is in CoMagic.
        expectEqual(stored[id]?.length, 3, `records of deal ${id}`);
        expectEqual(stored[id]?.[0]?.name, names[id], `name of deal ${id}`);
      }
      const contacts = (await inspect(session.emulator.origin)).contacts;
      expectTrue(
        contacts.some((contact) => contact.phone_numbers.includes('442079460123')),
        'the contact’s phone in E.164',
      );
      expectEqual(page.url(), boardUrl, 'the user’s tab, never navigated');
      await until(
        async () => session.browser.context.pages().length === tabsBefore,
        'the unseen tabs to be closed',
      );
    });
  } finally {
    await crm.close();
  }
});
