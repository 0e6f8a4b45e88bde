/** A JSON-RPC error the emulator answers with; `code` is the API's group code, `mnemonic` the stable name. */
export class RpcFault extends Error {
  constructor(
    readonly code: number,
    readonly mnemonic: string,
    message: string,
    readonly field?: string,
    readonly value?: unknown,
    readonly params?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const hasValue = (value: unknown): boolean => value !== undefined;

const paramFault = (mnemonic: string, message: string, field: string, value?: unknown): RpcFault =>
  new RpcFault(-32602, mnemonic, message, field, hasValue(value) ? value : undefined);

export const requiredMissed = (field: string) =>
  paramFault('required_parameter_missed', `Required parameter '${field}' is missed`, field);

export const unexpectedParameter = (field: string, value?: unknown) =>
  paramFault('unexpected_parameters', `Unexpected parameter '${field}'`, field, value);

export const dataTypeError = (field: string, value: unknown, expected: string) =>
  paramFault('data_type_error', `Parameter '${field}' must be ${expected}`, field, value);

export const invalidValue = (field: string, value: unknown, reason: string) =>
  paramFault('invalid_parameter_value', `Invalid value of parameter '${field}': ${reason}`, field, value);

export const invalidCombination = (field: string, reason: string, value?: unknown) =>
  paramFault('invalid_parameters_combination', reason, field, value);

export const invalidDateTime = (field: string, value: unknown, reason: string) =>
  paramFault('invalid_date_time', `Invalid date-time in '${field}': ${reason}`, field, value);

export const entityNotFound = (field: string, value: unknown) =>
  paramFault(
    'entity_not_found',
    `Entity '${String(value)}' referenced by '${field}' not found`,
    field,
    value,
  );

export const duplicateEntity = (field: string, value: unknown) =>
  paramFault('duplicate_entity', `Entity '${String(value)}' already exists`, field, value);

export const dataLimitExceeded = (field: string, max: number) =>
  new RpcFault(
    -32602,
    'data_limit_exceeded',
    `Too much data in '${field}': at most ${max}`,
    field,
    undefined,
    {
      max,
    },
  );

export const dependencyError = (field: string, value: unknown, reason: string) =>
  paramFault('dependency_error', reason, field, value);

export const forbiddenEntity = (field: string, value: unknown, reason: string) =>
  paramFault('forbidden', reason, field, value);

export const sortProhibited = (field: string) =>
  paramFault('sort_prohibited', `Sorting by '${field}' is prohibited`, 'sort', field);

export const filterProhibited = (field: string) =>
  paramFault('filter_prohibited', `Filtering by '${field}' is prohibited`, 'filter', field);

export const invalidRequest = (reason: string) => new RpcFault(-32600, 'invalid_request', reason);

export const internalError = () => new RpcFault(-32603, 'internal_error', 'Internal error');
