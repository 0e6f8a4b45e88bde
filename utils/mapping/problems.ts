import type { Localized } from '../i18n';

/**
 * Something that keeps a payload from being right. Never thrown: returned beside the payloads.
 * `dealExtId` and `crmDealId` are null for problems of the whole board or the mapping config.
 */
export interface MappingProblem {
  dealExtId: string | null;
  crmDealId: string | null;
  severity: 'error' | 'warning';
  /** Stable code, e.g. `stage_unmapped`, `date_in_future`, `name_truncated`. */
  code: string;
  /** The field concerned, e.g. `records[2].closed_date_time`, `contacts[0].phone_numbers`. */
  field: string;
  /** For a person: what is wrong and what to fix. */
  message: Localized;
}

/** A problem before it is tied to a deal. */
export type Issue = Omit<MappingProblem, 'dealExtId' | 'crmDealId'>;

export function issue(severity: Issue['severity'], code: string, field: string, message: Localized): Issue {
  return { severity, code, field, message };
}

export function forDeal(
  issues: Issue[],
  dealExtId: string | null,
  crmDealId: string | null,
): MappingProblem[] {
  return issues.map((found) => ({ dealExtId, crmDealId, ...found }));
}

export function hasError(problems: readonly Pick<MappingProblem, 'severity'>[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
