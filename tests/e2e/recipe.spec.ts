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

const ORIGIN = 'https://mini-crm.example.com';

/**
 * A hand-written single-page CRM for this spec (no real CRM's markup): a board, and on
 * `#/deals/<id>` the deal as a dialog rendered over the board a moment after the route changed, as
 * single-page CRMs do.
 */
const PAGE = `<!DOCTYPE html><html lang="en"><body>
<main class="board"><section class="col"><h2>New</h2>
  <a class="card" href="#/deals/7"><b>Roof repair</b></a></section></main>
<script>
  function route() {
    document.querySelector('[role="dialog"]')?.remove();
    if (!/#\\/deals\\/\\d+/.test(location.hash)) return;
    setTimeout(() => {
      const dialog = document.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.innerHTML = '<h1>Roof repair</h1><p>Stage: <span>New</span></p><p><span>Budget:</span> <b>$12.345K</b></p>';
      document.body.append(dialog);
    }, 800);
  }
  addEventListener('hashchange', route);
  route();
</script></body></html>`;

const RECIPE = {
  id: 'mini-crm',
  label: 'Mini CRM',
  urlPatterns: [`${ORIGIN}/*`],
  detect: { board: 'main.board', deal: '[role="dialog"]' },
  board: {
    column: 'section.col',
    stageName: { selector: 'h2' },
    card: 'a.card',
    fields: { id: { from: 'attr', attr: 'href', regex: '/deals/(\\d+)' }, name: { selector: 'b' } },
  },
  deal: {
    scope: '[role="dialog"]',
    id: { from: 'url', regex: '/deals/(\\d+)' },
    name: { selector: 'h1' },
    stage: { label: 'Stage' },
    amount: { label: 'Budget' },
  },
};

test('recipe: saved while its CRM tab is open, it reads that tab at once, and a deal dialog over the board gets the send button', async () => {
  await withSession({}, async (session) => {
    const options = await connect(session);
    await serveCrm(session, ORIGIN, () => PAGE);
    const { page, tabId } = await openCrmTab(session, `${ORIGIN}/pipeline`);
    // The tab was read before the recipe existed; it is not reloaded after the save.
    await page.waitForTimeout(1_000);
    const saved = await message(options, 'recipes.save', { json: JSON.stringify(RECIPE) });
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
