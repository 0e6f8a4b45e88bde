import { accountMethods } from './account';
import { companyMethods } from './companies';
import { contactMethods } from './contacts';
import { dealMethods } from './deals';
import { employeeMethods } from './employees';
import { funnelMethods } from './funnels';
import type { Method } from './types';
import { userFieldMethods } from './user-fields';

/** A Map, so that a method named like an Object.prototype member ("toString") is simply unknown. */
export const METHODS: ReadonlyMap<string, Method> = new Map(
  Object.entries({
    ...accountMethods,
    ...funnelMethods,
    ...contactMethods,
    ...employeeMethods,
    ...dealMethods,
    ...companyMethods,
    ...userFieldMethods,
  }),
);
