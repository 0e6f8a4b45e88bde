import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createDealReads } from '@/utils/content/deal-reads';
import { apiReaders } from '@/utils/crm/api-readers';
import type { CrmBoard } from '@/utils/crm/model';
import { sendMessage } from '@/utils/send-message';

// Injected by the background into one CRM tab when an export reads deals whole through the CRM's
// endpoints (utils/background/deal-reader.ts), so the content script every CRM tab runs stays small.
export default defineUnlistedScript(() => {
  const scope = globalThis as { crmComagicDealReads?: true };
  if (scope.crmComagicDealReads) return;
  scope.crmComagicDealReads = true;

  const reads = createDealReads(
    {
      fetch: (input, init) => fetch(input, init),
      location: () => location.href,
      window,
      now: () => new Date(),
      timeZone: async () => (await sendMessage('content.config', {})).timeZone,
      sleep: (ms) => new Promise((wake) => setTimeout(() => wake(undefined), ms)),
    },
    apiReaders,
  );

  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const request = message as {
      type?: unknown;
      crm?: unknown;
      ids?: unknown;
      concurrency?: unknown;
      delayMs?: unknown;
      board?: CrmBoard;
    } | null;
    if (request?.type === 'crm.readDeals') {
      const ids = Array.isArray(request.ids) ? request.ids.filter((id) => typeof id === 'string') : [];
      const concurrency = Math.min(8, Math.max(1, Number(request.concurrency) || 1));
      const delayMs = Math.min(10_000, Math.max(0, Number(request.delayMs) || 0));
      return reads.readDeals(String(request.crm), ids.slice(0, 1_000), { concurrency, delayMs });
    }
    // The board here comes from the background, which read it from a page and validated it.
    if (request?.type === 'crm.cardIds' && request.board) return reads.cardIds(request.board);
    return undefined;
  });
});
