// The OS edge: everything the engine needs from the operating system, behind one small interface so the
// supervision layer can be tested with a fake. The real implementation lives in src/os/ (spawn.ts,
// reaper.ts, signals.ts, native.ts); the engine never imports node:child_process itself.
import type { Readable, Writable } from 'node:stream';
import type { FcgiSocketConfig } from '../config/model.js';

/** How a child's stdout/stderr is wired: inherit one of tsinit's fds (zero copy), a pipe, or nothing. */
export type ChildOutput = { readonly kind: 'fd'; readonly fd: number } | { readonly kind: 'pipe' } | { readonly kind: 'ignore' };

export interface SpawnSpec {
  /** Process name for supervisord's fork/pipe error texts (`too many open files to spawn '<name>'`). Optional (added). */
  readonly name?: string;
  /** Resolved absolute (or as-written, when it contains '/') executable path. */
  readonly file: string;
  /** argv including argv[0] as written in the config. */
  readonly argv: readonly string[];
  /** The complete environment of the child. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | null;
  readonly umask: number | null;
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number } | null;
  readonly stdout: ChildOutput;
  /** 'stdout' = same as stdout (redirect_stderr). */
  readonly stderr: ChildOutput | { readonly kind: 'stdout' };
  /** Give the child a stdin pipe (supervisord always does, except fcgi). */
  readonly stdinPipe: boolean;
  /** An fd of tsinit's to put on the child's fd 0 instead (fcgi-program: the group's listening socket). Optional (added). */
  readonly stdinFd?: number;
}

/** A listening socket shared by the processes of an fcgi-program group (reference counted). */
export interface SharedSocket {
  readonly url: string;
  /** One more reference; creates (binds, listens) the socket when none is held. Returns its fd. Throws with supervisord's text. */
  acquire(): number;
  /** One reference less; the last one closes the socket. */
  release(): void;
  /** Close it whatever the references (group removed, exit). */
  close(): void;
}

export interface ExitStatus {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  /** Signal number that killed it, or null. */
  readonly signal: number | null;
  readonly coreDumped: boolean;
}

export interface ChildHandle {
  readonly pid: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  /** null when redirected into stdout or not piped. */
  readonly stderr: Readable | null;
  /** Called exactly once when the process has been reaped. */
  onExit(cb: (status: ExitStatus) => void): void;
}

/** A spawn failure in the parent, with supervisord's message text (spec §3.4, §3.7). */
export class SpawnFailure extends Error {
  override readonly name = 'SpawnFailure';
  constructor(
    message: string,
    /** For RPC startProcess: NO_FILE (not found) / NOT_EXECUTABLE / other. */
    readonly kind: 'not-found' | 'not-executable' | 'parse' | 'resources' | 'other' = 'other',
  ) {
    super(message);
  }
}

/** supervisord's texts for a spawn failure in the parent (fork or pipe), by errno name. */
export function forkFailure(code: string, name: string): SpawnFailure {
  if (code === 'EAGAIN') return new SpawnFailure(`Too many processes in process table to spawn '${name}'`, 'resources');
  if (code === 'EMFILE' || code === 'ENFILE') return new SpawnFailure(`too many open files to spawn '${name}'`, 'resources');
  return new SpawnFailure(`unknown error during fork for '${name}': ${code}`, 'other');
}

/** forkFailure for a pipe() that failed: supervisord says "too many open files" for any pipe error. */
export function pipeFailure(err: unknown, name: string): SpawnFailure {
  return forkFailure((err as { code?: string }).code === 'EMFILE' ? 'EMFILE' : 'ENFILE', name);
}

export interface ResolvedCommand {
  readonly file: string;
  readonly argv: readonly string[];
}

export interface OsEdge {
  /** shlex-split and PATH-resolve as supervisord does; throws SpawnFailure with its message. */
  resolveCommand(command: string, env: Readonly<Record<string, string>>): ResolvedCommand;
  /** Spawn in its own process group. Throws SpawnFailure. */
  spawn(spec: SpawnSpec): ChildHandle;
  /** kill(pid) or kill(-pid). Returns false on ESRCH; throws on other errors. */
  kill(pid: number, signal: number, toGroup: boolean): boolean;
  /** The socket of an fcgi-program group (created lazily by acquire()). Optional (added). */
  fcgiSocket?(config: FcgiSocketConfig, log: (msg: string) => void): SharedSocket;
}
