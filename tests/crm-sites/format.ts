/** Times, text and numbers as the demo CRMs write them. */
import { DEMO_TIME_ZONE } from '../../demo/data';

type ClockField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** Each field of a wall-clock time in `zone`, two digits each (four for the year). */
export function wallClock(instant: Date, zone = DEMO_TIME_ZONE): Record<ClockField, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const field = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** `YYYY-MM-DD hh:mm:ss` in the demo zone: how the Data API holds a time of that account. */
export function apiTime(instant: Date): string {
  const t = wallClock(instant);
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second}`;
}

/** `YYYY-MM-DD HH:mm:ss` in UTC: how EspoCRM and Odoo store and send every date-time. */
export function utcTime(instant: Date): string {
  return instant.toISOString().slice(0, 19).replace('T', ' ');
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** `1,234.50`: both demo CRMs show amounts in en-US with two decimals. */
export function money(amount: number): string {
  return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** `+7 495 555-01-23`: a Russian E.164 number as people type it into a CRM. */
export function russianPhone(digits: string): string {
  const m = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(digits);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : `+${digits}`;
}
