/**
 * What a user does, as small steps the specs share: serve CRM pages on their real origins, connect
 * the extension to the emulator, confirm a mapping in Options, open the popup on a tab, wait for a job.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { inspect } from '../../emulator/control';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import type { DealRecord } from '../../emulator/store';
import type { Answers, MessageData, MessageType, Reply } from '../../utils/messaging';
import { FINISHED_STATUSES } from '../../utils/sync/job-status';
import { type ExtensionBrowser, type LaunchOptions, launchExtension, until } from './extension-browser';

export const TOKEN = 'e2e-key-5c1d';

export interface Session {
  emulator: RunningEmulator;
  browser: ExtensionBrowser;
}

/** One emulator and one browser for one test, always closed afterwards. */
export async function withSession(
  options: EmulatorOptions,
  fn: (session: Session) => Promise<void>,
  browserOptions: LaunchOptions = {},
): Promise<void> {
  // The demo CRMs and the English fixtures show US dollars: the account reports in them unless a test says.
  const emulator = await startEmulator({ port: 0, tokens: [TOKEN], reportCurrency: 'USD', ...options });
  try {
    const browser = await launchExtension(browserOptions);
    try {
      await fn({ emulator, browser });
    } finally {
      await browser.close();
    }
  } finally {
    await emulator.close();
  }
}

/**
 * A fixture page as the CRM serves it. A real page shows «Сегодня HH:MM» only once that time has
 * passed; a static page read at night would show a time still to come, so its today-times are
 * moved to the day's first minute.
 */
export const fixture = (path: string) =>
  readFileSync(`tests/fixtures/${path}`, 'utf8').replace(/(Сегодня|Today) \d{1,2}:\d{2}/g, '$1 00:00');

/** Serves `html` for every address under `origin`: Chromium sees the CRM's real https origin. */
export async function serveCrm(session: Session, origin: string, html: (url: URL) => string): Promise<void> {
  await session.browser.context.route(`${origin}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: html(new URL(route.request().url())) }),
  );
}

/** Opens a CRM address in a tab and waits until the extension's content script can read it. */
export async function openCrmTab(session: Session, url: string): Promise<{ page: Page; tabId: number }> {
  const page = await session.browser.context.newPage();
  await page.goto(url);
  const tabId = await session.browser.worker.evaluate(
    async (address) => (await chrome.tabs.query({ url: address }))[0]?.id ?? null,
    url.replace(/#.*$/, ''),
  );
  if (tabId === null) throw new Error(`no tab for ${url}`);
  return { page, tabId };
}

/** Sends one protocol message from an extension page, as the popup and options do. */
export async function message<T extends MessageType>(
  page: Page,
  type: T,
  data: MessageData<T>,
): Promise<Answers[T]> {
  const reply = (await page.evaluate(([type, data]) => chrome.runtime.sendMessage({ type, data }), [
    type,
    data,
  ] as const)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error}`);
  return reply.value;
}

/** Saves the emulator as a custom endpoint with the key and tests it, which stores the account's zone. */
export async function connect(session: Session): Promise<Page> {
  const options = await session.browser.openPage('options.html');
  await message(options, 'connection.save', {
    endpoint: { brand: 'custom', url: session.emulator.url },
    auth: { kind: 'key', token: TOKEN },
  });
  const test = await message(options, 'connection.test', {});
  if (!test.ok) throw new Error(`connection test failed: ${test.message}`);
  return options;
}

/**
 * Options → Mapping: confirms every won/lost stage the CRM does not show (the user accepting the
 * proposed CoMagic stage) and saves each mapping.
 */
