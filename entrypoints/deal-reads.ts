import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createDealReads } from '@/utils/content/deal-reads';
import { apiReaders } from '@/utils/crm/api-readers';
import { answerBackground, sendMessage } from '@/utils/send-message';

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

  answerBackground({
    'crm.readDeals': (request) => {
      // Bounded here too: the reads run with this page's session.
      const concurrency = Math.min(8, Math.max(1, request.concurrency || 1));
      const delayMs = Math.min(10_000, Math.max(0, request.delayMs || 0));
      return reads.readDeals(request.crm, request.ids.slice(0, 1_000), { concurrency, delayMs });
    },
    'crm.cardIds': ({ board }) => reads.cardIds(board),
  });
});
