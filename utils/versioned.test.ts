import { describe, expect, it } from 'vitest';
import { capText, migrate, parseEach, type VersionChain, versionField } from './versioned';

/** A value that gained `b` in version 2 and renamed `a` to `c` in version 3. */
const chain: VersionChain<{ v: 3; c: number; b: string }> = {
  current: 3,
  versionOf: versionField('v'),
  steps: {
    1: (v1: { v: 1; a: number }) => ({ ...v1, v: 2, b: 'default' }),
    2: ({ a, ...v2 }: { v: 2; a: number; b: string }) => ({ ...v2, v: 3, c: a }),
  },
  parse: (value) => {
    const { v, c, b } = value as Record<string, unknown>;
    return v === 3 && typeof c === 'number' && typeof b === 'string' ? { v, c, b } : null;
  },
};

describe('migrate', () => {
  it('runs every step from the stored version to the current one, in order', () => {
    expect(migrate({ v: 1, a: 7 }, chain)).toEqual({
      kind: 'current',
      value: { v: 3, c: 7, b: 'default' },
      migrated: true,
    });
    expect(migrate({ v: 3, c: 1, b: 'x' }, chain)).toEqual({
      kind: 'current',
      value: { v: 3, c: 1, b: 'x' },
      migrated: false,
    });
  });

  it('tells a newer version’s value apart from a broken one', () => {
    expect(migrate({ v: 4, anything: true }, chain)).toEqual({ kind: 'newer', version: 4 });
    expect(migrate({ v: 'one' }, chain)).toEqual({ kind: 'broken' });
    expect(migrate({ v: 3, c: 'not a number', b: 'x' }, chain)).toEqual({ kind: 'broken' });
    expect(migrate({ v: 0 }, chain)).toEqual({ kind: 'broken' });
  });
});

describe('parseEach', () => {
  it('keeps the elements that pass and counts the others', () => {
    const number = (value: unknown) => (typeof value === 'number' ? value : null);
    expect(parseEach([1, 'two', 3, null], number)).toEqual({ kept: [1, 3], dropped: 2 });
  });
});

describe('capText', () => {
  it('keeps text of 255 characters or fewer whole and cuts longer text there', () => {
    expect(capText('Воронка')).toBe('Воронка');
    expect(capText('я'.repeat(300))).toBe('я'.repeat(255));
  });

  it('never cuts a character written as two UTF-16 units in half', () => {
    const text = `${'a'.repeat(254)}😀tail`;
    expect(capText(text)).toBe('a'.repeat(254));
  });
});
