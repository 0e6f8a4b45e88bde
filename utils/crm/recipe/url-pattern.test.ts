import { describe, expect, it } from 'vitest';
import { isUrlPattern, urlMatches } from './url-pattern';

describe('urlMatches', () => {
  it('matches browser match patterns', () => {
    expect(urlMatches('https://crm.example.com/*', 'https://crm.example.com/deals/7?x=1')).toBe(true);
    expect(urlMatches('https://crm.example.com/*', 'http://crm.example.com/deals/7')).toBe(false);
    expect(urlMatches('*://crm.example.com/*', 'http://crm.example.com/')).toBe(true);
    expect(urlMatches('https://*.example.com/deals/*', 'https://eu.example.com/deals/7')).toBe(true);
    expect(urlMatches('https://*.example.com/deals/*', 'https://example.com/deals/7')).toBe(true);
    expect(urlMatches('https://*.example.com/deals/*', 'https://example.com.evil.net/deals/7')).toBe(false);
    expect(urlMatches('https://crm.example.com/deals/*', 'https://crm.example.com/leads/7')).toBe(false);
  });

  it('matches simple host globs on any scheme and port', () => {
    expect(urlMatches('*.example.com', 'https://crm.example.com:8443/a')).toBe(true);
    expect(urlMatches('crm.example.com/admin/*', 'http://crm.example.com/admin/leads')).toBe(true);
    expect(urlMatches('crm.example.com/admin/*', 'http://crm.example.com/public')).toBe(false);
  });

  it('ignores the fragment, as browsers do', () => {
    expect(urlMatches('https://crm.example.com/', 'https://crm.example.com/#Opportunity/view/1')).toBe(true);
  });

  it('treats dots and other regex characters literally', () => {
    expect(urlMatches('crm.example.com', 'https://crmXexample.com/')).toBe(false);
  });
});

describe('isUrlPattern', () => {
  it('accepts match patterns and host globs, rejects the rest', () => {
    expect(
      ['https://crm.example.com/*', '*://*/*', '*.example.com', 'crm.example.com:8080/a/*'].map(isUrlPattern),
    ).toEqual([true, true, true, true]);
    expect(['', 'ftp://x.com/*', 'https://', 'crm example.com', 'a*b.com'].map(isUrlPattern)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
