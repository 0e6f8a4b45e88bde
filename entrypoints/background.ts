import '@/utils/zod-setup';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { clientFor } from '@/utils/background/connection';
import { isGrantedOrigin, syncContentScripts } from '@/utils/background/crm-sites';
import { createDealReader } from '@/utils/background/deal-reader';
import { accountTimeZone } from '@/utils/background/deals';
import { createHandlers } from '@/utils/background/handlers';
import { createLiveSync, crmCardReader } from '@/utils/background/live-sync';
import { createMessageListener } from '@/utils/background/router';
import { createScheduledSync, unseenBoardTabs } from '@/utils/background/scheduled-sync';
import type { ComagicClient } from '@/utils/comagic';
import { connectionStore, workerStarts } from '@/utils/storage';
import { isRunnable } from '@/utils/sync/job-status';
import { seenLimits } from '@/utils/sync/schedule';
import { createSyncService } from '@/utils/sync/service';

const WAKE_ALARM = 'sync-wake';
const WATCH_ALARM = 'sync-watch';
const SCHEDULE_ALARM = 'sync-schedule';

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

  // The client the jobs used last: its answers tell the API points left (schedules' budget).
  let lastClient: ComagicClient | null = null;
  const sync = createSyncService({
    clientFactory: async () => {
      lastClient = await clientFor(await connectionStore.get());
      return lastClient;
    },
    now: Date.now,
    scheduleWake: (at) => void browser.alarms.create(WAKE_ALARM, { when: at }),
    accountTimeZone,
    reader: createDealReader({ sync: () => sync, now: () => new Date() }),
  });
  // While a job is active an alarm wakes the worker: a worker killed mid-job resumes by itself.
  const watchJobs = () => void browser.alarms.create(WATCH_ALARM, { periodInMinutes: 0.5 });
  const live = createLiveSync({ sync, watchJobs, reader: crmCardReader() });
  const schedules = createScheduledSync({
    sync,
    now: () => new Date(),
    watchJobs,
    limits: () => seenLimits(lastClient?.limits),
    notify: (id, title, message) =>
      void browser.notifications
        ?.create(id, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message })
        .catch(() => undefined),
    setAlarm: (when) =>
      void (when === null
        ? browser.alarms.clear(SCHEDULE_ALARM)
        : browser.alarms.create(SCHEDULE_ALARM, { when })),
    tabs: unseenBoardTabs(),
  });
  const resume = async () => {
    live.resume();
    void schedules.tick();
    await sync.resumePending();
    const active = (await sync.jobs()).some((job) => isRunnable(job.status));
    if (active) watchJobs();
    else await browser.alarms.clear(WATCH_ALARM);
  };

  // Every listener is registered in the first turn: events arriving during start-up are not lost.
  browser.runtime.onMessage.addListener(
    createMessageListener(
      {
        ...createHandlers({
          sync,
          now: () => new Date(),
          watchJobs,
          customEndpointPattern,
          refreshContentScripts,
        }),
        'live.changed': (change, sender) => live.changed(change, sender),
        'autoSync.get': () => schedules.view(),
        'autoSync.save': (prefs) => schedules.save(prefs),
      },
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
