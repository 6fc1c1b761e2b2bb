// One supervised process: its pure state machine plus the I/O around it (spawn through the OsEdge, output
// wiring, the exit callback, its single deadline timer). Implements the machine's host port and the
// read-only ProcessView the control plane sees.
import type { Config, ProcessConfig } from '../config/model.js';
import { buildChildEnv } from '../os/child-env.js';
import { SpawnFailure, type ChildHandle, type ExitStatus, type OsEdge, type SharedSocket, type SpawnSpec } from '../os/edge.js';
import type { ProcessOutput } from '../output/types.js';
import type { CancelTimer, Clock } from './clock.js';
import type { ProcessView } from './control.js';
import { ProcessMachine, type KillOutcome, type MachineHost, type MachineLogLevel, type SpawnOutcome, type StateChange } from './process-machine.js';
import type { ProcessState } from './states.js';

/** What a process needs from the supervisor that owns it. */
export interface ProcessOwner {
  readonly os: OsEdge;
  readonly clock: Clock;
  /** The config whose serverurl applies to children. */
  currentConfig(): Config;
  /** tsinit's own environment at startup (base of every child environment). */
  readonly ownEnv: Readonly<Record<string, string | undefined>>;
  log(level: MachineLogLevel, text: string): void;
  stateChanged(proc: ManagedProcess, change: StateChange): void;
  /**
   * A child of this process was reaped and its piped output drained (or the drain wait ran out); the owner
   * feeds it to the machine and re-evaluates. `diedAt` is when the exit was observed (before the drain).
   */
  childExited(proc: ManagedProcess, child: ChildHandle, status: ExitStatus, diedAt: number): void;
  /** The deadline timer of this process fired. */
  deadlineReached(proc: ManagedProcess): void;
  /** A side-subsystem failure worth reporting (output attach and the like). */
  reportError(what: string, err: unknown): void;
}

/**
 * How long an exit waits for the child's piped output to reach EOF before it is handled anyway (a grandchild
 * that inherited the pipe may keep it open for ever). supervisord reads what is pending before it handles
 * an exit (finish() → drain()); tsinit waits for EOF, bounded by this.
 */
