import { describe, expect, it } from 'vitest';
import { coversSite } from '@/utils/crm/recipe/url-pattern';
import { originPattern } from './site-pattern';

describe('originPattern', () => {
  it('grants the whole host, every port of it, for an address with a port', () => {
    expect(originPattern(' http://127.0.0.1:5173/#/deals ')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://crm.example.com:8443/x')).toBe('https://crm.example.com/*');
  });

  it('gives a pattern that the recipe written for that address covers', () => {
    expect(coversSite('http://127.0.0.1:5173/*', originPattern('http://127.0.0.1:5173/')!)).toBe(true);
  });

  it('refuses what is not an http(s) address', () => {
    expect(['ftp://x.com/', 'crm.example.com', '127.0.0.1:5173', ''].map(originPattern)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
