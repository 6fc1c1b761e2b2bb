// The surface the supervisor offers to the layers above it (control plane, health/metrics, event
// listeners, CLI). Those layers depend on this interface only, never on the engine's internals.
import type { Config, GroupConfig, ProcessConfig } from '../config/model.js';
import type { EventBus } from '../events/bus.js';
import type { ProcessState, SupervisorMood } from './states.js';

/** A read-only view of one supervised process. */
export interface ProcessView {
  readonly config: ProcessConfig;
  readonly name: string;
  readonly group: string;
  readonly state: ProcessState;
  /** 0 when not running. */
  readonly pid: number;
  /** Epoch milliseconds of the last start attempt; 0 = never started. */
  readonly laststart: number;
  /** Epoch milliseconds of the last exit; 0 = never. */
  readonly laststop: number;
  /** Last spawn error text (supervisord's wording), or null. */
  readonly spawnerr: string | null;
  /** Last exit code; -1 when killed by a signal; 0 when none. */
  readonly exitstatus: number;
  /** Last termination: exit code or signal number, null if it never exited. */
  readonly lastExit: { readonly code: number | null; readonly signal: number | null } | null;
  /** Actual log file paths (AUTO resolved), or null for none / not a file. */
  readonly stdoutLogfile: string | null;
  readonly stderrLogfile: string | null;
  /** Successful spawns since the group was added (for metrics). */
  readonly spawnCount: number;
  /** Current consecutive failed-start counter. */
  readonly backoff: number;
}

export interface GroupView {
  readonly config: GroupConfig;
  readonly name: string;
  readonly processes: readonly ProcessView[];
}

export interface ConfigDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** Thrown by control operations; `code` is supervisord's XML-RPC fault name. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code:
      | 'BAD_NAME'
      | 'NO_FILE'
      | 'NOT_EXECUTABLE'
      | 'FAILED'
      | 'ABNORMAL_TERMINATION'
      | 'SPAWN_ERROR'
      | 'ALREADY_STARTED'
      | 'NOT_RUNNING'
      | 'ALREADY_ADDED'
      | 'STILL_RUNNING'
      | 'CANT_REREAD'
      | 'SHUTDOWN_STATE'
      | 'BAD_SIGNAL',
    message: string,
  ) {
    super(message);
  }
}

/**
 * SHUTDOWN_STATE: while the mood is below RUNNING (shutting down or reloading) the engine's mutating
 * operations (start/stop/signal/writeStdin/clearProcessLogs/restart/reread/addGroup/removeGroup) throw
 * ControlError('SHUTDOWN_STATE'); read-only views keep working for internal users. The RPC layer gates
 * every method on `mood` itself, as supervisord's _update() does (writeListenerStdin is never gated).
 */
export interface SupervisorControl {
  readonly config: Config;
  readonly mood: SupervisorMood;
  readonly pid: number;
  readonly events: EventBus;
  /** Epoch ms when tsinit started (for uptime). */
  readonly startedAt: number;

  /** Active groups in start order. */
  groups(): readonly GroupView[];
  group(name: string): GroupView | undefined;
  process(group: string, name: string): ProcessView | undefined;

  /**
   * Start a process now (manual start). Throws ControlError (NO_FILE / NOT_EXECUTABLE / ALREADY_STARTED /
   * FAILED / SPAWN_ERROR) as supervisord's startProcess checks, in that order. Returns once the spawn was
   * attempted; waiting for RUNNING is the caller's business (watch `events`).
   */
  startProcess(group: string, name: string): void;
  /** Administrative stop with stopsignal (NOT_RUNNING when not in a running state). */
  stopProcess(group: string, name: string): void;
  /** Send a signal to the process's pid (NOT_RUNNING unless RUNNING/STARTING/STOPPING). */
  signalProcess(group: string, name: string, signal: number): void;
  /** Write to the program's stdin (NOT_RUNNING / NO_FILE). */
  writeStdin(group: string, name: string, data: Buffer): void;
  /**
   * Event delivery to a listener's stdin (src/events pools): like writeStdin (throws when the process has no
   * pid, is being killed, or its stdin is closed) but WITHOUT the SHUTDOWN_STATE gate: supervisord keeps
   * sending events (SUPERVISOR_STATE_CHANGE_STOPPING, STOPPING/STOPPED of other programs) while it shuts
   * down. Optional for compatibility; when absent the pools use writeStdin.
   */
  writeListenerStdin?(group: string, name: string, data: Buffer): void;
  /** Delete and reopen the program's log files. */
  clearProcessLogs(group: string, name: string): void;

  /**
   * Log supervisord's `waiting for <name> to stop` for a process being stopped with wait (RPC stopProcess);
   * the engine throttles it to once every 2 s. Optional: control fakes may leave it out.
   */
  stopReport?(group: string, name: string): void;

  /** Orderly shutdown (as SIGTERM). */
  shutdown(reason: string): void;
  /** Reload as SIGHUP does (stop all, re-read config, start again; a broken config keeps the old one). */
  restart(): void;
  /** Re-read the config file from disk without applying it (CANT_REREAD on error). */
  reread(): ConfigDiff;
  /** Add a group from the last re-read config (BAD_NAME / ALREADY_ADDED). */
  addGroup(name: string): void;
  /** Remove a stopped group (BAD_NAME / STILL_RUNNING). */
  removeGroup(name: string): void;
  /**
   * Optional: the group configs of the config last read by reread() (the active config when never re-read),
   * i.e. what addGroup() can add. supervisord's getAllConfigInfo (`supervisorctl avail`) lists these.
   */
  availableGroups?(): readonly GroupConfig[];

  /** Path of tsinit's own log file, or null when it logs to stdout only. */
  readonly mainLogfile: string | null;
  /** Counters for metrics. */
  readonly counters: { readonly orphansReaped: number; readonly eventsDropped: number };
}
