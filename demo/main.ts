/**
 * `npm run demo`: the extension working against a local CoMagic (the emulator) and two local demo
 * CRMs (an EspoCRM and an Odoo that render like the real single-page apps and answer their JSON
 * endpoints with a session), with no CoMagic account. With a display it opens a window to click
 * through; without one (or with --headless) it runs the whole flow and checks that CoMagic holds
 * every deal of both boards whole.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { inspect } from '../emulator/control';
import { type RunningEmulator, startEmulator } from '../emulator/server';
import { type RunningCrm, startCrm } from '../tests/crm-sites/server';
import type { MappingConfig } from '../utils/mapping/funnel';
import { ChromiumMissing, chromiumPath, type DemoBrowser, launchDemoBrowser } from './browser';
import { DEMO_TIME_ZONE, type DemoCrm, type DemoPipeline, dealToSend, demoPipeline } from './data';
import { confirmMappings, connect, exportBoard, openCrmTab, saveSettings, sendFromPage } from './flow';
import {
  type CrmExpectation,
  expectationOf as expectationOfPipeline,
  mismatches,
  summarize,
  table,
} from './verify';

const TOKEN = 'demo-key';
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const LABELS: Record<DemoCrm, string> = { espocrm: 'EspoCRM', odoo: 'Odoo' };
const PREFIXES: Record<DemoCrm, string> = { espocrm: 'espo-', odoo: 'odoo-' };

const USAGE = `Usage: npm run demo -- [--headless] [--port N] [--keep]

  --headless   run the whole flow by itself and check the result (the default without a display)
  --port N     the CoMagic emulator's port on 127.0.0.1 (default 8780)
  --keep       headless: keep everything running after the check, until Ctrl+C`;

class DemoError extends Error {}

interface Flags {
  headless: boolean;
  port: number;
  keep: boolean;
}

export function parseFlags(argv: string[], display: string | undefined): Flags | 'help' {
  let values: { headless: boolean; port: string; keep: boolean; help: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        headless: { type: 'boolean', default: false },
        port: { type: 'string', default: '8780' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new DemoError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DemoError(`--port must be a port number from 1 to 65535, got "${values.port}"`);
  }
  return { headless: values.headless || !display, port, keep: values.keep };
}

/** Everything the demo started, stopped in reverse order however it ends. */
const running: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of running.splice(0).reverse()) await stop().catch(() => undefined);
}

const say = (text = '') => process.stdout.write(`${text}\n`);

function build(): void {
  say('Building the extension: npm run build:e2e');
  say('  (the test variant in .output/chrome-mv3-e2e: it is granted every site, 127.0.0.1 included, at');
  say('  install, so the demo needs no permission prompts; the store build asks for each CRM site instead)');
  const result = spawnSync('npm', ['run', 'build:e2e'], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new DemoError(
      `The build failed:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-3000)}`,
    );
  }
}

