import { type Locale, type Localized, localize, uiLocale } from '../i18n';
import type { Problem } from './model';

/** What each adapter problem means for a person, and what to do about it. */
const TEXTS: Record<string, Localized> = {
  selector_missed: {
    en: '{field}: not found on the page (looked for “{detail}”). If the CRM changed its layout, update the extension or the recipe.',
    ru: '{field}: не найдено на странице (искали «{detail}»). Если CRM сменила вёрстку, обновите расширение или рецепт.',
  },
  field_missing: {
    en: '{field}: the page does not show it; add it to the page layout in the CRM, or it will be sent without it.',
    ru: '{field}: страница его не показывает; добавьте поле в макет страницы CRM, иначе сделка уйдёт без него.',
  },
  field_empty: { en: '{field}: empty on the page.', ru: '{field}: на странице пусто.' },
  date_unparsed: {
    en: '{field}: the date “{detail}” could not be read; check the CRM’s date format setting.',
    ru: '{field}: не удалось прочитать дату «{detail}»; проверьте формат дат в настройках CRM.',
  },
  date_relative: {
    en: '{field}: only a relative date (“{detail}”) is shown; the time is estimated.',
    ru: '{field}: показана только относительная дата («{detail}»); время приблизительное.',
  },
  amount_unparsed: {
    en: '{field}: the amount “{detail}” could not be read; the deal is sent without revenue.',
    ru: '{field}: не удалось прочитать сумму «{detail}»; сделка уйдёт без выручки.',
  },
  no_id: {
    en: '{field}: the card shows no deal id, so it cannot be exported from the board; open the deal and send it from its page.',
    ru: '{field}: на карточке нет id сделки, поэтому её нельзя выгрузить с доски; откройте сделку и отправьте её со страницы.',
  },
  stage_hidden: {
    en: 'The stage “{detail}” is hidden on this board: its deals are not exported from here (send them from their pages).',
    ru: 'Этап «{detail}» скрыт на этой доске: его сделки отсюда не выгружаются (отправьте их со страниц сделок).',
  },
  history_truncated: {
    en: 'Only part of the history is shown; expand the stream (“show more”) to send every stage.',
    ru: 'Показана только часть истории; раскройте ленту («показать ещё»), чтобы отправить все этапы.',
  },
  history_start_unknown: {
    en: 'When the deal entered its first stage (“{detail}”) is not shown; its creation time is used.',
    ru: 'Не показано, когда сделка попала на первый этап («{detail}»); взято время создания.',
  },
  stage_id_unknown: {
    en: 'The stage “{detail}” in the history is not a column of the pipeline; it is matched by name.',
    ru: 'Этапа «{detail}» из истории нет среди колонок воронки; он сопоставлен по названию.',
  },
  fallback_used: {
    en: '{field}: read from “{detail}”, not from where this CRM usually shows it. Check the value; if it is wrong, the CRM changed its layout.',
    ru: '{field}: прочитано из «{detail}», а не оттуда, где CRM обычно его показывает. Проверьте значение; если оно неверно, CRM сменила вёрстку.',
  },
  text_truncated: {
    en: '{field}: longer on the page than the {detail} characters the extension takes; the rest was cut off. Check the value.',
    ru: '{field}: на странице длиннее {detail} символов, которые берёт расширение; остальное отрезано. Проверьте значение.',
  },
  list_truncated: {
    en: '{field}: the page shows more than the {detail} entries the extension takes; the rest were left out.',
    ru: '{field}: на странице больше {detail} записей, которые берёт расширение; остальные не взяты.',
  },
  api_shape_unknown: {
    en: '{field}: the CRM answered in a form the extension does not know ({detail}); that part was read another way or left out.',
    ru: '{field}: CRM ответила в незнакомом расширению виде ({detail}); эта часть прочитана иначе или пропущена.',
  },
  api_refused: {
    en: '{field}: the CRM refused to give it ({detail}); your CRM user may lack the rights. It is sent without it.',
    ru: '{field}: CRM отказалась его отдать ({detail}); возможно, у вашего пользователя CRM нет прав. Сделка уйдёт без него.',
  },
  recipe_selector_invalid: {
    en: '{field}: the recipe’s selector “{detail}” is not valid CSS; fix it in Options → Recipes.',
    ru: '{field}: селектор рецепта «{detail}» — недопустимый CSS; исправьте его в Настройках → Рецепты.',
  },
  not_a_board: { en: 'This is not a pipeline board.', ru: 'Это не доска воронки.' },
  not_a_deal: { en: 'This is not a deal page.', ru: 'Это не страница сделки.' },
  page_not_understood: {
    en: 'The page looks like the CRM but its layout is not the expected one (looked for “{detail}”).',
    ru: 'Страница похожа на CRM, но её вёрстка не та, что ожидалась (искали «{detail}»).',
  },
  adapter_failed: {
    en: 'The page could not be read: {detail}. Reload it and try again.',
    ru: 'Не удалось прочитать страницу: {detail}. Обновите её и попробуйте снова.',
  },
};

const FALLBACK: Localized = { en: '{field}: {code} {detail}', ru: '{field}: {code} {detail}' };

export function describeProblem(problem: Problem, locale: Locale = uiLocale()): string {
  const template = TEXTS[problem.code] ?? FALLBACK;
  const params = { field: problem.field, detail: problem.detail ?? '', code: problem.code };
  return localize(template, params, locale).trim();
}
