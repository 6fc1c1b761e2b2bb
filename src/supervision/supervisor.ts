// The orchestrator: owns the groups and their processes, drives every process machine, runs supervisord's
// ordered shutdown and reload, and offers SupervisorControl to the layers above. It is event-driven:
// pump() is supervisord's loop iteration, run whenever something happened (a child exited, a deadline
// timer fired, a signal or control request came in) instead of once a second.
import type { Config, GroupConfig, ProcessConfig } from '../config/model.js';
import { EventBus } from '../events/bus.js';
import type { MainLog } from '../log/types.js';
import { SpawnFailure, type ChildHandle, type ExitStatus, type OsEdge, type SharedSocket } from '../os/edge.js';
import type { OutputManager } from '../output/types.js';
import { realClock, type CancelTimer, type Clock } from './clock.js';
import { diffGroups } from './config-diff.js';
import { ControlError, type ConfigDiff, type GroupView, type ProcessView, type SupervisorControl } from './control.js';
import { describeCritical, isTerminal, type CriticalExit } from './critical.js';
import { signame } from '../common/exit-status.js';
import { ManagedGroup, groupsInStartOrder, processesInStopOrder } from './groups.js';
import { ManagedProcess, type ProcessOwner } from './managed-process.js';
import type { MachineLogLevel, StateChange } from './process-machine.js';
import { ProcessState, RUNNING_STATES, SIGNALLABLE_STATES, SupervisorMood } from './states.js';

export interface SupervisorDeps {
  readonly config: Config;
  readonly os: OsEdge;
  readonly outputs: OutputManager;
  readonly log: MainLog;
  readonly bus?: EventBus;
  readonly clock?: Clock;
  /** tsinit's own environment (base of every child's). Default: process.env. */
  readonly ownEnv?: Readonly<Record<string, string | undefined>>;
  /** Default: process.pid. */
  readonly pid?: number;
  /** Event listener processes: their stdout is also fed to the listener pool. */
  readonly listenerTap?: (proc: ProcessConfig) => ((chunk: Buffer) => void) | undefined;
  /** Re-read the config file (reload, reread). Throws (ConfigError) when it is broken. */
  readonly readConfig?: () => Config;
  /**
   * Called with a successfully read new config at reload, before it is adopted (e.g. to switch user as the
   * new config asks). Throwing rejects it: the running config is kept, as for a broken config file.
   */
  readonly prepareReload?: (next: Config) => void;
  /** Called once a reload has stopped everything and read the (new or kept) config, before groups are re-added. */
  readonly onReload?: (config: Config) => void;
  /** Called when a critical program ends for good (before the shutdown it triggers). */
  readonly onCritical?: (exit: CriticalExit) => void;
  readonly counters?: () => { readonly orphansReaped: number; readonly eventsDropped: number };
}

