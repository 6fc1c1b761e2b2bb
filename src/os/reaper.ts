// Orphan reaping without stealing libuv's exit statuses (node-pid1-notes §1).
// * Managed-pid registry: ChildProcess.prototype.spawn is wrapped, so every child that Node's
//   child_process starts (spawn, exec, execFile, fork) is known synchronously and forgotten in its 'exit'.
//   The wrap happens when child_process is loaded (child-process.ts); with the native spawn it never is.
// * Adopted children (the addon's spawn, which libuv knows nothing about) are reaped here like orphans,
//   but their status goes to the callback given to adopt() instead of onOrphan.
// * On SIGCHLD the caller calls schedule(): one setImmediate runs the native peek loop, which reaps only
//   zombies that are NOT in the registry. When a managed zombie sits at the head of the kernel's list,
//   libuv reaps it in the same poll phase and we retry on the next setImmediate (head-of-line retry).
// * No timers, no waitpid(-1), SIGCHLD never ignored. Do not spawn from worker threads (another libuv loop).
import type { ChildProcess } from 'node:child_process';
import { whenChildProcessLoaded } from './child-process.js';
import type { ReaperAddon } from './native.js';
import { decodeWaitStatus, type DecodedStatus } from '../common/exit-status.js';

export interface OrphanReport extends DecodedStatus {
  readonly pid: number;
  /** Raw wait status. */
  readonly status: number;
}

export interface ReaperOptions {
  readonly addon: Pick<ReaperAddon, 'reapExcept'>;
  /** One call per orphan reaped; log it as `reaped unknown pid <pid> (<message>)`. Exceptions are caught. */
  readonly onOrphan: (orphan: OrphanReport) => void;
  /** Errors from the callback or the addon (never thrown out of the event loop). */
  readonly onError?: (err: unknown) => void;
}

/** Consecutive immediate retries on the same blocking managed pid before waiting for the next SIGCHLD. */
const MAX_SPIN = 10_000;

type SpawnFn = (this: ChildProcess, options: unknown) => unknown;

export class Reaper {
  private readonly managed = new Set<number>();
  private managedArray: Int32Array | null = new Int32Array(0);
  private scheduled = false;
  private spinPid = 0;
  private spinCount = 0;
  private originalSpawn: SpawnFn | null = null;
  private wrappedProto: { spawn: SpawnFn } | null = null;
  private cancelRegistryHook: (() => void) | null = null;
  private readonly adopted = new Map<number, (status: number) => void>();
  private reaped = 0;

  constructor(private readonly opts: ReaperOptions) {}

  /** Orphans reaped so far. */
  get orphansReaped(): number {
    return this.reaped;
  }

  /** Pids of live (or not yet reaped) children started through child_process. */
  get managedPids(): ReadonlySet<number> {
    return this.managed;
  }

  /**
   * A child started without child_process (the addon's spawn): its raw wait status goes to `onExit`, once,
   * when it is reaped. Call right after the spawn, in the same turn (reaping only happens in setImmediate).
   */
  adopt(pid: number, onExit: (status: number) => void): void {
    this.adopted.set(pid, onExit);
  }

  /** Installs the registry (wraps ChildProcess.prototype.spawn when child_process gets loaded). Idempotent. */
  installRegistry(): void {
    if (this.originalSpawn || this.cancelRegistryHook) return;
    this.cancelRegistryHook = whenChildProcessLoaded((cp) => {
      this.cancelRegistryHook = null;
      this.wrapSpawn(cp.ChildProcess);
    });
  }

  private wrapSpawn(ChildProcess: typeof import('node:child_process').ChildProcess): void {
    const proto = ChildProcess.prototype as unknown as { spawn: SpawnFn };
    const original = proto.spawn;
    this.originalSpawn = original;
    this.wrappedProto = proto;
    const track = (pid: number, child: ChildProcess): void => this.track(pid, child);
    proto.spawn = function wrappedSpawn(this: ChildProcess, options: unknown): unknown {
      const result = original.call(this, options);
      const pid = this.pid;
      if (typeof pid === 'number' && pid > 0) track(pid, this);
      return result;
    };
  }

  /** Restores the original ChildProcess.prototype.spawn. */
  uninstallRegistry(): void {
    this.cancelRegistryHook?.();
    this.cancelRegistryHook = null;
    if (!this.originalSpawn || !this.wrappedProto) return;
    this.wrappedProto.spawn = this.originalSpawn;
    this.originalSpawn = null;
    this.wrappedProto = null;
  }

  private track(pid: number, child: ChildProcess): void {
    this.managed.add(pid);
    this.managedArray = null;
    // Node emits 'exit' synchronously inside libuv's exit callback, right after libuv's waitpid(pid).
    child.once('exit', () => {
      this.managed.delete(pid);
      this.managedArray = null;
    });
  }

  /** Reap soon (call on every SIGCHLD). Coalesces into one setImmediate. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const last = this.reapNow();
      if (last === -1) {
        this.schedule(); // batch full: more zombies are waiting
      } else if (last > 0) {
        // Head-of-line: a managed zombie libuv has not collected yet. Retry on the next turn, unless the
        // same pid keeps blocking (a registry entry whose 'exit' never came); then wait for the next SIGCHLD.
        if (last === this.spinPid) this.spinCount++;
        else {
          this.spinPid = last;
          this.spinCount = 0;
        }
        if (this.spinCount < MAX_SPIN) this.schedule();
        else this.report(new Error(`reaper: managed pid ${last} stays a zombie; waiting for the next SIGCHLD`));
      } else {
        this.spinPid = 0;
        this.spinCount = 0;
      }
    });
  }

  /**
   * Reaps every reapable orphan now (synchronously, e.g. the final drain at exit). Returns the addon's
   * last value: 0 = nothing left, > 0 = blocked by that managed pid, -1 = more than one batch left.
   */
  reapNow(): number {
    let r: Int32Array;
    try {
      if (!this.managedArray) this.managedArray = Int32Array.from(this.managed);
      r = this.opts.addon.reapExcept(this.managedArray);
    } catch (err) {
      this.report(err);
      return 0;
    }
    const n = r.length - 1;
    for (let i = 0; i + 1 < n; i += 2) {
      const pid = r[i]!;
      const status = r[i + 1]!;
      const adopted = this.adopted.get(pid);
      try {
        if (adopted) {
          this.adopted.delete(pid);
          adopted(status);
        } else {
          this.reaped++;
          this.opts.onOrphan({ pid, status, ...decodeWaitStatus(status) });
        }
      } catch (err) {
        this.report(err);
      }
    }
    return r[n] ?? 0;
  }

  /** reapNow() until nothing reapable is left (stops at a blocking managed pid). Returns orphans reaped. */
  drain(): number {
    const before = this.reaped;
    while (this.reapNow() === -1);
    return this.reaped - before;
  }

  private report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      /* a broken error sink must not take the reaper down */
    }
  }
}
