// The per-process state machine with supervisord 4.2's exact rules (spec §3.3–3.9), pure: it never touches
// the OS. Time comes in as arguments (epoch ms), and every effect goes out through the MachineHost port:
// spawn, kill, log, state change (→ events). The orchestrator calls transition() whenever anything may have
// changed (an exit, a timer reaching deadline(), a mood change), which is supervisord's per-tick
// transition() without the tick.
import type { ProcessConfig } from '../config/model.js';
import { exitMessage, exitStatusCode, signame, type ExitFacts } from '../common/exit-status.js';
import { ProcessState, SupervisorMood } from './states.js';

/** Minimum spacing of automatic EXITED → STARTING restarts (see restartNotBefore). */
export const RESTART_PACING_MS = 1000;

export type MachineLogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'blather';

export type SpawnOutcome = { readonly ok: true; readonly pid: number } | { readonly ok: false; readonly message: string };

export type KillOutcome = { readonly ok: true } | { readonly ok: false; readonly esrch: true } | { readonly ok: false; readonly esrch: false; readonly error: string };

export interface StateChange {
  readonly from: ProcessState;
  readonly to: ProcessState;
  /** Only meaningful for EXITED: was the exit code in exitcodes. */
  readonly expected: boolean;
  /** The backoff counter at the time of the change. */
  readonly tries: number;
  readonly pid: number;
}

/** The machine's only way to act on the world. */
export interface MachineHost {
  /** Resolve, wire and spawn the child; report the pid or supervisord's spawnerr text. */
  spawn(): SpawnOutcome;
  /** kill(pid, sig) or kill(-pid, sig). */
  kill(pid: number, signal: number, toGroup: boolean): KillOutcome;
  log(level: MachineLogLevel, text: string): void;
  stateChanged(change: StateChange): void;
}

/** How the most recent start attempt ended (for critical-program exit codes). */
export type LastAttempt = 'none' | 'spawn-error' | 'exited';

export class ProcessMachine {
  state: ProcessState = ProcessState.STOPPED;
  pid = 0;
  /** Epoch ms of the last start attempt; 0 = never started. */
  laststart = 0;
  laststop = 0;
  /** Deadline in epoch ms (supervisord's `delay`): startsecs, backoff retry or SIGKILL escalation. */
  delay = 0;
  backoff = 0;
  killing = false;
  spawnerr: string | null = null;
  /** supervisord's exitstatus (null = None). */
  exitstatus: number | null = null;
  lastExit: ExitFacts | null = null;
  lastAttempt: LastAttempt = 'none';
  /** Successful spawns since creation. */
  spawnCount = 0;
  /** Start attempts in the current start cycle (reset by a start that is not a BACKOFF retry). */
  attempts = 0;
  private laststopreport = 0;

  constructor(
    readonly config: ProcessConfig,
    private readonly host: MachineHost,
  ) {}

  get name(): string {
    return this.config.name;
  }

  private changeState(to: ProcessState, now: number, expected = true): void {
    const from = this.state;
    if (to === from) return;
    this.state = to;
    if (to === ProcessState.BACKOFF) {
      this.backoff += 1;
      this.delay = now + this.backoff * 1000;
    }
    this.host.stateChanged({ from, to, expected, tries: this.backoff, pid: this.pid });
  }

  private recordSpawnerr(msg: string): void {
    this.spawnerr = msg;
    this.host.log('info', `spawnerr: ${msg}`);
  }

