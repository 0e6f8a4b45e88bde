/** CoMagic documents no limit; 255 is the cap the client keeps to. */
export const MAX_NAME_LENGTH = 255;

export interface CleanName {
  name: string;
  truncated: boolean;
}

/** Whitespace collapsed and trimmed, capped at 255 UTF-16 units without splitting a surrogate pair. */
export function cleanName(raw: string): CleanName {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name.length <= MAX_NAME_LENGTH) return { name, truncated: false };
  let capped = name.slice(0, MAX_NAME_LENGTH);
  if (/[\ud800-\udbff]$/.test(capped)) capped = capped.slice(0, -1);
  return { name: capped.trimEnd(), truncated: true };
}
