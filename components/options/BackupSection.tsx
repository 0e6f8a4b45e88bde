import { useState } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { saveFile } from '../shared/download';
import { ErrorLines } from '../shared/Status';

/** Settings, mappings and recipes to a file and back; secrets never leave the extension. */
export function BackupSection() {
  const [errors, setErrors] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  async function exportSettings() {
    setErrors([]);
    setMessage(null);
    try {
      saveFile(await sendMessage('settings.export', {}));
    } catch (failure) {
      setErrors([(failure as Error).message]);
    }
  }

  async function importSettings(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setErrors([]);
    setMessage(null);
    try {
      const answer = await sendMessage('settings.import', { json: await file.text() });
      setErrors(answer.errors);
      if (answer.ok) setMessage(localize(ui.imported));
    } catch (failure) {
      setErrors([(failure as Error).message]);
    } finally {
      input.value = '';
    }
  }

  return (
    <section id="backup" aria-labelledby="backup-heading">
      <h2 id="backup-heading">{localize(ui.backupHeading)}</h2>
      <p class="note">{localize(ui.backupNoSecrets)}</p>
      <div class="actions">
        <button type="button" data-testid="settings-export" onClick={exportSettings}>
          {localize(ui.exportSettings)}
        </button>
      </div>
      <label>
        {localize(ui.importSettings)}
        <input
          type="file"
          accept="application/json,.json"
          data-testid="settings-import"
          onChange={importSettings}
        />
      </label>
      <p role="status" aria-live="polite" class="done">
        {message}
      </p>
      <ErrorLines errors={errors} />
    </section>
  );
}
