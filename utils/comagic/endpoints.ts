import { type Localized, localize } from '../i18n';

/** Data API hosts per brand. Credentials are bound to their brand's host: never send a token elsewhere. */
export const BRAND_ENDPOINTS = {
  comagic: 'https://dataapi.comagic.ru/v2.0',
  uis: 'https://dataapi.uiscom.ru/v2.0',
  callgear: 'https://dataapi.callgear.com/v2.0',
} as const;

export type Brand = keyof typeof BRAND_ENDPOINTS;

export const BRANDS = ['comagic', 'uis', 'callgear'] as const satisfies readonly Brand[];

export function isBrand(value: string): value is Brand {
  return Object.hasOwn(BRAND_ENDPOINTS, value);
}

/** This computer's own addresses: plain `http:` to them never crosses a network. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const endpointProblems = {
  notHttp: {
    en: 'Enter a full address starting with https:// (or http:// for this computer: 127.0.0.1, localhost).',
    ru: 'Введите полный адрес, начиная с https:// (или http:// для этого компьютера: 127.0.0.1, localhost).',
  },
  plainHttp: {
    en: 'The key would travel unencrypted to {host}: use an https:// address. Plain http:// is allowed only for this computer (127.0.0.1, ::1, localhost).',
    ru: 'Ключ ушёл бы на {host} без шифрования: укажите адрес https://. Простой http:// допустим только для этого компьютера (127.0.0.1, ::1, localhost).',
  },
} satisfies Record<string, Localized>;

/**
 * What is wrong with a custom endpoint, or null: it must be https, or plain http on this computer
 * (the emulator), since the key or password goes in every request's body.
 */
export function endpointProblem(endpoint: string): { text: Localized; params: { host: string } } | null {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  const host = url?.host ?? '';
  if (url?.protocol === 'https:') return null;
  if (url?.protocol !== 'http:') return { text: endpointProblems.notHttp, params: { host } };
  return LOOPBACK_HOSTS.has(url.hostname) ? null : { text: endpointProblems.plainHttp, params: { host } };
}

/** The address a stored or entered endpoint sends to, to tell two apart; `null` when it is not a usable one. */
export function endpointAddress(endpoint: { brand: string; url?: string }): string | null {
  try {
    return endpointUrl(endpoint.brand === 'custom' ? (endpoint.url ?? '') : endpoint.brand);
  } catch {
    return null;
  }
}

/** A brand name or a custom base URL (e.g. the local emulator) → the URL to POST to. */
export function endpointUrl(endpoint: Brand | string): string {
  if (isBrand(endpoint)) return BRAND_ENDPOINTS[endpoint];
  const problem = endpointProblem(endpoint);
  if (problem) throw new TypeError(localize(problem.text, problem.params));
  return new URL(endpoint).href;
}
