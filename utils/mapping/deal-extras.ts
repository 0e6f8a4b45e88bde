/**
 * What a deal sends besides its stages, contacts and owner: its company (`create.crm_company`, then
 * `company_ext_id`), source, tags, comments, user fields, and its revenue in the account's report
 * currency. Pure; every text the docs give no length for is kept within the client's cap.
 */
import { type CrmCompanyCreate, type DealUserFieldCreate, MAX_TEXT_LENGTH } from '../comagic/schemas';
import type { CrmCompany, CrmDeal } from '../crm/model';
import { normalizeEmails } from '../crm/parse/emails';
import { type CountryCode, normalizePhones } from '../crm/parse/phones';
import { type ExtIds, fnv1a64 } from './ext-ids';
import { cleanName } from './names';
import { type Issue, issue } from './problems';

export type UserFieldType = DealUserFieldCreate['data_type'];

/** A CRM field the user chose (Options → Mapping) to send as a CoMagic deal user field. */
export interface UserFieldChoice {
  /** The deal's field key (`probability`, `closeDate`, `currency`, a recipe's field name). */
  crmField: string;
  /** The user field's name in CoMagic. */
  name: string;
  dataType: UserFieldType;
}

/** The keys every built-in adapter may fill, offered first in Options; a recipe may add its own. */
export const KNOWN_DEAL_FIELDS = ['probability', 'closeDate', 'currency'] as const;

const SAFE_KEY = /^[A-Za-z0-9_.:-]{1,40}$/;

/** Stable and ASCII whatever the key: CoMagic refers to the field by it in every record. */
export function userFieldExtId(crmField: string): string {
  return SAFE_KEY.test(crmField) ? `field:${crmField}` : `field:h-${fnv1a64(crmField)}`;
}

/** The definition `create.deal_user_field` receives for a choice. */
export function userFieldDefinition(choice: UserFieldChoice): DealUserFieldCreate {
  return {
    ext_id: userFieldExtId(choice.crmField),
    name: cleanName(choice.name).name || choice.crmField,
    data_type: choice.dataType,
  };
}

/**
 * Free text within the cap: lines kept, each line's spaces collapsed; cut at a line or a space
 * when one is near, never inside a surrogate pair.
 */
export function capText(raw: string, cap = MAX_TEXT_LENGTH): { text: string; truncated: boolean } {
  const text = raw
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  if (text.length <= cap) return { text, truncated: false };
  let cut = text.slice(0, cap - 1);
  const gap = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
  if (gap > cap * 0.8) cut = cut.slice(0, gap);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return { text: `${cut.trimEnd()}…`, truncated: true };
}

const LABELS = {
  source: { en: 'source', ru: 'источник' },
  comments: { en: 'description', ru: 'описание' },
  tags: { en: 'tag', ru: 'тег' },
  user_fields: { en: 'field', ru: 'поле' },
  company: { en: 'company name', ru: 'название компании' },
} as const;

function truncatedIssue(field: string, label: keyof typeof LABELS, length: number): Issue {
  const { en, ru } = LABELS[label];
  return issue('warning', 'text_truncated', field, {
    en: `The ${en} is ${length} characters long; CoMagic gets its first ${MAX_TEXT_LENGTH - 1} and "…". The deal is sent; shorten it in the CRM to send it whole.`,
    ru: `Поле «${ru}» длиной ${length} символов; в CoMagic уходят первые ${MAX_TEXT_LENGTH - 1} и «…». Сделка отправляется; сократите текст в CRM, чтобы он ушёл целиком.`,
  });
}

function capped(raw: string, field: string, label: keyof typeof LABELS, issues: Issue[]): string {
  const { text, truncated } = capText(raw);
  if (truncated) issues.push(truncatedIssue(field, label, raw.length));
  return text;
}

/** The deal's company as `create.crm_company` takes it: its own phones and e-mails, never a contact's. */
export function mappedCompany(
  company: CrmCompany | null | undefined,
  extIds: ExtIds,
  country: CountryCode,
  issues: Issue[],
): CrmCompanyCreate | null {
  if (!company) return null;
  const { name, truncated } = cleanName(company.name);
  if (truncated) issues.push(truncatedIssue('company.name', 'company', company.name.length));
  if (name === '') return null;
  const { phones, rejected } = normalizePhones(company.phones ?? [], country);
  if (rejected.length > 0) {
    issues.push(
      issue('warning', 'phone_numbers_rejected', 'company.phones', {
        en: `Company "${name}": ${rejected.join(', ')} is not a valid phone number and is left out. Fix it in the CRM.`,
        ru: `Компания «${name}»: ${rejected.join(', ')} — некорректный номер, он не передаётся. Исправьте его в CRM.`,
      }),
    );
  }
  const emails = normalizeEmails(company.emails ?? []);
  return {
    ext_id: company.id ? extIds.fromCrmId(company.id) : extIds.derived(['company', name]),
    name,
    ...(phones.length > 0 ? { phones } : {}),
    ...(emails.length > 0 ? { emails } : {}),
  };
}

/** What every record of the deal carries besides its stage (see `DealHistoryRecord`). */
export interface RecordExtras {
  company_ext_id?: string;
  source?: string;
  comments?: string;
  tags?: { ext_id: string; name: string }[];
  user_fields?: { ext_id: string; value: string }[];
}

