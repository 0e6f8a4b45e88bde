import type { Runtime } from '../runtime';
import type { Obj } from '../validate';

export interface MethodResult {
  data: unknown;
  totalItems?: number;
}

/**
 * `params` arrive without `access_token` and `user_id` (the dispatcher checks those);
 * `token` is the caller's access token, absent for public methods; `userId` the user_id sent, if any.
 */
export interface Method {
  /** false only for login.user */
  needsToken: boolean;
  /** The method's page lists `user_id` (a partner acting for a client must send it). */
  takesUserId: boolean;
  /** CRM methods need the sales_funnel component */
  crm: boolean;
  /** stored data changes: persist after success */
  mutates: boolean;
  run(params: Obj, rt: Runtime, token: string | undefined, userId: number | undefined): MethodResult;
}

export const crmMethod = (mutates: boolean, run: Method['run']): Method => ({
  needsToken: true,
  takesUserId: true,
  crm: true,
  mutates,
  run,
});
