// Run a command as PID 1 of a fresh PID namespace (`unshare --pid --fork --mount-proc <cmd...>`), as tsinit
// runs in a container, and drive it from a test.
//
//   const run = await Pid1Run.start([process.execPath, 'dist/tsinit.js', '-c', conf]);
//   await run.waitForLine(/supervisord started/);      // stdout+stderr, or { stream: 'stdout' }
//   run.signal('SIGTERM');                              // goes to the namespaced PID 1, not to unshare
//   const { code } = await run.waitForExit();
//   expect(run.zombies()).toEqual([]);                  // while it runs: zombie descendants (host view)
//   await run.dispose();                                // always (afterEach): SIGKILLs what is left
//
// Why the indirection: `unshare --fork` blocks SIGTERM/SIGINT itself and only waits for its child, so signals
// must be sent to the child, whose host pid is found through /proc (its ppid is unshare's pid). When that
// child (PID 1 inside) exits, the kernel SIGKILLs the rest of the namespace, and unshare exits with the
// child's status (128+N when the child was killed by signal N, which unshare re-raises on itself).
// Also: runOutsideNamespace() runs the same command without unshare (subreaper tests).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Pid1StartOptions {
  readonly cwd?: string;
  /** Full environment (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Extra fds for the unshare process (and so for PID 1): index i of this array becomes fd 3+i.
   * Use `null` for gaps. (e.g. inherit an fd without CLOEXEC to test fd leaks.)
   */
  readonly extraFds?: readonly (number | null)[];
  /** Run as this uid/gid (default: the test's own). */
  readonly uid?: number;
  readonly gid?: number;
  /** How long to wait for the namespaced child to appear (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface ExitResult {
  /** unshare's exit code (the namespaced PID 1's exit code; 128+N when it died of signal N). */
  readonly code: number | null;
  /** Signal that killed unshare itself, if any. */
  readonly signal: NodeJS.Signals | null;
}

export interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly state: string;
  readonly comm: string;
}

/** Reads /proc/<pid>/stat (host view); null when the process is gone. */
export function procStat(pid: number): ProcInfo | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    const rest = text.slice(close + 2).split(' ');
    return { pid, ppid: Number(rest[1]), pgrp: Number(rest[2]), state: rest[0]!, comm: text.slice(open + 1, close) };
  } catch {
    return null;
  }
}

/** Every process of the host (or of the namespace, when run inside one). */
export function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

/** Direct children of `pid`: /proc/<pid>/task/<tid>/children when the kernel has it, else a full /proc scan. */
export function childrenOf(pid: number): number[] {
  try {
    const out: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(' ').map(Number));
    }
    return out;
  } catch {
    return allProcs()
      .filter((p) => p.ppid === pid)
      .map((p) => p.pid);
  }
}

/** Descendants of `root` (host pids), not including root. */
export function descendants(root: number): ProcInfo[] {
  const procs = allProcs();
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of procs) {
      if (p.ppid === parent) {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

/** Waits until `check()` returns a truthy value (polling every `intervalMs`), or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition', intervalMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

type Stream = 'stdout' | 'stderr' | 'both';

export class Pid1Run {
  /** Everything written so far. */
  stdout = '';
  stderr = '';
  /** stdout and stderr interleaved in arrival order. */
  output = '';
  private exit: ExitResult | null = null;
  private readonly exitPromise: Promise<ExitResult>;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly proc: ChildProcess,
    /** Host pid of the namespaced PID 1 (the process signals must go to). */
    readonly pid: number,
    readonly namespaced: boolean,
  ) {
    this.exitPromise = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  /** Starts `command` as PID 1 of a new PID namespace (with its own /proc). */
  static start(command: readonly string[], options: Pid1StartOptions = {}): Promise<Pid1Run> {
    return Pid1Run.launch(['unshare', '--pid', '--fork', '--mount-proc', ...command], true, options);
  }

  /** Starts `command` directly (not PID 1): for subreaper tests. `pid` is the command's own pid. */
  static runOutsideNamespace(command: readonly string[], options: Pid1StartOptions = {}): Promise<Pid1Run> {
    return Pid1Run.launch(command, false, options);
  }

  private static async launch(argv: readonly string[], namespaced: boolean, options: Pid1StartOptions): Promise<Pid1Run> {
    const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', ...(options.extraFds ?? []).map((fd) => (fd === null ? 'ignore' : fd))];
    const proc = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio,
      uid: options.uid,
      gid: options.gid,
    });
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    let pid = proc.pid ?? 0;
    if (namespaced) {
      const exited = new Promise<never>((_, reject) =>
        proc.once('exit', (code, signal) => reject(new Error(`unshare exited (${code ?? signal}) before its child was found`))),
      );
      pid = await Promise.race([
        spawnError,
        exited,
        waitFor(() => childrenOf(proc.pid!)[0], options.startTimeoutMs ?? 30_000, 'the namespaced child of unshare'),
      ]);
    }
    const run = new Pid1Run(proc, pid, namespaced);
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => run.append('stdout', d));
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => run.append('stderr', d));
    return run;
  }

  private append(stream: 'stdout' | 'stderr', data: string): void {
    this[stream] += data;
    this.output += data;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private text(stream: Stream): string {
    return stream === 'both' ? this.output : this[stream];
  }

  /** Sends a signal to the namespaced PID 1 (host pid). Returns false when it is gone. */
  signal(sig: NodeJS.Signals | number): boolean {
    try {
      process.kill(this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /** Writes to PID 1's stdin (for test harnesses that read commands). */
  write(text: string): void {
    this.proc.stdin!.write(text);
  }

  /**
   * Resolves with the first complete line matching `pattern` (searched from `fromIndex` characters into the
   * chosen stream), waiting for it up to `timeoutMs`. Rejects when the process exits without printing it.
   */
  waitForLine(pattern: RegExp | string, opts: { stream?: Stream; timeoutMs?: number; fromIndex?: number } = {}): Promise<string> {
    const stream = opts.stream ?? 'both';
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const from = opts.fromIndex ?? 0;
    const find = (): string | null => {
      const lines = this.text(stream).slice(from).split('\n');
      lines.pop(); // only complete lines
      for (const line of lines) if (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)) return line;
      return null;
    };
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = find();
        if (line !== null) {
          done();
          resolve(line);
        } else if (this.exit) {
          done();
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) without printing ${String(pattern)}; output:\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; output:\n${this.output}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Every complete line matching `pattern` so far. */
  lines(pattern: RegExp | string, stream: Stream = 'both'): string[] {
    return this.text(stream)
      .split('\n')
      .filter((l) => (typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l)));
  }

  /** Waits for the whole run to end (unshare's exit). */
  async waitForExit(timeoutMs = 30_000): Promise<ExitResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for exit; output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exitPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get exited(): ExitResult | null {
    return this.exit;
  }

  /** Host view of every process below PID 1 (inside the namespace), not including PID 1. */
  descendants(): ProcInfo[] {
    return descendants(this.pid);
  }

  /** Zombies among PID 1 and its descendants. */
  zombies(): ProcInfo[] {
    const self = procStat(this.pid);
    return [...(self ? [self] : []), ...this.descendants()].filter((p) => p.state === 'Z');
  }

  /** Kills everything (SIGKILL to PID 1 ends the namespace) and waits for the exit. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.exit) return;
    const below = this.namespaced ? [] : this.descendants();
    this.signal('SIGKILL');
    for (const d of below) {
      try {
        process.kill(d.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    try {
      process.kill(this.proc.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    await this.waitForExit(10_000).catch(() => undefined);
  }
}
