import { describe, expect, it } from 'vitest';
import { BRAND_ENDPOINTS, BRANDS, endpointUrl, isBrand } from './endpoints';

describe('endpointUrl', () => {
  it('maps each brand to its own Data API host', () => {
    expect(BRANDS.map(endpointUrl)).toEqual([
      'https://dataapi.comagic.ru/v2.0',
      'https://dataapi.uiscom.ru/v2.0',
      'https://dataapi.callgear.com/v2.0',
    ]);
    expect(Object.keys(BRAND_ENDPOINTS)).toEqual([...BRANDS]);
  });

  it('accepts a custom http(s) URL and refuses other schemes', () => {
    expect(endpointUrl('http://127.0.0.1:8780/v2.0')).toBe('http://127.0.0.1:8780/v2.0');
    expect(() => endpointUrl('ftp://example.com/v2.0')).toThrow(TypeError);
    expect(() => endpointUrl('not a url')).toThrow(TypeError);
  });

  it('does not take inherited property names for brands', () => {
    expect(isBrand('toString')).toBe(false);
  });
});
