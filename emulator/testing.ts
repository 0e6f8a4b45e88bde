import { afterEach, beforeEach, expect } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from './server';

/** Shared by the emulator's own tests: a fresh server on a free port per test, and raw JSON-RPC over fetch. */

export const TOKEN = 'demo-key';
/** 12:00:00 in Moscow, the default account zone. */
export const FIXED_NOW = new Date('2026-03-10T09:00:00Z');

export interface RpcErrorObject {
  code: number;
  message: string;
  data: {
    mnemonic: string;
    field?: string;
    value?: unknown;
    params?: Record<string, unknown>;
    metadata: unknown;
  };
}

export interface RpcAnswer {
  jsonrpc: string;
  id: string | number | null;
  result?: { data: unknown; metadata: { limits: Record<string, number>; total_items?: number } };
  error?: RpcErrorObject;
}

export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, now: () => FIXED_NOW, ...options });
  });
  afterEach(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('emulator not started');
    return emulator;
  };
}

export async function postRaw(url: string, body: string): Promise<{ status: number; json: RpcAnswer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as RpcAnswer };
}

export async function rpc(emulator: RunningEmulator, method: string, params: Record<string, unknown>) {
  const { json } = await postRaw(
    emulator.url,
    JSON.stringify({ jsonrpc: '2.0', id: 'req-1', method, params }),
  );
  return json;
}

/** A call with the demo key. */
export const call = (emulator: RunningEmulator, method: string, params: Record<string, unknown> = {}) =>
  rpc(emulator, method, { access_token: TOKEN, ...params });

export function expectOk(answer: RpcAnswer): unknown {
  expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
  return answer.result?.data;
}

export function expectError(answer: RpcAnswer, mnemonic: string, field?: string): RpcErrorObject {
  expect(answer.result).toBeUndefined();
  expect(answer.error?.data.mnemonic).toBe(mnemonic);
  if (field !== undefined) expect(answer.error?.data.field).toBe(field);
  return answer.error as RpcErrorObject;
}

export const funnelParams = (extId = 'f1') => ({
  ext_id: extId,
  name: 'Main',
  stages: {
    in_process: [
      { ext_id: 'new', name: 'New', order: 10 },
      { ext_id: 'talk', name: 'Talk', order: 20 },
      { ext_id: 'offer', name: 'Offer', order: 30 },
    ],
    success: { ext_id: 'won', name: 'Won' },
    failed: { ext_id: 'lost', name: 'Lost' },
  },
});

export async function seedFunnel(emulator: RunningEmulator, extId = 'f1'): Promise<void> {
  expectOk(await call(emulator, 'create.sales_funnel', funnelParams(extId)));
}

export const dealRecord = (overrides: Record<string, unknown> = {}) => ({
  ext_id: 'd1',
  name: 'Supply contract',
  created_date_time: '2026-03-02 10:15:00',
  modified_stage_date_time: '2026-03-02 10:15:00',
  sales_funnel_ext_id: 'f1',
  stage_ext_id: 'new',
  ...overrides,
});

export const upload = (emulator: RunningEmulator, deals: unknown[]) =>
  call(emulator, 'upload.deals_history', { deals });
