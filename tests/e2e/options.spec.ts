import type { Page } from 'playwright-core';
import { configure, inspect } from '../../emulator/control';
import { startEmulator } from '../../emulator/server';
import { expectEqual, expectTrue, launchExtension, test, until } from '../support/extension-browser';
import {
  fixture,
  kindOf,
  openCrmTab,
  openPopup,
  serveCrm,
  TOKEN,
  withSession,
} from '../support/extension-flows';

async function saveConnection(options: Page, url: string, token: string) {
  await options.getByTestId('endpoint-select').selectOption('custom');
  await options.getByTestId('custom-endpoint-input').fill(url);
  await options.getByTestId('token-input').fill(token);
  await options.getByTestId('save-connection').click();
  await until(
    async () => (await options.getByTestId('connection-status').textContent())?.match(/Saved|Сохранено/),
    'the connection to be saved',
  );
}

async function testConnection(options: Page): Promise<string> {
  await options.getByTestId('test-connection').click();
  return until(async () => {
    const status = options.getByTestId('connection-status');
    const kind = await status.locator('[data-error-class], .done').count();
    return kind > 0 ? ((await status.textContent()) ?? '') : '';
  }, 'the connection test');
}

test('options: save an endpoint and a key, test the connection, see account name and time zone', async () => {
  const emulator = await startEmulator({
    port: 0,
    tokens: ['e2e-key-7f3a'],
    accountName: 'Рога и копыта',
    timezone: 'Asia/Yekaterinburg',
  });
  const browser = await launchExtension();
  try {
    const options = await browser.openPage('options.html');
    await saveConnection(options, emulator.url, 'e2e-key-7f3a');
    await testConnection(options);
    expectEqual(await options.getByTestId('account-name').textContent(), 'Рога и копыта', 'account name');
    expectEqual(
      await options.getByTestId('account-timezone').textContent(),
      'Asia/Yekaterinburg',
      'time zone',
    );

    // The stored key is masked in the page; the secret itself never comes back from the background.
    const page = await options.content();
    expectTrue(!page.includes('e2e-key-7f3a'), 'the options page not to show the stored key');
    expectTrue(page.includes('••••••7f3a'), 'the options page to show the masked key');
  } finally {
    await browser.close();
    await emulator.close();
  }
});

test('options: a wrong key and an IP that is not allowed each get a message saying what to do', async () => {
  const emulator = await startEmulator({ port: 0, tokens: ['right-key'] });
  const browser = await launchExtension();
  try {
    const options = await browser.openPage('options.html');
    await saveConnection(options, emulator.url, 'wrong-key');
    const wrongKey = await testConnection(options);
    expectEqual(
      await options.locator('[data-error-class]').getAttribute('data-error-class'),
      'auth',
      'error class for a wrong key',
    );
    expectTrue(/key|ключ/i.test(wrongKey), `a message about the key, got "${wrongKey}"`);

    await saveConnection(options, emulator.url, 'right-key');
    await configure(emulator.origin, { ipNotWhitelisted: true });
    const ip = await testConnection(options);
    expectEqual(
      await options.locator('[data-error-class]').getAttribute('data-error-class'),
      'access',
      'error class for an IP not allowed',
    );
    expectTrue(/IP/.test(ip) && /0\.0\.0\.0\/0/.test(ip), `a message on allowing the IP, got "${ip}"`);
  } finally {
    await browser.close();
    await emulator.close();
  }
});

test('options: add a CRM site and see it in the site list', async () => {
  await withSession({}, async (session) => {
    const options = await session.browser.openPage('options.html');
    // The e2e build holds every host already, so the request resolves without a prompt.
    await options.getByTestId('site-url-input').fill('https://acme.amocrm.ru/leads/pipeline/7001');
    await options.getByTestId('add-site').click();
    const site = options.getByTestId('site-list').locator('li[data-pattern="https://acme.amocrm.ru/*"]');
    await until(() => site.count(), 'https://acme.amocrm.ru/* in the site list', 5_000);
    expectTrue(/amoCRM/.test((await site.textContent()) ?? ''), 'the site to name its CRM');
  });
});

test('options: map a pipeline, edit a stage, create its funnel in CoMagic', async () => {
  await withSession({}, async (session) => {
    const options = await session.browser.openPage('options.html');
    await saveConnection(options, session.emulator.url, TOKEN);
    // Opening the board is what makes the pipeline's mapping.
    await serveCrm(session, 'https://acme.amocrm.ru', () => fixture('amocrm/board-ru.html'));
    const { tabId } = await openCrmTab(session, 'https://acme.amocrm.ru/leads/pipeline/7001/');
    const popup = await openPopup(session, tabId);
    expectEqual(await kindOf(popup), 'board', 'popup page kind');

    await options.goto(options.url().replace(/#.*$/, '#mapping'));
    await options.reload();
    const editor = options.locator('[data-testid="mapping-editor"][data-key*="|amocrm|7001"]');
    await editor.waitFor();
    await editor.getByLabel(/CoMagic stage for Переговоры/).fill('Talks');
    await editor.getByTestId('save-mapping').click();
    await until(async () => /Saved/.test((await editor.getByRole('status').textContent()) ?? ''), 'saved');
    await editor.getByTestId('create-funnel').click();
    const done = await until(
      async () => {
        const text = (await editor.getByRole('status').textContent()) ?? '';
        return /in CoMagic|not|error/i.test(text) ? text : null;
      },
      'the funnel to be created',
      30_000,
    );
    expectTrue(/is in CoMagic/.test(done), `a funnel-created message, got "${done}"`);

    const shown = await editor.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => {
        const inputs = row.querySelectorAll('input');
        return {
          name: (inputs[0] as HTMLInputElement).value,
          ext_id: (inputs[1] as HTMLInputElement).value,
          status: (row.querySelector('select') as HTMLSelectElement).value,
        };
      }),
    );
    const { funnels } = await inspect(session.emulator.origin);
    expectEqual(funnels.length, 1, 'funnels in CoMagic');
    const funnel = funnels[0];
    expectEqual(funnel?.name, 'Продажи', 'funnel name');
    expectEqual(
      funnel?.stages.map(({ name, ext_id, status }) => ({ name, ext_id, status })),
      shown,
      'funnel stages as the mapping editor shows them',
    );
    expectTrue(
      shown.some((stage) => stage.name === 'Talks'),
      'the edited stage name in the funnel',
    );
  });
});
