// Shared helpers for the hardening suite: run tsinit as PID 1 with a config written to a temp dir,
// talk XML-RPC to it over its unix socket (or raw bytes), and wait for conditions.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseMethodResponse, serializeCall } from '../../src/rpc/xmlrpc-codec.js';
import type { MethodResponse, XmlRpcValue } from '../../src/rpc/xmlrpc-values.js';
import { Pid1Run, waitFor } from '../helpers/pid1.js';

export { Pid1Run, waitFor };

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TSINIT = path.join(ROOT, 'dist', 'tsinit.js');

export function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `tsinit-hard-${prefix}-`));
  chmodSync(d, 0o755);
  return d;
}

/** Writes an executable script into `dir` and returns its path. */
export function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body.startsWith('#!') ? body : `#!/bin/sh\n${body}`);
  chmodSync(file, 0o755);
  return file;
}

export interface Tsinit {
  readonly run: Pid1Run;
  readonly dir: string;
  readonly conf: string;
  readonly socket: string;
  readonly mainLog: string;
  /** Main log file contents so far. */
  log(): string;
  call(method: string, params?: XmlRpcValue[]): Promise<MethodResponse>;
  /** call() that throws on a fault and returns the value. */
  value(method: string, params?: XmlRpcValue[]): Promise<XmlRpcValue>;
  dispose(): Promise<void>;
}

export const USER = 'admin';
export const PASSWORD = 'pw-Zq7-never-logged';
export const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/**
 * Starts tsinit as PID 1 with `[supervisord]` + `[unix_http_server]` (with credentials) + `body`.
 * `%(dir)s`-style placeholders are not used: `body` gets `$DIR` replaced by the temp dir.
 */
export async function startTsinit(
  prefix: string,
  body: string,
  opts: {
    loglevel?: string;
    supervisord?: string;
    unix?: string;
    env?: NodeJS.ProcessEnv;
    dir?: string;
    noSocket?: boolean;
    waitStarted?: boolean;
    /** Command words put before `node dist/tsinit.js` (e.g. prlimit): they must exec node, keeping PID 1. */
    wrap?: readonly string[];
    /** Extra tsinit arguments. */
    args?: readonly string[];
    uid?: number;
    gid?: number;
  } = {},
): Promise<Tsinit> {
  const dir = opts.dir ?? tempDir(prefix);
  const socket = path.join(dir, 'tsinit.sock');
  const mainLog = path.join(dir, 'main.log');
  const conf = path.join(dir, 'supervisord.conf');
  const text =
    `[supervisord]\nlogfile=${mainLog}\nloglevel=${opts.loglevel ?? 'info'}\npidfile=${dir}/tsinit.pid\nchildlogdir=${dir}\n${opts.supervisord ?? ''}\n` +
    (opts.noSocket ? '' : `[unix_http_server]\nfile=${socket}\nusername=${USER}\npassword=${PASSWORD}\n${opts.unix ?? ''}\n`) +
    `[supervisorctl]\nserverurl=unix://${socket}\nusername=${USER}\npassword=${PASSWORD}\n` +
    body.replaceAll('$DIR', dir);
  writeFileSync(conf, text);
  const run = await Pid1Run.start([...(opts.wrap ?? []), process.execPath, TSINIT, '-c', conf, ...(opts.args ?? [])], {
    cwd: dir,
    env: opts.env,
    uid: opts.uid,
    gid: opts.gid,
  });
  if (opts.waitStarted !== false) await run.waitForLine(/supervisord started with pid/, { timeoutMs: 30_000 });
  const call = (method: string, params: XmlRpcValue[] = []) => rpcCall(socket, method, params);
  return {
    run,
    dir,
    conf,
    socket,
    mainLog,
    log: () => {
      try {
        return readFileSync(mainLog, 'utf8');
      } catch {
        return '';
      }
    },
    call,
    value: async (method, params = []) => {
      const r = await call(method, params);
      if (r.kind === 'fault') throw new Error(`${method} faulted: ${r.faultCode} ${r.faultString}`);
      return r.value;
    },
    dispose: () => run.dispose(),
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request over a unix socket (fresh connection). */
export function httpUnix(
  socketPath: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; agent?: Agent },
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: opts.method ?? 'POST', path: opts.path ?? '/RPC2', headers: opts.headers ?? {}, agent: opts.agent ?? false, timeout: opts.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** One XML-RPC call; over a fresh connection, or the `agent`'s (keep-alive) ones. */
export async function rpcCall(socketPath: string, method: string, params: XmlRpcValue[] = [], auth = AUTH, agent?: Agent): Promise<MethodResponse> {
  const r = await httpUnix(socketPath, {
    headers: { 'Content-Type': 'text/xml', Authorization: auth },
    body: serializeCall(method, params),
    ...(agent ? { agent } : {}),
  });
  if (r.status !== 200) throw new Error(`HTTP ${r.status} for ${method}: ${r.body}`);
  return parseMethodResponse(r.body);
}

/** Raw bytes over a fresh unix-socket connection; resolves with everything the server sent before closing (or timeoutMs). */
export function rawUnix(socketPath: string, data: string | Buffer, opts: { timeoutMs?: number; endAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = connect(socketPath);
    const finish = (): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, opts.timeoutMs ?? 10_000);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('close', finish);
    sock.on('error', finish);
    sock.write(data, () => {
      if (opts.endAfterWrite) sock.end();
    });
  });
}

