import type { Localized } from './i18n';

/** Strings of the extension's pages, in both languages. */
export const ui = {
  optionsTitle: { en: 'CRM → CoMagic settings', ru: 'Настройки CRM → CoMagic' },
  connection: { en: 'Connection to CoMagic', ru: 'Подключение к CoMagic' },
  endpoint: { en: 'Service', ru: 'Сервис' },
  customEndpoint: {
    en: 'Custom URL (e.g. a local emulator)',
    ru: 'Свой адрес (например, локальный эмулятор)',
  },
  customEndpointUrl: { en: 'Data API URL', ru: 'Адрес Data API' },
  authKind: { en: 'Sign-in method', ru: 'Способ входа' },
  authKey: { en: 'API key', ru: 'Ключ API' },
  authLogin: { en: 'Login and password (1-hour session)', ru: 'Логин и пароль (сессия на 1 час)' },
  token: { en: 'API key', ru: 'Ключ API' },
  tokenStored: {
    en: 'Stored key: {mask}. Leave empty to keep it.',
    ru: 'Сохранён ключ: {mask}. Оставьте поле пустым, чтобы не менять его.',
  },
  login: { en: 'Login', ru: 'Логин' },
  password: { en: 'Password', ru: 'Пароль' },
  rememberPassword: {
    en: 'Remember the password on this computer',
    ru: 'Запомнить пароль на этом компьютере',
  },
  save: { en: 'Save', ru: 'Сохранить' },
  saved: { en: 'Saved.', ru: 'Сохранено.' },
  testConnection: { en: 'Test connection', ru: 'Проверить подключение' },
  testing: { en: 'Checking…', ru: 'Проверяем…' },
  accessDeclined: {
    en: 'The browser did not allow access to {origin}. Without it the extension cannot reach that address.',
    ru: 'Браузер не разрешил доступ к {origin}. Без него расширение не сможет обратиться по этому адресу.',
  },
  needSecret: { en: 'Enter the API key.', ru: 'Введите ключ API.' },
  needLogin: { en: 'Enter the login and the password.', ru: 'Введите логин и пароль.' },
  badUrl: {
    en: 'Enter a full address starting with https:// or http://',
    ru: 'Введите полный адрес, начиная с https:// или http://',
  },
  account: { en: 'Account', ru: 'Аккаунт' },
  timeZone: { en: 'Time zone', ru: 'Часовой пояс' },
  requestsLeftToday: { en: 'Requests left today', ru: 'Осталось запросов на сегодня' },
  requestsLeftMinute: { en: 'Requests left this minute', ru: 'Осталось запросов в эту минуту' },
  popupTitle: { en: 'CRM → CoMagic', ru: 'CRM → CoMagic' },
  openOptions: { en: 'Open settings', ru: 'Открыть настройки' },
  notConfigured: {
    en: 'Connect your CoMagic account first: add an API key in the settings.',
    ru: 'Сначала подключите аккаунт CoMagic: добавьте ключ API в настройках.',
  },
} satisfies Record<string, Localized>;
