import { useState } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <span class="copy">
      <button type="button" class="secondary" aria-label={label} onClick={copy}>
        {localize(ui.copy)}
      </button>
      <span role="status" class={state === 'failed' ? 'error' : ''}>
        {state === 'copied' && localize(ui.copied)}
        {state === 'failed' && localize(ui.copyFailed)}
      </span>
    </span>
  );
}
