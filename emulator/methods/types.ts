import type { Runtime } from '../runtime';
import type { Obj } from '../validate';

export interface MethodResult {
  data: unknown;
  totalItems?: number;
}

/**
 * `params` arrive without `access_token` and `user_id` (the dispatcher checks those);
 * `token` is the caller's access token, absent for public methods.
 */
export interface Method {
  /** false only for login.user */
  needsToken: boolean;
  /** CRM methods need the sales_funnel component */
  crm: boolean;
  /** stored data changes: persist after success */
  mutates: boolean;
  run(params: Obj, rt: Runtime, token: string | undefined): MethodResult;
}

export const crmMethod = (mutates: boolean, run: Method['run']): Method => ({
  needsToken: true,
  crm: true,
  mutates,
  run,
});
