import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { endpointAddress, endpointProblem } from '@/utils/comagic/endpoints';
import { type Localized, localize } from '@/utils/i18n';
import type { ConnectionTestResult, ConnectionView, MessageData } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { originPattern } from './site-pattern';

type Choice = 'comagic' | 'uis' | 'callgear' | 'custom';
const CHOICES: { value: Choice; label: string | Localized }[] = [
  { value: 'comagic', label: 'CoMagic' },
  { value: 'uis', label: 'UIS' },
  { value: 'callgear', label: 'CallGear' },
  { value: 'custom', label: ui.customEndpoint },
];

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'done' | 'error'; text: string };

export function ConnectionForm() {
  const [view, setView] = useState<ConnectionView | null>(null);
  const [choice, setChoice] = useState<Choice>('comagic');
  const [customUrl, setCustomUrl] = useState('');
  const [authKind, setAuthKind] = useState<'key' | 'login'>('key');
  const [token, setToken] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [test, setTest] = useState<ConnectionTestResult | null>(null);

  useEffect(() => {
    sendMessage('connection.get', {}).then(
      (stored) => {
        if (!stored) return;
        setView(stored);
        setChoice(stored.endpoint.brand);
        if (stored.endpoint.brand === 'custom') setCustomUrl(stored.endpoint.url);
        setAuthKind(stored.authKind);
        setLogin(stored.login ?? '');
        setRemember(stored.passwordRemembered);
      },
      (error: Error) => setStatus({ kind: 'error', text: error.message }),
    );
  }, []);

  const endpoint =
    choice === 'custom' ? { brand: 'custom' as const, url: customUrl.trim() } : { brand: choice };
  /** The stored key or password belongs to the stored address only: another one needs its own. */
  const moved = view !== null && endpointAddress(view.endpoint) !== endpointAddress(endpoint);

  function connectionInput(): MessageData<'connection.save'> | string {
    if (endpoint.brand === 'custom') {
      if (!originPattern(endpoint.url)) return localize(ui.badUrl);
      const problem = endpointProblem(endpoint.url);
      if (problem) return localize(problem.text, problem.params);
    }
    const address = endpointAddress(endpoint) ?? '';
    if (authKind === 'key') {
      if (!token.trim() && view?.maskedToken && moved) return localize(ui.keyForOtherAddress, { address });
      if (!token.trim() && !view?.maskedToken) return localize(ui.needSecret);
      return { endpoint, auth: { kind: 'key', token: token.trim() || null } };
    }
    if (login.trim() && !password && view?.authKind === 'login' && moved) {
      return localize(ui.passwordForOtherAddress, { address });
    }
    if (!login.trim() || (!password && !view?.passwordRemembered)) return localize(ui.needLogin);
    return { endpoint, auth: { kind: 'login', login: login.trim(), password: password || null, remember } };
  }

  function save(event: Event) {
    event.preventDefault();
    const input = connectionInput();
    if (typeof input === 'string') return setStatus({ kind: 'error', text: input });
    // The permission prompt needs the click's user gesture: ask before anything is awaited.
    const pattern = input.endpoint.brand === 'custom' ? originPattern(input.endpoint.url) : null;
    const granted = pattern ? browser.permissions.request({ origins: [pattern] }) : Promise.resolve(true);
    setStatus({ kind: 'busy', text: localize(ui.saving) });
    granted
      .then(async (ok) => {
        if (!ok) throw new Error(localize(ui.accessDeclined, { origin: pattern ?? '' }));
        await sendMessage('connection.save', input);
        setView(await sendMessage('connection.get', {}));
        setToken('');
        setPassword('');
        setStatus({ kind: 'done', text: localize(ui.saved) });
      })
      .catch((error: Error) => setStatus({ kind: 'error', text: error.message }));
  }

  async function testConnection() {
    setTest(null);
    setStatus({ kind: 'busy', text: localize(ui.testing) });
    try {
      setTest(await sendMessage('connection.test', {}));
      setStatus({ kind: 'idle' });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    }
  }

  return (
    <section id="connection" aria-labelledby="connection-heading">
      <h2 id="connection-heading">{localize(ui.connection)}</h2>
      <form onSubmit={save}>
        <label>
          {localize(ui.endpoint)}
          <select
            data-testid="endpoint-select"
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value as Choice)}
          >
            {CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {typeof c.label === 'string' ? c.label : localize(c.label)}
              </option>
            ))}
          </select>
        </label>
        {choice === 'custom' && (
          <label>
            {localize(ui.customEndpointUrl)}
            <input
              data-testid="custom-endpoint-input"
              type="url"
              placeholder="http://127.0.0.1:8780/v2.0"
              value={customUrl}
              onInput={(e) => setCustomUrl(e.currentTarget.value)}
            />
          </label>
        )}
        <fieldset>
          <legend>{localize(ui.authKind)}</legend>
          <label>
            <input
              type="radio"
              name="auth-kind"
              checked={authKind === 'key'}
              onChange={() => setAuthKind('key')}
            />
            {localize(ui.authKey)}
          </label>
          <label>
            <input
              type="radio"
              name="auth-kind"
              checked={authKind === 'login'}
              onChange={() => setAuthKind('login')}
            />
            {localize(ui.authLogin)}
          </label>
        </fieldset>
        {authKind === 'key' ? (
          <label>
            {localize(ui.token)}
            <input
              data-testid="token-input"
              type="password"
              autoComplete="off"
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
            {view?.maskedToken && !moved && (
              <small>{localize(ui.tokenStored, { mask: view.maskedToken })}</small>
            )}
          </label>
        ) : (
          <>
            <label>
              {localize(ui.login)}
              <input
                data-testid="login-input"
                autoComplete="username"
                value={login}
                onInput={(e) => setLogin(e.currentTarget.value)}
              />
            </label>
            <label>
              {localize(ui.password)}
              <input
                data-testid="password-input"
                type="password"
                autoComplete="current-password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
            <label>
              <input
                type="checkbox"
                checked={remember}
                onChange={(e) => setRemember(e.currentTarget.checked)}
              />
              {localize(ui.rememberPassword)}
            </label>
          </>
        )}
        <div class="actions">
          <button type="submit" data-testid="save-connection">
            {localize(ui.save)}
          </button>
          <button type="button" data-testid="test-connection" onClick={testConnection} disabled={!view}>
            {localize(ui.testConnection)}
          </button>
        </div>
      </form>
      <div data-testid="connection-status" role="status" aria-live="polite" class={`status ${status.kind}`}>
        {status.kind !== 'idle' && <p>{status.text}</p>}
        {test && <ConnectionTestView result={test} />}
      </div>
    </section>
  );
}

function ConnectionTestView({ result }: { result: ConnectionTestResult }) {
  return (
    <div class={result.ok ? 'done' : 'error'} data-error-class={result.errorClass}>
      <p>{result.message}</p>
      {result.account && (
        <dl>
          <dt>{localize(ui.account)}</dt>
          <dd data-testid="account-name">{result.account.name}</dd>
          <dt>{localize(ui.timeZone)}</dt>
          <dd data-testid="account-timezone">{result.account.timeZone}</dd>
          {result.limits && (
            <>
              <dt>{localize(ui.requestsLeftToday)}</dt>
              <dd>
                {result.limits.dayRemaining} / {result.limits.dayLimit}
              </dd>
              <dt>{localize(ui.requestsLeftMinute)}</dt>
              <dd>
                {result.limits.minuteRemaining} / {result.limits.minuteLimit}
              </dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
