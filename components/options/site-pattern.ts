/**
 * The host permission pattern of a URL's host (`https://crm.example.com/*`), or null when it is not
 * http(s). The port is left out: Firefox refuses a pattern with one, and without one a pattern
 * covers every port of the host in both browsers (`http://127.0.0.1:5173` → `http://127.0.0.1/*`).
 */
export function originPattern(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return /^https?:$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.hostname}/*` : null;
  } catch {
    return null;
  }
}
