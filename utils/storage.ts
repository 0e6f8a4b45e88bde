/**
 * Every stored item of the extension, in one place. Values are parsed with zod on read: an older
 * version of the extension, or a hand-edited profile, may have written them.
 *
 * Secrets (the API key, a remembered password, a session token) live in `storage.local` /
 * `storage.session`, which the background locks to trusted contexts, so content scripts cannot
 * read them (Chrome 140+; Firefox lacks the lock, see README).
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { BRANDS } from './comagic/endpoints';

export const AuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), token: z.string().trim().min(1) }),
  z.object({
    kind: z.literal('login'),
    login: z.string().trim().min(1),
    /** Kept only when the user ticks "remember"; otherwise asked for again when the session ends. */
    password: z.string().min(1).nullable(),
  }),
]);
export type Auth = z.infer<typeof AuthSchema>;

export const EndpointSchema = z.discriminatedUnion('brand', [
  z.object({ brand: z.enum(BRANDS) }),
  z.object({ brand: z.literal('custom'), url: z.url({ protocol: /^https?$/ }) }),
]);
export type Endpoint = z.infer<typeof EndpointSchema>;

export const ConnectionSchema = z.object({ endpoint: EndpointSchema, auth: AuthSchema });
export type Connection = z.infer<typeof ConnectionSchema>;

export const AccountSchema = z.object({
  name: z.string(),
  timeZone: z.string(),
  checkedAt: z.string(),
});
export type Account = z.infer<typeof AccountSchema>;

export const SessionSchema = z.object({ token: z.string(), expiresAt: z.number() });

function parsed<T>(schema: z.ZodType<T>, fallback: T) {
  return (value: unknown): T => {
    const result = schema.safeParse(value);
    return result.success ? result.data : fallback;
  };
}

const connectionItem = storage.defineItem<unknown>('local:connection', { fallback: null, version: 1 });
const accountItem = storage.defineItem<unknown>('local:account', { fallback: null, version: 1 });
const sessionItem = storage.defineItem<unknown>('session:comagic-session', { fallback: null });
const sessionPasswordItem = storage.defineItem<string | null>('session:comagic-password', { fallback: null });
const startsItem = storage.defineItem<number>('local:worker-starts', { fallback: 0 });

const readConnection = parsed(ConnectionSchema.nullable(), null);
const readAccount = parsed(AccountSchema.nullable(), null);
const readSession = parsed(SessionSchema.nullable(), null);

export const connectionStore = {
  get: async () => readConnection(await connectionItem.getValue()),
  set: (value: Connection | null) => connectionItem.setValue(value),
  watch: (callback: () => void) => connectionItem.watch(callback),
};

/** The account last read by "test connection": its name and time zone. */
export const accountStore = {
  get: async () => readAccount(await accountItem.getValue()),
  set: (value: Account | null) => accountItem.setValue(value),
};

/**
 * A login.user session token, and the password when the user did not ask to remember it: in memory
 * only (storage.session), gone when the browser closes.
 */
export const sessionStore = {
  get: async () => readSession(await sessionItem.getValue()),
  set: (value: z.infer<typeof SessionSchema> | null) => sessionItem.setValue(value),
  getPassword: () => sessionPasswordItem.getValue(),
  setPassword: (value: string | null) => sessionPasswordItem.setValue(value),
};

/** How many times the background has started; the end-to-end tests watch it across restarts. */
export const workerStarts = {
  get: () => startsItem.getValue(),
  increment: async () => startsItem.setValue((await startsItem.getValue()) + 1),
};
