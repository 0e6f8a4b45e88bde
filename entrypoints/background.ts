import '@/utils/zod-setup';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { clientFor } from '@/utils/background/connection';
import { isGrantedOrigin, syncContentScripts } from '@/utils/background/crm-sites';
import { createDealReader } from '@/utils/background/deal-reader';
import { accountTimeZone } from '@/utils/background/deals';
import { createHandlers } from '@/utils/background/handlers';
import { createMessageListener } from '@/utils/background/router';
import { connectionStore, workerStarts } from '@/utils/storage';
import { createSyncService } from '@/utils/sync/service';

const WAKE_ALARM = 'sync-wake';
const WATCH_ALARM = 'sync-watch';

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

  const sync = createSyncService({
    clientFactory: async () => clientFor(await connectionStore.get()),
    now: Date.now,
    scheduleWake: (at) => void browser.alarms.create(WAKE_ALARM, { when: at }),
    accountTimeZone,
    reader: createDealReader({ sync: () => sync, now: () => new Date() }),
  });
  // While a job is active an alarm wakes the worker: a worker killed mid-job resumes by itself.
  const watchJobs = () => void browser.alarms.create(WATCH_ALARM, { periodInMinutes: 0.5 });
  const resume = async () => {
    await sync.resumePending();
    const active = (await sync.jobs()).some((job) => ['queued', 'running', 'waiting'].includes(job.status));
    if (active) watchJobs();
    else await browser.alarms.clear(WATCH_ALARM);
  };

  // Every listener is registered in the first turn: events arriving during start-up are not lost.
  browser.runtime.onMessage.addListener(
    createMessageListener(
      createHandlers({
        sync,
        now: () => new Date(),
        watchJobs,
        customEndpointPattern,
        refreshContentScripts,
      }),
      {
        extensionId: browser.runtime.id,
        extensionUrl: browser.runtime.getURL('/'),
        isGrantedOrigin,
      },
    ),
  );
  browser.alarms.onAlarm.addListener(() => void resume());
  browser.runtime.onInstalled.addListener(() => {
    lockStorage();
    void refreshContentScripts();
  });
  browser.runtime.onStartup.addListener(() => void refreshContentScripts());
  browser.permissions.onAdded.addListener(() => void refreshContentScripts());
  browser.permissions.onRemoved.addListener(() => void refreshContentScripts());

  void workerStarts.increment();
  void resume();
});
