import { expectEqual, test, until } from '../support/extension-browser';
import {
  connect,
  kindOf,
  message,
  openCrmTab,
  openPopup,
  serveCrm,
  withSession,
} from '../support/extension-flows';
import { MINI_BOARD, MINI_DIALOG, miniCrmRecipe } from '../support/mini-crm';

const ORIGIN = 'https://mini-crm.example.com';

/** The mini CRM as a page: on `#/deals/<id>` its deal dialog renders a moment after the route changed. */
const PAGE = `<!DOCTYPE html><html lang="en"><body>${MINI_BOARD}
<script>
  function route() {
    document.querySelector('[role="dialog"]')?.remove();
    if (!/#\\/deals\\/\\d+/.test(location.hash)) return;
    setTimeout(() => {
      const dialog = document.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.innerHTML = ${JSON.stringify(MINI_DIALOG)};
      document.body.append(dialog);
    }, 800);
  }
  addEventListener('hashchange', route);
  route();
</script></body></html>`;

test('recipe: saved while its CRM tab is open, it reads that tab at once, and a deal dialog over the board gets the send button', async () => {
  await withSession({}, async (session) => {
    const options = await connect(session);
    await serveCrm(session, ORIGIN, () => PAGE);
    const { page, tabId } = await openCrmTab(session, `${ORIGIN}/pipeline`);
    // The tab was read before the recipe existed; it is not reloaded after the save.
    await page.waitForTimeout(1_000);
    const saved = await message(options, 'recipes.save', { json: JSON.stringify(miniCrmRecipe(ORIGIN)) });
    expectEqual(saved.ok, true, 'recipe saved');
    await page.evaluate(() => {
      location.hash = '#/deals/7';
    });
    await until(
      async () => (await page.locator('crm-comagic-send').count()) === 1,
      'the send button on the deal dialog',
      15_000,
    );
    const popup = await openPopup(session, tabId);
    expectEqual(await kindOf(popup), 'deal', 'what the popup shows');
    await popup.getByText('Roof repair').first().waitFor();
    // Closing the dialog (back to the board) takes the button away.
    await page.evaluate(() => {
      location.hash = '';
    });
    await until(
      async () => (await page.locator('crm-comagic-send').count()) === 0,
      'the button gone',
      15_000,
    );
  });
});
