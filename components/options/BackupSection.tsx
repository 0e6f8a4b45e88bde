import { useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { saveFile } from '../shared/download';
import { ErrorLines } from '../shared/Status';

const TEXT = {
  forTeam: {
    en: 'For a team: export the file in the browser that already sends to CoMagic, give it to your colleague (mail, chat, a shared folder), and they import it here before their first export. Their browser then gives every deal, contact and funnel the same ids as yours (the file holds the ext_id template, each site’s prefix, the mappings, recipes and schedules), and asks CoMagic what it already holds before sending, so nothing goes twice. Each person enters their own API key under Connection.',
    ru: 'Для команды: экспортируйте файл в браузере, который уже отправляет данные в CoMagic, передайте его коллеге (почтой, в чате, через общую папку), и пусть он импортирует его здесь до своей первой выгрузки. Тогда его браузер даст каждой сделке, контакту и воронке те же идентификаторы, что и ваш (в файле шаблон ext_id, префикс каждого сайта, сопоставления, рецепты и расписания), и перед отправкой спросит CoMagic, что там уже есть, так что ничего не уйдёт дважды. Ключ API каждый вводит свой, в разделе «Подключение».',
  },
} satisfies Record<string, Localized>;

/**
 * Settings, mappings, recipes, site prefixes and schedules to a file and back, the way a team
 * shares one setup; secrets never leave the extension.
 */
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
      <p class="note" data-testid="backup-team-note">
        {localize(TEXT.forTeam)}
      </p>
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
