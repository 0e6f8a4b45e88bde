import { localize } from '@/utils/i18n';
import type { Settings } from '@/utils/settings';
import { ui } from '@/utils/ui-text';

const PREFIX = /^[A-Za-z0-9_.:-]*$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What keeps the settings from being saved, one message per field, before asking the background. */
export function settingsErrors(settings: Settings): string[] {
  const errors: string[] = [];
  const template = settings.extIdTemplate;
  if (!template.includes('{id}') || template.length > 64) errors.push(localize(ui.templateNeedsId));
  for (const [origin, prefix] of Object.entries(settings.sitePrefixes)) {
    if (prefix.length > 24 || !PREFIX.test(prefix)) errors.push(localize(ui.badPrefix, { origin }));
  }
  for (const zone of [settings.crmTimeZone, settings.accountTimeZone]) {
    if (zone !== null && !isTimeZone(zone)) errors.push(localize(ui.badTimeZone, { zone }));
  }
  if (!/^[A-Z]{2}$/.test(settings.defaultPhoneCountry)) errors.push(localize(ui.badCountry));
  return errors;
}
