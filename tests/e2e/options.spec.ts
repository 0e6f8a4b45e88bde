import type { Page } from 'playwright-core';
import { configure } from '../../emulator/control';
import { startEmulator } from '../../emulator/server';
import { expectEqual, expectTrue, launchExtension, test, until } from './harness';

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
