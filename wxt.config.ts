import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { checkBudgets } from './bench/size-budget';

const API_HOSTS = [
  'https://dataapi.comagic.ru/*',
  'https://dataapi.uiscom.ru/*',
  'https://dataapi.callgear.com/*',
];
// Self-hosted CRMs live on any domain, and a custom endpoint (the local emulator) on any host:
// each is granted at run time from a click in the options page or the popup.
const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'];
// e2e builds only: an automated browser cannot accept a permission prompt, so every site is
// granted at install. Never zipped or shipped.
const E2E_HOSTS = ['<all_urls>'];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: a reader sees where each name comes from.
  imports: false,
  // Several builds side by side (a bench beside a test run) each take their own folder.
  ...(process.env.WXT_OUT_DIR ? { outDir: process.env.WXT_OUT_DIR } : {}),
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser, manifestVersion, mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // unlimitedStorage: one 10,000-deal export and its ledger pass storage.local's 10 MB quota.
    // notifications: a scheduled sync that finds the CRM logged out or CoMagic refusing tells it once.
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'scripting', 'activeTab', 'notifications'],
    host_permissions: mode === 'e2e' ? [...API_HOSTS, ...E2E_HOSTS] : API_HOSTS,
    optional_host_permissions: OPTIONAL_HOSTS,
    // WXT drops optional_host_permissions from MV2 output instead of converting it.
    ...(manifestVersion === 2 ? { optional_permissions: OPTIONAL_HOSTS } : {}),
    // storage.local's access-level lock (content scripts cannot read the key) needs Chrome 140.
    ...(browser === 'firefox' ? {} : { minimum_chrome_version: '140' }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'crm-comagic@crm-comagic.dev',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  // A production build fails when a part outgrows its gzip budget (bench/size-budget.ts).
  hooks: {
    'build:done': (wxt) => {
      if (wxt.config.command === 'build') checkBudgets(wxt.config.outDir);
    },
  },
  zip: {
    excludeSources: ['**/*.log', 'tests/**', 'bench/**', 'emulator/**', '.ci/**', 'scripts/**'],
  },
});