  /** supervisord's Subprocess.spawn(). */
  spawn(now: number): void {
    if (this.pid) {
      this.host.log('warn', `process '${this.name}' already running`);
      return;
    }
    const from = this.state;
    if (from !== ProcessState.EXITED && from !== ProcessState.FATAL && from !== ProcessState.BACKOFF && from !== ProcessState.STOPPED) {
      // supervisord asserts here; a pure machine refuses instead of crashing PID 1.
      this.host.log('error', `cannot spawn ${this.name} from state ${ProcessState[from]}`);
      return;
    }
    this.killing = false;
    this.spawnerr = null;
    this.exitstatus = null;
    this.laststart = now;
    if (from !== ProcessState.BACKOFF) this.attempts = 0;
    this.attempts += 1;
    this.changeState(ProcessState.STARTING, now);

    let outcome: SpawnOutcome;
    try {
      outcome = this.host.spawn();
    } catch (err) {
      outcome = { ok: false, message: `unknown error during fork for '${this.name}': ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!outcome.ok) {
      this.lastAttempt = 'spawn-error';
      this.recordSpawnerr(outcome.message);
      this.changeState(ProcessState.BACKOFF, now);
      return;
    }
    this.pid = outcome.pid;
    this.spawnCount += 1;
    this.lastAttempt = 'exited';
    this.host.log('info', `spawned: '${this.name}' with pid ${outcome.pid}`);
    this.spawnerr = null;
    this.delay = now + this.config.startsecs * 1000;
  }

  /** Administrative stop with stopsignal. Returns an error message or null. */
  stop(now: number): string | null {
    this.laststopreport = 0;
    return this.kill(now, this.config.stopsignal);
  }

  /** `waiting for <name> to stop`, at most every 2 s (RPC stop with wait). */
  stopReport(now: number): void {
    if (this.state !== ProcessState.STOPPING) return;
    if (now > this.laststopreport + 2000) {
      this.host.log('info', `waiting for ${this.name} to stop`);
      this.laststopreport = now;
    }
  }

  /** BACKOFF → FATAL (retries exhausted, or stop-all during shutdown). */
  giveUp(now: number): void {
    this.delay = 0;
    this.backoff = 0;
    if (this.state !== ProcessState.BACKOFF) return;
    this.changeState(ProcessState.FATAL, now);
  }

  /** supervisord's Subprocess.kill(): returns an error message or null. */
  kill(now: number, sig: number): string | null {
    if (this.state === ProcessState.BACKOFF) {
      this.host.log('debug', `Attempted to kill ${this.name}, which is in BACKOFF state.`);
      this.changeState(ProcessState.STOPPED, now);
      return null;
    }
    if (!this.pid) {
      const msg = `attempted to kill ${this.name} with sig ${signame(sig)} but it wasn't running`;
      this.host.log('debug', msg);
      return msg;
    }
    const asGroup = this.state === ProcessState.STOPPING ? this.config.killasgroup : this.config.stopasgroup;
    this.host.log('debug', `killing ${this.name} (pid ${this.pid}) ${asGroup ? 'process group ' : ''}with signal ${signame(sig)}`);
    if (this.state !== ProcessState.RUNNING && this.state !== ProcessState.STARTING && this.state !== ProcessState.STOPPING) {
      const msg = `cannot kill ${this.name} in state ${ProcessState[this.state]}`;
      this.host.log('error', msg);
      return msg;
    }
    this.killing = true;
    this.delay = now + this.config.stopwaitsecs * 1000;
    this.changeState(ProcessState.STOPPING, now);

    let outcome: KillOutcome;
    try {
      outcome = this.host.kill(this.pid, sig, asGroup);
    } catch (err) {
      outcome = { ok: false, esrch: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    if (outcome.ok) return null;
    if (outcome.esrch) {
      this.host.log('debug', `unable to signal ${this.name} (pid ${this.pid}), it probably just exited on its own: [Errno 3] No such process`);
      return null;
    }
    const msg = `unknown problem killing ${this.name} (${this.pid}):${outcome.error}`;
    this.host.log('critical', msg);
    this.changeState(ProcessState.UNKNOWN, now);
    this.killing = false;
    this.delay = 0;
    return msg;
  }

  /** RPC signalProcess: signal the pid only, no state change. Returns an error message or null. */
  signal(now: number, sig: number): string | null {
    if (!this.pid) {
      const msg = `attempted to send ${this.name} sig ${signame(sig)} but it wasn't running`;
      this.host.log('debug', msg);
      return msg;
    }
    this.host.log('debug', `sending ${this.name} (pid ${this.pid}) sig ${signame(sig)}`);
    let outcome: KillOutcome;
    try {
      outcome = this.host.kill(this.pid, sig, false);
    } catch (err) {
      outcome = { ok: false, esrch: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    if (outcome.ok) return null;
    if (outcome.esrch) {
      this.host.log('debug', `unable to signal ${this.name} (pid ${this.pid}), it probably just now exited on its own: [Errno 3] No such process`);
      return null;
    }
    const msg = `unknown problem sending sig ${this.name} (${this.pid}):${outcome.error}`;
    this.host.log('critical', msg);
    this.changeState(ProcessState.UNKNOWN, now);
    return msg;
  }

  /** The child was reaped (supervisord's finish()). `now` is the time the death was observed. */
  finish(exit: ExitFacts, now: number): void {
    const es = exitStatusCode(exit);
    const msg = exitMessage(exit);
    this.laststop = now;
    this.lastExit = exit;
    let tooQuickly: boolean;
    if (now >= this.laststart) {
      tooQuickly = now - this.laststart < this.config.startsecs * 1000;
    } else {
      tooQuickly = false;
      this.host.log(
        'warn',
        `process '${this.name}' (${this.pid}) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly`,
      );
    }
    const expected = this.config.exitcodes.includes(es);

    if (this.killing) {
      this.killing = false;
      this.delay = 0;
      this.exitstatus = es;
      this.changeState(ProcessState.STOPPED, now);
      this.host.log(expected ? 'info' : 'warn', `stopped: ${this.name} (${msg})`);
    } else if (tooQuickly && this.state === ProcessState.STARTING) {
      this.exitstatus = null;
      this.spawnerr = 'Exited too quickly (process log may have details)';
      this.changeState(ProcessState.BACKOFF, now);
      this.host.log('warn', `exited: ${this.name} (${msg}; not expected)`);
    } else {
      this.delay = 0;
      this.backoff = 0;
      this.exitstatus = es;
      if (this.state === ProcessState.STARTING) this.changeState(ProcessState.RUNNING, now);
      if (expected) {
        this.changeState(ProcessState.EXITED, now, true);
        this.host.log('info', `exited: ${this.name} (${msg}; expected)`);
      } else {
        this.spawnerr = `Bad exit code ${es}`;
        this.changeState(ProcessState.EXITED, now, false);
        this.host.log('warn', `exited: ${this.name} (${msg}; not expected)`);
      }
    }
    this.pid = 0;
  }

  /** supervisord's transition(), evaluated with the state captured on entry. */
  transition(now: number, mood: SupervisorMood): void {
    const state = this.state;
    const cfg = this.config;
    if (mood > SupervisorMood.RESTARTING) {
      if (state === ProcessState.EXITED) {
        if (this.wantsRestart() && now >= this.restartNotBefore()) this.spawn(now);
      } else if (state === ProcessState.STOPPED && !this.laststart) {
        if (cfg.autostart) this.spawn(now);
      } else if (state === ProcessState.BACKOFF) {
        if (this.backoff <= cfg.startretries && now > this.delay) this.spawn(now);
      }
    }

    if (state === ProcessState.STARTING) {
      if (now - this.laststart > cfg.startsecs * 1000) {
        this.delay = 0;
        this.backoff = 0;
        this.changeState(ProcessState.RUNNING, now);
        this.host.log('info', `success: ${this.name} entered RUNNING state, process has stayed up for > than ${cfg.startsecs} seconds (startsecs)`);
      }
    }

    if (state === ProcessState.BACKOFF) {
      if (this.backoff > cfg.startretries) {
        this.giveUp(now);
        this.host.log('info', `gave up: ${this.name} entered FATAL state, too many start retries too quickly`);
      }
    } else if (state === ProcessState.STOPPING) {
      if (this.delay - now <= 0) {
        this.host.log('warn', `killing '${this.name}' (${this.pid}) with SIGKILL`);
        this.kill(now, 9);
      }
    }
  }

  private wantsRestart(): boolean {
    const cfg = this.config;
    if (cfg.autorestart === 'true') return true;
    return cfg.autorestart === 'unexpected' && (this.exitstatus === null || !cfg.exitcodes.includes(this.exitstatus));
  }

  /**
   * Automatic restarts from EXITED are paced to at most one per RESTART_PACING_MS after the previous start.
   * supervisord gets this from its 1-s loop tick (a program exiting at once with startsecs=0 restarts about
   * once a second, spec §3.6); without it an event-driven loop would respawn such a program in a tight loop.
   * A program that ran for more than a second restarts immediately, as in supervisord.
   */
  private restartNotBefore(): number {
    return this.laststart + RESTART_PACING_MS;
  }

  /**
   * The next time transition() has something to decide on its own (epoch ms), or null. The orchestrator
   * arms one timer for it; an early or late call is harmless (transition() re-checks the rule).
   */
  deadline(): number | null {
    switch (this.state) {
      case ProcessState.STARTING:
        return this.laststart + this.config.startsecs * 1000 + 1;
      case ProcessState.BACKOFF:
        return this.backoff > this.config.startretries ? this.delay : this.delay + 1;
      case ProcessState.STOPPING:
        return this.delay;
      case ProcessState.EXITED:
        return this.wantsRestart() ? this.restartNotBefore() : null;
      default:
        return null;
    }
  }
}
