import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import { sendMessage } from '@/utils/send-message';
import { ESTIMATE_SOURCES, type Settings, sitePrefixOf } from '@/utils/settings';
import { ui } from '@/utils/ui-text';
import { ErrorLines, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';
import { DealFields } from './DealFields';
import { boundsOf, numberOf, settingsErrors, type WholeNumberField } from './settings-check';

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

type NumberTexts = Record<WholeNumberField, string>;

/** Number fields keep the text being typed: a half-typed or emptied number is refused on save, not rewritten. */
const numberTextsOf = (settings: Settings): NumberTexts => ({
  crmReadConcurrency: String(settings.crmReadConcurrency),
  crmReadDelayMs: String(settings.crmReadDelayMs),
});

const withNumbers = (settings: Settings, texts: NumberTexts): Settings => ({
  ...settings,
  crmReadConcurrency: numberOf(texts.crmReadConcurrency),
  crmReadDelayMs: numberOf(texts.crmReadDelayMs),
});

/**
 * How "Export visible pipeline" reads its deals: whole or from the cards only (with what the quick
 * look costs, beside it), how hard it may read the CRM, and whether an unknown creation time may be estimated.
 */
function ExportSettings({
  draft,
  texts,
  update,
  updateNumber,
}: {
  draft: Settings;
  texts: NumberTexts;
  update: (patch: Partial<Settings>) => void;
  updateNumber: (field: WholeNumberField, text: string) => void;
}) {
  const numberField = (field: WholeNumberField, testId: string, label: Localized) => (
    <label>
      {localize(label)}
      <input
        type="number"
        inputMode="numeric"
        step={1}
        class="short"
        {...boundsOf(field)}
        data-testid={testId}
        aria-describedby="crm-reads-hint"
        value={texts[field]}
        onInput={(event) => updateNumber(field, event.currentTarget.value)}
      />
    </label>
  );
  return (
    <fieldset>
      <legend>{localize(ui.exportSettingsHeading)}</legend>
      <fieldset>
        <legend>{localize(ui.exportModeLegend)}</legend>
        <label class="inline">
          <input
            type="radio"
            name="export-mode"
            value="whole"
            data-testid="export-mode-whole"
            aria-describedby="export-mode-whole-hint"
            checked={draft.exportMode === 'whole'}
            onChange={() => update({ exportMode: 'whole' })}
          />
          {localize(ui.exportModeWhole)}
        </label>
        <p id="export-mode-whole-hint" class="note">
          {localize(ui.exportModeWholeHint)}
        </p>
        <label class="inline">
          <input
            type="radio"
            name="export-mode"
            value="board"
            data-testid="export-mode-board"
            aria-describedby="export-mode-board-consequence"
            checked={draft.exportMode === 'board'}
            onChange={() => update({ exportMode: 'board' })}
          />
          {localize(ui.exportModeBoard)}
        </label>
        <p id="export-mode-board-consequence" class="consequence">
          {localize(ui.exportModeBoardConsequence)}
        </p>
      </fieldset>
      {numberField('crmReadConcurrency', 'crm-read-concurrency', ui.crmReadConcurrency)}
      {numberField('crmReadDelayMs', 'crm-read-delay', ui.crmReadDelay)}
      <p id="crm-reads-hint" class="note">
        {localize(ui.crmReadsHint)}
      </p>
      <label class="inline">
        <input
          type="checkbox"
          data-testid="allow-estimated-creation"
          aria-describedby="estimated-creation-consequence"
          checked={draft.allowEstimatedCreation}
          onChange={(event) => update({ allowEstimatedCreation: event.currentTarget.checked })}
        />
        {localize(ui.allowEstimatedCreation)}
      </label>
      <p id="estimated-creation-consequence" class="consequence">
        {localize(ui.allowEstimatedCreationConsequence)}
      </p>
    </fieldset>
  );
}

/**
 * How CRM data becomes CoMagic data: ext_ids, time zones, estimated times, phones, badges, and how
 * the board's export reads the CRM.
 */
export function SettingsForm() {
  const stored = useAnswer('settings.get');
  const sites = useAnswer('sites.list');
  const [draft, setDraft] = useState<Settings | null>(null);
  const [texts, setTexts] = useState<NumberTexts | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  const zones = useMemo(timeZones, []);

  useEffect(() => {
    if (!stored.value) return;
    setDraft(stored.value);
    setTexts(numberTextsOf(stored.value));
  }, [stored.value]);

  const origins = useMemo(() => {
    const known = new Set(Object.keys(draft?.sitePrefixes ?? {}));
    for (const site of sites.value ?? []) known.add(site.origin);
    return [...known].sort();
  }, [draft?.sitePrefixes, sites.value]);

  if (!draft || !texts) {
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

  const updateNumber = (field: WholeNumberField, text: string) => {
    setTexts({ ...texts, [field]: text });
    setSaved(false);
  };

  async function save(event: Event) {
    event.preventDefault();
    if (!draft || !texts) return;
    const settings = withNumbers(draft, texts);
    const local = [...settingsErrors(settings), ...fieldErrors];
    setErrors(local);
    setSaved(false);
    if (local.length > 0) return;
    try {
      const kept = await sendMessage('settings.save', settings);
      setDraft(kept);
      setTexts(numberTextsOf(kept));
      setSaved(true);
    } catch (failure) {
      setErrors([(failure as Error).message]);
    }
  }

  return (
    <section aria-labelledby="rules-heading">
      <h3 id="rules-heading">{localize(ui.rulesHeading)}</h3>
      {/* noValidate: the form's own check speaks, in the extension's language, with every error at once. */}
      <form onSubmit={save} data-testid="settings-form" noValidate>
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
                  // A site without a prefix of its own shows the one derived for it (sent as is until edited).
                  value={sitePrefixOf(draft, origin)}
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
        <DealFields draft={draft} update={update} onErrors={setFieldErrors} />
        <ExportSettings draft={draft} texts={texts} update={update} updateNumber={updateNumber} />
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
