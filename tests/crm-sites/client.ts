/**
 * The demo CRMs' page script: like the real single-page clients, the server sends a shell and the
 * script renders the route's view into the main container a little later, and again on every
 * client-side navigation (EspoCRM: the hash; Odoo: history.pushState).
 */

export interface ClientOptions {
  routing: 'hash' | 'path';
  /** A selector of the element the views replace. */
  main: string;
  renderDelayMs: number;
  /** Runs once before the first render (EspoCRM keeps its auth in a cookie and localStorage). */
  setup?: string;
  /**
   * What a person can change on the page, as the CRM's client does it (EspoCRM: a card dropped on
   * another column, a field's inline edit): runs with `main` and `render` in scope.
   */
  edits?: string;
}

export function clientScript(options: ClientOptions): string {
  const route = options.routing === 'hash' ? "location.hash.replace(/^#/, '')" : 'location.pathname';
  // Odoo's client keeps each card's record id in its model, never in the DOM, and opens a record
  // with pushState; EspoCRM's links are hash links the browser follows by itself.
  const pathNavigation =
    options.routing === 'path'
      ? `
  var cardIds = [];
  function go(path) { history.pushState({}, '', path); render(); }
  main.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="/odoo/"]');
    if (link) { event.preventDefault(); go(link.getAttribute('href')); return; }
    var card = event.target.closest('article.o_kanban_record');
    if (!card) return;
    var index = Array.prototype.indexOf.call(main.querySelectorAll('article.o_kanban_record'), card);
    if (cardIds[index]) go('/odoo/crm/' + cardIds[index]);
  });
  addEventListener('popstate', render);`
      : `
  addEventListener('hashchange', render);`;
  return `(function () {
  ${options.setup ?? ''}
  var main = document.querySelector(${JSON.stringify(options.main)});
  var current = 0;
  function render() {
    var mine = ++current;
    setTimeout(function () {
      fetch('/__crm/view?route=' + encodeURIComponent(${route}))
        .then(function (response) { return response.json(); })
        .then(function (view) {
          if (mine !== current) return;
          document.title = view.title;
          main.innerHTML = view.html;
          ${options.routing === 'path' ? 'cardIds = view.cardIds || [];' : ''}
        });
    }, ${options.renderDelayMs});
  }${pathNavigation}
  ${options.edits ?? ''}
  render();
})();`;
}
