// A scriptable SupervisorControl for control-plane tests: processes are plain records whose state the test
// (or, in 'timed' mode, short timers) moves along, publishing 'process-state' events like the engine.
import { truncateSync, existsSync } from 'node:fs';
import type { Config, GroupConfig, HttpServerConfig, ProcessConfig } from '../../../src/config/model.js';
import { configModel, outputChannel, processConfig } from '../../helpers/config-model.js';
import { RecordingLog } from '../../helpers/recording-log.js';
import { EventBus } from '../../../src/events/bus.js';
import {
  ControlError,
  type ConfigDiff,
  type GroupView,
  type ProcessView,
  type SupervisorControl,
} from '../../../src/supervision/control.js';
import { ProcessState, RUNNING_STATES, SIGNALLABLE_STATES, SupervisorMood } from '../../../src/supervision/states.js';

export function makeProcessConfig(name: string, group: string, o: Partial<ProcessConfig> & { stdoutPath?: string | null; stderrPath?: string | null } = {}): ProcessConfig {
  const { stdoutPath = null, stderrPath = null, ...rest } = o;
  const channel = (path: string | null) => outputChannel(path === null ? {} : { logfile: { kind: 'file', path } });
  return processConfig(name, { group, command: '/bin/sleep 1000', stdout: channel(stdoutPath), stderr: channel(stderrPath), ...rest });
}

export function makeGroup(name: string, processes: ProcessConfig[], priority = 999): GroupConfig {
  return {
    name,
    kind: processes.length === 1 && processes[0]!.name === name ? 'program' : 'group',
    priority,
    processes,
    listener: null,
    fcgiSocket: null,
  };
}

export function makeConfig(groups: GroupConfig[], httpServers: HttpServerConfig[] = []): Config {
  return configModel(groups, { httpServers, rpcinterfaces: ['supervisor'] });
}

export class FakeProcess implements ProcessView {
  state = ProcessState.STOPPED;
  pid = 0;
  laststart = 0;
  laststop = 0;
  spawnerr: string | null = null;
  exitstatus = 0;
  lastExit: { code: number | null; signal: number | null } | null = null;
  stdoutLogfile: string | null;
  stderrLogfile: string | null;
  spawnCount = 0;
  backoff = 0;
  stdin: Buffer[] = [];
  signals: number[] = [];
  stdinClosed = false;
  constructor(readonly config: ProcessConfig) {
    this.stdoutLogfile = config.stdout.logfile.kind === 'file' ? config.stdout.logfile.path : null;
    this.stderrLogfile = config.stderr.logfile.kind === 'file' ? config.stderr.logfile.path : null;
  }
  get name(): string {
    return this.config.name;
  }
  get group(): string {
    return this.config.group;
  }
}

export interface FakeOptions {
  /** 'manual': states only change when the test says so; 'timed': STARTING→RUNNING after startsecs, etc. */
  mode?: 'manual' | 'timed';
  now?: () => number;
}

export class FakeControl implements SupervisorControl {
  config: Config;
  mood: SupervisorMood = SupervisorMood.RUNNING;
  pid = 4242;
  readonly events = new EventBus();
  startedAt = Date.now();
  mainLogfile: string | null = null;
  counters = { orphansReaped: 0, eventsDropped: 0 };
  nextPid = 1000;
  readonly active = new Map<string, { config: GroupConfig; processes: FakeProcess[] }>();
  rereadResult: ConfigDiff | Error = { added: [], changed: [], removed: [] };
  /** Config groups that addGroup may add (defaults to config.groups). */
  available: GroupConfig[];
  shutdownCalls: string[] = [];
  restartCalls = 0;
  readonly mode: 'manual' | 'timed';
  private readonly now: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(config: Config, options: FakeOptions = {}) {
    this.config = config;
    this.available = [...config.groups];
    this.mode = options.mode ?? 'manual';
    this.now = options.now ?? Date.now;
    for (const g of config.groups) this.activate(g);
  }

  private activate(g: GroupConfig): void {
    this.active.set(g.name, { config: g, processes: g.processes.map((p) => new FakeProcess(p)) });
  }

  groups(): readonly GroupView[] {
    return [...this.active.values()].map((g) => ({ config: g.config, name: g.config.name, processes: g.processes }));
  }

  group(name: string): GroupView | undefined {
    const g = this.active.get(name);
    return g ? { config: g.config, name, processes: g.processes } : undefined;
  }

  process(group: string, name: string): FakeProcess | undefined {
    return this.active.get(group)?.processes.find((p) => p.name === name);
  }

  proc(group: string, name = group): FakeProcess {
    const p = this.process(group, name);
    if (!p) throw new Error(`no fake process ${group}:${name}`);
    return p;
  }

