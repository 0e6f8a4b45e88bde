import type { JSX } from 'preact';

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
      {text}
    </Tag>
  );
}
