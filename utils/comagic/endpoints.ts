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

/** A brand name or a custom base URL (e.g. the local emulator) → the URL to POST to. */
export function endpointUrl(endpoint: Brand | string): string {
  if (isBrand(endpoint)) return BRAND_ENDPOINTS[endpoint];
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`Data API endpoint must be an http(s) URL, got ${url.protocol}`);
  }
  return url.href;
}
