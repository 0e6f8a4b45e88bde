import { describe, expect, it } from 'vitest';
import config from '../wxt.config';

type ManifestOf = (env: { browser: string; manifestVersion: 2 | 3; mode: string }) => Record<string, unknown>;
const manifestOf = config.manifest as ManifestOf;

describe('the manifest', () => {
  it('asks Chrome for the version that locks storage.local to the extension (140)', () => {
    expect(
      manifestOf({ browser: 'chrome', manifestVersion: 3, mode: 'production' }).minimum_chrome_version,
    ).toBe('140');
  });

  it('names no Chrome version for Firefox, which has its own minimum', () => {
    const firefox = manifestOf({ browser: 'firefox', manifestVersion: 2, mode: 'production' });
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { strict_min_version: '128.0' } });
  });
});
