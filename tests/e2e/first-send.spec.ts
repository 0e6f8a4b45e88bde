/**
 * A fresh profile, connected: the user opens a deal page and clicks "Send to CoMagic" once. No board
 * seen, no mapping confirmed: the CRM's own won/lost stages (or a proposal) let the send go.
 */
import type { Page } from 'playwright-core';
import { DEMO_TIME_ZONE, type DemoCrm, dealToSend, demoPipeline } from '../../demo/data';
import { expectationOf, mismatches } from '../../demo/verify';
import { inspect } from '../../emulator/control';
import { defaultSitePrefix } from '../../utils/mapping/ext-ids';
import type { MappingConfig } from '../../utils/mapping/funnel';
import { startCrm } from '../crm-sites/server';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  connect,
  fixture,
  message,
  openCrmTab,
  type Session,
  serveCrm,
  storedRecords,
  withSession,
} from '../support/extension-flows';

/** The one click: the in-page button, until it says sent. */
async function sendFromPage(page: Page): Promise<void> {
  const button = page.getByTestId('send-deal-inpage');
  await button.waitFor({ timeout: 20_000 });
  await button.click();
  await until(
    async () => {
      const state = await button.getAttribute('data-state');
      if (state === 'failed') throw new Error(`the send failed: ${await button.textContent()}`);
      return state === 'sent';
    },
    'the in-page button to say sent',
    30_000,
  );
}

for (const crm of ['espocrm', 'odoo'] as DemoCrm[]) {
  test(`first send (${crm}): a fresh profile sends a deal from its page in one click, whole`, async () => {
    const pipeline = demoPipeline(crm, { seed: 51 });
    const deal = dealToSend(pipeline);
    const server = await startCrm(pipeline);
    try {
      await withSession(
        // The demo CRMs' amounts are in US dollars, as the account's reports: nothing to convert.
        { timezone: DEMO_TIME_ZONE, reportCurrency: 'USD' },
        async (session: Session) => {
          const options = await connect(session);
          const { page } = await openCrmTab(session, server.dealUrl(deal.id));
          await sendFromPage(page);
          const [mapping] = await message(options, 'mapping.list', {});
          if (!mapping) throw new Error('no mapping was made');
          const wrong = mismatches(await inspect(session.emulator.origin), [
            expectationOf(pipeline, mapping.config as MappingConfig, {
              label: crm,
              only: [deal.id],
              // A fresh profile's ext_ids carry the site's own prefix.
              prefix: defaultSitePrefix(server.origin),
            }),
          ]);
          expectEqual(wrong, [], 'what CoMagic holds against the deal page');
          // The user's computer is in the zone the CRM shows its times in: nothing to set up.
        },
        { timeZone: DEMO_TIME_ZONE },
      );
    } finally {
      await server.close();
    }
  });
}

test('first send (amoCRM): a fresh profile sends a lead from its page in one click, its board never seen', async () => {
  await withSession({ timezone: 'Europe/Moscow' }, async (session) => {
    await serveCrm(session, 'https://acme.amocrm.ru', () => fixture('amocrm/deal-ru-history.html'));
    await connect(session);
    const { page } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90013');
    // The page's own script presses the button: nothing is sent, only a person's click sends.
    await page.getByTestId('send-deal-inpage').waitFor({ timeout: 20_000 });
    await page.evaluate(() =>
      document.querySelector('crm-comagic-send')?.shadowRoot?.querySelector('button')?.click(),
    );
    await new Promise((wake) => setTimeout(wake, 1_500));
    expectEqual(Object.keys((await inspect(session.emulator.origin)).deals), [], 'deals a page script sent');
    await sendFromPage(page);
    const deals = await storedRecords(session);
    // Under the ext_id prefix the CRM site got.
    const records = Object.entries(deals).find(([extId]) => extId.endsWith('90013'))?.[1] ?? [];
    expectTrue(records.length >= 2, `the lead's stages in CoMagic, got ${records.length}`);
    const state = await inspect(session.emulator.origin);
    const last = records.at(-1);
    expectTrue((last?.contact_ext_ids?.length ?? 0) > 0, 'its contacts');
    expectTrue(
      state.employees.some((employee) => employee.ext_id === last?.employee_ext_id),
      'its responsible user as the employee',
    );
    // amoCRM's won and lost statuses exist in every pipeline: the funnel has both without confirmation.
    const funnel = state.funnels.find((f) => f.ext_id === last?.sales_funnel_ext_id);
    expectEqual(
      ['success', 'failed'].map((status) => funnel?.stages.some((stage) => stage.status === status)),
      [true, true],
      'won and lost stages in the funnel',
    );
  });
});
