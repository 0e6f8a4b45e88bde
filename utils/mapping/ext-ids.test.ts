import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkExtIdSettings,
  compileExtIds,
  defaultSitePrefix,
  fnv1a64,
  MAX_EXT_ID_LENGTH,
  stageExtId,
} from './ext-ids';

/** The textbook 64-bit FNV-1a on BigInt, to check the fast limb arithmetic against. */
function referenceFnv(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text))
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  it('equals the textbook BigInt computation for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        (text) => fnv1a64(text) === referenceFnv(text),
      ),
    );
  });

  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});

describe('compileExtIds', () => {
  it('uses the CRM id itself by default', () => {
    expect(compileExtIds({ extIdTemplate: '{id}', prefix: '' }).fromCrmId('5f1')).toBe('5f1');
  });

  it('puts the site prefix before the templated id', () => {
    const extIds = compileExtIds({ extIdTemplate: 'deal-{id}', prefix: 'espo-' });
    expect(extIds.fromCrmId('5f1')).toBe('espo-deal-5f1');
  });

  it('falls back to the bare id when the template has no {id}', () => {
    expect(compileExtIds({ extIdTemplate: 'fixed', prefix: 'x-' }).fromCrmId('42')).toBe('x-42');
  });

  it('hashes a non-ASCII or too long id into a stable, short, ASCII ext_id', () => {
    const extIds = compileExtIds({ extIdTemplate: '{id}', prefix: 'odoo-' });
    const cyrillic = extIds.fromCrmId('Новая');
    const long = extIds.fromCrmId('x'.repeat(200));
    for (const extId of [cyrillic, long]) {
      expect(extId).toMatch(/^odoo-h-[0-9a-f]{16}$/);
      expect(extId.length).toBeLessThanOrEqual(MAX_EXT_ID_LENGTH);
    }
    expect(extIds.fromCrmId('Новая')).toBe(cyrillic);
    expect(cyrillic).not.toBe(extIds.fromCrmId('Новый'));
  });

  it('keeps an id of exactly 64 characters and hashes one of 65', () => {
    const extIds = compileExtIds({ extIdTemplate: '{id}', prefix: '' });
    expect(extIds.fromCrmId('a'.repeat(64))).toBe('a'.repeat(64));
    expect(extIds.fromCrmId('a'.repeat(65))).toMatch(/^h-[0-9a-f]{16}$/);
  });

  it('derives the same id for the same name however it is spaced or cased, another for another name', () => {
    const extIds = compileExtIds({ extIdTemplate: '{id}', prefix: 'espo-' });
    const anna = extIds.derived(['Анна Ёлкина']);
    expect(anna).toMatch(/^espo-n-[0-9a-f]{16}$/);
    expect(extIds.derived(['  анна   елкина '])).toBe(anna);
    expect(extIds.derived(['Anna Smirnova'])).not.toBe(anna);
  });
});

describe('stageExtId', () => {
  it('joins funnel and stage so stage ids are unique per account', () => {
    expect(stageExtId('espo-main', 'Closed Won')).toBe('espo-main:Closed Won');
  });

  it('hashes a non-ASCII stage id but keeps the funnel readable', () => {
    expect(stageExtId('odoo-1', 'Новая')).toMatch(/^odoo-1:h-[0-9a-f]{16}$/);
  });

  it('stays within 64 characters when the funnel ext_id is long', () => {
    const extId = stageExtId('f'.repeat(60), 'stage');
    expect(extId).toMatch(/^h-[0-9a-f]{16}$/);
  });
});

describe('checkExtIdSettings', () => {
  it('accepts the defaults and a plain prefix', () => {
    expect(checkExtIdSettings({ extIdTemplate: '{id}', prefix: '' })).toEqual([]);
    expect(checkExtIdSettings({ extIdTemplate: 'd-{id}', prefix: 'espo-' })).toEqual([]);
  });

  it('rejects a template without {id} or with another placeholder', () => {
    expect(checkExtIdSettings({ extIdTemplate: 'deal', prefix: '' }).map((i) => i.code)).toEqual([
      'ext_id_template_invalid',
    ]);
    expect(checkExtIdSettings({ extIdTemplate: '{crm}-{id}', prefix: '' }).map((i) => i.code)).toEqual([
      'ext_id_template_invalid',
    ]);
  });

  it('rejects a non-ASCII or over-long prefix, in both languages', () => {
    const [problem] = checkExtIdSettings({ extIdTemplate: '{id}', prefix: 'срм-' });
    expect(problem?.code).toBe('ext_id_prefix_invalid');
    expect(problem?.message.en).toContain('prefix');
    expect(problem?.message.ru).toContain('Префикс');
    expect(checkExtIdSettings({ extIdTemplate: '{id}', prefix: 'p'.repeat(25) })).toHaveLength(1);
  });
});

describe('defaultSitePrefix', () => {
  it('gives each site a short prefix of its own, the same every time', () => {
    const espo = defaultSitePrefix('https://crm.example.com');
    expect(espo).toMatch(/^crm-[0-9a-f]{4}:$/);
    expect(defaultSitePrefix('https://crm.example.com')).toBe(espo);
    expect(defaultSitePrefix('https://crm.other.com')).not.toBe(espo);
    expect(defaultSitePrefix('http://127.0.0.1:8781')).not.toBe(defaultSitePrefix('http://127.0.0.1:8782'));
  });

  it('leaves out www and keeps to what an ext_id prefix allows', () => {
    const prefix = defaultSitePrefix('https://www.очень-длинное-имя.рф');
    expect(prefix).toMatch(/^[a-z0-9-]{1,10}-[0-9a-f]{4}:$/);
    expect(checkExtIdSettings({ extIdTemplate: '{id}', prefix })).toEqual([]);
  });

  it('makes two sites’ deal 42 and pipeline default two ext_ids', () => {
    const a = compileExtIds({ extIdTemplate: '{id}', prefix: defaultSitePrefix('https://a.example.com') });
    const b = compileExtIds({ extIdTemplate: '{id}', prefix: defaultSitePrefix('https://b.example.com') });
    expect(a.fromCrmId('42')).not.toBe(b.fromCrmId('42'));
    expect(a.fromCrmId('default')).not.toBe(b.fromCrmId('default'));
  });
});
