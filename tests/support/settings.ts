/** Stored settings for tests. */
import { settingsStore } from '../../utils/storage';

/**
 * The site keeps the empty ext_id prefix (as sites that sent deals before version 2 do), so a deal's
 * ext_id is the CRM's own id: for tests whose expectations name deals by their CRM ids.
 */
export async function withoutSitePrefix(site: string): Promise<void> {
  const settings = await settingsStore.get();
  await settingsStore.set({ ...settings, sitePrefixes: { ...settings.sitePrefixes, [site]: '' } });
}