export const EXIT_DRAIN_CAP_MS = 1000;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ManagedProcess implements ProcessView, MachineHost {
  readonly machine: ProcessMachine;
  child: ChildHandle | null = null;
  private timer: { at: number; cancel: CancelTimer } | null = null;
  /** The deadline whose timer fired last: never re-armed (a rule may be due but blocked, e.g. by the mood). */
  private firedAt: number | null = null;
  /** The child has been reaped but its exit waits for its output to drain (see EXIT_DRAIN_CAP_MS). */
  private pendingExit: ChildHandle | null = null;

  constructor(
    readonly config: ProcessConfig,
    readonly output: ProcessOutput,
    private readonly owner: ProcessOwner,
    /** fcgi-program: the group's socket, held (one reference) from spawn until the exit is handled. */
    private readonly socket: SharedSocket | null = null,
  ) {
    this.machine = new ProcessMachine(config, this);
  }

  // ---- ProcessView
  get name(): string {
    return this.config.name;
  }
  get group(): string {
    return this.config.group;
  }
  get state(): ProcessState {
    return this.machine.state;
  }
  get pid(): number {
    return this.machine.pid;
  }
  get laststart(): number {
    return Math.floor(this.machine.laststart);
  }
  get laststop(): number {
    return Math.floor(this.machine.laststop);
  }
  get spawnerr(): string | null {
    return this.machine.spawnerr;
  }
  get exitstatus(): number {
    return this.machine.exitstatus ?? 0;
  }
  get lastExit(): { code: number | null; signal: number | null } | null {
    const e = this.machine.lastExit;
    return e ? { code: e.code, signal: e.signal } : null;
  }
  get stdoutLogfile(): string | null {
    return this.output.stdoutLogfile;
  }
  get stderrLogfile(): string | null {
    return this.output.stderrLogfile;
  }
  get spawnCount(): number {
    return this.machine.spawnCount;
  }
  get backoff(): number {
    return this.machine.backoff;
  }

  /** namespec as supervisord prints it: `name` for a homogeneous group of the same name, else `group:name`. */
  get namespec(): string {
    return this.group === this.name ? this.name : `${this.group}:${this.name}`;
  }

  // ---- MachineHost
  spawn(): SpawnOutcome {
    const cfg = this.config;
    let stdinFd: number | undefined;
    if (cfg.kind === 'fcgi-program') {
      if (!this.socket) return { ok: false, message: `no FastCGI socket for '${cfg.name}'` };
      try {
        stdinFd = this.socket.acquire();
      } catch (err) {
        return { ok: false, message: errorText(err) };
      }
    }
    let child: ChildHandle;
    try {
      const resolved = this.owner.os.resolveCommand(cfg.command, cfg.environment);
      const spec: SpawnSpec = {
        name: cfg.name,
        file: resolved.file,
        argv: resolved.argv,
        env: buildChildEnv(cfg, this.owner.currentConfig().serverurl, this.owner.ownEnv),
        cwd: cfg.directory,
        umask: cfg.umask,
        user: cfg.user,
        stdout: this.output.stdout,
        stderr: this.output.stderr,
        stdinPipe: cfg.kind !== 'fcgi-program',
        ...(stdinFd !== undefined ? { stdinFd } : {}),
      };
      child = this.owner.os.spawn(spec);
    } catch (err) {
      if (stdinFd !== undefined) this.socket?.release();
      if (err instanceof SpawnFailure) return { ok: false, message: err.message };
      return { ok: false, message: `unknown error during fork for '${cfg.name}': ${errorText(err)}` };
    }
    this.child = child;
    let drained: Promise<void> | null = null;
    try {
      drained = this.output.attach(child).catch((err: unknown) => this.owner.reportError(`output of ${cfg.name}`, err));
    } catch (err) {
      this.owner.reportError(`output of ${cfg.name}`, err);
    }
    // Nothing piped (fd-inherited or ignored outputs): nothing to wait for when it exits.
    let isDrained = drained === null || (child.stdout === null && child.stderr === null);
    void drained?.then(() => {
      isDrained = true;
    });
    const holdsSocket = stdinFd !== undefined;
    child.onExit((status) => {
      const diedAt = this.owner.clock.now();
      if (isDrained || drained === null) this.exited(child, status, diedAt, holdsSocket);
      else this.awaitDrain(child, status, diedAt, drained, holdsSocket);
    });
    return { ok: true, pid: child.pid };
  }

  /**
   * Handle an exit only once the child's output reached EOF (so a listener's last `RESULT 2\nOK` reaches the
   * pool before the exit, and the log holds the last lines before `exited:`), at most EXIT_DRAIN_CAP_MS
   * after the exit. The cap timer exists only in that window.
   */
  private awaitDrain(child: ChildHandle, status: ExitStatus, diedAt: number, drained: Promise<void>, holdsSocket: boolean): void {
    this.pendingExit = child;
    let handled = false;
    let cancelCap: CancelTimer | null = null;
    const handle = (): void => {
      if (handled) return;
      handled = true;
      cancelCap?.();
      if (this.pendingExit === child) this.pendingExit = null;
      this.exited(child, status, diedAt, holdsSocket);
    };
    cancelCap = this.owner.clock.setTimer(EXIT_DRAIN_CAP_MS, handle);
    void drained.then(handle, handle);
  }

  /** The exit is handled (supervisord's finish()), then the socket reference is dropped (its after_finish()). */
  private exited(child: ChildHandle, status: ExitStatus, diedAt: number, holdsSocket: boolean): void {
    try {
      this.owner.childExited(this, child, status, diedAt);
    } finally {
      if (holdsSocket) this.socket?.release();
    }
  }

  /** Reaped, but the exit is not handled yet (its output is still draining): no rule about a live process applies. */
  get exitPending(): boolean {
    return this.pendingExit !== null;
  }

  kill(pid: number, signal: number, toGroup: boolean): KillOutcome {
    try {
      return this.owner.os.kill(pid, signal, toGroup) ? { ok: true } : { ok: false, esrch: true };
    } catch (err) {
      return { ok: false, esrch: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
  }

  log(level: MachineLogLevel, text: string): void {
    this.owner.log(level, text);
  }

  stateChanged(change: StateChange): void {
    this.owner.stateChanged(this, change);
  }

  // ---- deadline timer
  /** Arm (or re-arm, or cancel) the one timer so it fires at the machine's deadline. */
  syncTimer(): void {
    const at = this.machine.deadline();
    if (at === null) {
      this.cancelTimer();
      return;
    }
    if (this.timer && this.timer.at === at) return;
    if (at === this.firedAt) {
      this.cancelTimer();
      return;
    }
    this.cancelTimer();
    const delay = Math.max(0, at - this.owner.clock.now());
    const cancel = this.owner.clock.setTimer(delay, () => {
      this.timer = null;
      // A timer may fire a little early (Node rounds); the deadline is not reached yet: wait the rest.
      if (this.owner.clock.now() < at) {
        this.syncTimer();
        return;
      }
      this.firedAt = at;
      this.owner.deadlineReached(this);
    });
    this.timer = { at, cancel };
  }

  cancelTimer(): void {
    if (this.timer) {
      this.timer.cancel();
      this.timer = null;
    }
  }
}
