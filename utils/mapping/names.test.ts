import { describe, expect, it } from 'vitest';
import { cleanName, MAX_NAME_LENGTH } from './names';

describe('cleanName', () => {
  it('collapses whitespace and trims', () => {
    expect(cleanName('  Supply \n\t contract ')).toEqual({ name: 'Supply contract', truncated: false });
  });

  it('keeps a name of exactly 255 characters', () => {
    expect(cleanName('x'.repeat(MAX_NAME_LENGTH))).toEqual({
      name: 'x'.repeat(MAX_NAME_LENGTH),
      truncated: false,
    });
  });

  it('caps a longer name and says so', () => {
    const { name, truncated } = cleanName('y'.repeat(100_000));
    expect(truncated).toBe(true);
    expect(name).toBe('y'.repeat(MAX_NAME_LENGTH));
  });

  it('does not cut an emoji in half at the cap', () => {
    const { name } = cleanName(`${'a'.repeat(MAX_NAME_LENGTH - 1)}😀tail`);
    expect(name).toBe('a'.repeat(MAX_NAME_LENGTH - 1));
    expect(name.isWellFormed()).toBe(true);
  });
});
