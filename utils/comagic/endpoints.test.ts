import { describe, expect, it } from 'vitest';
import { localize } from '../i18n';
import { BRAND_ENDPOINTS, BRANDS, endpointProblem, endpointUrl, isBrand } from './endpoints';

describe('endpointUrl', () => {
  it('maps each brand to its own Data API host', () => {
    expect(BRANDS.map(endpointUrl)).toEqual([
      'https://dataapi.comagic.ru/v2.0',
      'https://dataapi.uiscom.ru/v2.0',
      'https://dataapi.callgear.com/v2.0',
    ]);
    expect(Object.keys(BRAND_ENDPOINTS)).toEqual([...BRANDS]);
  });

  it('accepts a custom https URL, and http on this computer only', () => {
    expect(endpointUrl('https://api.example.com/v2.0')).toBe('https://api.example.com/v2.0');
    expect(endpointUrl('http://127.0.0.1:8780/v2.0')).toBe('http://127.0.0.1:8780/v2.0');
    expect(endpointUrl('http://localhost:8780/v2.0')).toBe('http://localhost:8780/v2.0');
    expect(endpointUrl('http://[::1]:8780/v2.0')).toBe('http://[::1]:8780/v2.0');
    expect(() => endpointUrl('ftp://example.com/v2.0')).toThrow(TypeError);
    expect(() => endpointUrl('not a url')).toThrow(TypeError);
  });

  it('refuses plain http to another computer, saying what to do in both languages', () => {
    for (const url of [
      'http://api.example.com/v2.0',
      'http://192.168.1.5:8780/v2.0',
      'http://127.0.0.2/v2.0',
    ]) {
      expect(() => endpointUrl(url)).toThrow(/use an https:\/\/ address/);
    }
    const problem = endpointProblem('http://api.example.com:8080/v2.0')!;
    expect(localize(problem.text, problem.params, 'en')).toMatch(/unencrypted to api\.example\.com:8080/);
    expect(localize(problem.text, problem.params, 'ru')).toMatch(/без шифрования: укажите адрес https:\/\//);
    expect(endpointProblem('https://api.example.com/v2.0')).toBeNull();
  });

  it('does not take inherited property names for brands', () => {
    expect(isBrand('toString')).toBe(false);
  });
});
