import type { Money } from '@/utils/crm/model';
import { type Locale, localize, uiLocale } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

/** An amount as the user reads it; `≈` marks a figure the CRM page showed abbreviated. */
export function formatMoney(money: Money | null, locale: Locale = uiLocale()): string {
  if (!money) return '—';
  const figure = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(money.amount);
  const text = money.currency ? `${figure} ${money.currency}` : figure;
  return money.rounded ? `≈ ${text}` : text;
}

/** Seconds left, rounded the way a person says it: "40 s", "3 min", "2 h 5 min". */
export function formatDuration(seconds: number, locale: Locale = uiLocale()): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return localize(ui.durationSeconds, { n: whole }, locale);
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return localize(ui.durationMinutes, { n: minutes }, locale);
  return localize(ui.durationHours, { h: Math.floor(minutes / 60), m: minutes % 60 }, locale);
}

/** A stored instant in the browser's local time; the raw text when it does not parse. */
export function formatInstant(iso: string, locale: Locale = uiLocale()): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale);
}
