// Loads dist/reaper.node (native/reaper.c), the syscalls Node has no API for. Looked up next to the running
// bundle (dist/tsinit.js → dist/reaper.node), then in <repo>/dist when running from src/ (tests), or at
// $TSINIT_REAPER_NODE when set. Loaded once, lazily; a missing addon is a clear error, never a crash.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReaperAddon {
  /**
   * Reaps zombie children whose pid is not in `managed` (libuv's). Returns [pid, rawStatus, ...pairs, last]
   * where last is the managed pid that blocks the queue (> 0), 0 when drained, -1 when the batch is full.
   */
  reapExcept(managed: Int32Array): Int32Array;
  /** prctl(PR_SET_CHILD_SUBREAPER); returns the new state. */
  setSubreaper(on: boolean): boolean;
  /** [soft, hard]; Infinity = RLIM_INFINITY. */
  getrlimit(resource: number): [number, number];
  setrlimit(resource: number, soft: number, hard: number): void;
  /** Marks every fd >= fd close-on-exec; returns 'close_range' or 'proc'. */
  cloexecFrom(fd: number): string;
  /** pipe2(O_CLOEXEC): [readFd, writeFd]. */
  pipe(): [number, number];
  /**
   * socket (CLOEXEC, blocking) + bind: AF_UNIX at `address`, or AF_INET with SO_REUSEADDR at host `address`,
   * `port`. Returns the fd. Throws with Python's OSError text (`[Errno 98] Address already in use`).
   * Optional: an older reaper.node lacks it.
   */
  bindSocket?(kind: 'unix' | 'tcp', address: string, port: number): number;
  /** listen(fd, backlog); 0 = SOMAXCONN. */
  listenSocket?(fd: number, backlog: number): void;
  /**
   * Starts a program with clone(CLONE_VM|CLONE_VFORK) as supervisord's child does (native/spawn.c): fds are
   * the child's 0-2 (-1 = /dev/null), umask -1 = unchanged, user = [uid, gid, ...groups] or null. Returns the
   * pid; failures in the child are reported by the child (exit 127). Optional: an older reaper.node lacks it.
   */
  spawn?(
    file: string,
    argv: readonly string[],
    env: readonly string[],
    fds: readonly number[],
    cwd: string | null,
    umask: number,
    user: readonly number[] | null,
  ): number;
  /** Resets signal dispositions and mask, marks fds >= 3 CLOEXEC, then execve(2). Only returns by throwing. */
  execve(file: string, argv: readonly string[], env: readonly string[]): never;
}

/** Linux RLIMIT_* numbers. */
export const RLIMIT = { CORE: 4, NOFILE: 7, NPROC: 6, AS: 9, STACK: 3, MEMLOCK: 8 } as const;

export class NativeAddonMissing extends Error {
  override readonly name = 'NativeAddonMissing';
}

/** Where reaper.node is looked for, in order. */
export function addonCandidates(moduleUrl: string = import.meta.url): string[] {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const out: string[] = [];
  if (process.env.TSINIT_REAPER_NODE) out.push(process.env.TSINIT_REAPER_NODE);
  out.push(path.join(here, 'reaper.node')); // bundled: dist/tsinit.js → dist/reaper.node
  out.push(path.resolve(here, '..', '..', 'dist', 'reaper.node')); // from src/os/native.ts
  if (process.argv[1]) out.push(path.join(path.dirname(path.resolve(process.argv[1])), 'reaper.node'));
  return [...new Set(out)];
}

let cached: ReaperAddon | null = null;

/** The addon, loaded once. Throws NativeAddonMissing with the paths tried when it cannot be loaded. */
export function loadNative(): ReaperAddon {
  if (cached) return cached;
  const tried: string[] = [];
  for (const file of addonCandidates()) {
    if (!existsSync(file)) {
      tried.push(`${file} (missing)`);
      continue;
    }
    try {
      const mod = { exports: {} as Record<string, unknown> };
      process.dlopen(mod, file);
      if (typeof mod.exports.reapExcept !== 'function') {
        tried.push(`${file} (not the reaper addon)`);
        continue;
      }
      cached = mod.exports as unknown as ReaperAddon;
      return cached;
    } catch (err) {
      tried.push(`${file} (${(err as Error).message})`);
    }
  }
  throw new NativeAddonMissing(
    `tsinit: cannot load the native addon reaper.node (needed to reap zombies as PID 1); run "npm run build". Tried: ${tried.join('; ')}`,
  );
}

/** The addon's socket calls (fcgi-program sockets, control sockets). */
export type SocketCalls = Required<Pick<ReaperAddon, 'bindSocket' | 'listenSocket'>>;

/** The loaded addon's socket calls; throws when it cannot be loaded or predates them. */
export function nativeSocketCalls(): SocketCalls {
  const addon = loadNative();
  if (!addon.bindSocket || !addon.listenSocket) throw new Error('reaper.node is too old for native sockets (rebuild it)');
  return { bindSocket: addon.bindSocket.bind(addon), listenSocket: addon.listenSocket.bind(addon) };
}
