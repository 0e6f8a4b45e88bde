import { inspect } from '../../emulator/control';
import { expectEqual, expectTrue, test, until } from '../support/extension-browser';
import {
  connect,
  fixture,
  message,
  openCrmTab,
  type Session,
  serveCrm,
  TOKEN,
  withSession,
} from '../support/extension-flows';

const CRM = 'https://crm.example.com';

/**
 * Runs `source` (a function's text) in the content scripts' isolated world of the tab, through the
 * real scripting API. Text, not a function: tsx would wrap a function with helpers the tab lacks.
 */
async function inContentWorld(session: Session, tabId: number, source: string): Promise<unknown> {
  const results = (await session.browser.worker.evaluate(
    `chrome.scripting.executeScript({ target: { tabId: ${tabId} }, world: 'ISOLATED', func: ${source} })`,
  )) as { result?: unknown }[];
  return results[0]?.result;
}

test('security: a content script cannot read the token; the page cannot reach the extension', async () => {
  await withSession({}, async (session) => {
    await serveCrm(session, CRM, () => fixture('espocrm/deal-history-en.html'));
    await connect(session);
    const { page, tabId } = await openCrmTab(session, `${CRM}/#Opportunity/view/66a1f0c2b3d4e5f64`);
    await page.getByTestId('send-deal-inpage').waitFor();

    // The content scripts' isolated world, entered through the real scripting API.
    const read = await inContentWorld(
      session,
      tabId,
      `() => chrome.storage.local.get(null).then((items) => 'read ' + Object.keys(items).length, (e) => e.message)`,
    );
    expectEqual(read, 'Access to storage is not allowed from this context.', 'storage from a content script');

    // The page's own scripts (main world) have no channel to the extension at all.
    const fromPage = await page.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
      if (typeof runtime?.sendMessage !== 'function') return 'no runtime';
      try {
        return JSON.stringify(await chrome.runtime.sendMessage(id, { type: 'connection.get', data: {} }));
      } catch (error) {
        return (error as Error).message;
      }
    }, session.browser.extensionId);
    expectEqual(fromPage, 'no runtime', "the page's access to the extension");
    expectTrue(!(await page.content()).includes(TOKEN), 'the token nowhere in the CRM page');
  });
});

// The e2e build holds `<all_urls>` as a required permission, which Chrome refuses to remove ("You
// cannot remove required permissions"), so no site can be un-granted here: the refusal of content
// scripts on sites the user did not grant is covered by utils/background/router.test.ts. What goes
// through the real background here is a content script (on a granted site) asking for what only
// extension pages may have: the connection, and changing it to a server of its choosing.
test('security: the background refuses page-only messages from a content script', async () => {
  await withSession({}, async (session) => {
    await serveCrm(session, CRM, () => fixture('espocrm/deal-history-en.html'));
    const options = await connect(session);
    const { tabId } = await openCrmTab(session, `${CRM}/#Opportunity/view/66a1f0c2b3d4e5f64`);

    const replies = (await inContentWorld(
      session,
      tabId,
      `async () => [
        await chrome.runtime.sendMessage({ type: 'connection.get', data: {} }),
        await chrome.runtime.sendMessage({ type: 'connection.save', data: {
          endpoint: { brand: 'custom', url: 'https://evil.example.net/v2.0' }, auth: { kind: 'key', token: 'x' } } }),
      ]`,
    )) as { ok: boolean; error?: string }[];
    expectEqual(
      replies.map((reply) => reply.ok),
      [false, false],
      'replies to a content script',
    );
    expectTrue(
      replies.every((reply) => /not allowed from content/.test(reply.error ?? '')),
      `refusals naming the reason, got ${JSON.stringify(replies)}`,
    );
    const connection = await message(options, 'connection.get', {});
    expectEqual(connection?.endpoint, { brand: 'custom', url: session.emulator.url }, 'the stored endpoint');
  });
});

test('security: a page script cannot reach the in-page button, so cannot send; a person’s click does', async () => {
  await withSession({ timezone: 'Europe/Moscow' }, async (session) => {
    await serveCrm(session, 'https://acme.amocrm.ru', () => fixture('amocrm/deal-ru-history.html'));
    await connect(session);
    const { page } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/detail/90013');
    const host = page.getByTestId('send-deal-inpage');
    await host.waitFor({ timeout: 20_000 });

    // Everything the page's own script can do: the root is closed, and what it can reach is the host.
    const reach = await page.evaluate(() => {
      const found = document.querySelector('crm-comagic-send') as HTMLElement;
      found.click();
      found.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      const box = found.getBoundingClientRect();
      const hit = document.elementFromPoint(
        box.x + box.width / 2,
        box.y + box.height / 2,
      ) as HTMLElement | null;
      hit?.click();
      return { root: found.shadowRoot === null ? 'closed' : 'open', hit: hit?.localName ?? null };
    });
    expectEqual(reach, { root: 'closed', hit: 'crm-comagic-send' }, 'what a page script reaches');
    await new Promise((wake) => setTimeout(wake, 1_500));
    expectEqual(await host.getAttribute('data-state'), 'idle', 'the button after the page script clicked');
    expectEqual(Object.keys((await inspect(session.emulator.origin)).deals), [], 'deals a page script sent');

    // A person's click (a real mouse event at the button) sends.
    await host.click();
    await until(
      async () => (await host.getAttribute('data-state')) === 'sent',
      'a person’s click to send',
      30_000,
    );
    expectEqual(
      Object.keys((await inspect(session.emulator.origin)).deals).length,
      1,
      'deals sent by the click',
    );
  });
});
