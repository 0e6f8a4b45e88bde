/**
 * A small runner for the end-to-end tests: the built extension in real headless Chromium
 * (Debian's `chromium`, or CHROMIUM_PATH), Playwright as the driver, the Data API emulator over
 * HTTP on 127.0.0.1. Specs register with `test()`; `run()` prints one line per test and a last
 * line `e2e: N passed, N failed`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';

declare global {
  // Chrome's extension API as seen from `worker.evaluate` callbacks, which run in the browser.
  var chrome: typeof import('wxt/browser').browser;
}

export const EXTENSION_DIR = resolve(process.env.EXT_DIR ?? '.output/chrome-mv3-e2e');

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium was not found. Install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH.',
    );
  }
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Opens an extension page (`options.html`, `popup.html?tabId=…`) as a tab. */
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Default true; a headed window needs a display. */
  headless?: boolean;
  executablePath?: string;
  /** The zone the browser runs in (its pages and the extension's worker alike), like the user's computer. */
  timeZone?: string;
}

/** The built extension in Chromium with a fresh profile; `close()` stops it and removes the profile. */
export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension in ${EXTENSION_DIR}: run \`npm run build:e2e\` first.`);
  }
  const headless = options.headless ?? true;
  const profile = mkdtempSync(join(tmpdir(), 'crm-comagic-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: options.executablePath ?? findChromium(),
      headless,
      // A headed window keeps the size the user gives it.
      viewport: headless ? { width: 1280, height: 900 } : null,
      ignoreDefaultArgs: ['--disable-extensions'],
      ...(options.timeZone ? { env: { ...process.env, TZ: options.timeZone } } : {}),
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

export async function until<T>(
  fn: () => Promise<T> | T,
  what = 'condition',
  ms = 10_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

export function expectTrue(condition: unknown, what: string): void {
  if (!condition) throw new Error(`Expected ${what}`);
}

type Spec = { name: string; fn: () => Promise<void> };
const specs: Spec[] = [];

export function test(name: string, fn: () => Promise<void>): void {
  specs.push({ name, fn });
}

/** Runs every registered test, or only those whose name contains E2E_FILTER. */
export async function run(filter = process.env.E2E_FILTER ?? ''): Promise<number> {
  let passed = 0;
  let failed = 0;
  for (const spec of specs.filter((s) => s.name.includes(filter))) {
    const started = Date.now();
    try {
      await spec.fn();
      passed += 1;
      console.log(`✓ ${spec.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`✗ ${spec.name}\n  ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    }
  }
  if (passed + failed === 0) {
    failed += 1;
    console.log(`✗ no test matched "${filter}"`);
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
