// @vitest-environment node
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from './cli-options';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'emulator', 'cli.ts');

let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function firstLine(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    process.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
    });
    process.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

describe('emulator CLI', () => {
  it('prints its URL, serves JSON-RPC with the given token and exits cleanly on SIGTERM', async () => {
    child = spawn(TSX, [CLI, '--port', '0', '--token', 'cli-key', '--timezone', 'Asia/Tokyo']);
    const line = await firstLine(child);
    const match = /^CoMagic Data API emulator listening on (http:\/\/127\.0\.0\.1:\d+\/v2\.0)$/.exec(line);
    expect(match).not.toBeNull();
    const response = await fetch(match?.[1] ?? '', {
      method: 'POST',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'get.account',
        params: { access_token: 'cli-key' },
      }),
    });
    const json = (await response.json()) as { result: { data: { timezone: string }[] } };
    expect(json.result.data[0]?.timezone).toBe('Asia/Tokyo');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('prints the usage and exits 2 on an unknown flag', async () => {
    child = spawn(TSX, [CLI, '--bogus']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run emulator');
  });
});

describe('parseCli', () => {
  it('reads every flag', () => {
    const options = parseCli([
      '--port',
      '9000',
      '--token',
      'a',
      '--token',
      'b',
      '--user',
      'anna:pa:ss',
      '--minute-limit',
      '60',
      '--day-limit',
      '3000',
      '--timezone',
      'Europe/Berlin',
      '--state',
      'state.json',
      '--session-ttl',
      '120',
      '--report-currency',
      'EUR',
      '--partner-user-id',
      '501',
      '--partner-user-id',
      '502',
    ]);
    expect(options).toMatchObject({
      port: 9000,
      tokens: ['a', 'b'],
      users: [{ login: 'anna', password: 'pa:ss' }],
      minuteLimit: 60,
      dayLimit: 3000,
      timezone: 'Europe/Berlin',
      statePath: 'state.json',
      sessionTtlSeconds: 120,
      reportCurrency: 'EUR',
      partnerUserIds: [501, 502],
    });
  });

  it.each([
    [['--port', 'abc']],
    [['--minute-limit', '-1']],
    [['--user', 'nocolon']],
    [['--timezone', 'Mars/Olympus']],
    [['--report-currency', 'rub']],
    [['--partner-user-id', 'x']],
    [['extra']],
  ])('rejects %j', (argv) => {
    expect(() => parseCli(argv)).toThrow();
  });
});
