// Fakes for the engine's unit tests: a ProcessConfig/Config factory, a recording MainLog, a fake OsEdge whose
// children exit only when the test says so, and a no-op OutputManager.
import type { Config, GroupConfig, ProcessConfig } from '../../../src/config/model.js';
import { SpawnFailure, type ChildHandle, type ExitStatus, type OsEdge, type ResolvedCommand, type SharedSocket, type SpawnSpec } from '../../../src/os/edge.js';
import type { FcgiSocketConfig } from '../../../src/config/model.js';
import type { OutputManager, ProcessOutput } from '../../../src/output/types.js';
import { PassThrough, type Readable } from 'node:stream';
import { configModel, processConfig } from '../../helpers/config-model.js';

export function proc(name: string, over: Partial<ProcessConfig> = {}): ProcessConfig {
  // the engine's tests put programs into groups themselves (group()): the section stays [program:<name>]
  return processConfig(name, { programName: name, section: `program:${name}`, ...over });
}

export function group(name: string, processes: ProcessConfig[], priority = 999): GroupConfig {
  return {
    name,
    kind: 'program',
    priority,
    processes: processes.map((p) => ({ ...p, group: name })),
    listener: null,
    fcgiSocket: null,
  };
}

/** A homogeneous group of one program (priority taken from the program). */
export function programGroup(p: ProcessConfig): GroupConfig {
  return group(p.name, [p], p.priority);
}

export function config(groups: GroupConfig[]): Config {
  return configModel(groups, {
    supervisord: { logfile: '/dev/stdout', pidfile: '/tmp/x.pid', nocleanup: true },
    tsinit: { killGraceSecs: 1 },
  });
}

export { RecordingLog } from '../../helpers/recording-log.js';

export class FakeChild implements ChildHandle {
  readonly stdin = null;
  /** A stand-in stream when the FakeOs pipes output (only its presence matters to the engine). */
  readonly stdout: Readable | null;
  readonly stderr = null;
  private cb: ((s: ExitStatus) => void) | null = null;
  exited = false;
  constructor(
    readonly pid: number,
    readonly spec: SpawnSpec,
    piped = false,
  ) {
    this.stdout = piped ? new PassThrough() : null;
  }
  onExit(cb: (status: ExitStatus) => void): void {
    this.cb = cb;
  }
  exit(code: number | null, signal: number | null = null): void {
    if (this.exited) throw new Error(`pid ${this.pid} already exited`);
    this.exited = true;
    this.cb?.({ code, signal, coreDumped: false });
  }
}

export interface KillCall {
  readonly pid: number;
  readonly signal: number;
  readonly toGroup: boolean;
}

/** A fake fcgi socket: counts references, 'opens' fd 42 on the first one; `failWith` makes creation fail. */
export class FakeSocket implements SharedSocket {
  refs = 0;
  opened = 0;
  closed = 0;
  failWith: string | null = null;
  constructor(
    readonly url: string,
    private readonly log: (msg: string) => void,
  ) {}
  acquire(): number {
    if (this.refs === 0) {
      this.log(`Creating socket ${this.url}`);
      if (this.failWith) throw new Error(`Could not create FastCGI socket ${this.url}: ${this.failWith}`);
      this.opened++;
    }
    this.refs++;
    return 42;
  }
  release(): void {
    if (this.refs === 0) return;
    if (--this.refs === 0) this.closeNow();
  }
  close(): void {
    if (this.refs > 0 || this.opened > this.closed) {
      this.refs = 0;
      this.closeNow();
    }
  }
  private closeNow(): void {
    if (this.opened === this.closed) return;
    this.closed++;
    this.log(`Closing socket ${this.url}`);
  }
}

/** A fake OsEdge: spawns FakeChild objects; commands in `missing` fail with supervisord's not-found text. */
export class FakeOs implements OsEdge {
  nextPid = 100;
  readonly children: FakeChild[] = [];
  readonly kills: KillCall[] = [];
  readonly missing = new Set<string>();
  /** Exit on these signals automatically (default: TERM, INT, KILL). Map pid → ignored signals. */
  readonly ignoring = new Map<string, Set<number>>();
  killError: Error | null = null;
  spawnError: SpawnFailure | null = null;
  /** Give children a (stand-in) stdout pipe, so the engine waits for their output to drain at exit. */
  piped = false;
  readonly sockets: FakeSocket[] = [];
  /** Creation error for the next sockets (supervisord's OSError text). */
  socketError: string | null = null;

  fcgiSocket(config: FcgiSocketConfig, log: (msg: string) => void): SharedSocket {
    const s = new FakeSocket(config.url, log);
    s.failWith = this.socketError;
    this.sockets.push(s);
    return s;
  }

  resolveCommand(command: string): ResolvedCommand {
    const argv = command.split(' ');
    if (this.missing.has(argv[0]!)) throw new SpawnFailure(`can't find command '${argv[0]}'`, 'not-found');
    return { file: argv[0]!, argv };
  }

  spawn(spec: SpawnSpec): ChildHandle {
    if (this.spawnError) throw this.spawnError;
    const child = new FakeChild(this.nextPid++, spec, this.piped);
    this.children.push(child);
    return child;
  }

  kill(pid: number, signal: number, toGroup: boolean): boolean {
    this.kills.push({ pid, signal, toGroup });
    if (this.killError) throw this.killError;
    const child = this.children.find((c) => c.pid === pid && !c.exited);
    if (!child) return false;
    const ignored = this.ignoring.get(child.spec.argv[0]!) ?? new Set<number>();
    if (!ignored.has(signal) || signal === 9) this.pending.push([child, signal]);
    return true;
  }

  private pending: [FakeChild, number][] = [];

  /** Deliver the deaths caused by signals sent so far (real exits arrive asynchronously too). */
  flush(): void {
    while (this.pending.length > 0) {
      const [child, signal] = this.pending.shift()!;
      if (!child.exited) child.exit(null, signal);
    }
  }

  /** The live child spawned from `file`, if any. */
  live(file: string): FakeChild | undefined {
    return this.children.find((c) => c.spec.file === file && !c.exited);
  }

  spawnsOf(file: string): FakeChild[] {
    return this.children.filter((c) => c.spec.file === file);
  }
}

export class FakeOutputs implements OutputManager {
  /** When true, attach() resolves only when the test calls eof(pid) (the child's output reached EOF). */
  holdDrain = false;
  private readonly drains = new Map<number, () => void>();
  eof(pid: number): void {
    this.drains.get(pid)?.();
    this.drains.delete(pid);
  }
  reopened = 0;
  readonly created: string[] = [];
  readonly closed: string[] = [];
  forProcess(p: ProcessConfig): ProcessOutput {
    this.created.push(p.name);
    const closed = this.closed;
    return {
      stdout: { kind: 'ignore' },
      stderr: { kind: 'ignore' },
      attach: (child) => (this.holdDrain ? new Promise<void>((resolve) => this.drains.set(child.pid, resolve)) : Promise.resolve()),
      stdoutLogfile: null,
      stderrLogfile: null,
      clear: () => {},
      reopen: () => {},
      close: () => {
        closed.push(p.name);
      },
    };
  }
  reopenAll(): void {
    this.reopened++;
  }
  cleanupAutoLogs(): void {}
}