/** The status code of the first HTTP response in `raw` (0 when none). */
export function statusOf(raw: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m ? Number(m[1]) : 0;
}

export interface ProcessInfo {
  name: string;
  group: string;
  pid: number;
  statename: string;
  [k: string]: XmlRpcValue;
}

export async function processInfo(t: Tsinit, name: string): Promise<ProcessInfo> {
  return (await t.value('supervisor.getProcessInfo', [name])) as unknown as ProcessInfo;
}

export async function waitState(t: Tsinit, name: string, state: string, timeoutMs = 30_000): Promise<ProcessInfo> {
  let last: ProcessInfo | null = null;
  try {
    return await waitFor(
      async () => {
        last = await processInfo(t, name);
        return last.statename === state ? last : null;
      },
      timeoutMs,
      `${name} to be ${state}`,
      100,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (last: ${JSON.stringify(last)})\n--- main log:\n${t.log().slice(-3000)}`);
  }
}

/** Host pid of the process that has `nsPid` as its pid inside tsinit's namespace (NSpid in /proc status). */
export function hostPidOf(t: Tsinit, nsPid: number): number | null {
  for (const p of t.run.descendants()) {
    try {
      const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
      const m = /^NSpid:\s+(.*)$/m.exec(status);
      const ids = m ? m[1]!.trim().split(/\s+/).map(Number) : [];
      if (ids[ids.length - 1] === nsPid) return p.pid;
    } catch {
      /* gone */
    }
  }
  return null;
}

/** Resident set size of a process in KiB (VmRSS). */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** waitFor() that, on timeout, says what tsinit was doing: every process's state and the main log's tail. */
export async function waitWithDiagnostics<T>(t: Tsinit, check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  try {
    return await waitFor(check, timeoutMs, what, 50);
  } catch (err) {
    let states = '';
    try {
      const all = (await t.value('supervisor.getAllProcessInfo')) as unknown as ProcessInfo[];
      states = all.map((p) => `${p.name}=${p.statename}(pid ${p.pid})`).join(' ');
    } catch (e) {
      states = `(control plane unavailable: ${(e as Error).message})`;
    }
    throw new Error(`${(err as Error).message}\nstates: ${states}\nexited: ${JSON.stringify(t.run.exited)}\n--- main log tail:\n${t.log().slice(-4000)}`);
  }
}

/** How many times `name` has been spawned so far (main log). */
export function spawnCount(t: Tsinit, name: string): number {
  return t.log().split(`spawned: '${name}' with pid`).length - 1;
}
