// @vitest-environment node
import { Browser, type BrowserPage, type HTMLElement } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPipeline } from '../../demo/data';
import { type RunningCrm, startCrm } from './server';

// The page scripts run in happy-dom's browser against the real server, as a browser runs them.
const espoPipeline = demoPipeline('espocrm');
const odooPipeline = demoPipeline('odoo');
const RENDER_DELAY_MS = 150;
let espo: RunningCrm;
let odoo: RunningCrm;
let browser: Browser;

beforeAll(async () => {
  espo = await startCrm(espoPipeline, { renderDelayMs: RENDER_DELAY_MS });
  odoo = await startCrm(odooPipeline, { renderDelayMs: RENDER_DELAY_MS });
  browser = new Browser({
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
});
afterAll(async () => {
  await browser.close();
  await espo.close();
  await odoo.close();
});

async function until<T>(read: () => T | null | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function open(url: string): Promise<BrowserPage> {
  const page = browser.newPage();
  await page.goto(url);
  return page;
}

describe('the EspoCRM page script', () => {
  it('renders the board a little after the shell loads, and signs the browser in as EspoCRM does', async () => {
    const page = await open(espo.boardUrl);
    const { document, localStorage } = page.mainFrame.window;
    expect(document.querySelector('#main')?.children).toHaveLength(0);
    await until(() => document.querySelector('div.list-kanban[data-scope="Opportunity"]'), 'the kanban');
    expect(document.querySelectorAll('div.item[data-id]')).toHaveLength(espoPipeline.deals.length);
    expect(document.title).toBe('Opportunities');
    const token = /auth-token=(\w+)/.exec(document.cookie)?.[1];
    expect(atob(localStorage.getItem('espo-user-auth') ?? '')).toBe(`admin:${token}`);
    const deal = espoPipeline.deals[0];
    const status = await page.mainFrame.window.fetch(`/api/v1/Opportunity/${deal?.id}`).then((r) => r.status);
    expect(status).toBe(200);
    page.close();
  });

  it('renders the deal a hash route names, again on every hash change', async () => {
    const [first, second] = espoPipeline.deals;
    const page = await open(espo.dealUrl(first?.id ?? ''));
    const { document, location } = page.mainFrame.window;
    await until(() => document.querySelector('div.detail[data-scope="Opportunity"]'), 'the deal');
    expect(document.title).toBe(first?.name);
    location.hash = `#Opportunity/view/${second?.id}`;
    await until(() => document.title === second?.name, 'the second deal');
    expect(document.querySelector('div.cell[data-name="name"] div.field')?.textContent).toBe(second?.name);
    location.hash = '#Opportunity/view/nope';
    await until(() => document.title === 'Error 404', 'the error view');
    page.close();
  });
});

describe('the Odoo page script', () => {
  it("opens a card's lead with pushState, though the card holds no id, and goes back by the breadcrumb", async () => {
    const page = await open(odoo.boardUrl);
    const { document, location } = page.mainFrame.window;
    const cards = await until(() => {
      const found = document.querySelectorAll('article.o_kanban_record');
      return found.length > 0 && found;
    }, 'the cards');
    const third = cards[2] as unknown as {
      click(): void;
      querySelector(s: string): { textContent: string } | null;
    };
    const name = third.querySelector(':scope > span')?.textContent;
    third.click();
    await until(() => document.querySelector('.o_form_view'), 'the form');
    const lead = odooPipeline.deals.find((deal) => deal.name === name);
    expect(location.pathname).toBe(`/odoo/crm/${lead?.id}`);
    expect(document.querySelector('[name="name"] input')?.getAttribute('value')).toBe(name);
    (document.querySelector('ol.breadcrumb a') as HTMLElement).click();
    await until(() => document.querySelector('.o_kanban_view'), 'the board again');
    expect(location.pathname).toBe('/odoo/crm');
    page.close();
  });
});
