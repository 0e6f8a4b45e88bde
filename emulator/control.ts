/** Plain-fetch helpers for the emulator's test-only /__emulator/ endpoints; `origin` is RunningEmulator.origin. */
import type { FaultSpec } from './faults';
import type { CallLogEntry, EmulatorConfig } from './runtime';
import type { Company, Contact, DealRecord, Employee, Funnel, UserField } from './store';

export type { FaultMode, FaultSpec } from './faults';

export interface EmulatorSnapshot {
  funnels: Funnel[];
  contacts: Contact[];
  employees: Employee[];
  deals: Record<string, DealRecord[]>;
  companies: Company[];
  user_fields: UserField[];
  calls: CallLogEntry[];
}

async function call<T>(origin: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${origin}/__emulator/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok)
    throw new Error(`emulator control ${route} failed (${response.status}): ${JSON.stringify(json)}`);
  return json as T;
}

export const inspect = (origin: string) => call<EmulatorSnapshot>(origin, 'state');

export const injectFaults = (origin: string, spec: FaultSpec) => call<{ ok: true }>(origin, 'faults', spec);

export const configure = (origin: string, patch: Partial<EmulatorConfig>) =>
  call<EmulatorConfig>(origin, 'config', patch);

export const advanceClock = (origin: string, seconds: number) =>
  call<{ now: string }>(origin, 'clock', { advanceSeconds: seconds });

export const reset = (origin: string) => call<{ ok: true }>(origin, 'reset', {});
