/** The Data API emulator in its own process (as `npm run emulator` runs it), so it never shares the bench's event loop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface EmulatorProcess {
  url: string;
  origin: string;
  close(): Promise<void>;
}

export async function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
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
