import type { Page } from 'playwright-core';
import { inspect } from '../../emulator/control';
import { expectEqual, test, until } from '../support/extension-browser';
import {
  connect,
  fixture,
  jobEnd,
  kindOf,
  message,
  openCrmTab,
  openPopup,
  type Session,
  serveCrm,
  storedRecords,
  withSession,
} from '../support/extension-flows';

const ACCOUNT_ZONE = 'Asia/Yekaterinburg';

async function setCrmTimeZone(page: Page, crmTimeZone: string) {
  const settings = await message(page, 'settings.get', {});
  await message(page, 'settings.save', { ...settings, crmTimeZone });
}

/** The history the popup previews: stage names and times, exactly as they are to be sent. */
async function shownHistory(popup: Page): Promise<string[][]> {
  return popup
    .getByTestId('deal-history')
    .locator('li')
    .evaluateAll((items) =>
      items.map((li) => [
        li.querySelector('span')?.textContent ?? '',
        li.querySelector('time')?.textContent ?? '',
      ]),
    );
}

/** A deal's records in CoMagic by its CRM id, whatever ext_id prefix its CRM site got. */
async function recordsOf(session: Session, crmId: string) {
  const deals = await storedRecords(session);
  const key = Object.keys(deals).find((extId) => extId === crmId || extId.endsWith(`:${crmId}`));
  return key ? (deals[key] ?? []) : [];
}

/** What CoMagic holds for one deal, in the same shape, plus its contacts and its employee. */
async function heldBy(session: Session, crmId: string) {
  const state = await inspect(session.emulator.origin);
  const records = await recordsOf(session, crmId);
  const stageName = new Map(state.funnels.flatMap((f) => f.stages.map((s) => [s.ext_id, s.name] as const)));
  const last = records.at(-1);
  return {
    history: records.map((r) => [
      stageName.get(r.stage_ext_id) ?? r.stage_ext_id,
      r.modified_stage_date_time,
    ]),
    contacts: state.contacts
      .filter((c) => last?.contact_ext_ids?.includes(c.ext_id))
      .map((c) => ({ phones: c.phone_numbers, emails: c.emails })),
    employee: state.employees.find((e) => e.ext_id === last?.employee_ext_id)?.name ?? null,
  };
}

/** The deal's company (as a company, with its own phones and e-mails), source, tags and comments in CoMagic. */
async function extrasHeldBy(session: Session, crmId: string) {
  const state = await inspect(session.emulator.origin);
  const records = await recordsOf(session, crmId);
  const last = records.at(-1);
  const company = state.companies.find((c) => c.ext_id === last?.company_ext_id);
  return {
    company: company ? { name: company.name, phones: company.phones, emails: company.emails } : null,
    everyRecordNamesIt: records.every((r) => r.company_ext_id === last?.company_ext_id),
    source: last?.source ?? null,
    tags: last?.tags.map((tag) => tag.name) ?? [],
    comments: last?.comments ?? null,
    revenue: last?.revenue ?? null,
    contactPhones: state.contacts.flatMap((c) => c.phone_numbers ?? []),
  };
}

test('deal page (amoCRM): the popup sends the full history, contacts and owner', async () => {
  await withSession({ timezone: ACCOUNT_ZONE }, async (session) => {
    await serveCrm(session, 'https://acme.amocrm.ru', (url) =>
      fixture(
        url.pathname.startsWith('/leads/detail/') ? 'amocrm/deal-ru-history.html' : 'amocrm/board-ru.html',
      ),
    );
    const options = await connect(session);
    await setCrmTimeZone(options, 'Europe/Moscow');
    // The user looks at the pipeline first: its board (with won and lost columns) makes the mapping.
    await openPopup(
      session,
      (await openCrmTab(session, 'https://acme.amocrm.ru/leads/pipeline/7001/')).tabId,
    );
    const { tabId } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90013');
    const popup = await openPopup(session, tabId);
    expectEqual(await kindOf(popup), 'deal', 'popup page kind');
    const shown = await shownHistory(popup);
    // 18.04.2024 10:30 Moscow is 12:30 in Yekaterinburg: times go out in the account's zone.
    expectEqual(shown[0], ['Первичный контакт', '2024-04-18 12:30:00'], 'first stage as previewed');
    expectEqual(
      shown.map(([name]) => name),
      ['Первичный контакт', 'Переговоры', 'Первичный контакт', 'Принимают решение'],
      'stages in order',
    );

    await popup.getByTestId('send-deal').click();
    expectEqual(await jobEnd(popup), 'done', 'job status');

    const held = await heldBy(session, '90013');
    expectEqual(held.history, shown, 'records CoMagic holds');
    expectEqual(
      held.contacts,
      [{ phones: ['79123456789', '74951234567'], emails: ['m.sokolova@example.ru'] }],
      'contacts (E.164 phones as the API takes them: digits, no plus; e-mails)',
    );
    expectEqual(held.employee, 'Анна Смирнова', 'owner as the employee');
    const extras = await extrasHeldBy(session, '90013');
    expectEqual(
      extras.company,
      { name: 'ООО «Вектор»', phones: ['74957000013'], emails: [] },
      'the linked company, with its own phone',
    );
    expectEqual(extras.everyRecordNamesIt, true, 'every record names the company');
    expectEqual(extras.contactPhones.includes('74957000013'), false, 'the company phone is no contact');
    expectEqual(extras.tags, ['опт'], 'tags');
  });
});

