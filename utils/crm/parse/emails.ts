// Loose on purpose: something@something.tld, international domains allowed; the mail server is the judge.
const LOCAL = String.raw`[\p{L}\p{N}._%+-]+`;
const DOMAIN = String.raw`(?:[\p{L}\p{N}-]+\.)+\p{L}[\p{L}\p{N}-]+`;
const EMAIL = new RegExp(`^${LOCAL}@${DOMAIN}$`, 'u');
const EMAIL_IN_TEXT = new RegExp(`${LOCAL}@${DOMAIN}`, 'gu');

/** Trimmed, lower-cased, valid, de-duplicated e-mails in the order given; "mailto:" and <…> dropped. */
export function normalizeEmails(list: string[]): string[] {
  const emails = list
    .map((raw) =>
      String(raw)
        .trim()
        .replace(/^<(.*)>$/, '$1')
        .replace(/^mailto:([^?]*).*$/i, '$1')
        .toLowerCase(),
    )
    .filter((email) => EMAIL.test(email));
  return [...new Set(emails)];
}

/** Every e-mail written inside free text (a mailto link's text, a note), normalised. */
export function extractEmails(text: string): string[] {
  return normalizeEmails(String(text ?? '').match(EMAIL_IN_TEXT) ?? []);
}
