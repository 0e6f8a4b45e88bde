/**
 * The stored items of live mode and the schedules. Kept beside them rather than in utils/storage.ts
 * while that file is being versioned; parsed with zod on read like every other item.
 */
import { storage } from 'wxt/utils/storage';
import { EMPTY_LIVE_INBOX, type LiveInbox, LiveInboxSchema } from './live';
import {
  type AutoSyncPrefs,
  AutoSyncPrefsSchema,
  EMPTY_SCHEDULE_STATE,
  NO_AUTO_SYNC,
  type ScheduleState,
  ScheduleStateSchema,
} from './schedule';

const liveInboxItem = storage.defineItem<unknown>('local:live-inbox', { fallback: null, version: 1 });
const scheduleStateItem = storage.defineItem<unknown>('local:schedule-state', { fallback: null, version: 1 });
const prefsItem = storage.defineItem<unknown>('local:auto-sync', { fallback: null, version: 1 });

/** The sites in live mode and the schedules the user set. */
export const autoSyncStore = {
  get: async (): Promise<AutoSyncPrefs> => {
    const parsed = AutoSyncPrefsSchema.safeParse(await prefsItem.getValue());
    return parsed.success ? parsed.data : NO_AUTO_SYNC;
  },
  set: (value: AutoSyncPrefs) => prefsItem.setValue(value),
};

/** Live changes received and not yet made into a job, and the last ones that were. */
export const liveInboxStore = {
  get: async (): Promise<LiveInbox> => {
    const parsed = LiveInboxSchema.safeParse(await liveInboxItem.getValue());
    return parsed.success ? parsed.data : EMPTY_LIVE_INBOX;
  },
  set: (value: LiveInbox) => liveInboxItem.setValue(value),
};

/** Each schedule's last slot run and deals carried over, and the API points CoMagic last said were left. */
export const scheduleStateStore = {
  get: async (): Promise<ScheduleState> => {
    const parsed = ScheduleStateSchema.safeParse(await scheduleStateItem.getValue());
    return parsed.success ? parsed.data : EMPTY_SCHEDULE_STATE;
  },
  set: (value: ScheduleState) => scheduleStateItem.setValue(value),
};
