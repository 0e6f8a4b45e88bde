import type { Localized } from '@/utils/i18n';
import type { DealStatus } from '@/utils/messaging';
import { ui } from '@/utils/ui-text';

export const DEAL_STATUS_TEXT: Record<DealStatus, Localized> = {
  new: ui.dealNew,
  changed: ui.dealChanged,
  unchanged: ui.dealUnchanged,
  problems: ui.dealProblems,
};
