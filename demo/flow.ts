/** What a user does in the browser, as steps the demo runs: connect, configure, send a deal, export a board. */
import type { Page } from 'playwright-core';
import { until } from '../tests/support/extension-browser';
import { message } from '../tests/support/extension-flows';
import { confirmSyntheticStage, type MappingConfig } from '../utils/mapping/funnel';
import { FINISHED_STATUSES } from '../utils/sync/job-status';
import type { DemoBrowser } from './browser';

/** Options → Connection: a custom URL and a key, Save, Test connection. Returns the account's zone. */
export async function connect(options: Page, url: string, token: string): Promise<string> {
  await options.getByTestId('endpoint-select').selectOption('custom');
  await options.getByTestId('custom-endpoint-input').fill(url);
  await options.getByTestId('token-input').fill(token);
  await options.getByTestId('save-connection').click();
  await until(
    async () => /Saved|Сохранено/.test((await options.getByTestId('connection-status').textContent()) ?? ''),
    'the connection to be saved',
  );
  await options.getByTestId('test-connection').click();
  const zone = await until(
    async () => (await options.getByTestId('account-timezone').textContent({ timeout: 500 })) ?? '',
    'the connection test to show the account time zone',
    15_000,
  );
  return zone;
}

/** The CRM pages show times in `crmTimeZone`; each site gets its own ext_id prefix so two CRMs never collide. */
export async function saveSettings(
  options: Page,
  crmTimeZone: string,
  sitePrefixes: Record<string, string>,
): Promise<void> {
  const settings = await message(options, 'settings.get', {});
  await message(options, 'settings.save', { ...settings, crmTimeZone, sitePrefixes });
}

/** Opens `url` in a tab and returns its id once the extension reads it as `kind`. */
export async function openCrmTab(
  browser: DemoBrowser,
  helper: Page,
  url: string,
  kind: 'board' | 'deal',
): Promise<{ page: Page; tabId: number }> {
  const page = await browser.context.newPage();
  await page.goto(url);
  // EspoCRM's pages differ only by the hash, which URL match patterns ignore: compare whole URLs.
  const address = page.url();
  const tabId = await until(
    () =>
      browser.worker.evaluate(
        async (whole) => (await chrome.tabs.query({})).find((tab) => tab.url === whole)?.id ?? 0,
        address,
      ),
    `a tab for ${url}`,
  );
  await until(
    async () => (await message(helper, 'tab.preview', { tabId })).kind === kind,
    `the extension to read ${url} as a ${kind}`,
    15_000,
  );
  return { page, tabId };
}

/** The user accepting the proposed CoMagic won/lost stage where the CRM shows none (Odoo has no lost column). */
export function confirmSynthetic(config: MappingConfig): MappingConfig {
  let confirmed = config;
  for (const stage of config.stages) {
    if (stage.crmStageId === null && !stage.userEdited && stage.status !== 'in_process') {
      confirmed = confirmSyntheticStage(confirmed, stage.status);
    }
  }
  return confirmed;
}

/** Options → Mapping: every pipeline's unconfirmed won/lost stage confirmed and saved. Returns the mappings. */
export async function confirmMappings(options: Page): Promise<MappingConfig[]> {
  const saved: MappingConfig[] = [];
  for (const { key, config } of await message(options, 'mapping.list', {})) {
    const confirmed = confirmSynthetic(config);
    saved.push(
      confirmed === config
        ? config
        : (await message(options, 'mapping.save', { key, config: confirmed })).config,
    );
  }
  return saved;
}

/**
 * Clicks the in-page "Send to CoMagic" button of a deal page and waits until it says sent or failed;
 * `no button` when the page never showed it.
 */
export async function sendFromPage(page: Page): Promise<'sent' | 'failed' | 'no button'> {
  const shown = await page
    .getByTestId('send-deal-inpage')
    .click({ timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  if (!shown) return 'no button';
  const host = page.locator('crm-comagic-send');
  return until(
    async () => {
      const state = await host.getAttribute('data-state', { timeout: 500 });
      return state === 'sent' || state === 'failed' ? state : null;
    },
    'the in-page button to finish sending',
    60_000,
  );
}

export interface ExportResult {
  popup: Page;
  status: string;
  sent: number;
  failed: { name: string; reason: string }[];
}

/** The popup on the board's tab: Export visible pipeline; how the job ended and what it could not send. */
export async function exportBoard(browser: DemoBrowser, tabId: number): Promise<ExportResult> {
  const popup = await browser.openPage(`popup.html?tabId=${tabId}`);
  await popup.getByTestId('export-board').click({ timeout: 15_000 });
  const status = await until(
    async () => {
      const shown = await popup.getByTestId('job-status').getAttribute('data-status', { timeout: 500 });
      return shown && (FINISHED_STATUSES as readonly string[]).includes(shown) ? shown : null;
    },
    'the export to finish',
    120_000,
  );
  const [latest] = (await message(popup, 'job.list', {}))
    .filter((job) => job.kind === 'board')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const job = latest ? await message(popup, 'job.get', { jobId: latest.id }) : null;
  const results = job?.results ?? [];
  return {
    popup,
    status,
    sent: results.filter((result) => result.outcome === 'sent').length,
    failed: results
      .filter((result) => result.outcome === 'failed')
      .map((result) => ({ name: result.name, reason: result.reason ?? '' })),
  };
}
