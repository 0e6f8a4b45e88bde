import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { localize } from '@/utils/i18n';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { ErrorText, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';
import { AutoSyncSection } from './AutoSyncSection';
import { RecipeEditor } from './RecipeEditor';
import { originPattern } from './site-pattern';

/** The CRM sites the extension may read, and the recipes for CRMs it does not know. */
export function SitesSection() {
  const sites = useAnswer('sites.list');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);

  function addSite(event: Event) {
    event.preventDefault();
    const pattern = originPattern(url);
    if (!pattern) return setError(localize(ui.badUrl));
    setError(null);
    // The permission prompt needs the click's user gesture: ask before anything is awaited.
    browser.permissions.request({ origins: [pattern] }).then(
      async (granted) => {
        if (!granted) return setError(localize(ui.accessDeclined, { origin: pattern }));
        setUrl('');
        await sendMessage('sites.add', { pattern });
        await sites.reload();
      },
      (failure: Error) => setError(failure.message),
    );
  }

  async function removeSite(pattern: string) {
    setError(null);
    try {
      // A site covered by a broader grant cannot be removed on its own; it leaves the list anyway.
      await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
      await sendMessage('sites.remove', { pattern });
      await sites.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <section id="sites" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{localize(ui.sitesHeading)}</h2>
      <p class="note">{localize(ui.sitesExplained)}</p>
      <LoadState loading={sites.value === undefined} error={sites.error} />
      {sites.value?.length === 0 && <p class="note">{localize(ui.noSites)}</p>}
      {sites.value && sites.value.length > 0 && (
        <ul class="site-list" data-testid="site-list">
          {sites.value.map((site) => (
            <li key={site.pattern} data-pattern={site.pattern}>
              <span class="wrap">
                <strong>{site.origin}</strong>{' '}
                <span class="note">{site.adapterLabel ?? localize(ui.noAdapter)}</span>
                {!site.granted && <span class="note"> · {localize(ui.siteNotGranted)}</span>}
              </span>
              <button
                type="button"
                class="secondary"
                aria-label={localize(ui.removeSiteLabel, { origin: site.origin })}
                onClick={() => removeSite(site.pattern)}
              >
                {localize(ui.remove)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={addSite}>
        <label>
          {localize(ui.siteUrl)}
          <input
            type="url"
            data-testid="site-url-input"
            placeholder="https://crm.example.com"
            value={url}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
        </label>
        <button type="submit" data-testid="add-site">
          {localize(ui.addSite)}
        </button>
      </form>
      <ErrorText message={error} />
      <AutoSyncSection sites={sites.value ?? []} />
      {/* A saved recipe may read a listed site: the list then names it at once. */}
      <RecipeEditor onChange={sites.reload} />
    </section>
  );
}
