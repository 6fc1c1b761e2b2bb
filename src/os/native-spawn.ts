// Spawning through the addon (native/spawn.c) instead of child_process: clone(CLONE_VM|CLONE_VFORK) + execve,
// with supervisord's child steps (setsid, stdio, user, chdir, umask) done in the child, and its failures
// reported the way supervisord's child reports them (`supervisor: couldn't exec ...` on fd 2, exit 127).
// libuv does not know these children: the PID-1 reaper reaps them and hands their wait status back
// (Reaper.adopt). Their stdio pipes are real pipes (pipe2), as supervisord's; libuv would give socketpairs.
//
// Why: a fork() of Node copies ~40 MB of page tables, and child_process plus node:net cost ~3 ms to load;
// together about 5 ms of launch time (BENCHMARKS.md §1). The stdin pipe is wrapped in a stream only when
// something writes to it.
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { decodeWaitStatus } from '../common/exit-status.js';
import { net } from '../common/lazy-net.js';
import { forkFailure, pipeFailure, type ChildHandle, type ExitStatus, type SpawnSpec } from './edge.js';
import { ExitCallbacks } from './exit-callbacks.js';
import type { ReaperAddon } from './native.js';
import { supplementaryGroups } from './privileges.js';

/** What the native spawn needs: the addon's calls, and the reaper that gets the exit statuses. */
export interface NativeSpawner {
  readonly addon: Required<Pick<ReaperAddon, 'spawn' | 'pipe'>>;
  /** Route the raw wait status of `pid` to `onExit` when it is reaped (Reaper.adopt). */
  adopt(pid: number, onExit: (status: number) => void): void;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}

/** A stream over our end of a pipe. */
function pipeStream(fd: number, direction: 'read' | 'write'): Socket {
  return new (net().Socket)({ fd, readable: direction === 'read', writable: direction === 'write' });
}

class NativeChildHandle implements ChildHandle {
  private stdinStream: Socket | null = null;
  private readonly exit = new ExitCallbacks();

  constructor(
    readonly pid: number,
    /** Our (write) end of the stdin pipe until it is wrapped or closed; -1 when none. */
    private stdinFd: number,
    readonly stdout: Readable | null,
    readonly stderr: Readable | null,
  ) {}

  /**
   * The stdin pipe as a stream, made on first use. After the exit it is destroyed (as child_process leaves it),
   * or null when nothing had used it (its fd is closed at the exit).
   */
  get stdin(): Writable | null {
    if (this.stdinStream === null && this.stdinFd >= 0) {
      const stream = pipeStream(this.stdinFd, 'write');
      this.stdinFd = -1;
      // EPIPE (the program closed its stdin) destroys the stream; writers see `destroyed`, PID 1 stays up.
      stream.on('error', () => {});
      this.stdinStream = stream;
    }
    return this.stdinStream;
  }

  exited(raw: number): void {
    if (this.exit.settled !== null) return;
    if (this.stdinStream !== null) this.stdinStream.destroy();
    else if (this.stdinFd >= 0) {
      closeQuietly(this.stdinFd);
      this.stdinFd = -1;
    }
    const { code, signal, coreDumped } = decodeWaitStatus(raw);
    this.exit.settle({ code, signal, coreDumped });
  }

  onExit(cb: (status: ExitStatus) => void): void {
    this.exit.add(cb);
  }
}

/** Pipes made for one spawn: the child's ends are closed after the spawn, ours on failure. */
class SpawnPipes {
  private readonly all: number[] = [];

  constructor(
    private readonly spawner: NativeSpawner,
    private readonly name: string,
  ) {}

  make(): [number, number] {
    try {
      const p = this.spawner.addon.pipe();
      this.all.push(...p);
      return p;
    } catch (err) {
      this.closeAll();
      throw pipeFailure(err, this.name);
    }
  }

  closeAll(): void {
    for (const fd of this.all.splice(0)) closeQuietly(fd);
  }
}

/** Starts `spec` through the addon. Throws SpawnFailure for failures in tsinit (clone, pipes). */
export function spawnNative(spawner: NativeSpawner, spec: SpawnSpec, name: string): ChildHandle {
  const pipes = new SpawnPipes(spawner, name);
  const childEnds: number[] = [];
  let stdinOurs = -1;
  let stdoutOurs = -1;
  let stderrOurs = -1;
  const fds = [-1, -1, -1];

  if (spec.stdinFd !== undefined) fds[0] = spec.stdinFd;
  else if (spec.stdinPipe) {
    const [r, w] = pipes.make();
    fds[0] = r;
    childEnds.push(r);
    stdinOurs = w;
  }
  const out = spec.stdout;
  if (out.kind === 'fd') fds[1] = out.fd;
  else if (out.kind === 'pipe') {
    const [r, w] = pipes.make();
    fds[1] = w;
    childEnds.push(w);
    stdoutOurs = r;
  }
  const err = spec.stderr;
  if (err.kind === 'stdout') fds[2] = fds[1];
  else if (err.kind === 'fd') fds[2] = err.fd;
  else if (err.kind === 'pipe') {
    const [r, w] = pipes.make();
    fds[2] = w;
    childEnds.push(w);
    stderrOurs = r;
  }

  let user: number[] | null = null;
  if (spec.user !== null && spec.user.uid !== process.getuid!()) {
    user = [spec.user.uid, spec.user.gid];
    if (process.getuid!() === 0) user.push(...supplementaryGroups(spec.user.name, spec.user.gid));
  }
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);

  let pid: number;
  try {
    pid = spawner.addon.spawn(spec.file, spec.argv, env, fds, spec.cwd, spec.umask ?? -1, user);
  } catch (e) {
    pipes.closeAll();
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code !== 'UNKNOWN') throw forkFailure(code, name);
    throw e;
  }
  for (const fd of childEnds) closeQuietly(fd);

  const stdout = stdoutOurs >= 0 ? pipeStream(stdoutOurs, 'read') : null;
  const stderr = stderrOurs >= 0 ? pipeStream(stderrOurs, 'read') : null;
  const handle = new NativeChildHandle(pid, stdinOurs, stdout, stderr);
  spawner.adopt(pid, (status) => handle.exited(status));
  return handle;
}
