/**
 * Chromium with the e2e build loaded, headless or in a real window: the e2e harness's flags, which
 * only launches headless.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { EXTENSION_DIR, findChromium, until } from '../tests/e2e/harness';

export interface DemoBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export class ChromiumMissing extends Error {}

/** Chromium's path, or why there is none and how to get it. */
export function chromiumPath(): string {
  let path: string;
  try {
    path = findChromium();
  } catch {
    throw new ChromiumMissing(
      'Chromium was not found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROME_PATH to a Chromium binary.',
    );
  }
  if (!existsSync(path))
    throw new ChromiumMissing(`No browser at ${path} (from CHROME_PATH / CHROMIUM_PATH).`);
  return path;
}

export async function launchDemoBrowser(options: { headless: boolean }): Promise<DemoBrowser> {
  const executablePath = chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'crm-comagic-demo-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: options.headless,
      viewport: options.headless ? { width: 1280, height: 900 } : null,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  await until(() => worker.evaluate(() => typeof globalThis.chrome?.runtime?.id === 'string'), 'the worker');
  const extensionId = new URL(worker.url()).host;
  let closed = false;
  return {
    context,
    worker,
    extensionId,
    async openPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      if (!closed) await context.close().catch(() => undefined);
      closed = true;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
