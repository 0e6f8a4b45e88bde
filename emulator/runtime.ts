import { FaultQueue } from './faults';
import { freshCounters, type RateCounters } from './limits';
import { emptyData, loadData, type StoredData } from './store';
import { formatInZone } from './validate';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  tokens?: string[];
  users?: { login: string; password: string }[];
  sessionTtlSeconds?: number;
  minuteLimit?: number | null;
  dayLimit?: number | null;
  timezone?: string;
  accountName?: string;
  /** getobj.account's report_currency (default RUB). */
  reportCurrency?: string;
  /** Client users a partner («Агент») token acts for; given, the tokens are a partner's. */
  partnerUserIds?: number[];
  statePath?: string;
  now?: () => Date;
}

/** The switches tests may flip at run time through `/__emulator/config`. */
export interface EmulatorConfig {
  minuteLimit: number | null;
  dayLimit: number | null;
  ipNotWhitelisted: boolean;
  salesFunnelComponent: boolean;
  /** The component «Data API для настройки», which getobj.account needs. */
  setupComponent: boolean;
  reportCurrency: string;
  /** Empty: the tokens are a client account's. Else a partner's, acting (with user_id) for these users. */
  partnerUserIds: number[];
  processingDelayMs: number;
  tokens: string[];
}

export interface CallLogEntry {
  at: string;
  method: string | null;
  id: string | number | null;
  ok: boolean;
  mnemonic?: string;
  fault?: string;
}

export interface Runtime {
  readonly appId: number;
  readonly accountName: string;
  readonly timezone: string;
  readonly users: readonly { login: string; password: string }[];
  readonly sessionTtlSeconds: number;
  readonly statePath: string | undefined;
  readonly initialConfig: EmulatorConfig;
  config: EmulatorConfig;
  data: StoredData;
  sessions: Map<string, number>;
  counters: RateCounters;
  faults: FaultQueue;
  calls: CallLogEntry[];
  /** deal ext_id → emulator time (ms) until which it counts as "in processing". */
  processing: Map<string, number>;
  clockOffsetMs: number;
  readonly baseNow: () => Date;
}

const APP_ID = 100_001;

export function createRuntime(options: EmulatorOptions): Runtime {
  const initialConfig: EmulatorConfig = {
    minuteLimit: options.minuteLimit ?? null,
    dayLimit: options.dayLimit ?? null,
    ipNotWhitelisted: false,
    salesFunnelComponent: true,
    setupComponent: true,
    reportCurrency: options.reportCurrency ?? 'RUB',
    partnerUserIds: options.partnerUserIds ?? [],
    processingDelayMs: 0,
    tokens: options.tokens ?? ['demo-key'],
  };
  return {
    appId: APP_ID,
    accountName: options.accountName ?? 'Demo account',
    timezone: options.timezone ?? 'Europe/Moscow',
    users: options.users ?? [],
    sessionTtlSeconds: options.sessionTtlSeconds ?? 3600,
    statePath: options.statePath,
    initialConfig,
    config: { ...initialConfig, tokens: [...initialConfig.tokens] },
    data: options.statePath ? loadData(options.statePath) : emptyData(),
    sessions: new Map(),
    counters: freshCounters(),
    faults: new FaultQueue(),
    calls: [],
    processing: new Map(),
    clockOffsetMs: 0,
    baseNow: options.now ?? (() => new Date()),
  };
}

export const nowMs = (rt: Runtime): number => rt.baseNow().getTime() + rt.clockOffsetMs;

/** The emulator clock as the account's wall-clock text, the form every date parameter uses. */
export const nowInAccountZone = (rt: Runtime): string => formatInZone(new Date(nowMs(rt)), rt.timezone);

/** Back to the moment after start, with no stored data (the clock offset included). */
export function resetRuntime(rt: Runtime): void {
  rt.config = { ...rt.initialConfig, tokens: [...rt.initialConfig.tokens] };
  rt.data = emptyData();
  rt.sessions.clear();
  rt.counters = freshCounters();
  rt.faults.clear();
  rt.calls = [];
  rt.processing.clear();
  rt.clockOffsetMs = 0;
}