export interface SupervisorOutcome {
  readonly reason: 'shutdown' | 'critical';
  /** The exit status tsinit should end with. */
  readonly exitCode: number;
  readonly critical: CriticalExit | null;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class Supervisor implements SupervisorControl, ProcessOwner {
  config: Config;
  readonly events: EventBus;
  readonly pid: number;
  readonly startedAt: number;
  readonly os: OsEdge;
  readonly clock: Clock;
  readonly ownEnv: Readonly<Record<string, string | undefined>>;

  private moodValue = SupervisorMood.RUNNING;
  private readonly groupMap = new Map<string, ManagedGroup>();
  private addSeq = 0;
  private stopping = false;
  private stopQueue: ManagedGroup[] = [];
  private lastShutdownReport = 0;
  private reportTimer: CancelTimer | null = null;
  private pumping = false;
  private pumpAgain = false;
  private started = false;
  private finished = false;
  private pendingCritical: CriticalExit | null = null;
  private critical: CriticalExit | null = null;
  private shutdownExitCode = 0;
  private rereadConfig: Config | null = null;
  private resolveDone!: (o: SupervisorOutcome) => void;
  /** Resolves once the supervisor has stopped everything for good (never for a reload). */
  readonly done: Promise<SupervisorOutcome>;

  constructor(private readonly deps: SupervisorDeps) {
    this.config = deps.config;
    this.os = deps.os;
    this.clock = deps.clock ?? realClock;
    this.ownEnv = deps.ownEnv ?? process.env;
    this.pid = deps.pid ?? process.pid;
    this.events = deps.bus ?? new EventBus((err) => this.reportError('event subscriber', err));
    this.startedAt = Math.floor(this.clock.now());
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  // ------------------------------------------------------------------ lifecycle

  /** Create every group of the config (in priority order) and start the autostart programs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const g of this.config.groups) this.addGroupConfig(g);
    this.events.publish({ kind: 'supervisor-state', state: 'RUNNING' });
    this.pump();
  }

  get mood(): SupervisorMood {
    return this.moodValue;
  }

  /** supervisord's handle_signal(), for the signals tsinit routes to the engine. */
  onSignal(signo: number): void {
    const name = signame(signo);
    if (signo === 15 || signo === 2 || signo === 3) {
      this.deps.log.warn(`received ${name} indicating exit request`);
      this.setMood(SupervisorMood.SHUTDOWN);
    } else if (signo === 1) {
      if (this.moodValue === SupervisorMood.SHUTDOWN) {
        this.deps.log.warn(`ignored ${name} indicating restart request (shutdown in progress)`);
      } else {
        this.deps.log.warn(`received ${name} indicating restart request`);
        this.setMood(SupervisorMood.RESTARTING);
      }
    } else if (signo === 17) {
      this.deps.log.debug(`received ${name} indicating a child quit`);
    } else if (signo === 12) {
      this.deps.log.info(`received ${name} indicating log reopen request`);
      this.reopenLogs();
    } else if (signo === 28 || signo === 18) {
      // WINCH comes with every terminal resize, CONT after every stop/resume (`timeout`, `docker unpause`).
      this.deps.log.debug(`received ${name} indicating nothing`);
    } else {
      // supervisord logs this at BLAT (and dies of USR1's default action); as PID 1 tsinit ignores every
      // other signal, so it says so where users see it.
      this.deps.log.info(`received ${name} indicating nothing`);
    }
  }

  /** SIGUSR2: reopen the main log and every program's log files. */
  reopenLogs(): void {
    this.deps.log.info('supervisord logreopen');
    try {
      this.deps.log.reopen();
    } catch (err) {
      this.reportError('main log reopen', err);
    }
    try {
      this.deps.outputs.reopenAll();
    } catch (err) {
      this.reportError('program log reopen', err);
    }
  }

  private setMood(mood: SupervisorMood): void {
    if (this.finished) return;
    // A shutdown request wins over a pending reload; a reload never cancels a shutdown.
    if (mood === SupervisorMood.RESTARTING && this.moodValue === SupervisorMood.SHUTDOWN) return;
    this.moodValue = mood;
    this.pump();
  }

  // ------------------------------------------------------------------ the loop

  /** One (or more, until quiet) iterations of supervisord's main loop. Re-entrant calls are folded in. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.step();
      } while (this.pumpAgain && !this.finished);
    } catch (err) {
      this.reportError('supervisor loop', err);
    } finally {
      this.pumping = false;
    }
    for (const g of this.groupMap.values()) for (const p of g.processes) p.syncTimer();
  }

  private step(): void {
    if (this.finished) return;
    const now = this.clock.now();
    const shuttingDown = this.moodValue < SupervisorMood.RUNNING;
    if (shuttingDown && !this.stopping) {
      this.stopping = true;
      this.stopQueue = groupsInStartOrder(this.groupMap.values());
      this.lastShutdownReport = 0;
      this.events.publish({ kind: 'supervisor-state', state: 'STOPPING' });
    }
    if (this.stopping) this.stopLastQueuedGroup(now);

    for (const g of groupsInStartOrder(this.groupMap.values())) {
      for (const p of g.processes) if (!p.exitPending) p.machine.transition(now, this.moodValue);
    }

    if (this.pendingCritical) {
      this.beginCriticalShutdown(this.pendingCritical);
      this.pendingCritical = null;
      this.pumpAgain = true;
      return;
    }

    if (this.stopping) {
      // Drop every finished group from the end of the queue, then signal the next one right away.
      while (this.stopQueue.length > 0 && this.stopQueue[this.stopQueue.length - 1]!.unstopped().length === 0) {
        this.stopQueue.pop();
        this.stopLastQueuedGroup(now);
      }
      const unstopped = [...this.groupMap.values()].flatMap((g) => g.unstopped());
      if (unstopped.length === 0) {
        this.stoppedEverything();
        return;
      }
      this.shutdownReport(now, unstopped);
    }
  }

  private stopLastQueuedGroup(now: number): void {
    const group = this.stopQueue[this.stopQueue.length - 1];
    if (!group) return;
    for (const p of processesInStopOrder(group)) {
      const st = p.state;
      if (st === ProcessState.RUNNING || st === ProcessState.STARTING) p.machine.stop(now);
      else if (st === ProcessState.BACKOFF) p.machine.giveUp(now);
    }
  }

  private shutdownReport(now: number, unstopped: readonly ManagedProcess[]): void {
    if (now > this.lastShutdownReport + 3000) {
      this.deps.log.info(`waiting for ${unstopped.map((p) => p.name).join(', ')} to die`);
      this.lastShutdownReport = now;
      for (const p of unstopped) this.deps.log.blather(`${p.name} state: ${ProcessState[p.state]}`);
    }
    this.reportTimer?.();
    this.reportTimer = this.clock.setTimer(this.lastShutdownReport + 3001 - now, () => {
      this.reportTimer = null;
      this.pump();
    });
  }

  private stoppedEverything(): void {
    this.reportTimer?.();
    this.reportTimer = null;
    for (const g of this.groupMap.values()) for (const p of g.processes) p.cancelTimer();
    if (this.moodValue === SupervisorMood.RESTARTING) {
      this.reload();
      return;
    }
    this.finished = true;
    const outcome: SupervisorOutcome = this.critical
      ? { reason: 'critical', exitCode: this.critical.exitCode, critical: this.critical }
      : { reason: 'shutdown', exitCode: this.shutdownExitCode, critical: null };
    this.resolveDone(outcome);
  }

  private reload(): void {
    let next = this.config;
    if (this.deps.readConfig) {
      try {
        const candidate = this.deps.readConfig();
        this.deps.prepareReload?.(candidate);
        next = candidate;
      } catch (err) {
        this.deps.log.error(`could not reload the configuration, keeping the running one: ${errorText(err)}`);
      }
    }
    for (const name of [...this.groupMap.keys()]) this.dropGroup(name);
    this.config = next;
    this.rereadConfig = null;
    try {
      this.deps.onReload?.(next);
    } catch (err) {
      this.reportError('reload hook', err);
    }
    this.moodValue = SupervisorMood.RUNNING;
    this.stopping = false;
    this.stopQueue = [];
    this.lastShutdownReport = 0;
    for (const g of next.groups) this.addGroupConfig(g);
    this.events.publish({ kind: 'supervisor-state', state: 'RUNNING' });
    this.pumpAgain = true;
  }

  // ------------------------------------------------------------------ critical programs

  private beginCriticalShutdown(exit: CriticalExit): void {
    this.critical = exit;
    this.deps.log.critical(exit.summary);
    try {
      this.deps.onCritical?.(exit);
    } catch (err) {
      this.reportError('critical-exit hook', err);
    }
    this.moodValue = SupervisorMood.SHUTDOWN;
  }

  // ------------------------------------------------------------------ ProcessOwner

  currentConfig(): Config {
    return this.config;
  }

  log(level: MachineLogLevel, text: string): void {
    const l = this.deps.log;
    switch (level) {
      case 'critical':
        return l.critical(text);
      case 'error':
        return l.error(text);
      case 'warn':
        return l.warn(text);
      case 'info':
        return l.info(text);
      case 'debug':
        return l.debug(text);
      case 'blather':
        return l.blather(text);
    }
  }

  stateChanged(proc: ManagedProcess, change: StateChange): void {
    this.events.publish({
      kind: 'process-state',
      process: { name: proc.name, group: proc.group },
      from: change.from,
      to: change.to,
      tries: change.tries,
      expected: change.expected,
      pid: change.pid,
    });
    if (
      this.moodValue === SupervisorMood.RUNNING &&
      !this.critical &&
      !this.pendingCritical &&
      isTerminal(proc.config, change.to, proc.machine.exitstatus)
    ) {
      const m = proc.machine;
      const state = change.to === ProcessState.FATAL ? 'FATAL' : 'EXITED';
      this.pendingCritical = describeCritical({
        name: proc.name,
        group: proc.group,
        state,
        lastExit: m.lastExit,
        lastAttempt: m.lastAttempt,
        spawnerr: m.spawnerr,
        attempts: m.attempts,
        expected: state === 'EXITED' && change.expected,
      });
      this.pumpAgain = true;
    }
  }

  childExited(proc: ManagedProcess, child: ChildHandle, status: ExitStatus, diedAt: number): void {
    if (proc.child === child) proc.child = null;
    if (proc.machine.pid !== child.pid) {
      this.deps.log.info(`reaped unknown pid ${child.pid} (${status.signal !== null ? `terminated by ${signame(status.signal)}` : `exit status ${status.code ?? 0}`})`);
      return;
    }
    try {
      proc.machine.finish(status, diedAt);
    } catch (err) {
      this.reportError(`exit of ${proc.name}`, err);
    }
    this.pump();
  }

  deadlineReached(): void {
    this.pump();
  }

  reportError(what: string, err: unknown): void {
    try {
      this.deps.log.error(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } catch {
      // nothing left to report to
    }
  }

  // ------------------------------------------------------------------ groups

  private addGroupConfig(cfg: GroupConfig): ManagedGroup | null {
    if (this.groupMap.has(cfg.name)) return null;
    const socket = cfg.fcgiSocket ? this.openSocket(cfg) : null;
    const processes = cfg.processes.map((pc) => {
      let tap: ((chunk: Buffer) => void) | undefined;
      try {
        tap = this.deps.listenerTap?.(pc);
      } catch (err) {
        this.reportError(`listener tap for ${pc.name}`, err);
      }
      const output = this.deps.outputs.forProcess(pc, tap ? { stdoutTap: tap } : undefined);
      return new ManagedProcess(pc, output, this, socket);
    });
    const group = new ManagedGroup(cfg, processes, this.addSeq++, socket);
    this.groupMap.set(cfg.name, group);
    this.events.publish({ kind: 'group', action: 'added', group: cfg.name });
    return group;
  }

  /**
   * An fcgi-program group's socket. Created once and closed right away, as supervisord does to fail early;
   * where supervisord then dies of the error, tsinit logs it and the spawns fail with it (spawnerr).
   */
  private openSocket(cfg: GroupConfig): SharedSocket | null {
    if (!cfg.fcgiSocket || !this.os.fcgiSocket) return null;
    try {
      const socket = this.os.fcgiSocket(cfg.fcgiSocket, (msg) => this.deps.log.info(msg));
      try {
        socket.acquire();
        socket.release();
      } catch (err) {
        this.deps.log.error(errorText(err));
      }
      return socket;
    } catch (err) {
      this.reportError(`socket of ${cfg.name}`, err);
      return null;
    }
  }

  private dropGroup(name: string): void {
    const group = this.groupMap.get(name);
    if (!group) return;
    try {
      group.socket?.close();
    } catch (err) {
      this.reportError(`closing the socket of ${name}`, err);
    }
    for (const p of group.processes) {
      p.cancelTimer();
      try {
        p.output.close();
      } catch (err) {
        this.reportError(`closing logs of ${p.name}`, err);
      }
    }
    this.groupMap.delete(name);
    this.events.publish({ kind: 'group', action: 'removed', group: name });
  }

  /** Release every program's log files and every fcgi socket (at exit). */
  closeOutputs(): void {
    for (const g of this.groupMap.values()) {
      try {
        g.socket?.close();
      } catch (err) {
        this.reportError(`closing the socket of ${g.name}`, err);
      }
      for (const p of g.processes) {
        try {
          p.output.close();
        } catch (err) {
          this.reportError(`closing logs of ${p.name}`, err);
        }
      }
    }
  }

  /** Pids of the programs still alive (for the last-chance kill at exit). */
  livePids(): number[] {
    return [...this.groupMap.values()].flatMap((g) => g.processes.map((p) => p.pid)).filter((pid) => pid > 0);
  }

  // ------------------------------------------------------------------ SupervisorControl: views

  groups(): readonly GroupView[] {
    return groupsInStartOrder(this.groupMap.values());
  }

  group(name: string): GroupView | undefined {
    return this.groupMap.get(name);
  }

  process(group: string, name: string): ProcessView | undefined {
    return this.groupMap.get(group)?.process(name);
  }

  get mainLogfile(): string | null {
    return this.deps.log.path;
  }

  get counters(): { readonly orphansReaped: number; readonly eventsDropped: number } {
    try {
      return this.deps.counters?.() ?? { orphansReaped: 0, eventsDropped: 0 };
    } catch {
      return { orphansReaped: 0, eventsDropped: 0 };
    }
  }

  // ------------------------------------------------------------------ SupervisorControl: operations
  // Mutating operations throw ControlError('SHUTDOWN_STATE') while shutting down or reloading (the RPC layer
  // also gates every method on `mood`, as supervisord's _update() does).

  private gate(): void {
    if (this.moodValue < SupervisorMood.RUNNING || this.finished) throw new ControlError('SHUTDOWN_STATE', 'SHUTDOWN_STATE');
  }

  private find(group: string, name: string): ManagedProcess {
    const p = this.groupMap.get(group)?.process(name);
    if (!p) throw new ControlError('BAD_NAME', group === name ? name : `${group}:${name}`);
    return p;
  }

  startProcess(group: string, name: string): void {
    this.gate();
    const p = this.find(group, name);
    try {
      this.os.resolveCommand(p.config.command, p.config.environment);
    } catch (err) {
      if (err instanceof SpawnFailure) {
        throw new ControlError(err.kind === 'not-found' ? 'NO_FILE' : 'NOT_EXECUTABLE', err.message);
      }
      throw new ControlError('NOT_EXECUTABLE', errorText(err));
    }
    if (RUNNING_STATES.has(p.state)) throw new ControlError('ALREADY_STARTED', p.namespec);
    if (p.state === ProcessState.UNKNOWN) throw new ControlError('FAILED', `${p.namespec} is in an unknown process state`);
    p.machine.spawn(this.clock.now());
    const failed = p.spawnerr !== null;
    this.pump();
    if (failed) throw new ControlError('SPAWN_ERROR', p.namespec);
  }

  stopProcess(group: string, name: string): void {
    this.gate();
    const p = this.find(group, name);
    if (!RUNNING_STATES.has(p.state)) throw new ControlError('NOT_RUNNING', p.namespec);
    const msg = p.machine.stop(this.clock.now());
    this.pump();
    if (msg !== null) throw new ControlError('FAILED', msg);
  }

  /** `waiting for <name> to stop` throttling, for callers waiting on a stop (RPC stopProcess with wait). */
  stopReport(group: string, name: string): void {
    this.groupMap.get(group)?.process(name)?.machine.stopReport(this.clock.now());
  }

  signalProcess(group: string, name: string, signal: number): void {
    this.gate();
    const p = this.find(group, name);
    if (!SIGNALLABLE_STATES.has(p.state)) throw new ControlError('NOT_RUNNING', p.namespec);
    const msg = p.machine.signal(this.clock.now(), signal);
    this.pump();
    if (msg !== null) throw new ControlError('FAILED', msg);
  }

  writeStdin(group: string, name: string, data: Buffer): void {
    this.gate();
    this.writeListenerStdin(group, name, data);
  }

  /** writeStdin without the SHUTDOWN_STATE gate: event delivery continues while shutting down. */
  writeListenerStdin(group: string, name: string, data: Buffer): void {
    const p = this.find(group, name);
    if (!p.pid || p.machine.killing) throw new ControlError('NOT_RUNNING', p.namespec);
    const stdin = p.child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) throw new ControlError('NO_FILE', 'Process has no stdin channel');
    stdin.write(data);
  }

  clearProcessLogs(group: string, name: string): void {
    this.gate();
    const p = this.find(group, name);
    try {
      p.output.clear();
    } catch (err) {
      throw new ControlError('FAILED', `${p.namespec}: ${errorText(err)}`);
    }
  }

  /** Orderly shutdown (as SIGTERM). `exitCode` is what tsinit exits with afterwards (default 0). */
  shutdown(reason: string, exitCode = 0): void {
    if (this.finished) return;
    if (this.moodValue !== SupervisorMood.SHUTDOWN && reason) this.deps.log.info(`shutting down: ${reason}`);
    if (exitCode !== 0 && this.shutdownExitCode === 0) this.shutdownExitCode = exitCode;
    if (!this.started) {
      this.started = true;
      this.moodValue = SupervisorMood.SHUTDOWN;
      this.pump();
      return;
    }
    this.setMood(SupervisorMood.SHUTDOWN);
  }

  restart(): void {
    this.gate();
    this.setMood(SupervisorMood.RESTARTING);
  }

  reread(): ConfigDiff {
    this.gate();
    if (!this.deps.readConfig) throw new ControlError('CANT_REREAD', 'no config file to re-read');
    let next: Config;
    try {
      next = this.deps.readConfig();
    } catch (err) {
      throw new ControlError('CANT_REREAD', errorText(err));
    }
    this.rereadConfig = next;
    const active = [...this.groupMap.values()].map((g) => g.config);
    return diffGroups(active, next.groups);
  }

  /** The groups of the config last re-read (the active config when never re-read): what addGroup() can add. */
  availableGroups(): readonly GroupConfig[] {
    return (this.rereadConfig ?? this.config).groups;
  }

  addGroup(name: string): void {
    this.gate();
    const source = this.rereadConfig ?? this.config;
    const cfg = source.groups.find((g) => g.name === name);
    if (!cfg) throw new ControlError('BAD_NAME', name);
    if (this.groupMap.has(name)) throw new ControlError('ALREADY_ADDED', name);
    this.addGroupConfig(cfg);
    this.pump();
  }

  removeGroup(name: string): void {
    this.gate();
    const group = this.groupMap.get(name);
    if (!group) throw new ControlError('BAD_NAME', name);
    if (group.unstopped().length > 0) throw new ControlError('STILL_RUNNING', name);
    this.dropGroup(name);
  }
}
