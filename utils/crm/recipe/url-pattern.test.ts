import { describe, expect, it } from 'vitest';
import { coversSite, isUrlPattern, urlMatches } from './url-pattern';

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
    expect(['https://crm*.example.com/*', 'https://x.com:port/*', '*://*:*/*'].map(isUrlPattern)).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe('ports', () => {
  it('match the port a pattern names, and any port when it names none or `*`', () => {
    expect(urlMatches('http://127.0.0.1:5173/*', 'http://127.0.0.1:5173/#/deals/7')).toBe(true);
    expect(urlMatches('http://127.0.0.1:5173/*', 'http://127.0.0.1:8080/')).toBe(false);
    expect(urlMatches('127.0.0.1:5173/deals/*', 'http://127.0.0.1:5173/deals/7')).toBe(true);
    expect(urlMatches('127.0.0.1:5173', 'http://127.0.0.1:5174/')).toBe(false);
    expect(urlMatches('*://localhost:*/*', 'http://localhost:3000/board')).toBe(true);
    expect(urlMatches('https://crm.example.com/*', 'https://crm.example.com:8443/')).toBe(true);
    expect(urlMatches('http://[::1]:8080/*', 'http://[::1]:8080/x')).toBe(true);
  });

  it('take the scheme’s default port for an address that writes none', () => {
    expect(urlMatches('https://crm.example.com:443/*', 'https://crm.example.com/deals')).toBe(true);
    expect(urlMatches('crm.example.com:80', 'http://crm.example.com/')).toBe(true);
  });
});

describe('addresses written as people write them', () => {
  it('match a non-ASCII host and path', () => {
    expect(
      urlMatches(
        'https://црм.рф/сделки/*',
        'https://xn--l1ahr.xn--p1ai/%D1%81%D0%B4%D0%B5%D0%BB%D0%BA%D0%B8/7',
      ),
    ).toBe(true);
  });
});

describe('matching time', () => {
  it('stays linear-ish for a glob of many stars against an address that almost fits', () => {
    const pattern = `https://crm.example.com/${'a*'.repeat(14)}b`;
    const url = `https://crm.example.com/${'a'.repeat(5_000)}`;
    const started = performance.now();
    expect(urlMatches(pattern, url)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    expect(urlMatches(pattern, `${url}b`)).toBe(true);
  });
});

describe('coversSite', () => {
  it('says a recipe reads a granted site whatever port or path the recipe names', () => {
    expect(coversSite('http://127.0.0.1:5173/*', 'http://127.0.0.1/*')).toBe(true);
    expect(coversSite('127.0.0.1:5173/#/deals', 'http://127.0.0.1/*')).toBe(true);
    expect(coversSite('crm.example.org/admin/*', 'https://crm.example.org/*')).toBe(true);
    expect(coversSite('*.example.org', 'https://crm.example.org/*')).toBe(true);
    expect(coversSite('https://crm.example.org/*', '*://crm.example.org/*')).toBe(true);
  });

  it('does not for another host, scheme or port', () => {
    expect(coversSite('http://127.0.0.1:5173/*', 'http://localhost/*')).toBe(false);
    expect(coversSite('https://crm.example.org/*', 'http://crm.example.org/*')).toBe(false);
    expect(coversSite('http://127.0.0.1:5173/*', 'http://127.0.0.1:8080/*')).toBe(false);
    expect(coversSite('not a pattern', 'https://crm.example.org/*')).toBe(false);
  });
});
