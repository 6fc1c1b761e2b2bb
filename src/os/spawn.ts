// The real OsEdge: spawning with supervisord's child semantics (spec §3.4, §3.7, §4.8), kill, and
// command resolution.
//
// Two ways to spawn. As PID 1 (or subreaper) with the addon, run mode spawns through the addon
// (native-spawn.ts, native/spawn.c), which does supervisord's child steps itself. What follows is the other
// way, child_process (libuv), used without the addon and in library use:
//
// Process group: children are spawned `detached` (libuv calls setsid()), so pgid = sid = pid and
// kill(-pid) reaches the whole group for stopasgroup/killasgroup. supervisord calls setpgrp() instead: own
// group, same session. The observable difference is only the session: a child of tsinit has no controlling
// terminal (it cannot open /dev/tty of a `docker run -t`) and is not hit by a terminal hangup. For a
// container init this is acceptable (and tini -s / dumb-init do the same); libuv offers no setpgid.
//
// Signal dispositions: libuv resets every handler and the mask in the child, so programs start with
// default dispositions. supervisord's children inherit SIGPIPE and SIGXFSZ *ignored* (Python's doing);
// tsinit deliberately gives them the default (documented deviation: a program writing to a closed pipe
// dies of SIGPIPE as it would under a shell, instead of seeing EPIPE).
//
// Exec semantics: libuv execs with execvp rules (a file without `#!` runs under /bin/sh); supervisord uses
// execve (ENOEXEC). Files that are neither ELF nor `#!` scripts go through the exec helper (needsPlainExecve).
//
// Spawn errors: libuv reports exec and chdir failures of the child synchronously, where supervisord's
// forked child writes `supervisor: couldn't ...` to fd 2 and exits 127. To show the same, such spawns are
// retried through the exec helper (exec-helper.ts), which fails the same way supervisord's child does.
// Parent-side failures (EAGAIN, EMFILE/ENFILE) throw SpawnFailure with supervisord's texts.
import type { ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { getSystemErrorName } from 'node:util';
import { resolveCommand } from './command.js';
import { net } from '../common/lazy-net.js';
import type { FcgiSocketConfig } from '../config/model.js';
import { forkFailure, pipeFailure, type ChildHandle, type ExitStatus, type OsEdge, type ResolvedCommand, type SharedSocket, type SpawnSpec } from './edge.js';
import { FcgiSocket } from './fcgi-socket.js';
import { childProcessModule } from './child-process.js';
import { ExitCallbacks } from './exit-callbacks.js';
import { EXEC_HELPER_FLAG, HELPER_ENV_STRIP, type ExecHelperRequest } from './exec-helper.js';
import { loadNative, type ReaperAddon } from './native.js';
import { spawnNative, type NativeSpawner } from './native-spawn.js';
import { signalNumber } from './wait-status.js';

export interface NodeOsEdgeOptions {
  /**
   * How to start the exec helper: `execPath [...execArgv] script --tsinit-exec-helper <json>`. The script
   * must call runExecHelper() when it sees the flag. Default: this Node and process.argv[1] (the bundle).
   * null disables the helper (user= then falls back to libuv's uid/gid, without supplementary groups).
   */
  readonly helper?: { readonly execPath: string; readonly execArgv?: readonly string[]; readonly script: string } | null;
  /** The native addon (for pipe()); default loadNative(). */
  readonly addon?: () => Pick<ReaperAddon, 'pipe'>;
  /**
   * Spawn through the addon (native-spawn.ts) instead of child_process: what the PID-1 duties give
   * (Pid1Handle.nativeSpawner). null or absent: child_process, with the exec helper where libuv differs.
   */
  readonly native?: NativeSpawner | null;
}

type StdioEntry = 'pipe' | 'ignore' | number;

interface InternalSpawnOptions {
  file: string;
  args: string[];
  envPairs: string[];
  cwd?: string;
  detached: boolean;
  stdio: StdioEntry[];
  windowsHide: boolean;
  uid?: number;
  gid?: number;
}

/** Errors that only mean "the child could not chdir/exec": the exec helper reproduces them child-side. */
const CHILD_SIDE = new Set(['ENOENT', 'EACCES', 'ENOEXEC', 'ENOTDIR', 'ELOOP', 'E2BIG', 'ETXTBSY', 'EISDIR', 'ENAMETOOLONG', 'EPERM', 'EINVAL', 'ELIBBAD']);

/** Whether chdir(dir) would work (exists, is a directory, searchable). */
export function directoryUsable(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    accessSync(dir, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ELF e_machine values of the architectures Node runs on (elf.h), keyed by process.arch. */
const ELF_MACHINE: Partial<Record<NodeJS.Architecture, number>> = {
  x64: 62,
  arm64: 183,
  ia32: 3,
  arm: 40,
  ppc64: 21,
  s390x: 22,
  riscv64: 243,
  loong64: 258,
};

/** Whether an ELF header (first 20 bytes) is of this machine's class, byte order and architecture. */
function isNativeElf(head: Buffer): boolean {
  const machine = ELF_MACHINE[process.arch];
  if (machine === undefined) return true; // unknown architecture: trust libuv as before
  const is64 = process.arch !== 'ia32' && process.arch !== 'arm';
  if (head[4] !== (is64 ? 2 : 1)) return false; // EI_CLASS
  const little = head[5] === 1; // EI_DATA
  if ((os.endianness() === 'LE') !== little) return false;
  const eMachine = little ? head.readUInt16LE(18) : head.readUInt16BE(18);
  return eMachine === machine;
}

/**
 * Whether libuv would run `file` differently from a plain execve(2): libuv uses execvp semantics, which run
 * a file without a `#!` line through /bin/sh where execve fails with ENOEXEC (supervisord then reports
 * `couldn't exec <argv0>: ENOEXEC`), and search PATH for a name without '/'. Such files go through the
 * exec helper, which calls execve itself. Unreadable files (mode --x) are left to libuv.
 */
export function needsPlainExecve(file: string): boolean {
  if (!file.includes('/')) return true;
  let fd = -1;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(20);
    const n = readSync(fd, head, 0, 20, 0);
    if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) return false; // #!
    // Only an ELF file for this very machine is left to libuv: one for another architecture (an arm64
    // image on x86-64) or a corrupt one makes execve fail with ENOEXEC, and execvp would then feed the
    // binary to /bin/sh.
    if (n === 20 && head.readUInt32BE(0) === 0x7f454c46) return !isNativeElf(head);
    return true;
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

class NodeChildHandle implements ChildHandle {
  readonly pid: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  private readonly exit = new ExitCallbacks();

  constructor(child: ChildProcess, stdoutOverride: Readable | null) {
    this.pid = child.pid!;
    this.stdin = child.stdin;
    this.stdout = stdoutOverride ?? child.stdout;
    this.stderr = stdoutOverride ? null : child.stderr;
    child.once('exit', (code, signal) => {
      const sig = signalNumber(signal);
      // libuv does not report WCOREDUMP, so coreDumped is always false for managed children.
      this.exit.settle({ code: sig === null ? (code ?? 0) : null, signal: sig, coreDumped: false });
    });
  }

  onExit(cb: (status: ExitStatus) => void): void {
    this.exit.add(cb);
  }
}

export class NodeOsEdge implements OsEdge {
  private readonly helper: NodeOsEdgeOptions['helper'];
  private readonly addon: () => Pick<ReaperAddon, 'pipe'>;
  private readonly native: NativeSpawner | null;

  constructor(options: NodeOsEdgeOptions = {}) {
    this.native = options.native ?? null;
    this.helper =
      options.helper !== undefined
        ? options.helper
        : process.argv[1]
          ? { execPath: process.execPath, script: process.argv[1] }
          : null;
    this.addon = options.addon ?? loadNative;
  }

  resolveCommand(command: string, env: Readonly<Record<string, string>>): ResolvedCommand {
    return resolveCommand(command, env);
  }

  fcgiSocket(config: FcgiSocketConfig, log: (msg: string) => void): SharedSocket {
    return new FcgiSocket(config, log);
  }

  kill(pid: number, signal: number, toGroup: boolean): boolean {
    try {
      process.kill(toGroup ? -pid : pid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  }

  spawn(spec: SpawnSpec): ChildHandle {
    const name = spec.name ?? spec.argv[0] ?? spec.file;
    if (this.native) return spawnNative(this.native, spec, name);
    const changesUser = spec.user !== null && spec.user.uid !== process.getuid!();
    const badCwd = spec.cwd !== null && !directoryUsable(spec.cwd);
    if ((changesUser || badCwd || needsPlainExecve(spec.file)) && this.helper) return this.spawnOnce(spec, name, true);
    try {
      return this.spawnOnce(spec, name, false);
    } catch (err) {
      if (err instanceof RetryViaHelper && this.helper) return this.spawnOnce(spec, name, true);
      if (err instanceof RetryViaHelper) throw forkFailure(err.code, name);
      throw err;
    }
  }

  private spawnOnce(spec: SpawnSpec, name: string, viaHelper: boolean): ChildHandle {
    // stdio: 0 = stdin pipe; 1/2 = a pipe, an inherited fd, or nothing. stderr into a stdout *pipe* needs one
    // pipe on both fds, which Node cannot express: use our own pipe2() and read its end as a socket.
    const stdio: StdioEntry[] = [spec.stdinFd ?? (spec.stdinPipe ? 'pipe' : 'ignore'), 'ignore', 'ignore'];
    let sharedPipe: [number, number] | null = null;
    const out = spec.stdout;
    stdio[1] = out.kind === 'fd' ? out.fd : out.kind;
    const err = spec.stderr;
    if (err.kind === 'stdout') {
      if (out.kind === 'pipe') {
        try {
          sharedPipe = this.addon().pipe();
        } catch (e) {
          throw pipeFailure(e, name);
        }
        stdio[1] = sharedPipe[1];
        stdio[2] = sharedPipe[1];
      } else {
        stdio[2] = stdio[1];
      }
    } else {
      stdio[2] = err.kind === 'fd' ? err.fd : err.kind;
    }

    const options = viaHelper ? this.helperOptions(spec, stdio) : this.directOptions(spec, stdio);
    const child = new (childProcessModule().ChildProcess)();
    child.on('error', () => {}); // failures are reported synchronously below
    let code: string | null = null;
    const oldUmask = !viaHelper && spec.umask !== null ? process.umask(spec.umask) : null;
    try {
      const rc = (child as unknown as { spawn(o: InternalSpawnOptions): number | undefined }).spawn(options);
      if (typeof rc === 'number' && rc < 0) code = getSystemErrorName(rc);
    } catch (e) {
      code = (e as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    } finally {
      if (oldUmask !== null) process.umask(oldUmask);
      if (sharedPipe) closeSync(sharedPipe[1]);
    }

    if (code !== null || typeof child.pid !== 'number') {
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (sharedPipe) closeSync(sharedPipe[0]);
      code ??= 'UNKNOWN';
      if (!viaHelper && CHILD_SIDE.has(code)) throw new RetryViaHelper(code);
      throw forkFailure(code, name);
    }
    const sharedReader = sharedPipe ? new (net().Socket)({ fd: sharedPipe[0], readable: true, writable: false }) : null;
    return new NodeChildHandle(child, sharedReader);
  }

  private directOptions(spec: SpawnSpec, stdio: StdioEntry[]): InternalSpawnOptions {
    const options: InternalSpawnOptions = {
      file: spec.file,
      args: [...spec.argv],
      envPairs: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      detached: true,
      stdio,
      windowsHide: false,
    };
    if (spec.cwd !== null) options.cwd = spec.cwd;
    // Only reached without a helper: libuv's uid/gid (supplementary groups are lost, setgroups(0)).
    if (spec.user !== null && spec.user.uid !== process.getuid!()) {
      options.uid = spec.user.uid;
      options.gid = spec.user.gid;
    }
    return options;
  }

  private helperOptions(spec: SpawnSpec, stdio: StdioEntry[]): InternalSpawnOptions {
    const helper = this.helper!;
    const restoreEnv: Record<string, string> = {};
    const envPairs: string[] = [];
    for (const [k, v] of Object.entries(spec.env)) {
      if ((HELPER_ENV_STRIP as readonly string[]).includes(k)) restoreEnv[k] = v;
      else envPairs.push(`${k}=${v}`);
    }
    const request: ExecHelperRequest = {
      file: spec.file,
      argv: spec.argv,
      user: spec.user,
      cwd: spec.cwd,
      umask: spec.umask,
      restoreEnv,
    };
    return {
      file: helper.execPath,
      args: [helper.execPath, ...(helper.execArgv ?? []), helper.script, EXEC_HELPER_FLAG, JSON.stringify(request)],
      envPairs,
      detached: true,
      stdio,
      windowsHide: false,
    };
  }
}

/** Internal: a direct spawn failed in a way the exec helper reports child-side, as supervisord does. */
class RetryViaHelper extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
