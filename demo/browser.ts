/** Chromium with the e2e build loaded, headless or in a real window, with a clear word when it is missing. */
import { existsSync } from 'node:fs';
import { type ExtensionBrowser, findChromium, launchExtension } from '../tests/support/extension-browser';

export type DemoBrowser = ExtensionBrowser;

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

export function launchDemoBrowser(options: { headless: boolean }): Promise<DemoBrowser> {
  return launchExtension({ headless: options.headless, executablePath: chromiumPath() });
}
