/**
 * Every failure of the Data API client is a `ComagicError` whose `info` is plain data (it crosses
 * the extension's message boundary) and whose class says what the caller can do about it.
 */
import { type Locale, type Localized, localize, uiLocale } from '../i18n';

export const ERROR_CLASSES = [
  'auth',
  'access',
  'component',
  'rate',
  'validation',
  'transient',
  'fatal',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ComagicErrorInfo {
  class: ErrorClass;
  /** The JSON-RPC error code; `null` when the failure never reached the API or was not an answer. */
  code: number | null;
  /** The API's stable name of the error, or ours (`timeout`, `network_error`, `http_502`…). */
  mnemonic: string;
  /** The parameter concerned, dotted (`deals.3.stage_ext_id`). */
  field: string | null;
  value: JsonValue;
  /** The technical message (the API's own text, or the local check's). */
  message: string;
  /** Set when the caller should come back later (e.g. with an alarm). */
  retryAfterMs?: number;
}

export class ComagicError extends Error {
  override readonly name = 'ComagicError';

  constructor(readonly info: ComagicErrorInfo) {
    super(describeError(info, 'en'));
  }
}

export function isComagicError(error: unknown): error is ComagicError {
  return error instanceof ComagicError;
}

const CLASS_BY_CODE: Record<number, ErrorClass> = {
  [-32001]: 'auth',
  [-32003]: 'access',
  [-32008]: 'component',
  [-32029]: 'rate',
  [-32602]: 'validation',
  [-32600]: 'validation',
  [-32601]: 'validation',
  [-32099]: 'validation',
  [-32700]: 'validation',
  [-32603]: 'transient',
};

export function classOfCode(code: number): ErrorClass {
  return CLASS_BY_CODE[code] ?? 'fatal';
}

/** Replaces secrets (token, password) wherever the API or a local check may have echoed them. */
export function redact(info: ComagicErrorInfo, secrets: readonly string[]): ComagicErrorInfo {
  const hide = (text: string) => secrets.reduce((result, secret) => result.split(secret).join('***'), text);
  const secretField = info.field === 'password' || info.field === 'access_token';
  const value = secretField ? null : typeof info.value === 'string' ? hide(info.value) : info.value;
  return { ...info, message: hide(info.message), value };
}

const WHITELIST_HINT: Localized = {
  en: 'In the CoMagic cabinet open Администратор → Аккаунт → Правила и настройки безопасности → tab "API" and add your IP address, or allow every address with 0.0.0.0/0.',
  ru: 'В личном кабинете CoMagic откройте Администратор → Аккаунт → Правила и настройки безопасности → вкладка «API» и добавьте свой IP-адрес или разрешите все адреса правилом 0.0.0.0/0.',
};

const BATCH_NOT_SUPPORTED: Localized = {
  en: 'CoMagic does not accept several calls in one request ({mnemonic}).',
  ru: 'CoMagic не принимает несколько вызовов в одном запросе ({mnemonic}).',
};

const BY_MNEMONIC: Record<string, Localized> = {
  auth_error: {
    en: 'CoMagic did not accept the login or password. Check them in the options.',
    ru: 'CoMagic не принял логин или пароль. Проверьте их в настройках.',
  },
  password_required: {
    en: 'The CoMagic session has ended. Enter the password in the options to sign in again.',
    ru: 'Сессия CoMagic закончилась. Введите пароль в настройках, чтобы войти снова.',
  },
  ip_not_whitelisted: {
    en: `CoMagic refuses API calls from this IP address. ${WHITELIST_HINT.en}`,
    ru: `CoMagic не принимает запросы API с этого IP-адреса. ${WHITELIST_HINT.ru}`,
  },
  timeout: {
    en: 'CoMagic did not answer in time. Try again later.',
    ru: 'CoMagic не ответил вовремя. Повторите попытку позже.',
  },
  network_error: {
    en: 'CoMagic cannot be reached: check the network connection and the API address.',
    ru: 'Нет связи с CoMagic: проверьте подключение к сети и адрес API.',
  },
  batch_opreations_not_supported: BATCH_NOT_SUPPORTED,
  batch_operations_not_supported: BATCH_NOT_SUPPORTED,
};

const BY_CLASS: Record<ErrorClass, Localized> = {
  auth: {
    en: 'CoMagic rejected the API token ({mnemonic}): it is invalid, expired or blocked. Enter a valid key or sign in again in the options.',
    ru: 'CoMagic отклонил токен API ({mnemonic}): он недействителен, истёк или заблокирован. Укажите действующий ключ или войдите заново в настройках.',
  },
  access: {
    en: `CoMagic denied access ({mnemonic}): the user lacks the rights, or this IP address is not allowed. ${WHITELIST_HINT.en}`,
    ru: `CoMagic отказал в доступе ({mnemonic}): у пользователя нет прав или этот IP-адрес не разрешён. ${WHITELIST_HINT.ru}`,
  },
  component: {
    en: 'The «Воронки продаж» (sales funnels) component is not enabled in the CoMagic account ({mnemonic}). Enable it in the account or ask CoMagic support.',
    ru: 'В аккаунте CoMagic не подключён компонент «Воронки продаж» ({mnemonic}). Подключите его в аккаунте или обратитесь в поддержку CoMagic.',
  },
  rate: {
    en: 'The CoMagic API request limit is reached. Try again later.',
    ru: 'Исчерпан лимит запросов к API CoMagic. Повторите попытку позже.',
  },
  validation: {
    en: 'CoMagic rejected the data ({mnemonic}): {message}',
    ru: 'CoMagic отклонил данные ({mnemonic}): {message}',
  },
  transient: {
    en: 'CoMagic did not answer properly ({mnemonic}). Try again later.',
    ru: 'CoMagic ответил с ошибкой ({mnemonic}). Повторите попытку позже.',
  },
  fatal: {
    en: 'Unexpected CoMagic error {code} ({mnemonic}): {message}',
    ru: 'Непредвиденная ошибка CoMagic {code} ({mnemonic}): {message}',
  },
};

/** Our own check, before anything was sent. */
const LOCAL_VALIDATION: Localized = {
  en: 'The data is not valid for CoMagic and was not sent ({mnemonic}): {message}',
  ru: 'Данные не подходят для CoMagic и не отправлены ({mnemonic}): {message}',
};

const FIELD: Localized = { en: ' Field: {field}.', ru: ' Поле: {field}.' };
const RETRY_AFTER: Localized = { en: ' Retry in {seconds} s.', ru: ' Повторите через {seconds} с.' };

/** The text for a person, in their language. */
export function describeError(info: ComagicErrorInfo, locale: Locale = uiLocale()): string {
  const params = {
    mnemonic: info.mnemonic,
    message: info.message,
    code: info.code ?? '',
    field: info.field ?? '',
    seconds: Math.ceil((info.retryAfterMs ?? 0) / 1000),
  };
  const local = info.class === 'validation' && info.code === null;
  const text =
    (Object.hasOwn(BY_MNEMONIC, info.mnemonic) && BY_MNEMONIC[info.mnemonic]) ||
    (local ? LOCAL_VALIDATION : BY_CLASS[info.class]);
  const field = info.field && info.class !== 'auth' && info.class !== 'access' ? FIELD : null;
  const retry = info.retryAfterMs !== undefined ? RETRY_AFTER : null;
  return [text, field, retry]
    .filter((part): part is Localized => part !== null)
    .map((part) => localize(part, params, locale))
    .join('');
}
