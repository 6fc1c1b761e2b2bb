// Shared helpers for control-plane integration tests.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const TSINIT = path.join(ROOT, 'dist', 'tsinit.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command asynchronously (the server under test may live in this very process). */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { timeout: opts.timeoutMs ?? 30_000, env: opts.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export function supervisorctl(conf: string, ...args: string[]): Promise<RunResult> {
  return run('/usr/bin/supervisorctl', ['-c', conf, ...args]);
}

export function tsinitCtl(conf: string, ...args: string[]): Promise<RunResult> {
  return run(process.execPath, [TSINIT, 'ctl', '-c', conf, ...args]);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeFile(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

/** A raw HTTP exchange over the unix socket. */
export function httpRequest(
  socketPath: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: opts.method ?? 'POST', path: opts.path ?? '/RPC2', headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** Wait until `check` returns a truthy value (polling gently), or fail after timeoutMs. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start a streaming command; returns accumulated output and a stop function. */
export interface Streaming {
  out: () => string;
  err: () => string;
  write: (text: string) => void;
  endInput: () => void;
  exited: Promise<number | null>;
  stop: (sig?: NodeJS.Signals) => Promise<number | null>;
}

export function stream(cmd: string, args: string[]): Streaming {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    out: () => out,
    err: () => err,
    write: (text) => void child.stdin.write(text),
    endInput: () => void child.stdin.end(),
    exited,
    stop: async (sig: NodeJS.Signals = 'SIGINT') => {
      child.kill(sig);
      return exited;
    },
  };
}