test('deal page (EspoCRM): the in-page button sends the full history, contacts and owner', async () => {
  await withSession({ timezone: ACCOUNT_ZONE, reportCurrency: 'RUB' }, async (session) => {
    await serveCrm(session, 'https://crm.example.com', () => fixture('espocrm/deal-history-en.html'));
    const options = await connect(session);
    await setCrmTimeZone(options, 'UTC');
    // The deal is in USD, the account reports in RUB: without a rate it would be held back.
    const settings = await message(options, 'settings.get', {});
    await message(options, 'settings.save', { ...settings, currencyRates: { USD: 90 } });
    const { page, tabId } = await openCrmTab(
      session,
      'https://crm.example.com/#Opportunity/view/66a1f0c2b3d4e5f64',
    );
    const popup = await openPopup(session, tabId);
    // The deal page shows no won or lost column, but EspoCRM's Closed Won / Closed Lost are known:
    // a fresh mapping is sendable at once, with nothing to confirm.
    await until(
      async () => !(await popup.getByTestId('send-deal').isDisabled()),
      'sending enabled on a fresh mapping',
    );
    const shown = await shownHistory(popup);
    expectEqual(shown[0], ['Prospecting', '2026-03-02 14:15:00'], 'first stage as previewed');

    const button = page.getByTestId('send-deal-inpage');
    await button.click();
    await until(
      async () => (await button.getAttribute('data-state')) === 'sent',
      'the in-page button to say sent',
      30_000,
    );

    const held = await heldBy(session, '66a1f0c2b3d4e5f64');
    expectEqual(held.history, shown, 'records CoMagic holds');
    expectEqual(
      held.contacts,
      [
        { phones: ['14155550134'], emails: ['lena.orlova@example.com'] },
        { phones: [], emails: ['tom.becker@example.org'] },
      ],
      'contacts (E.164 phones as the API takes them: digits, no plus; e-mails)',
    );
    expectEqual(held.employee, 'Anna Miller', 'owner as the employee');
    const extras = await extrasHeldBy(session, '66a1f0c2b3d4e5f64');
    expectEqual(extras.company, { name: 'Orbitway Logistics', phones: [], emails: [] }, 'the account');
    expectEqual(extras.source, 'Partner', 'the lead source');
    expectEqual(
      extras.comments,
      'Renewal of 40 trackers for the northern depots.\nLena signs; call her before 10:00.',
      'the description as comments',
    );
    expectEqual(extras.revenue, 4_320_000, 'the USD amount in the report currency at the rate set');

    await popup.reload();
    await until(
      async () => (await popup.getByTestId('deal-status').getAttribute('data-status')) === 'unchanged',
      'the popup to see the deal as sent',
    );
  });
});

test('deal page (Odoo): the customer company, the UTM as the source and the tags are sent', async () => {
  await withSession({ timezone: 'Europe/Moscow', reportCurrency: 'RUB' }, async (session) => {
    await serveCrm(session, 'https://romashka.odoo.com', () => fixture('odoo/deal-ru-won.html'));
    const options = await connect(session);
    await setCrmTimeZone(options, 'Europe/Moscow');
    const { tabId } = await openCrmTab(session, 'https://romashka.odoo.com/odoo/crm/77');
    const popup = await openPopup(session, tabId);
    expectEqual(await popup.getByTestId('deal-company').textContent(), 'ООО «Ромашка»', 'company previewed');
    await popup.getByTestId('send-deal').click();
    expectEqual(await jobEnd(popup), 'done', 'job status');
    // Odoo renders only the open tab of the form: Extra Info here (company, UTM), so no Internal Notes.
    const extras = await extrasHeldBy(session, '77');
    expectEqual(extras.company?.name, 'ООО «Ромашка»', 'the company');
    expectEqual(extras.source, 'Поисковая система / Баннер / Весенняя распродажа', 'UTM as the source');
    expectEqual(extras.tags, ['Опт'], 'tags');
  });
});
