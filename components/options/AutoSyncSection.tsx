import { useEffect, useState } from 'preact/hooks';
import { fill, type Localized, localize } from '@/utils/i18n';
import type { AutoSyncView, MappingView, SiteView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import type { Schedule } from '@/utils/sync/schedule';
import { ErrorLines, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';

const text = {
  heading: { en: 'Sync without a click', ru: 'Синхронизация без нажатия' },
  explained: {
    en: 'Off by default. Each of these sends deals to CoMagic without you pressing anything, so switch on only what you want sent that way.',
    ru: 'По умолчанию выключено. Каждый из этих режимов отправляет сделки в CoMagic без ваших нажатий, поэтому включайте только то, что хотите отправлять так.',
  },
  liveHeading: { en: 'Live mode', ru: 'Живой режим' },
  liveExplained: {
    en: 'While a page of the site is open in this browser, every change you make or see there — a card moved to another column, a deal’s stage, amount, owner or contacts changed — is sent to CoMagic within about 10 seconds, with the time it was seen. A note in the page’s corner says it was sent; failures show in the popup and in Activity.',
    ru: 'Пока страница сайта открыта в этом браузере, каждое изменение, которое вы делаете или видите там (карточка перенесена в другую колонку, изменены этап, сумма, ответственный или контакты сделки), отправляется в CoMagic примерно за 10 секунд, со временем, когда оно замечено. Уведомление в углу страницы сообщает об отправке; ошибки видны во всплывающем окне и в «Журнале».',
  },
  liveSite: {
    en: 'Send changes on {origin} to CoMagic as they happen',
    ru: 'Отправлять изменения на {origin} в CoMagic сразу',
  },
  noSites: { en: 'Add a CRM site above first.', ru: 'Сначала добавьте сайт CRM выше.' },
  scheduleHeading: { en: 'Scheduled sync', ru: 'Синхронизация по расписанию' },
  scheduleExplained: {
    en: 'At each run the extension opens the pipeline’s board in a background tab with your own CRM login, reads the deals that changed since the last run, sends them whole (every stage with its time, contacts, owner) and closes the tab. The browser must be running for a run to happen; runs missed while it was closed run once at its next start. If the CRM asks you to log in, or CoMagic refuses, you get one browser notification and the next run tries again.',
    ru: 'При каждом запуске расширение открывает доску воронки в фоновой вкладке под вашим входом в CRM, читает сделки, изменившиеся с прошлого запуска, отправляет их целиком (все этапы со временем, контакты, ответственного) и закрывает вкладку. Чтобы запуск состоялся, браузер должен быть открыт; пропущенные, пока он был закрыт, выполняются один раз при следующем запуске браузера. Если CRM попросит войти или CoMagic откажет, придёт одно уведомление браузера, а следующий запуск попробует снова.',
  },
  noPipelines: {
    en: 'No pipeline is mapped yet: export a board once, then schedule it here.',
    ru: 'Ни одна воронка ещё не сопоставлена: выгрузите доску один раз, затем задайте расписание здесь.',
  },
  pipeline: { en: '{pipeline} on {site}', ru: '{pipeline} на {site}' },
  every: { en: 'Sync', ru: 'Синхронизировать' },
  off: { en: 'never', ru: 'никогда' },
  hourly: { en: 'every hour', ru: 'каждый час' },
  daily: { en: 'every day', ru: 'каждый день' },
  at: {
    en: 'at (HH:MM, this computer’s time; hourly: the minute)',
    ru: 'в (ЧЧ:ММ, время этого компьютера; каждый час — минута)',
  },
  boardUrl: { en: 'Board address', ru: 'Адрес доски' },
  costKnown: {
    en: 'Expected cost: about {points} API points per run (the last run found {deals} changed deals).',
    ru: 'Ожидаемая стоимость: около {points} баллов API за запуск (в прошлый раз изменилось сделок: {deals}).',
  },
  costUnknown: {
    en: 'Expected cost: known after the first run, which sends every deal of the board not exported yet (about one API point per deal).',
    ru: 'Ожидаемая стоимость станет известна после первого запуска: он отправит все ещё не выгруженные сделки доски (около одного балла API на сделку).',
  },
  dayLeft: {
    en: 'CoMagic’s API points left today: {left} of {limit}. A run that would need more is cut to what fits; the rest goes first at the next run.',
    ru: 'Баллов API CoMagic на сегодня осталось: {left} из {limit}. Запуск, которому нужно больше, урезается до того, что помещается; остальное уходит первым в следующий запуск.',
  },
  dayUnknown: {
    en: 'CoMagic’s points left today are known after its first answer (Connection → Test connection, or any send).',
    ru: 'Остаток баллов API CoMagic на сегодня станет известен после его первого ответа («Подключение» → «Проверить подключение» или любая отправка).',
  },
  badTime: { en: 'Write the time as HH:MM, e.g. 09:30.', ru: 'Укажите время как ЧЧ:ММ, например 09:30.' },
  badUrl: {
    en: 'The board address must be a page of {site}.',
    ru: 'Адрес доски должен быть страницей {site}.',
  },
  save: { en: 'Save', ru: 'Сохранить' },
  saved: { en: 'Saved.', ru: 'Сохранено.' },
} satisfies Record<string, Localized>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Where the board of a mapped pipeline usually is: the user may change it. */
export function defaultBoardUrl(mapping: MappingView): string {
  const { crm, site, pipelineId } = mapping.config;
  if (crm === 'espocrm') return `${site}/#Opportunity`;
  if (crm === 'odoo') return `${site}/odoo/crm`;
  if (crm === 'amocrm') return `${site}/leads/pipeline/${encodeURIComponent(pipelineId)}`;
  return `${site}/`;
}

interface Row {
  every: 'off' | Schedule['every'];
  at: string;
  boardUrl: string;
}

function rowsOf(view: AutoSyncView, mappings: MappingView[]): Record<string, Row> {
  const rows: Record<string, Row> = {};
  for (const mapping of mappings) {
    const schedule = view.schedules.find((s) => s.key === mapping.key);
    rows[mapping.key] = schedule
      ? { every: schedule.every, at: schedule.at, boardUrl: schedule.boardUrl }
      : { every: 'off', at: '09:00', boardUrl: defaultBoardUrl(mapping) };
  }
  return rows;
}

function errorsOf(rows: Record<string, Row>, mappings: MappingView[]): string[] {
  return mappings.flatMap((mapping) => {
    const row = rows[mapping.key];
    if (!row || row.every === 'off') return [];
    const errors: string[] = [];
    if (!TIME.test(row.at)) errors.push(localize(text.badTime));
    const url = URL.canParse(row.boardUrl) ? new URL(row.boardUrl) : null;
    if (url?.origin !== mapping.config.site)
      errors.push(localize(text.badUrl, { site: mapping.config.site }));
    return errors;
  });
}

/** Live mode per CRM site and scheduled sync per pipeline: both the user's opt-in, off by default. */
export function AutoSyncSection({ sites }: { sites: SiteView[] }) {
  const prefs = useAnswer('autoSync.get');
  const mappings = useAnswer('mapping.list');
  const [view, setView] = useState<AutoSyncView | null>(null);
  const [live, setLive] = useState<string[]>([]);
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!prefs.value || !mappings.value) return;
    setView(prefs.value);
    setLive(prefs.value.liveSites);
    setRows(rowsOf(prefs.value, mappings.value));
  }, [prefs.value, mappings.value]);

  const loading = !view || !mappings.value;
  const loadError = prefs.error ?? mappings.error;

  function toggleLive(origin: string, on: boolean) {
    setLive(
      on ? [...live.filter((site) => site !== origin), origin] : live.filter((site) => site !== origin),
    );
    setSaved(false);
  }

  function updateRow(key: string, patch: Partial<Row>) {
    setRows({ ...rows, [key]: { ...(rows[key] as Row), ...patch } });
    setSaved(false);
  }

  async function save(event: Event) {
    event.preventDefault();
    const list = mappings.value ?? [];
    const found = errorsOf(rows, list);
    setErrors(found);
    if (found.length > 0) return;
    const schedules: Schedule[] = list.flatMap((mapping) => {
      const row = rows[mapping.key];
      return row && row.every !== 'off'
        ? [{ key: mapping.key, every: row.every, at: row.at, boardUrl: row.boardUrl }]
        : [];
    });
    try {
      const kept = await sendMessage('autoSync.save', { liveSites: live, schedules });
      setView(kept);
      setSaved(true);
    } catch (failure) {
      setErrors([(failure as Error).message]);
    }
  }

  const budget = view?.budget;
  return (
    <section aria-labelledby="auto-sync-heading" data-testid="auto-sync">
      <h3 id="auto-sync-heading">{localize(text.heading)}</h3>
      <p class="note">{localize(text.explained)}</p>
      <LoadState loading={loading && !loadError} error={loadError} />
      {!loading && (
        <form onSubmit={save}>
          <fieldset>
            <legend>{localize(text.liveHeading)}</legend>
            <p class="note">{localize(text.liveExplained)}</p>
            {sites.length === 0 && <p class="note">{localize(text.noSites)}</p>}
            {sites.map((site) => (
              <label key={site.origin} class="checkbox">
                <input
                  type="checkbox"
                  data-testid={`live-${site.origin}`}
                  checked={live.includes(site.origin)}
                  onChange={(event) => toggleLive(site.origin, event.currentTarget.checked)}
                />
                {localize(text.liveSite, { origin: site.origin })}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{localize(text.scheduleHeading)}</legend>
            <p class="note">{localize(text.scheduleExplained)}</p>
            <p class="note" data-testid="day-budget">
              {budget?.dayRemaining != null && budget.dayLimit != null
                ? localize(text.dayLeft, {
                    left: String(budget.dayRemaining),
                    limit: String(budget.dayLimit),
                  })
                : localize(text.dayUnknown)}
            </p>
            {mappings.value?.length === 0 && <p class="note">{localize(text.noPipelines)}</p>}
            {mappings.value?.map((mapping) => {
              const row = rows[mapping.key];
              if (!row) return null;
              const cost = budget?.perRun[mapping.key];
              const name = fill(text.pipeline, {
                pipeline: mapping.config.pipelineName,
                site: mapping.config.site,
              });
              return (
                <div key={mapping.key} class="schedule" data-key={mapping.key}>
                  <strong>{localize(name)}</strong>
                  <label>
                    {localize(text.every)}
                    <select
                      data-testid="schedule-every"
                      value={row.every}
                      onChange={(event) =>
                        updateRow(mapping.key, { every: event.currentTarget.value as Row['every'] })
                      }
                    >
                      <option value="off">{localize(text.off)}</option>
                      <option value="hour">{localize(text.hourly)}</option>
                      <option value="day">{localize(text.daily)}</option>
                    </select>
                  </label>
                  {row.every !== 'off' && (
                    <>
                      <label>
                        {localize(text.at)}
                        <input
                          type="text"
                          inputMode="numeric"
                          data-testid="schedule-at"
                          value={row.at}
                          onInput={(event) => updateRow(mapping.key, { at: event.currentTarget.value })}
                        />
                      </label>
                      <label>
                        {localize(text.boardUrl)}
                        <input
                          type="url"
                          data-testid="schedule-board"
                          value={row.boardUrl}
                          onInput={(event) => updateRow(mapping.key, { boardUrl: event.currentTarget.value })}
                        />
                      </label>
                    </>
                  )}
                  {cost && (
                    <p class="note" data-testid="schedule-cost">
                      {cost.points !== null && cost.deals !== null
                        ? localize(text.costKnown, { points: String(cost.points), deals: String(cost.deals) })
                        : localize(text.costUnknown)}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
          <button type="submit" data-testid="auto-sync-save">
            {localize(text.save)}
          </button>
          {saved && <span role="status"> {localize(text.saved)}</span>}
          <ErrorLines errors={errors} />
        </form>
      )}
    </section>
  );
}
