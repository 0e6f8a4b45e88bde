import { useEffect, useState } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import { KNOWN_DEAL_FIELDS } from '@/utils/mapping/deal-extras';
import type { Settings } from '@/utils/settings';
import { ui } from '@/utils/ui-text';

type UserField = Settings['userFields'][number];

interface RateRow {
  code: string;
  rate: string;
}

const CODE = /^[A-Z]{3}$/;

function rateOf(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

const rowsOf = (rates: Settings['currencyRates']): RateRow[] =>
  Object.entries(rates).map(([code, rate]) => ({ code, rate: String(rate) }));

/** What the rows say is wrong, in the extension's language; empty when every row is whole. */
export function dealFieldErrors(fields: UserField[], rates: RateRow[], partnerText: string): string[] {
  const errors: string[] = [];
  fields.forEach((field, index) => {
    if (field.crmField.trim() === '' || field.name.trim() === '')
      errors.push(localize(ui.userFieldIncomplete, { n: index + 1 }));
  });
  rates.forEach((row, index) => {
    if (!CODE.test(row.code) || rateOf(row.rate) === null)
      errors.push(localize(ui.currencyRateInvalid, { n: index + 1 }));
  });
  if (partnerText.trim() !== '' && !/^[1-9]\d{0,15}$/.test(partnerText.trim()))
    errors.push(localize(ui.partnerUserIdInvalid));
  return errors;
}

/**
 * Options → Mapping → Rules: the CRM fields sent as CoMagic user fields, the currency rates into the
 * report currency, and a partner key's client. Saved with the rules; `onErrors` holds the save back.
 */
export function DealFields({
  draft,
  update,
  onErrors,
}: {
  draft: Settings;
  update: (patch: Partial<Settings>) => void;
  onErrors: (errors: string[]) => void;
}) {
  const [rates, setRates] = useState<RateRow[]>(() => rowsOf(draft.currencyRates));
  const [partner, setPartner] = useState(draft.partnerUserId === null ? '' : String(draft.partnerUserId));
  const fields = draft.userFields;

  useEffect(() => onErrors(dealFieldErrors(fields, rates, partner)), [fields, rates, partner, onErrors]);

  const setFields = (next: UserField[]) => update({ userFields: next });
  const editField = (index: number, patch: Partial<UserField>) =>
    setFields(fields.map((field, at) => (at === index ? { ...field, ...patch } : field)));
  const editRates = (next: RateRow[]) => {
    setRates(next);
    const valid = next.flatMap((row) => {
      const rate = rateOf(row.rate);
      return CODE.test(row.code) && rate !== null ? [[row.code, rate] as const] : [];
    });
    update({ currencyRates: Object.fromEntries(valid) });
  };

  return (
    <>
      <fieldset data-testid="user-fields">
        <legend>{localize(ui.userFieldsHeading)}</legend>
        <p class="note">{localize(ui.userFieldsHint)}</p>
        <datalist id="deal-field-keys">
          {KNOWN_DEAL_FIELDS.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
        {fields.map((field, index) => {
          const row = localize(ui.userFieldRowLabel, { n: index + 1 });
          return (
            <fieldset class="row" aria-label={row} key={index}>
              <label>
                {localize(ui.userFieldCrm)}
                <input
                  list="deal-field-keys"
                  value={field.crmField}
                  onInput={(event) => editField(index, { crmField: event.currentTarget.value })}
                />
              </label>
              <label>
                {localize(ui.userFieldName)}
                <input
                  maxLength={255}
                  value={field.name}
                  onInput={(event) => editField(index, { name: event.currentTarget.value })}
                />
              </label>
              <label>
                {localize(ui.userFieldType)}
                <select
                  value={field.dataType}
                  onChange={(event) =>
                    editField(index, { dataType: event.currentTarget.value as UserField['dataType'] })
                  }
                >
                  <option value="string">{localize(ui.userFieldString)}</option>
                  <option value="numeric">{localize(ui.userFieldNumeric)}</option>
                </select>
              </label>
              <button type="button" onClick={() => setFields(fields.filter((_, at) => at !== index))}>
                {localize(ui.removeRow, { name: row })}
              </button>
            </fieldset>
          );
        })}
        <button
          type="button"
          onClick={() => setFields([...fields, { crmField: '', name: '', dataType: 'string' }])}
        >
          {localize(ui.addUserField)}
        </button>
      </fieldset>
      <fieldset data-testid="currency-rates">
        <legend>{localize(ui.currencyRatesHeading)}</legend>
        <p class="note">{localize(ui.currencyRatesHint)}</p>
        {rates.map((row, index) => {
          const label = `${localize(ui.currencyRatesHeading)} ${index + 1}`;
          const wrong = !CODE.test(row.code) || rateOf(row.rate) === null;
          return (
            <fieldset class="row" aria-label={label} key={index}>
              <label>
                {localize(ui.currencyCode)}
                <input
                  maxLength={3}
                  aria-invalid={!CODE.test(row.code)}
                  value={row.code}
                  onInput={(event) =>
                    editRates(
                      rates.map((each, at) =>
                        at === index ? { ...each, code: event.currentTarget.value.toUpperCase() } : each,
                      ),
                    )
                  }
                />
              </label>
              <label>
                {localize(ui.currencyRate)}
                <input
                  inputMode="decimal"
                  aria-invalid={wrong && rateOf(row.rate) === null}
                  value={row.rate}
                  onInput={(event) =>
                    editRates(
                      rates.map((each, at) =>
                        at === index ? { ...each, rate: event.currentTarget.value } : each,
                      ),
                    )
                  }
                />
              </label>
              <button type="button" onClick={() => editRates(rates.filter((_, at) => at !== index))}>
                {localize(ui.removeRow, { name: label })}
              </button>
            </fieldset>
          );
        })}
        <button type="button" onClick={() => editRates([...rates, { code: '', rate: '' }])}>
          {localize(ui.addCurrencyRate)}
        </button>
      </fieldset>
      <label>
        {localize(ui.partnerUserId)}
        <input
          inputMode="numeric"
          data-testid="partner-user-id"
          value={partner}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setPartner(text);
            const id = /^[1-9]\d{0,15}$/.test(text.trim()) ? Number(text.trim()) : null;
            update({ partnerUserId: id });
          }}
        />
      </label>
    </>
  );
}
