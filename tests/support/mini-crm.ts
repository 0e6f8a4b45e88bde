/**
 * A small hand-written single-page CRM (no real CRM's markup) for tests of the recipe machinery in
 * a tab: a board with one card, and that deal shown as a dialog over the board.
 */
export const MINI_BOARD =
  '<main class="board"><section class="col"><h2>New</h2><a class="card" href="#/deals/7"><b>Roof repair</b></a></section></main>';

export const MINI_DIALOG =
  '<h1>Roof repair</h1><p>Stage: <span>New</span></p><p><span>Budget:</span> <b>$12.345K</b></p>';

/** The recipe a user would write for it, as JSON (not parsed): the deal is read inside the dialog. */
export function miniCrmRecipe(origin: string) {
  return {
    id: 'mini-crm',
    label: 'Mini CRM',
    urlPatterns: [`${origin}/*`],
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
}
