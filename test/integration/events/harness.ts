// A tiny stand-in for the engine, for driving the real listener pools against real listener processes:
// it spawns each listener (a script the test wrote), reports STARTING/RUNNING/EXITED on the event bus,
// restarts a listener that exits (autorestart), writes to their stdin for the pools and feeds their stdout
// into the pools' tap. Everything else (what events are published) is up to the test.
import { spawn, type ChildProcess } from 'node:child_process';
import type { GroupConfig, ProcessConfig } from '../../../src/config/model.js';
import { EventBus } from '../../../src/events/bus.js';
import { createListenerPools, type ListenerPools } from '../../../src/events/pools.js';
import type { EngineEvent } from '../../../src/events/types.js';
import type { MainLog } from '../../../src/log/types.js';
import { ControlError, type GroupView, type ProcessView, type SupervisorControl } from '../../../src/supervision/control.js';
import { ProcessState } from '../../../src/supervision/states.js';

export interface ListenerSpec {
  readonly group: string;
  readonly argv: readonly string[];
  readonly events: readonly string[];
  readonly bufferSize?: number;
  readonly numprocs?: number;
}

interface Proc {
  readonly cfg: ProcessConfig;
  readonly argv: readonly string[];
  state: ProcessState;
  child: ChildProcess | null;
  pid: number;
  spawns: number;
}

export class Harness {
  readonly bus = new EventBus((err) => {
    this.logLines.push(`BUS ERROR ${String(err)}`);
  });
  readonly logLines: string[] = [];
  readonly groups = new Map<string, GroupConfig>();
  private readonly procs = new Map<string, Proc>();
  readonly pools: ListenerPools;
  private stopping = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly identifier = 'supervisor') {
    const log = (lvl: string) => (m: string) => {
      this.logLines.push(`${lvl} ${m}`);
      this.poke();
    };
    const mainLog: MainLog = {
      critical: log('CRIT'),
      error: log('ERRO'),
      warn: log('WARN'),
      info: log('INFO'),
      debug: log('DEBG'),
      trace: log('TRAC'),
      blather: log('BLAT'),
      enabled: () => true,
      reopen: () => {},
      flush: () => {},
      path: null,
    };
    this.pools = createListenerPools({ control: this.control(), bus: this.bus, mainLog, identifier });
  }

  /** Add an eventlistener group (its pool is created by PROCESS_GROUP_ADDED) and start its processes. */
  addListener(spec: ListenerSpec): void {
    const n = spec.numprocs ?? 1;
    const processes = Array.from({ length: n }, (_, i) => {
      const name = n === 1 ? spec.group : `${spec.group}_${i}`;
      return { name, group: spec.group, kind: 'eventlistener', programName: spec.group } as unknown as ProcessConfig;
    });
    const cfg: GroupConfig = {
      name: spec.group,
      kind: 'eventlistener',
      priority: -1,
      processes,
      listener: {
        events: [...spec.events],
        bufferSize: spec.bufferSize ?? 10,
        resultHandler: 'supervisor.dispatchers:default_handler',
      },
      fcgiSocket: null,
    };
    this.groups.set(cfg.name, cfg);
    for (const p of processes) this.procs.set(`${cfg.name}:${p.name}`, { cfg: p, argv: spec.argv, state: ProcessState.STOPPED, child: null, pid: 0, spawns: 0 });
    this.publish({ kind: 'group', action: 'added', group: cfg.name });
    for (const p of processes) this.start(this.procs.get(`${cfg.name}:${p.name}`)!);
  }

  publish(event: EngineEvent): void {
    this.bus.publish(event);
  }

  proc(group: string, name = group): Proc {
    return this.procs.get(`${group}:${name}`)!;
  }

  /**
   * Resolves when `cond()` holds (re-checked on every log line / process change / listener output, and every
   * 50 ms for conditions on files the listeners write), or rejects after `ms`.
   */
  async until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
    if (cond()) return;
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => check(), 50);
      const check = (): void => {
        if (cond()) {
          clearTimeout(timer);
          clearInterval(poll);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}\n${this.logLines.join('\n')}`));
      }, ms);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
    const exits: Promise<void>[] = [];
    for (const p of this.procs.values()) {
      const c = p.child;
      if (c && c.exitCode === null && c.signalCode === null) {
        exits.push(new Promise((r) => c.once('exit', () => r())));
        c.kill('SIGKILL');
      }
    }
    await Promise.all(exits);
    this.pools.close();
  }

  private poke(): void {
    for (const w of [...this.waiters]) w();
  }

  private setState(p: Proc, to: ProcessState, extra: { expected?: boolean } = {}): void {
    const from = p.state;
    p.state = to;
    this.publish({
      kind: 'process-state',
      process: { name: p.cfg.name, group: p.cfg.group },
      from,
      to,
      tries: 0,
      expected: extra.expected ?? false,
      pid: p.pid,
    });
    this.poke();
  }

  private start(p: Proc): void {
    const child = spawn(p.argv[0]!, p.argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    p.child = child;
    p.pid = child.pid ?? 0;
    p.spawns++;
    child.stdin!.on('error', () => {}); // EPIPE after the listener died: its death is reported by 'exit'
    const tap = this.pools.tapFor(p.cfg)!;
    child.stdout!.on('data', (chunk: Buffer) => {
      tap(chunk);
      this.poke();
    });
    this.setState(p, ProcessState.STARTING);
    this.setState(p, ProcessState.RUNNING); // startsecs=0
    child.once('exit', () => {
      // let buffered stdout reach the tap first, as the engine's output layer does
      const finish = (): void => {
        p.child = null;
        this.setState(p, ProcessState.EXITED);
        p.pid = 0;
        if (!this.stopping) this.start(p);
      };
      if (child.stdout!.readableEnded) finish();
      else child.stdout!.once('close', finish);
    });
  }

  private control(): SupervisorControl {
    const view = (cfg: GroupConfig): GroupView => ({
      config: cfg,
      name: cfg.name,
      processes: cfg.processes.map((pc) => {
        const p = this.procs.get(`${cfg.name}:${pc.name}`);
        return { config: pc, name: pc.name, group: cfg.name, state: p?.state ?? ProcessState.STOPPED, pid: p?.pid ?? 0 } as unknown as ProcessView;
      }),
    });
    return {
      events: this.bus,
      config: { groups: [...this.groups.values()] },
      groups: () => [...this.groups.values()].map(view),
      group: (n: string) => (this.groups.has(n) ? view(this.groups.get(n)!) : undefined),
      process: (g: string, n: string) => (this.groups.has(g) ? view(this.groups.get(g)!).processes.find((p) => p.name === n) : undefined),
      writeStdin: (group: string, name: string, data: Buffer) => {
        const p = this.procs.get(`${group}:${name}`);
        const stdin = p?.child?.stdin;
        if (!p || !p.child) throw new ControlError('NOT_RUNNING', `${group}:${name}`);
        if (!stdin || stdin.destroyed || !stdin.writable) throw new ControlError('NO_FILE', `${group}:${name}`);
        stdin.write(data);
      },
    } as unknown as SupervisorControl;
  }
}