  /** Move a process to a state and publish the event, as the engine does. */
  setState(group: string, name: string, to: ProcessState, patch: Partial<FakeProcess> = {}): void {
    const p = this.proc(group, name);
    const from = p.state;
    Object.assign(p, patch);
    p.state = to;
    if (to === ProcessState.RUNNING && !p.pid) p.pid = this.nextPid++;
    if ([ProcessState.STOPPED, ProcessState.EXITED, ProcessState.FATAL, ProcessState.BACKOFF].includes(to)) {
      p.pid = 0;
      p.laststop = this.now();
    }
    this.events.publish({ kind: 'process-state', process: { group, name }, from, to, tries: p.backoff, expected: false, pid: p.pid });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  startProcess(group: string, name: string): void {
    const p = this.process(group, name);
    if (!p) throw new ControlError('BAD_NAME', `${group}:${name}`);
    if (p.config.command.startsWith('/nonexistent')) throw new ControlError('NO_FILE', `can't find command '${p.config.command}'`);
    if (p.config.command.startsWith('/etc/passwd')) throw new ControlError('NOT_EXECUTABLE', `command at '/etc/passwd' is not executable`);
    if (RUNNING_STATES.has(p.state)) throw new ControlError('ALREADY_STARTED', name);
    p.spawnerr = null;
    p.laststart = this.now();
    p.pid = this.nextPid++;
    p.spawnCount += 1;
    this.setState(group, name, ProcessState.STARTING);
    if (p.config.startsecs === 0) {
      this.setState(group, name, ProcessState.RUNNING);
      return;
    }
    if (this.mode === 'timed') {
      if (p.config.command.startsWith('/bin/false')) {
        this.later(50, () => this.setState(group, name, ProcessState.BACKOFF, { spawnerr: 'Exited too quickly (process log may have details)', exitstatus: 1 }));
      } else {
        this.later(p.config.startsecs * 1000, () => {
          if (p.state === ProcessState.STARTING) this.setState(group, name, ProcessState.RUNNING);
        });
      }
    }
  }

  stopProcess(group: string, name: string): void {
    const p = this.process(group, name);
    if (!p) throw new ControlError('BAD_NAME', `${group}:${name}`);
    if (!RUNNING_STATES.has(p.state)) throw new ControlError('NOT_RUNNING', name);
    if (p.state === ProcessState.BACKOFF) {
      this.setState(group, name, ProcessState.STOPPED);
      return;
    }
    this.setState(group, name, ProcessState.STOPPING);
    if (this.mode === 'timed') this.later(30, () => this.setState(group, name, ProcessState.STOPPED, { exitstatus: 0 }));
  }

  signalProcess(group: string, name: string, signal: number): void {
    const p = this.process(group, name);
    if (!p) throw new ControlError('BAD_NAME', name);
    if (!SIGNALLABLE_STATES.has(p.state)) throw new ControlError('NOT_RUNNING', name);
    p.signals.push(signal);
  }

  writeStdin(group: string, name: string, data: Buffer): void {
    const p = this.process(group, name);
    if (!p) throw new ControlError('BAD_NAME', name);
    if (!p.pid) throw new ControlError('NOT_RUNNING', name);
    if (p.stdinClosed) throw new ControlError('NO_FILE', name);
    p.stdin.push(data);
  }

  clearProcessLogs(group: string, name: string): void {
    const p = this.process(group, name);
    if (!p) throw new ControlError('BAD_NAME', name);
    for (const f of [p.stdoutLogfile, p.stderrLogfile]) {
      if (f === '/fail') throw new ControlError('FAILED', name);
      if (f && existsSync(f)) truncateSync(f, 0);
    }
  }

  shutdown(reason: string): void {
    this.shutdownCalls.push(reason);
    this.mood = SupervisorMood.SHUTDOWN;
  }

  restart(): void {
    this.restartCalls += 1;
    this.mood = SupervisorMood.RESTARTING;
  }

  reread(): ConfigDiff {
    if (this.rereadResult instanceof Error) throw this.rereadResult;
    return this.rereadResult;
  }

  addGroup(name: string): void {
    const g = this.available.find((c) => c.name === name);
    if (!g) throw new ControlError('BAD_NAME', name);
    if (this.active.has(name)) throw new ControlError('ALREADY_ADDED', name);
    this.activate(g);
    this.events.publish({ kind: 'group', action: 'added', group: name });
  }

  removeGroup(name: string): void {
    const g = this.active.get(name);
    if (!g) throw new ControlError('BAD_NAME', name);
    if (g.processes.some((p) => RUNNING_STATES.has(p.state) || p.state === ProcessState.STOPPING)) {
      throw new ControlError('STILL_RUNNING', name);
    }
    this.active.delete(name);
    this.events.publish({ kind: 'group', action: 'removed', group: name });
  }
}

/** Records everything; enabled() answers false, so no debug-only work is done. */
export class MemoryLog extends RecordingLog {
  constructor() {
    super({ enabled: false });
  }
}
