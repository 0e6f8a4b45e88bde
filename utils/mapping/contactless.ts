/**
 * CoMagic ties a deal to calls and requests through its contacts' phones and e-mails; a deal none
 * of whose contacts has one (or that has no contact) is sent, but CoMagic cannot link it to anything.
 */
import type { Localized } from '../i18n';
import type { DealMapping } from './records';

/** For the popup's line under a board's deals; `{count}` is `contactlessCount`. */
export const CONTACTLESS_TEXT: Localized = {
  en: 'CoMagic cannot tie {count} deals to calls: their contacts have no phone or e-mail',
  ru: 'Сделок, которые CoMagic не сможет связать со звонками: {count} — у их контактов нет телефона или e-mail',
};

/** Deals none of whose contacts has a phone or an e-mail after normalisation (the payloads carry only valid ones). */
export function contactlessCount(mappings: readonly Pick<DealMapping, 'contacts'>[]): number {
  let count = 0;
  for (const mapping of mappings) {
    const reachable = mapping.contacts.some(
      (contact) => (contact.phone_numbers?.length ?? 0) > 0 || (contact.emails?.length ?? 0) > 0,
    );
    if (!reachable) count++;
  }
  return count;
}
