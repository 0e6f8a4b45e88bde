import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createCrmPage } from '@/utils/content/crm-page';
import type { Recipe } from '@/utils/crm/recipe/schema';
import type { BoardBadges } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';

// Registered at run time, only on the CRM sites the user granted (utils/background/crm-sites.ts).
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    const page = createCrmPage({
      document,
      location: () => location.href,
      now: () => new Date(),
      config: () => sendMessage('content.config', {}),
      sendDeal: async (report, update) => {
        if (!report.deal) return update({ kind: 'failed', reason: report.reasons.join('; ') });
        try {
          const { jobId } = await sendMessage('deal.send', { deal: report.deal });
          for (let waited = 0; waited < 120_000 && ctx.isValid; waited += 1_000) {
            const state = await sendMessage('job.dealState', { jobId });
            if (state.kind !== 'sending') return update(state);
            await new Promise((wake) => ctx.setTimeout(() => wake(null), 1_000));
          }
        } catch (error) {
          update({ kind: 'failed', reason: (error as Error).message });
        }
      },
      boardShown: () => sendMessage('board.shown', {}),
      setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
    });

    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      if (sender.id !== browser.runtime.id) return undefined;
      const request = message as {
        type?: unknown;
        recipe?: Recipe;
        known?: string;
        states?: BoardBadges;
      } | null;
      // A recipe here comes from the background, which validated it (the sender check above).
      if (request?.type === 'crm.scrape') return page.scrape(request.recipe);
      if (request?.type === 'crm.read') return page.read(request.known);
      if (request?.type === 'crm.badges') {
        page.updateBadges(request.states ?? null);
        return Promise.resolve(true);
      }
      return undefined;
    });
    ctx.addEventListener(window, 'wxt:locationchange', () => void page.refresh());
    void page.refresh();
  },
});
