/**
 * A CRM tab without a browser: the page loaded with Node's fetch as a browser loads it, its own
 * script run in a happy-dom window (so it hands over the session the way it does in a browser:
 * the cookie it sets, the auth it keeps in localStorage), and a `fetch` that carries the page's
 * cookies, as the content script's `credentials: 'include'` does in the tab.
 */
import { Window } from 'happy-dom';

export interface CrmTab {
  /** The page's window: its document, its localStorage. */
  window: Window;
  location: () => string;
  /** Node's fetch with the cookies the page was given (HttpOnly ones too, as the browser sends them). */
  fetch: typeof fetch;
  close(): Promise<void>;
}

/** `name=value` of each cookie in `Set-Cookie` headers or a `document.cookie` string. */
function cookiePairs(lines: readonly string[]): [string, string][] {
  return lines.flatMap((line) => {
    const pair = line.split(';')[0] ?? '';
    const at = pair.indexOf('=');
    return at > 0 ? [[pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string]] : [];
  });
}

export async function openCrmTab(url: string): Promise<CrmTab> {
  const jar = new Map<string, string>();
  let cookieHeader = '';
  const keep = (lines: readonly string[]) => {
    if (lines.length === 0) return;
    for (const [name, value] of cookiePairs(lines)) jar.set(name, value);
    cookieHeader = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  };
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the CRM page ${url} answered ${response.status}`);
  keep(response.headers.getSetCookie());
  const window = new Window({
    url,
    // The script is the demo CRM's own (tests/crm-sites), run as the browser would run it.
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
  window.document.write(await response.text());
  // The page's script renders the route's view after a moment, as the real single-page client does.
  await window.happyDOM.waitUntilComplete();
  keep(window.document.cookie.split(/;\s*/));
  const origin = new URL(url).origin;

  const cookieFetch: typeof fetch = async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    if (target.origin === origin && cookieHeader !== '') headers.set('Cookie', cookieHeader);
    const answer = await fetch(input, { ...init, headers });
    if (target.origin === origin) keep(answer.headers.getSetCookie());
    return answer;
  };

  return {
    window,
    location: () => window.location.href,
    fetch: cookieFetch,
    close: () => window.happyDOM.close(),
  };
}
