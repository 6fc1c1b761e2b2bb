// Runs the real supervisord (Debian's 4.2.x), or tsinit's bundle, on a config and returns when a condition on
// the listeners' record files holds, after an orderly SIGTERM shutdown. Both sides of the comparison tests.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TSINIT = path.resolve(import.meta.dirname, '..', '..', '..', 'dist', 'tsinit.js');

/** Runs a supervisor until `done()` holds, then stops it with SIGTERM; returns its stdout+stderr. */
async function runUntil(label: string, command: string, args: string[], done: () => boolean, timeoutMs: number): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  try {
    while (!done()) {
      if (child.exitCode !== null) throw new Error(`${label} exited early\n${log}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${label} timed out\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return log;
}

export async function runSupervisord(configFile: string, done: () => boolean, timeoutMs = 30_000): Promise<{ log: string }> {
  return { log: await runUntil('supervisord reference run', '/usr/bin/supervisord', ['-n', '-c', configFile], done, timeoutMs) };
}

/** The same for tsinit's bundle (not as PID 1: the listener protocol does not depend on it). */
export async function runTsinit(configFile: string, done: () => boolean, timeoutMs = 30_000): Promise<string> {
  return runUntil('tsinit run', process.execPath, [TSINIT, '-c', configFile], done, timeoutMs);
}

export function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