export async function confirmMappings(options: Page): Promise<void> {
  await options.goto(options.url().replace(/#.*$/, '#mapping'));
  await options.reload();
  const editors = options.getByTestId('mapping-editor');
  await editors.first().waitFor();
  for (const editor of await editors.all()) {
    const confirms = editor.getByRole('button', { name: /^(Confirm|Подтвердить)$/ });
    while ((await confirms.count()) > 0) await confirms.first().click();
    await editor.getByTestId('save-mapping').click();
    await until(
      async () => /Saved|Сохранено/.test((await editor.getByRole('status').textContent()) ?? ''),
      'mapping saved',
    );
  }
}

/** The popup opened as a page on `tabId`, once it shows what the tab is. */
export async function openPopup(session: Session, tabId: number): Promise<Page> {
  const popup = await session.browser.openPage(`popup.html?tabId=${tabId}`);
  await popup.getByTestId('popup-page-kind').waitFor({ timeout: 15_000 });
  return popup;
}

export const kindOf = (popup: Page) => popup.getByTestId('popup-page-kind').getAttribute('data-kind');

/** Waits until the popup's job panel shows a finished job and returns its status. */
export async function jobEnd(popup: Page, ms = 60_000): Promise<string> {
  return until(
    async () => {
      const status = await popup.getByTestId('job-status').getAttribute('data-status', { timeout: 500 });
      return FINISHED_STATUSES.find((finished) => finished === status) ?? null;
    },
    'the job to finish',
    ms,
  );
}

/** The records CoMagic holds for each deal, without the ones the emulator generated for skipped stages. */
export async function storedRecords(session: Session): Promise<Record<string, DealRecord[]>> {
  const { deals } = await inspect(session.emulator.origin);
  return Object.fromEntries(
    Object.entries(deals).map(([extId, records]) => [extId, records.filter((r) => !r.is_generated)]),
  );
}

/**
 * As `storedRecords`, keyed by the CRM's own deal id: each site's ext_ids carry its prefix (derived
 * from the site, e.g. `acme-1f0a:`), which the CRMs' ids here (digits, hex) never contain.
 */
export async function storedRecordsByCrmId(session: Session): Promise<Record<string, DealRecord[]>> {
  const stored = await storedRecords(session);
  return Object.fromEntries(
    Object.entries(stored).map(([extId, records]) => [extId.slice(extId.lastIndexOf(':') + 1), records]),
  );
}

/** How many times each (deal, stage, stage time) is stored: anything above 1 was sent twice. */
export function duplicates(deals: Record<string, DealRecord[]>): string[] {
  const seen = new Map<string, number>();
  for (const [extId, records] of Object.entries(deals)) {
    for (const r of records) {
      const key = `${extId}|${r.stage_ext_id}|${r.modified_stage_date_time}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

export const AMO_BOARD_URL = 'https://acme.amocrm.ru/leads/pipeline/3100/';

/**
 * Options: "Export visible pipeline" sends what the cards show only (the quick look, no history), and
 * the user accepts that cards, which show no creation time, go with the time estimated.
 */
export async function chooseBoardOnlyExport(page: Page): Promise<void> {
  const settings = await message(page, 'settings.get', {});
  await message(page, 'settings.save', { ...settings, exportMode: 'board', allowEstimatedCreation: true });
}

/**
 * A generated amoCRM board in a tab, connected and mapped as a user would: the board has a won
 * column but no lost one, so CoMagic's lost stage is confirmed in Options. Its export is the
 * board-only one (the generated board has no deal behind its cards). Returns the popup on it.
 */
export async function openMappedBoard(
  session: Session,
  html: string,
): Promise<{ popup: Page; tabId: number }> {
  await serveCrm(session, 'https://acme.amocrm.ru', () => html);
  const options = await connect(session);
  await chooseBoardOnlyExport(options);
  const { tabId } = await openCrmTab(session, AMO_BOARD_URL);
  const popup = await openPopup(session, tabId);
  if ((await kindOf(popup)) !== 'board') throw new Error(`popup shows ${await kindOf(popup)}, not a board`);
  await confirmMappings(options);
  await options.close();
  await popup.reload();
  await popup.getByTestId('deal-list').waitFor();
  return { popup, tabId };
}

/** Every card's deal is in CoMagic, ending in the card's column, and nothing is stored twice. */
export async function expectBoardDelivered(
  session: Session,
  expected: { dealIds: string[]; stageOfDeal: Record<string, string> },
): Promise<void> {
  const stored = await storedRecordsByCrmId(session);
  const wrong = expected.dealIds.filter(
    (id) => !stored[id]?.at(-1)?.stage_ext_id.endsWith(`:${expected.stageOfDeal[id]}`),
  );
  if (Object.keys(stored).length !== expected.dealIds.length || wrong.length > 0) {
    throw new Error(
      `CoMagic holds ${Object.keys(stored).length} deals for ${expected.dealIds.length} cards; not in their column: ${wrong.slice(0, 5).join(', ')}`,
    );
  }
  const twice = duplicates(stored);
  if (twice.length > 0) throw new Error(`records stored twice: ${twice.slice(0, 5).join(', ')}`);
}

/** The popup on an amoCRM deal page whose pipeline was seen on its board (mapped, nothing to confirm). */
export async function openAmoDealPopup(session: Session): Promise<Page> {
  await serveCrm(session, 'https://acme.amocrm.ru', (url) =>
    fixture(
      url.pathname.startsWith('/leads/detail/') ? 'amocrm/deal-ru-history.html' : 'amocrm/board-ru.html',
    ),
  );
  await connect(session);
  await openPopup(session, (await openCrmTab(session, 'https://acme.amocrm.ru/leads/pipeline/7001/')).tabId);
  const popup = await openPopup(
    session,
    (await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90013')).tabId,
  );
  await popup.getByTestId('deal-history').waitFor();
  return popup;
}

/** Stops the extension's service worker the way Chrome does when it idles it out. */
export async function stopServiceWorker(session: Session, anyPage: Page): Promise<void> {
  const cdp = await session.browser.context.newCDPSession(anyPage);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find(
    (t) =>
      t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${session.browser.extensionId}/`),
  );
  if (!worker) throw new Error('no service worker target to stop');
  await cdp.send('Target.closeTarget', { targetId: worker.targetId });
  await cdp.detach();
}
