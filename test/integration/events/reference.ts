// Runs the real supervisord (Debian's 4.2.x) on a config and returns when a condition on the listeners'
// record files holds, after an orderly SIGTERM shutdown. The reference side of the comparison tests.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export async function runSupervisord(
  configFile: string,
  done: () => boolean,
  timeoutMs = 30_000,
): Promise<{ log: string }> {
  const child = spawn('/usr/bin/supervisord', ['-n', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  try {
    while (!done()) {
      if (Date.now() - started > timeoutMs) throw new Error(`supervisord reference run timed out\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return { log };
}

export function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
