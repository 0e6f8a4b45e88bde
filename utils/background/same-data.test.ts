import { describe, expect, it } from 'vitest';
import { sameData } from './same-data';

describe('the same data', () => {
  it('is the same values and keys in any order', () => {
    expect(sameData({ a: 1, b: [{ c: 'x', d: null }] }, { b: [{ d: null, c: 'x' }], a: 1 })).toBe(true);
    expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('is not a changed value, a missing key, an array for an object, or items in another order', () => {
    expect(sameData({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameData({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameData({ 0: 'x' }, ['x'])).toBe(false);
    expect(sameData(['x', 'y'], ['y', 'x'])).toBe(false);
    expect(sameData(null, {})).toBe(false);
    expect(sameData({ a: 1 }, null)).toBe(false);
  });
});
