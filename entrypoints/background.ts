import '@/utils/zod-setup';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { saveConnection, testConnection, viewOf } from '@/utils/background/connection';
import { isGrantedOrigin, syncContentScripts } from '@/utils/background/crm-sites';
import { createMessageListener } from '@/utils/background/router';
import { connectionStore, workerStarts } from '@/utils/storage';

/** Content scripts must never read the token: lock storage.local to extension pages (Chrome 140+). */
function lockStorage() {
  const local = browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});
}

async function customEndpointPattern(): Promise<string | null> {
  const connection = await connectionStore.get();
  if (connection?.endpoint.brand !== 'custom') return null;
  const url = new URL(connection.endpoint.url);
  return `${url.protocol}//${url.hostname}/*`;
}

async function refreshContentScripts() {
  await syncContentScripts(await customEndpointPattern()).catch((error) =>
    console.error('Could not register the CRM content script', error),
  );
}

export default defineBackground(() => {
  lockStorage();

  // Every listener is registered in the first turn: events arriving during start-up are not lost.
  browser.runtime.onMessage.addListener(
    createMessageListener(
      {
        'connection.get': async () => viewOf(await connectionStore.get()),
        'connection.save': async (data) => {
          await saveConnection(data);
          await refreshContentScripts();
          return { saved: true };
        },
        'connection.test': () => testConnection(),
      },
      {
        extensionId: browser.runtime.id,
        extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
        isGrantedOrigin,
      },
    ),
  );
  browser.runtime.onInstalled.addListener(() => {
    lockStorage();
    void refreshContentScripts();
  });
  browser.runtime.onStartup.addListener(() => void refreshContentScripts());
  browser.permissions.onAdded.addListener(() => void refreshContentScripts());
  browser.permissions.onRemoved.addListener(() => void refreshContentScripts());

  void workerStarts.increment();
});