async function startApi(port: number): Promise<RunningEmulator> {
  try {
    return await startEmulator({
      port,
      tokens: [TOKEN],
      accountName: 'Demo account',
      timezone: DEMO_TIME_ZONE,
      // The demo CRMs' amounts are in US dollars: so are the demo account's reports (nothing to convert).
      reportCurrency: 'USD',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DemoError(
        `Port ${port} on 127.0.0.1 is taken (another emulator or demo still running?). Stop it, or pass --port N.`,
      );
    }
    throw error;
  }
}

interface DemoCrmSite {
  pipeline: DemoPipeline;
  server: RunningCrm;
  boardTab: number;
  config: MappingConfig;
}

/** Connection saved and tested, settings saved, each board read once and its mapping confirmed. */
async function configure(
  browser: DemoBrowser,
  emulator: RunningEmulator,
  crms: { pipeline: DemoPipeline; server: RunningCrm }[],
) {
  const options = await browser.openPage('options.html');
  const zone = await connect(options, emulator.url, TOKEN);
  say(`  connection saved and tested: account time zone ${zone}`);
  const shot = await screenshot(options, 'options-connection.png');
  await saveSettings(
    options,
    DEMO_TIME_ZONE,
    Object.fromEntries(crms.map(({ pipeline, server }) => [server.origin, PREFIXES[pipeline.crm]])),
  );
  const tabs: number[] = [];
  for (const crm of crms) tabs.push((await openCrmTab(browser, options, crm.server.boardUrl, 'board')).tabId);
  const configs = await confirmMappings(options);
  say('  boards read once and their mappings confirmed (Odoo has no lost column: its lost stage confirmed)');
  const sites: DemoCrmSite[] = crms.map((crm, index) => {
    const config = configs.find((c) => c.site === crm.server.origin && c.crm === crm.pipeline.crm);
    if (!config) throw new DemoError(`No mapping was made for the ${LABELS[crm.pipeline.crm]} board`);
    return { ...crm, boardTab: tabs[index] ?? 0, config };
  });
  return { options, sites, shots: [shot] };
}

function expectationOf(site: DemoCrmSite): CrmExpectation {
  return expectationOfPipeline(site.pipeline, site.config, {
    label: LABELS[site.pipeline.crm],
    prefix: PREFIXES[site.pipeline.crm],
  });
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Sends one deal from its page, exports each board, and checks CoMagic against the CRMs' data. */
async function runFlow(
  browser: DemoBrowser,
  emulator: RunningEmulator,
  configured: { options: Page; sites: DemoCrmSite[]; shots: string[] },
) {
  const { options, sites } = configured;
  const expectations: CrmExpectation[] = [];
  const refused: string[] = [];
  const shots = [...configured.shots];
  for (const site of sites) {
    const label = LABELS[site.pipeline.crm];
    const deal = dealToSend(site.pipeline);
    const dealTab = await openCrmTab(browser, options, site.server.dealUrl(deal.id), 'deal');
    const sent = await sendFromPage(dealTab.page);
    say(
      `  ${label}: "Send to CoMagic" on deal ${deal.id} "${deal.name}" (${deal.history.length} stages): ${sent}`,
    );
    if (sent !== 'sent') refused.push(`${label}: "Send to CoMagic" on ${dealTab.page.url()}: ${sent}`);
    const { popup, status, sent: exported, failed } = await exportBoard(browser, site.boardTab);
    say(
      `  ${label}: "Export visible pipeline" (${site.pipeline.deals.length} cards): ${status}, ${exported} sent, ${failed.length} not sent`,
    );
    for (const deal of failed) {
      say(`    not sent: "${deal.name}": ${deal.reason}`);
      refused.push(`${label}: "${deal.name}" was not sent: ${deal.reason}`);
    }
    shots.push(await screenshot(popup, `popup-${site.pipeline.crm}-board.png`));
    await popup.close();
    expectations.push(expectationOf(site));
  }
  await options.goto(options.url().replace(/#.*$/, '#mapping'));
  await options.reload();
  await options.getByTestId('mapping-editor').first().waitFor();
  shots.push(await screenshot(options, 'options-mapping.png'));

  const snapshot = await inspect(emulator.origin);
  const { funnels, contacts, employees } = summarize(snapshot);
  say('\nWhat CoMagic (the emulator) holds:');
  say(
    table(
      ['funnel', 'stages', 'deals', 'history records', 'generated'],
      funnels.map((f) => [f.funnel, f.stages, f.deals, f.records, f.generated]),
    ),
  );
  say(`contacts: ${contacts}   employees: ${employees}`);
  say(`\nScreenshots:\n${shots.map((shot) => `  ${shot}`).join('\n')}`);
  // Every demo deal is valid: one the extension did not send is a failure too.
  return [...refused, ...mismatches(snapshot, expectations)];
}

function printUrls(emulator: RunningEmulator, crms: { pipeline: DemoPipeline; server: RunningCrm }[]) {
  say(
    `\nCoMagic Data API emulator: ${emulator.url}  (key "${TOKEN}"; stored data: ${emulator.origin}/__emulator/state)`,
  );
  for (const { pipeline, server } of crms) {
    const deal = dealToSend(pipeline);
    say(`${LABELS[pipeline.crm].padEnd(8)} board (${pipeline.deals.length} deals): ${server.boardUrl}`);
    say(`${''.padEnd(8)} a deal page:            ${server.dealUrl(deal.id)}`);
  }
}

function printWhatToTry() {
  say(`
The browser is open with the extension connected to the emulator. Try:
  1. On a board tab, click the extension's toolbar icon (pin it from the puzzle icon): the popup lists
     every card; "Export visible pipeline" sends them all, with progress.
  2. Click a card's name to open its deal page: "Send to CoMagic" beside the title sends its full
     stage history, contact and owner. The popup there shows exactly what will be sent.
  3. Options (the open tab): connection, CRM sites, the mapping of stages to CoMagic, activity.
  4. See what CoMagic now holds at the emulator's state address above.
Close the browser window or press Ctrl+C to stop everything.`);
}

async function untilBrowserClosed(browser: DemoBrowser): Promise<void> {
  await new Promise<void>((resolve) => browser.context.once('close', () => resolve()));
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), process.env.DISPLAY);
  if (flags === 'help') {
    say(USAGE);
    return 0;
  }
  chromiumPath();
  build();
  const emulator = await startApi(flags.port);
  running.push(() => emulator.close());
  const crms = [];
  for (const crm of ['espocrm', 'odoo'] as const) {
    const pipeline = demoPipeline(crm);
    const server = await startCrm(pipeline);
    running.push(() => server.close());
    crms.push({ pipeline, server });
  }
  printUrls(emulator, crms);

  say(`\nStarting Chromium (${flags.headless ? 'headless' : 'in a window'}) with the extension…`);
  const browser = await launchDemoBrowser({ headless: flags.headless });
  running.push(() => browser.close());
  const configured = await configure(browser, emulator, crms);

  if (!flags.headless) {
    const first = await browser.context.newPage();
    await first.goto(crms[0]?.server.boardUrl ?? 'about:blank');
    printWhatToTry();
    await untilBrowserClosed(browser);
    return 0;
  }

  say('\nRunning the demo flow:');
  const problems = await runFlow(browser, emulator, configured);
  say('');
  for (const problem of problems) say(`MISMATCH ${problem}`);
  say(
    problems.length === 0
      ? 'PASS: CoMagic holds every deal of both boards whole, as the CRMs show them.'
      : `FAIL: ${problems.length} mismatches.`,
  );
  if (flags.keep) {
    say('\n--keep: everything keeps running; press Ctrl+C to stop.');
    await new Promise(() => undefined);
  }
  return problems.length === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say('\nStopping…');
    void stopAll().then(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    await stopAll();
    const known = error instanceof DemoError || error instanceof ChromiumMissing;
    process.stderr.write(
      `\n${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exit(1);
  });
