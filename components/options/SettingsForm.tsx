import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import { sendMessage } from '@/utils/send-message';
import { ESTIMATE_SOURCES, type Settings } from '@/utils/settings';
import { ui } from '@/utils/ui-text';
import { ErrorLines, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';
import { settingsErrors } from './settings-check';

const ESTIMATE_TEXT: Record<Settings['estimateStageTime'], Localized> = {
  modified: ui.estimateModified,
  created: ui.estimateCreated,
  first_seen: ui.estimateFirstSeen,
};

const timeZones = (): string[] => {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
};

const zoneOrNull = (value: string) => value.trim() || null;

/** How CRM data becomes CoMagic data: ext_ids, time zones, estimated times, phones, badges. */
export function SettingsForm() {
  const stored = useAnswer('settings.get');
  const sites = useAnswer('sites.list');
  const [draft, setDraft] = useState<Settings | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const zones = useMemo(timeZones, []);

  useEffect(() => {
    if (stored.value) setDraft(stored.value);
  }, [stored.value]);

  const origins = useMemo(() => {
    const known = new Set(Object.keys(draft?.sitePrefixes ?? {}));
    for (const site of sites.value ?? []) known.add(site.origin);
    return [...known].sort();
  }, [draft?.sitePrefixes, sites.value]);

  if (!draft) {
    return (
      <section aria-labelledby="rules-heading">
        <h3 id="rules-heading">{localize(ui.rulesHeading)}</h3>
        <LoadState loading={!stored.error} error={stored.error} />
      </section>
    );
  }

  const update = (patch: Partial<Settings>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };

  async function save(event: Event) {
    event.preventDefault();
    if (!draft) return;
    const local = settingsErrors(draft);
    setErrors(local);
    setSaved(false);
    if (local.length > 0) return;
    try {
      setDraft(await sendMessage('settings.save', draft));
      setSaved(true);
    } catch (failure) {
      setErrors([(failure as Error).message]);
    }
  }

  return (
    <section aria-labelledby="rules-heading">
      <h3 id="rules-heading">{localize(ui.rulesHeading)}</h3>
      <form onSubmit={save} data-testid="settings-form">
        <label>
          {localize(ui.extIdTemplate)}
          <input
            data-testid="ext-id-template"
            value={draft.extIdTemplate}
            aria-describedby="template-hint"
            onInput={(event) => update({ extIdTemplate: event.currentTarget.value })}
          />
        </label>
        <p id="template-hint" class="note">
          {localize(ui.extIdTemplateHint)}
        </p>
        {origins.length > 0 && (
          <fieldset>
            <legend>{localize(ui.sitePrefixes)}</legend>
            {origins.map((origin) => (
              <label key={origin}>
                <span class="wrap">{origin}</span>
                <input
                  value={draft.sitePrefixes[origin] ?? ''}
                  onInput={(event) =>
                    update({ sitePrefixes: { ...draft.sitePrefixes, [origin]: event.currentTarget.value } })
                  }
                />
              </label>
            ))}
          </fieldset>
        )}
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <label>
          {localize(ui.crmTimeZone)}
          <input
            data-testid="crm-time-zone"
            list="time-zones"
            placeholder={localize(ui.automatic)}
            value={draft.crmTimeZone ?? ''}
            onInput={(event) => update({ crmTimeZone: zoneOrNull(event.currentTarget.value) })}
          />
        </label>
        <label>
          {localize(ui.accountTimeZone)}
          <input
            data-testid="account-time-zone"
            list="time-zones"
            placeholder={localize(ui.automatic)}
            value={draft.accountTimeZone ?? ''}
            onInput={(event) => update({ accountTimeZone: zoneOrNull(event.currentTarget.value) })}
          />
        </label>
        <p class="note">{localize(ui.timeZonesHint)}</p>
        <label>
          {localize(ui.estimateStageTime)}
          <select
            value={draft.estimateStageTime}
            onChange={(event) =>
              update({ estimateStageTime: event.currentTarget.value as Settings['estimateStageTime'] })
            }
          >
            {ESTIMATE_SOURCES.map((source) => (
              <option key={source} value={source}>
                {localize(ESTIMATE_TEXT[source])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {localize(ui.phoneCountry)}
          <input
            maxLength={2}
            autoComplete="country"
            value={draft.defaultPhoneCountry}
            onInput={(event) => update({ defaultPhoneCountry: event.currentTarget.value.toUpperCase() })}
          />
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={draft.boardBadges}
            onChange={(event) => update({ boardBadges: event.currentTarget.checked })}
          />
          {localize(ui.boardBadges)}
        </label>
        <div class="actions">
          <button type="submit" data-testid="save-settings">
            {localize(ui.save)}
          </button>
        </div>
        <p role="status" aria-live="polite" class="done">
          {saved && localize(ui.saved)}
        </p>
        <ErrorLines errors={errors} />
      </form>
    </section>
  );
}
