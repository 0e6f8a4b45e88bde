import { type Issue, issue } from './problems';

/**
 * ext_ids are the CRM's own ids passed through a template, behind a per-site prefix so two CRMs
 * feeding one account never collide. CoMagic documents no length or alphabet, so every ext_id is
 * kept to printable ASCII of at most 64 characters; anything else (a Cyrillic Odoo stage label, a
 * 200-character id) is replaced by a stable hash of itself, which needs no problem: the same input
 * always gives the same ext_id.
 */
export interface ExtIdSettings {
  /** `{id}` is replaced by the CRM's id; the default is `{id}` alone. */
  extIdTemplate: string;
  /** Put before every ext_id, e.g. `espo-`; may be empty. */
  prefix: string;
}

export const DEFAULT_EXT_ID_TEMPLATE = '{id}';
export const MAX_EXT_ID_LENGTH = 64;
const MAX_PREFIX_LENGTH = 24;
const ID_PLACEHOLDER = '{id}';
/** Printable ASCII without spaces at either end. */
const SAFE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const PLACEHOLDER = /\{[^}]*\}/g;

const encoder = new TextEncoder();
/** Reused by `fnv1a64`: a fresh byte array per hash showed as garbage-collector time in profiles. */
let utf8 = new Uint8Array(256);

/**
 * 64-bit FNV-1a of the UTF-8 bytes, 16 hex digits: short, stable, and rarely colliding at CRM scale.
 * Computed on four 16-bit limbs: exact in doubles, and far faster than BigInt.
 */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  // A UTF-16 unit takes at most 3 UTF-8 bytes.
  if (utf8.length < text.length * 3) utf8 = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, utf8);
  for (let index = 0; index < written; index++) {
    h0 ^= utf8[index] as number;
    // × prime 0x100000001b3 = 0x1b3 + 2^40, modulo 2^64.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** Letters of a host's first label kept in a derived prefix: enough for a person to tell sites apart. */
const SITE_LABEL_LENGTH = 10;

/**
 * The ext_id prefix a CRM site (origin) gets unless the user sets one: the host's first label (not
 * `www`) and 4 hex digits of the whole origin, e.g. `crm-1f0a:` for `https://crm.example.com`.
 * Short, stable (the same origin always gives the same prefix, in every browser), and different for
 * two sites, so deal 42 and pipeline `default` of one CRM are not those of another.
 */
export function defaultSitePrefix(origin: string): string {
  let host = origin;
  try {
    host = new URL(origin).hostname;
  } catch {
    // Not a URL (a hand-edited setting): its text still gives a stable prefix.
  }
  const labels = host
    .toLowerCase()
    .split('.')
    .filter((label) => label !== '' && label !== 'www');
  const label = (labels[0] ?? 'site')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SITE_LABEL_LENGTH);
  return `${label || 'site'}-${fnv1a64(origin).slice(-4)}:`;
}

/** How a name is compared: case, spacing and ё/е do not make another person. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}

function isSafe(extId: string): boolean {
  return extId.length <= MAX_EXT_ID_LENGTH && SAFE.test(extId);
}

export interface ExtIds {
  /** A deal, contact, employee or funnel from the CRM's id. */
  fromCrmId(id: string): string;
  /** For what the CRM shows without an id (an owner's name, a contact): a hash of the parts. */
  derived(parts: string[]): string;
}

/** Compile once per export: building an ext_id is then a join and a test. */
export function compileExtIds(settings: ExtIdSettings): ExtIds {
  const template = settings.extIdTemplate.includes(ID_PLACEHOLDER)
    ? settings.extIdTemplate
    : DEFAULT_EXT_ID_TEMPLATE;
  const around = template.split(ID_PLACEHOLDER);
  const prefix = settings.prefix;
  return {
    fromCrmId(id) {
      const extId = prefix + around.join(id);
      return isSafe(extId) ? extId : `${prefix}h-${fnv1a64(id)}`;
    },
    derived(parts) {
      return `${prefix}n-${fnv1a64(parts.map(normalizeName).join('\n'))}`;
    },
  };
}

/**
 * Unique per account, not only per funnel: `<funnelExtId>:<stageId>`. Needs no settings:
 * the funnel's ext_id already carries the prefix.
 */
export function stageExtId(funnelExtId: string, stageId: string): string {
  const extId = `${funnelExtId}:${stageId}`;
  if (isSafe(extId)) return extId;
  const hashed = `${funnelExtId}:h-${fnv1a64(stageId)}`;
  return isSafe(hashed) ? hashed : `h-${fnv1a64(extId)}`;
}

/** A template or prefix that would give colliding or unusable ext_ids. */
export function checkExtIdSettings(settings: ExtIdSettings): Issue[] {
  const issues: Issue[] = [];
  const template = settings.extIdTemplate;
  const unknown = (template.match(PLACEHOLDER) ?? []).filter((found) => found !== ID_PLACEHOLDER);
  if (!template.includes(ID_PLACEHOLDER) || unknown.length > 0) {
    issues.push(
      issue('error', 'ext_id_template_invalid', 'settings.extIdTemplate', {
        en: `The ext_id template "${template}" must contain {id} and no other placeholder, or every deal would get the same ext_id. Fix it in Options → Mapping.`,
        ru: `Шаблон ext_id «${template}» должен содержать {id} и никаких других подстановок, иначе все сделки получат один ext_id. Исправьте его в Настройках → Сопоставление.`,
      }),
    );
  }
  const literal = settings.prefix + template.replaceAll(ID_PLACEHOLDER, '');
  if (settings.prefix.length > MAX_PREFIX_LENGTH || (literal !== '' && !SAFE.test(literal))) {
    issues.push(
      issue('error', 'ext_id_prefix_invalid', 'settings.prefix', {
        en: `The ext_id prefix and template may use only Latin letters, digits and punctuation, the prefix at most ${MAX_PREFIX_LENGTH} characters. Fix them in Options → Mapping.`,
        ru: `Префикс и шаблон ext_id могут содержать только латинские буквы, цифры и знаки препинания, префикс — не длиннее ${MAX_PREFIX_LENGTH} символов. Исправьте их в Настройках → Сопоставление.`,
      }),
    );
  }
  return issues;
}
