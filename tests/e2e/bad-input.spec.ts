import type { Page } from 'playwright-core';
import { generateBoard } from '../fixtures/generate-board';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  connect,
  fixture,
  jobEnd,
  kindOf,
  openCrmTab,
  openMappedBoard,
  openPopup,
  type Session,
  serveCrm,
  storedRecordsByCrmId,
  withSession,
} from '../support/extension-flows';
import { shadowContents } from '../support/shadow-content';

const SCRIPT_NAME = '<img src=x onerror=alert(1)>';
const HUGE_NAME = `Huge ${'x'.repeat(100_000)}`;
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Any dialog (an `alert` run from a deal name) fails the test. */
function recordDialogs(session: Session): string[] {
  const dialogs: string[] = [];
  session.browser.context.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

const injectedImages = async (page: Page) => {
  const inPage = await page.evaluate(() => document.querySelectorAll('img[src="x"]').length);
  // The in-page button's root is closed: the page cannot look inside, the DevTools protocol can.
  const inButton = (await shadowContents(page, 'crm-comagic-send')).filter(({ html }) =>
    /<img[^>]*src="x"/.test(html),
  ).length;
  return inPage + inButton;
};

const problemTexts = (popup: Page) =>
  popup.locator('section[aria-labelledby="problems-heading"] li').allInnerTexts();

test('bad input (deal page): a script-like name stays text, an unreadable date gets a message, the deal still goes', async () => {
  await withSession({}, async (session) => {
    const dialogs = recordDialogs(session);
    const deal = fixture('amocrm/deal-ru-history.html')
      .replaceAll('Оснащение переговорной', escapeHtml(SCRIPT_NAME))
      .replace('19.04.2024 12:10', '31.02.2024 25:70');
    await serveCrm(session, 'https://acme.amocrm.ru', (url) =>
      url.pathname.startsWith('/leads/detail/') ? deal : fixture('amocrm/board-ru.html'),
    );
    await connect(session);
    await openPopup(
      session,
      (await openCrmTab(session, 'https://acme.amocrm.ru/leads/pipeline/7001/')).tabId,
    );
    const { page, tabId } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90013');
    const popup = await openPopup(session, tabId);
    expectEqual(await kindOf(popup), 'deal', 'popup page kind');
    expectEqual(await popup.locator('#deal-name').textContent(), SCRIPT_NAME, 'the deal name shown as text');
    const problems = await problemTexts(popup);
    expectTrue(
      problems.some((p) => p.includes('31.02.2024 25:70') && /could not be read/.test(p)),
      `a message naming the unreadable date, got ${JSON.stringify(problems)}`,
    );

    const button = page.getByTestId('send-deal-inpage');
    expectEqual(
      (await shadowContents(page, 'crm-comagic-send'))[0]?.text,
      'Send to CoMagic',
      'the in-page button text',
    );
    await button.click();
    await until(
      async () => (await button.getAttribute('data-state')) === 'sent',
      'the deal to be sent',
      30_000,
    );
    const stored = (await storedRecordsByCrmId(session))['90013'] ?? [];
    expectTrue(
      stored.length > 0 && stored.every((r) => r.name === SCRIPT_NAME),
      'the name stored as the same text',
    );

    expectEqual(dialogs, [], 'dialogs opened');
    expectEqual(await injectedImages(page), 0, 'images injected into the CRM page');
    expectEqual(await injectedImages(popup), 0, 'images injected into the popup');
  });
});

test('bad input (deal page): a changed layout gets messages naming what was not found, each once', async () => {
  await withSession({}, async (session) => {
    await serveCrm(session, 'https://acme.amocrm.ru', () => fixture('amocrm/deal-ru-changed-layout.html'));
    await connect(session);
    const { tabId } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90077');
    const popup = await openPopup(session, tabId);
    const problems = await problemTexts(popup);
    expectTrue(
      problems.some((p) => p.includes('deal.stage') && /changed its layout/.test(p)),
      `a message on the changed layout, got ${JSON.stringify(problems)}`,
    );
    expectEqual(problems.length, new Set(problems).size, 'each problem listed once');
  });
});

test('bad input (board): a script-like name, a 100 KB name and an unreadable date; the other deals still go', async () => {
  const board = generateBoard('amocrm', { cards: 100, seed: 5 });
  const [scriptId, hugeId, badDateId] = board.expected.dealIds as [string, string, string];
  const withName = (html: string, id: string, name: string) =>
    html.replace(new RegExp(`(href="/leads/detail/${id}">)[^<]*`), `$1${escapeHtml(name)}`);
  const html = withName(withName(board.html, scriptId, SCRIPT_NAME), hugeId, HUGE_NAME).replace(
    new RegExp(`(id="pipeline_item_${badDateId}"[\\s\\S]*?class="pipeline_leads__date">)[^<]*`),
    '$199.99.9999',
  );
  await withSession({}, async (session) => {
    const dialogs = recordDialogs(session);
    const { popup } = await openMappedBoard(session, html);
    const scriptRow = popup.locator(`[data-testid="deal-row"][data-deal-id="${scriptId}"]`);
    expectTrue(
      ((await scriptRow.textContent()) ?? '').includes(SCRIPT_NAME),
      'the script-like name shown as text in its row',
    );

    await popup.getByTestId('export-board').click();
    expectEqual(await jobEnd(popup, 120_000), 'done', 'job status');
    const stored = await storedRecordsByCrmId(session);
    const others = board.expected.dealIds.filter((id) => ![scriptId, hugeId, badDateId].includes(id));
    expectEqual(
      others.filter((id) => !stored[id]?.length),
      [],
      'other deals missing in CoMagic',
    );
    // Each bad card is either delivered or reported with a reason; none is silently lost.
    for (const id of [scriptId, hugeId, badDateId]) {
      const result = popup.locator(`[data-testid="job-result"]`).filter({ hasText: id });
      const delivered = (stored[id]?.length ?? 0) > 0;
      const reported =
        (await result.count()) > 0 && (await result.first().getAttribute('data-outcome')) === 'failed';
      expectTrue(delivered || reported, `deal ${id} delivered or reported`);
    }
    expectTrue((stored[hugeId]?.[0]?.name.length ?? 0) < 100_000, 'the 100 KB name shortened for CoMagic');
    expectEqual(stored[scriptId]?.[0]?.name, SCRIPT_NAME, 'the script-like name stored as text');
    expectEqual(dialogs, [], 'dialogs opened');
    expectEqual(await injectedImages(popup), 0, 'images injected into the popup');
  });
});
