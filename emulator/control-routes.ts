import { z } from 'zod';
import { FAULT_MODES } from './faults';
import { type Runtime, resetRuntime } from './runtime';
import { saveData, toPersisted } from './store';

const faultSchema = z.strictObject({
  mode: z.enum(FAULT_MODES),
  count: z.number().int().min(1),
  afterCommit: z.boolean().optional(),
  methods: z.array(z.string()).optional(),
});

const limitSchema = z.number().int().min(0).nullable();

const configSchema = z.strictObject({
  minuteLimit: limitSchema.optional(),
  dayLimit: limitSchema.optional(),
  ipNotWhitelisted: z.boolean().optional(),
  salesFunnelComponent: z.boolean().optional(),
  setupComponent: z.boolean().optional(),
  reportCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  partnerUserIds: z.array(z.number().int()).optional(),
  processingDelayMs: z.number().int().min(0).optional(),
  tokens: z.array(z.string().min(1)).optional(),
});

const clockSchema = z.strictObject({ advanceSeconds: z.number().min(0) });

export interface ControlAnswer {
  status: number;
  body: unknown;
}

const ok = (body: unknown = { ok: true }): ControlAnswer => ({ status: 200, body });

function parseBody<T>(schema: z.ZodType<T>, raw: string): T | ControlAnswer {
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : { status: 400, body: { error: z.prettifyError(parsed.error) } };
}

const isAnswer = (value: unknown): value is ControlAnswer =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

function stateSnapshot(rt: Runtime) {
  const { funnels, contacts, employees, deals, companies, user_fields } = toPersisted(rt.data);
  return { funnels, contacts, employees, deals, companies, user_fields, calls: rt.calls };
}

/**
 * Test-only control surface under /__emulator/ (never part of the Data API, which lives at /v2.0 only).
 * `route` is the path after the prefix.
 */
export function handleControl(method: string, route: string, raw: string, rt: Runtime): ControlAnswer {
  if (route === 'state' && method === 'GET') return ok(stateSnapshot(rt));
  if (method !== 'POST') return { status: 405, body: { error: `${method} not allowed here` } };
  switch (route) {
    case 'faults': {
      const spec = parseBody(faultSchema, raw);
      if (isAnswer(spec)) return spec;
      rt.faults.add(spec);
      return ok();
    }
    case 'config': {
      const patch = parseBody(configSchema, raw);
      if (isAnswer(patch)) return patch;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      rt.config = { ...rt.config, ...defined };
      return ok(rt.config);
    }
    case 'clock': {
      const move = parseBody(clockSchema, raw);
      if (isAnswer(move)) return move;
      rt.clockOffsetMs += move.advanceSeconds * 1000;
      return ok({ now: new Date(rt.baseNow().getTime() + rt.clockOffsetMs).toISOString() });
    }
    case 'reset':
      resetRuntime(rt);
      if (rt.statePath) saveData(rt.statePath, rt.data);
      return ok();
    default:
      return { status: 404, body: { error: `unknown control route ${route}` } };
  }
}
