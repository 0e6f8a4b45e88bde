const MATCH_PATTERN = /^(\*|https?):\/\/([^/]+)(\/.*)?$/;

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a page address fits a recipe's pattern: a browser match pattern
 * (`https://crm.example.com/*`, `*://*.example.com/deals/*`) or a simple glob without the scheme
 * (`crm.example.com/admin/*`, `*.example.com`). Like browsers, the fragment is not matched.
 */
export function urlMatches(pattern: string, url: string): boolean {
  const full = MATCH_PATTERN.exec(pattern);
  const rest = full ? '' : pattern;
  const slash = rest.indexOf('/');
  const scheme = full ? (full[1] === '*' ? 'https?' : full[1]) : 'https?';
  const host = full ? (full[2] ?? '') : slash < 0 ? rest : rest.slice(0, slash);
  const path = full ? (full[3] ?? '/*') : slash < 0 ? '/*' : rest.slice(slash);
  const hostPattern =
    host === '*'
      ? '[^/]+'
      : host.startsWith('*.')
        ? `(?:[^/]+\\.)?${escapeRegExp(host.slice(2))}`
        : escapeRegExp(host);
  const pathPattern = path.split('*').map(escapeRegExp).join('.*');
  const address = url.split('#')[0] ?? '';
  return new RegExp(`^${scheme}://${hostPattern}(?::\\d+)?${pathPattern}$`, 'i').test(address);
}

/** Whether a pattern has a shape `urlMatches` understands. */
export function isUrlPattern(pattern: string): boolean {
  if (/\s/.test(pattern) || pattern === '') return false;
  if (pattern.includes('://')) return MATCH_PATTERN.test(pattern);
  return /^(\*|(\*\.)?[^/*:]+)(:\d+)?(\/.*)?$/.test(pattern);
}
