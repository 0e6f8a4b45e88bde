/**
 * Stored values carry the version of their shape; an older one is brought to the current shape by a
 * chain of steps, one function per version, so a step never has to know of the shapes after it.
 * A value written by a NEWER version of the extension is not guessed at: the reader reports it and
 * the writer leaves it as it is (see utils/storage.ts).
 */

export type Migrated<T> =
  | { kind: 'current'; value: T; migrated: boolean }
  /** Written by a newer version of the extension: leave it untouched. */
  | { kind: 'newer'; version: number }
  /** No known version, or it does not pass the current shape after its steps. */
  | { kind: 'broken' };

export interface VersionChain<T> {
  current: number;
  /** The stored value's version; `null` when it carries none that a version could have written. */
  versionOf(stored: unknown): number | null;
  /** `steps[n]` turns a version-n value into a version-(n + 1) one. */
  steps: Readonly<Record<number, (value: never) => unknown>>;
  /** The current shape, or `null` when the value does not pass it. */
  parse(value: unknown): T | null;
}

export function migrate<T>(stored: unknown, chain: VersionChain<T>): Migrated<T> {
  const version = chain.versionOf(stored);
  if (version === null) return { kind: 'broken' };
  if (version > chain.current) return { kind: 'newer', version };
  let value = stored;
  for (let step = version; step < chain.current; step++) {
    const next = chain.steps[step];
    if (!next) return { kind: 'broken' };
    value = (next as (value: unknown) => unknown)(value);
  }
  const parsed = chain.parse(value);
  return parsed === null
    ? { kind: 'broken' }
    : { kind: 'current', value: parsed, migrated: version < chain.current };
}

/** The version in a field of a stored object (`v`, `version`): a positive integer, else `null`. */
export function versionField(field: string) {
  return (stored: unknown): number | null => {
    if (typeof stored !== 'object' || stored === null) return null;
    const version = (stored as Record<string, unknown>)[field];
    return Number.isInteger(version) && (version as number) > 0 ? (version as number) : null;
  };
}

/**
 * Each element parsed on its own: a bad one is dropped (and counted), the rest kept, so one broken
 * element never resets a whole collection.
 */
export function parseEach<T>(
  elements: readonly unknown[],
  parse: (element: unknown) => T | null,
): { kept: T[]; dropped: number } {
  const kept: T[] = [];
  let dropped = 0;
  for (const element of elements) {
    const parsed = parse(element);
    if (parsed === null) dropped += 1;
    else kept.push(parsed);
  }
  return { kept, dropped };
}

/** As `parseEach`, for a record keyed by id. */
export function parseEachValue<T>(
  record: Readonly<Record<string, unknown>>,
  parse: (element: unknown, key: string) => T | null,
): { kept: Record<string, T>; dropped: number } {
  const kept: Record<string, T> = {};
  let dropped = 0;
  for (const [key, element] of Object.entries(record)) {
    const parsed = parse(element, key);
    if (parsed === null) dropped += 1;
    else kept[key] = parsed;
  }
  return { kept, dropped };
}

/** Page text as stored: at most `max` characters (a whole surrogate pair or none). */
export function capText(text: string, max = MAX_STORED_TEXT): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(max - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** What one stored string read from a page may take: a name, a stage title, a reason. */
export const MAX_STORED_TEXT = 255;
