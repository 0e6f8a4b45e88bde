/**
 * The optional deal fields every built-in adapter reads the same way (company, source, tags,
 * description, named fields). Plain code: it runs in the content script.
 */
import type { CrmCompany, CrmDeal } from '../model';
import { instantToZoned } from '../parse/time-zone';

export interface ReadExtras {
  company: CrmCompany | null;
  source: string | null;
  tags: string[];
  description: string | null;
  /** `null` or `undefined` values are left out: the page did not show them. */
  fields: Record<string, string | null | undefined>;
}

type Extras = Pick<CrmDeal, 'company' | 'source' | 'tags' | 'description' | 'fields'>;

/**
 * Only what was read: a key the page did not show stays absent, as in a snapshot of an older
 * version, so an absent company and a company not read compare alike.
 */
export function dealExtras(read: ReadExtras): Extras {
  const extras: Extras = {};
  if (read.company) extras.company = read.company;
  if (read.source) extras.source = read.source;
  const tags = [...new Set(read.tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  if (tags.length > 0) extras.tags = tags;
  if (read.description) extras.description = read.description;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(read.fields)) {
    if (typeof value === 'string' && value.trim() !== '') fields[key] = value.trim();
  }
  if (Object.keys(fields).length > 0) extras.fields = fields;
  return extras;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The calendar day (`YYYY-MM-DD`) an instant falls on in the CRM's zone: a date field's value. */
export function dayIn(instant: string | null | undefined, timeZone: string): string | null {
  if (!instant) return null;
  try {
    const wall = instantToZoned(instant, timeZone);
    return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
  } catch {
    return null;
  }
}

/** A number as the page shows it ("80", "12,5 %") as plain decimal text, for a numeric field. */
export function numberText(text: string | null | undefined): string | null {
  const match = /-?\d+(?:[.,]\d+)?/.exec((text ?? '').replace(/[\s\u00a0\u202f]/g, ''));
  // "60.00" and "60" are one value: the number's own shortest text.
  return match ? String(Number(match[0].replace(',', '.'))) : null;
}

const BLOCKS = new Set([
  'P',
  'DIV',
  'LI',
  'BR',
  'TR',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'PRE',
]);

function collectLines(node: Node, parts: string[]): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3) parts.push(child.textContent ?? '');
    if (child.nodeType !== 1) continue;
    const block = BLOCKS.has((child as Element).tagName);
    if (block) parts.push('\n');
    collectLines(child, parts);
    if (block) parts.push('\n');
  }
}

/** A long text as a person reads it: one line per paragraph or line break, each line's spaces collapsed. */
export function paragraphText(element: Element | null | undefined): string | null {
  if (!element) return null;
  const parts: string[] = [];
  collectLines(element, parts);
  const lines = parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ').trim())
    .filter((line) => line !== '');
  return lines.length > 0 ? lines.join('\n') : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * An html field's value as an endpoint answers it (Odoo's `description`) as the lines a person reads:
 * never parsed into a document, only its tags dropped, so nothing in it can run or load.
 */
export function htmlText(html: string | null | undefined): string | null {
  if (!html) return null;
  const text = html
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|blockquote|pre)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
      const code =
        name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    });
  const lines = text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ').trim())
    .filter((line) => line !== '');
  return lines.length > 0 ? lines.join('\n') : null;
}
