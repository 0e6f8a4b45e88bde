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

/** What CoMagic holds for one deal, in the same shape, plus its contacts and its employee. */
async function heldBy(session: Session, dealExtId: string) {
  const state = await inspect(session.emulator.origin);
  const records = (await storedRecords(session))[dealExtId] ?? [];
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
  });
});

test('deal page (EspoCRM): the in-page button sends the full history, contacts and owner', async () => {
  await withSession({ timezone: ACCOUNT_ZONE }, async (session) => {
    await serveCrm(session, 'https://crm.example.com', () => fixture('espocrm/deal-history-en.html'));
    const options = await connect(session);
    await setCrmTimeZone(options, 'UTC');
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

    await popup.reload();
    await until(
      async () => (await popup.getByTestId('deal-status').getAttribute('data-status')) === 'unchanged',
      'the popup to see the deal as sent',
    );
  });
});
