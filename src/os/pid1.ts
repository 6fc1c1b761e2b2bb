// PID-1 duties, installed in the order of node-pid1-notes' recipe:
//   1. cloexecFrom(3): inherited fds must not leak into programs;
//   2. PR_SET_CHILD_SUBREAPER when not PID 1, so orphans still come to us;
//   3. the managed-pid registry (wraps ChildProcess.prototype.spawn once child_process is loaded);
//   4. SIGCHLD → setImmediate(reap) (never waitpid(-1), never SIG_IGN SIGCHLD, no timers);
//   5. a listener on every other catchable signal, routed to the caller (SIGUSR1 too: no inspector);
//   6. uncaughtException / unhandledRejection → fatal();
//   7. EPIPE guards on stdout/stderr;
//   8. signal-exit's onExit as the last-chance hook: SIGKILL every descendant if tsinit dies anyway.
import { loadNative, type ReaperAddon } from './native.js';
import type { NativeSpawner } from './native-spawn.js';
import { descendantsOf, listProcesses } from './proc-tree.js';
import { Reaper, type OrphanReport } from './reaper.js';
import {
  installEpipeGuards,
  installErrorHooks,
  installLastChance,
  installSignals,
  type SignalHandler,
  type SignalName,
} from './signals.js';

export type Pid1LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Pid1Options {
  /**
   * Every owned signal except SIGCHLD (which drives the reaper). The caller routes: TERM/INT/QUIT →
   * shutdown, HUP → reload, USR2 → reopen logs, anything else → log and ignore.
   */
  readonly onSignal: SignalHandler;
  /** An orphan was reaped: log `reaped unknown pid <pid> (<message>)`. */
  readonly onOrphan: (orphan: OrphanReport) => void;
  /** An uncaught exception or unhandled rejection: start an orderly stop with a non-zero exit. */
  readonly fatal: (err: unknown, origin: 'uncaughtException' | 'unhandledRejection') => void;
  /** tsinit's own log for the OS edge's messages. */
  readonly log?: (level: Pid1LogLevel, message: string) => void;
  /** For tests: another addon. */
  readonly addon?: ReaperAddon;
  /** Install signal-exit's last-chance SIGKILL sweep (default true). */
  readonly lastChance?: boolean;
}

export interface KillSweepResult {
  /** Descendants that got SIGTERM. */
  readonly terminated: number;
  /** Descendants still alive after the grace, which got SIGKILL. */
  readonly killed: number;
}

export interface Pid1Handle {
  readonly isPid1: boolean;
  /** Whether PR_SET_CHILD_SUBREAPER is set (only when not PID 1). */
  readonly subreaper: boolean;
  /** Orphans reaped so far. */
  readonly orphansReaped: number;
  /** Pids of children started through child_process that have not exited yet. */
  readonly managedPids: ReadonlySet<number>;
  /**
   * Spawning through the addon, with this reaper collecting the exits (NodeOsEdge's `native`). null when the
   * addon predates its spawn call.
   */
  readonly nativeSpawner: NativeSpawner | null;
  /** Reap every reapable orphan now (the final drain). Returns how many were reaped. */
  reapNow(): number;
  /** Live (non-zombie) descendants of tsinit. */
  liveDescendants(): number[];
  /**
   * Final sweep: SIGTERM every live descendant, wait up to graceMs for them to go, SIGKILL the rest and
   * wait for them to be gone, reaping as they die. Call after every program has been stopped.
   */
  killAllDescendants(graceMs: number): Promise<KillSweepResult>;
  /** Synchronous SIGKILL of every live descendant (the last-chance path). Returns how many were signalled. */
  killAllDescendantsNow(): number;
  /** Removes signal listeners, error hooks, the registry wrapper and the exit hook (tests). */
  uninstall(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Poll interval of the final sweep only (tsinit is exiting; nothing polls while it supervises). */
const SWEEP_POLL_MS = 20;
/** How long to wait for SIGKILLed descendants to disappear. */
const KILL_WAIT_MS = 5000;

export function installPid1(options: Pid1Options): Pid1Handle {
  const log = (level: Pid1LogLevel, message: string): void => {
    try {
      options.log?.(level, message);
    } catch {
      /* a broken log sink must not take PID 1 down */
    }
  };
  const addon = options.addon ?? loadNative();
  const isPid1 = process.pid === 1;

  try {
    log('debug', `marked inherited fds >= 3 close-on-exec (${addon.cloexecFrom(3)})`);
  } catch (err) {
    log('warn', `could not mark inherited fds close-on-exec: ${(err as Error).message}`);
  }

  let subreaper = false;
  if (!isPid1) {
    try {
      subreaper = addon.setSubreaper(true);
    } catch (err) {
      log('warn', `could not become child subreaper; orphans will not be reaped: ${(err as Error).message}`);
    }
  }

  const reaper = new Reaper({
    addon,
    onOrphan: options.onOrphan,
    onError: (err) => log('error', `reaper: ${err instanceof Error ? err.message : String(err)}`),
  });
  reaper.installRegistry();

  const signals = installSignals({
    handlers: { SIGCHLD: () => reaper.schedule() },
    other: options.onSignal,
    onError: (err, name: SignalName) =>
      log('error', `handler for ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
  const removeErrorHooks = installErrorHooks(options.fatal);
  installEpipeGuards();

  const liveDescendants = (): number[] =>
    descendantsOf(process.pid, listProcesses())
      .filter((p) => p.state !== 'Z' && p.state !== 'X')
      .map((p) => p.pid);

  const signalAll = (pids: readonly number[], sig: NodeJS.Signals): number => {
    let n = 0;
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
        n++;
      } catch {
        /* gone already */
      }
    }
    return n;
  };

  const killAllDescendantsNow = (): number => signalAll(liveDescendants(), 'SIGKILL');
  const removeLastChance = options.lastChance === false ? () => {} : installLastChance(killAllDescendantsNow);

  // Zombies may predate us (inherited children of an exec'ing parent): reap once at startup.
  reaper.schedule();

  const waitGone = async (deadline: number): Promise<number[]> => {
    let alive = liveDescendants();
    while (alive.length > 0 && Date.now() < deadline) {
      await sleep(SWEEP_POLL_MS);
      reaper.drain();
      alive = liveDescendants();
    }
    return alive;
  };

  return {
    isPid1,
    subreaper,
    get orphansReaped() {
      return reaper.orphansReaped;
    },
    managedPids: reaper.managedPids,
    nativeSpawner:
      addon.spawn && addon.pipe
        ? { addon: { spawn: addon.spawn.bind(addon), pipe: addon.pipe.bind(addon) }, adopt: (pid, onExit) => reaper.adopt(pid, onExit) }
        : null,
    reapNow: () => reaper.drain(),
    liveDescendants,
    killAllDescendantsNow,
    async killAllDescendants(graceMs: number): Promise<KillSweepResult> {
      const first = liveDescendants();
      const terminated = signalAll(first, 'SIGTERM');
      let left = terminated > 0 ? await waitGone(Date.now() + Math.max(0, graceMs)) : [];
      const killed = signalAll(left, 'SIGKILL');
      if (killed > 0) left = await waitGone(Date.now() + KILL_WAIT_MS);
      if (left.length > 0) log('warn', `${left.length} process(es) survived SIGKILL: ${left.join(', ')}`);
      // Let libuv collect its own children's exits, then drain the orphans.
      await new Promise((r) => setImmediate(r));
      reaper.drain();
      return { terminated, killed };
    },
    uninstall() {
      signals.uninstall();
      removeErrorHooks();
      removeLastChance();
      reaper.uninstallRegistry();
    },
  };
}
