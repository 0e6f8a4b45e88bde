/**
 * A server the bench talks to, in its own process (as `npm run emulator` runs the emulator), so it
 * never shares the bench's event loop or its CPU figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface ServerProcess {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Runs `script` (a .ts file under the project) with `args`; it prints `listening on <url>` when ready. */
export async function spawnServer(script: string, args: string[]): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    async close() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** The Data API emulator. */
export const spawnEmulator = (args: string[]): Promise<ServerProcess> =>
  spawnServer('emulator/cli.ts', ['--port', '0', ...args]);
