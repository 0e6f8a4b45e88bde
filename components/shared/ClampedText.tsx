import type { JSX } from 'preact';

/** Laying out 100 KB of text takes seconds even when clamped: the screen gets a prefix. */
const SHOWN_CHARS = 500;

export function shortened(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Scraped text that may be huge: clamped to a few lines on screen, the whole of it in the tooltip. */
export function ClampedText({
  text,
  as: Tag = 'span',
  class: className = '',
}: {
  text: string;
  as?: 'span' | 'strong' | 'p' | 'h2' | 'h3';
  class?: string;
}): JSX.Element {
  return (
    <Tag class={`clamped ${className}`.trim()} title={text}>
      {shortened(text)}
    </Tag>
  );
}
