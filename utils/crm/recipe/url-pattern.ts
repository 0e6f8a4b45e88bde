/**
 * A recipe's URL patterns: a browser match pattern (`https://crm.example.com/*`,
 * `*://*.example.com:8443/deals/*`) or a simple glob without the scheme (`crm.example.com/admin/*`,
 * `*.example.com`, `127.0.0.1:5173`). Matched without regular expressions: a glob of many `*` against
 * a long address costs the product of their lengths, never the exponential time a backtracking
 * regex took (15 s for a 28-character address).
 */

interface UrlPattern {
  schemes: readonly string[];
  /** `*` (any host), `*.example.com` (it and its subdomains), or one host. */
  host: string;
  /** A port number; `null` matches any port, as a pattern without one does in browsers. */
  port: string | null;
  /** A glob of the path and query: `*` stands for any characters. */
  path: string;
}

const WEB_SCHEMES = ['http', 'https'] as const;
const MATCH_PATTERN = /^(\*|https?):\/\/([^/]+)(\/.*)?$/;
/** `*`, `*.example.com`, `example.com` or `[::1]`, then an optional port (a number or `*`). */
const HOST_AND_PORT = /^(\*|(?:\*\.)?[^/*:\s[\]]+|\[[\da-f:.]+\])(?::(\d{1,5}|\*))?$/i;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** A host as the URL parser writes it (lower case, `xn--` for a non-ASCII name), its `*.` kept. */
function hostOf(rule: string): string | null {
  if (rule === '*') return rule;
  const wildcard = rule.startsWith('*.');
  const name = wildcard ? rule.slice(2) : rule;
  if (!URL.canParse(`http://${name}/`)) return null;
  return (wildcard ? '*.' : '') + new URL(`http://${name}/`).hostname;
}

function parsePattern(pattern: string): UrlPattern | null {
  if (pattern === '' || /\s/.test(pattern)) return null;
  const full = MATCH_PATTERN.exec(pattern);
  if (!full && pattern.includes('://')) return null;
  const slash = pattern.indexOf('/');
  const authority = full ? (full[2] ?? '') : slash < 0 ? pattern : pattern.slice(0, slash);
  const path = full ? (full[3] ?? '/*') : slash < 0 ? '/*' : pattern.slice(slash);
  const hostAndPort = HOST_AND_PORT.exec(authority);
  if (!hostAndPort) return null;
  const port = hostAndPort[2];
  const host = hostOf(hostAndPort[1] ?? '');
  if (host === null) return null;
  return {
    schemes: !full || full[1] === '*' ? WEB_SCHEMES : [full[1] ?? ''],
    host,
    port: port === undefined || port === '*' ? null : String(Number(port)),
    path: path.toLowerCase(),
  };
}

/** Whether `glob` (`*` for any characters) matches all of `text`: greedy, with one step back per `*`. */
function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (glob[g] === '*') {
      star = g++;
      resume = t;
    } else if (g < glob.length && glob[g] === text[t]) {
      g++;
      t++;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

function hostMatches(rule: string, host: string): boolean {
  if (rule === '*') return true;
  if (rule.startsWith('*.')) return host === rule.slice(2) || host.endsWith(rule.slice(1));
  return host === rule;
}

/** The path and query as the URL parser escapes them and as a person writes them (`/сделки/*`). */
function pathForms(address: URL): string[] {
  const escaped = (address.pathname + address.search).toLowerCase();
  try {
    return [escaped, decodeURI(escaped)];
  } catch {
    return [escaped];
  }
}

/** Whether a page address fits a recipe's pattern. Like browsers, the fragment is not matched. */
export function urlMatches(pattern: string, url: string): boolean {
  const rule = parsePattern(pattern);
  if (!rule || !URL.canParse(url)) return false;
  const address = new URL(url);
  const scheme = address.protocol.slice(0, -1);
  const port = address.port || DEFAULT_PORTS[scheme];
  return (
    rule.schemes.includes(scheme) &&
    hostMatches(rule.host, address.hostname) &&
    (rule.port === null || rule.port === port) &&
    pathForms(address).some((path) => globMatches(rule.path, path))
  );
}

/**
 * Whether a recipe's pattern reads some page of a granted site (a host permission pattern such as
 * `https://crm.example.com/*`, which covers every port of that host): its scheme and host fit and
 * its port, if both name one, is the same. The path is left out: a recipe for `/admin/*` still
 * reads that site.
 */
export function coversSite(pattern: string, sitePattern: string): boolean {
  const rule = parsePattern(pattern);
  const site = parsePattern(sitePattern);
  if (!rule || !site) return false;
  return (
    site.schemes.some((scheme) => rule.schemes.includes(scheme)) &&
    hostMatches(rule.host, site.host) &&
    (rule.port === null || site.port === null || rule.port === site.port)
  );
}

/** Whether a pattern has a shape `urlMatches` understands. */
export function isUrlPattern(pattern: string): boolean {
  return parsePattern(pattern) !== null;
}
