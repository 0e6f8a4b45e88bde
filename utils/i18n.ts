/**
 * Russian and English text. The extension follows the browser's language; a text that exists
 * for a person carries both languages (`Localized`) so tests can check each of them.
 */
export type Locale = 'en' | 'ru';

export interface Localized {
  en: string;
  ru: string;
}

export function localeOf(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The browser's UI language; works in every context, including Node tests. */
export function uiLocale(): Locale {
  const extension = (globalThis as { chrome?: { i18n?: { getUILanguage?: () => string } } }).chrome;
  const fromExtension = extension?.i18n?.getUILanguage?.();
  return localeOf(fromExtension ?? globalThis.navigator?.language);
}

/** Picks the language and fills `{name}` placeholders. */
export function localize(text: Localized, params: Record<string, string | number> = {}, locale = uiLocale()) {
  return text[locale].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/** Fills `{name}` placeholders in both languages; a Localized value fills each with its own text. */
export function fill(text: Localized, params: Record<string, string | number | Localized>): Localized {
  const apply = (locale: Locale) =>
    text[locale].replace(/\{(\w+)\}/g, (whole, key: string) => {
      const value = params[key];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[locale] : String(value);
    });
  return { en: apply('en'), ru: apply('ru') };
}
