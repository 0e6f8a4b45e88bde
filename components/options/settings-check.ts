import { type Localized, localize } from '@/utils/i18n';
import { type Settings, SettingsSchema } from '@/utils/settings';
import { ui } from '@/utils/ui-text';

const PREFIX = /^[A-Za-z0-9_.:-]*$/;

export type WholeNumberField = 'crmReadConcurrency' | 'crmReadDelayMs';

const WHOLE_NUMBERS: { field: WholeNumberField; message: Localized }[] = [
  { field: 'crmReadConcurrency', message: ui.badReadConcurrency },
  { field: 'crmReadDelayMs', message: ui.badReadDelay },
];

/** The schema's own bounds, so the form offers and refuses exactly what the background would. */
export function boundsOf(field: WholeNumberField): { min: number; max: number } {
  const { minValue, maxValue } = SettingsSchema.shape[field];
  return { min: minValue ?? Number.NEGATIVE_INFINITY, max: maxValue ?? Number.POSITIVE_INFINITY };
}

/** A number field's text as a number; an emptied field is NaN (refused), never read as 0. */
export function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

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
  for (const { field, message } of WHOLE_NUMBERS) {
    const { min, max } = boundsOf(field);
    const value = settings[field];
    if (!Number.isInteger(value) || value < min || value > max) errors.push(localize(message, { min, max }));
  }
  return errors;
}
