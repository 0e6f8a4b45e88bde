/** The host permission pattern of a URL's host (`https://crm.example.com/*`), or null when it is not http(s). */
export function originPattern(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return /^https?:$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.hostname}/*` : null;
  } catch {
    return null;
  }
}
