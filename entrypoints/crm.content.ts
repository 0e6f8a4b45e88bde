import { defineContentScript } from 'wxt/utils/define-content-script';
import { createLiveReporter } from '@/utils/content/change-watch';
import { createCrmPage } from '@/utils/content/crm-page';
import { answerBackground, sendMessage } from '@/utils/send-message';

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
          update({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
        }
      },
      boardShown: () => sendMessage('board.shown', {}),
      setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
      // Live mode: the background keeps a change only for a site the user put in live mode.
      liveChanged: createLiveReporter({
        document,
        deliver: (change) => sendMessage('live.changed', change),
        jobState: (jobId) => sendMessage('job.dealState', { jobId }),
        setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
      }),
    });

    answerBackground({
      'crm.scrape': ({ recipe }) => page.scrape(recipe),
      'crm.read': ({ known }) => page.read(known),
      'crm.badges': async ({ states }) => {
        page.updateBadges(states);
        return true;
      },
      'crm.configChanged': async () => {
        await page.configChanged();
        return true;
      },
    });
    ctx.addEventListener(window, 'wxt:locationchange', () => void page.refresh());
    void page.refresh();
  },
});