/** A tag's ext_id is its name's: the same tag on two deals (or two CRMs of one prefix) is one tag. */
function tagsOf(tags: readonly string[], extIds: ExtIds, issues: Issue[]) {
  const byExtId = new Map<string, { ext_id: string; name: string }>();
  tags.forEach((raw, index) => {
    const name = capped(raw, `tags[${index}]`, 'tags', issues);
    if (name === '') return;
    const extId = extIds.derived(['tag', name]);
    if (!byExtId.has(extId)) byExtId.set(extId, { ext_id: extId, name });
  });
  return [...byExtId.values()];
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A chosen field's value: the deal's own, or for `currency` the amount's. */
function fieldValue(deal: CrmDeal, key: string): string | undefined {
  const own = deal.fields?.[key];
  if (own !== undefined) return own;
  if (key === 'currency') return deal.amount?.currency ?? undefined;
  return undefined;
}

function userFieldsOf(deal: CrmDeal, choices: readonly UserFieldChoice[], issues: Issue[]) {
  const values: { ext_id: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const choice of choices) {
    const extId = userFieldExtId(choice.crmField);
    const raw = fieldValue(deal, choice.crmField);
    if (seen.has(extId) || raw === undefined || raw.trim() === '') continue;
    seen.add(extId);
    const field = `user_fields.${choice.crmField}`;
    const value = capped(raw, field, 'user_fields', issues);
    if (choice.dataType === 'numeric' && !NUMBER.test(value.replace(',', '.'))) {
      issues.push(
        issue('warning', 'user_field_not_numeric', field, {
          en: `"${value}" in ${choice.crmField} is not a number, so CoMagic's numeric field "${choice.name}" is left empty for this deal. Make it a text field in Options → Mapping, or fix the value in the CRM.`,
          ru: `«${value}» в поле ${choice.crmField} — не число, поэтому числовое поле CoMagic «${choice.name}» у этой сделки не заполняется. Сделайте поле текстовым в Настройках → Сопоставление или исправьте значение в CRM.`,
        }),
      );
      continue;
    }
    values.push({ ext_id: extId, value: choice.dataType === 'numeric' ? value.replace(',', '.') : value });
  }
  return values;
}

/** Company reference, source, comments, tags and user fields: each only when the deal has it. */
export function recordExtras(
  deal: CrmDeal,
  company: CrmCompanyCreate | null,
  choices: readonly UserFieldChoice[],
  extIds: ExtIds,
  issues: Issue[],
): RecordExtras {
  const extras: RecordExtras = {};
  if (company) extras.company_ext_id = company.ext_id;
  const source = deal.source ? capped(deal.source, 'deal.source', 'source', issues) : '';
  if (source !== '') extras.source = source;
  const comments = deal.description ? capped(deal.description, 'deal.description', 'comments', issues) : '';
  if (comments !== '') extras.comments = comments;
  const tags = tagsOf(deal.tags ?? [], extIds, issues);
  if (tags.length > 0) extras.tags = tags;
  const userFields = userFieldsOf(deal, choices, issues);
  if (userFields.length > 0) extras.user_fields = userFields;
  return extras;
}

/** How a deal's amount becomes revenue in the account's report currency. */
export interface CurrencySettings {
  /** ISO 4217 code from `getobj.account`; `null` when not known yet (no conversion is attempted). */
  reportCurrency: string | null;
  /** Units of the report currency one unit of each currency is worth, from Options → Mapping. */
  rates: Readonly<Record<string, number>>;
}

/** Symbols the money parser leaves as shown, for the currencies they stand for without doubt. */
const SYMBOLS: Record<string, string> = { '₽': 'RUB', '€': 'EUR', '£': 'GBP', '₸': 'KZT', '₴': 'UAH' };

function currencyCode(currency: string): string {
  const trimmed = currency.trim();
  return SYMBOLS[trimmed] ?? trimmed.toUpperCase();
}

/**
 * The revenue in the report currency: as is when the deal shows that currency (or none), converted
 * with the user's rate otherwise (a warning says so), else `null` with an error: a bare number in the
 * wrong currency would be counted as the account's money.
 */
export function revenueIn(
  amount: number,
  currency: string | null,
  settings: CurrencySettings,
  issues: Issue[],
): number | null {
  const report = settings.reportCurrency?.toUpperCase() ?? null;
  if (currency === null || report === null) return amount;
  const code = currencyCode(currency);
  if (code === report) return amount;
  const rate = settings.rates[code];
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
    issues.push(
      issue('error', 'currency_unconverted', 'deal.amount', {
        en: `The deal's amount is in ${code}, but the CoMagic account reports in ${report}, and no ${code} rate is set. Add the rate in Options → Mapping → Currency rates, then send again.`,
        ru: `Сумма сделки в ${code}, а отчёты аккаунта CoMagic — в ${report}, и курс ${code} не задан. Добавьте курс в Настройках → Сопоставление → Курсы валют и отправьте снова.`,
      }),
    );
    return null;
  }
  const converted = Math.round(amount * rate * 100) / 100;
  issues.push(
    issue('warning', 'revenue_converted', 'deal.amount', {
      en: `The amount ${amount} ${code} is sent as ${converted} ${report} at your rate ${rate} (Options → Mapping → Currency rates).`,
      ru: `Сумма ${amount} ${code} отправляется как ${converted} ${report} по вашему курсу ${rate} (Настройки → Сопоставление → Курсы валют).`,
    }),
  );
  return converted;
}
