// The listening socket of an `[fcgi-program:x]` group (spec §2.5), as supervisord's SocketManager: created
// (bound, chown/chmod for a unix socket, listen) when the first process needs it, shared by every process
// of the group as its fd 0, and closed when the last one is gone (reference counted, with supervisord's
// `Creating socket <url>` / `Closing socket <url>` lines). tsinit never accepts on it itself: it is made by
// the native addon (blocking, close-on-exec), never polled by Node's event loop. A unix socket file stays
// on disk after closing, as with supervisord (it is replaced at the next creation).
import { chmodSync, chownSync, closeSync, existsSync, unlinkSync } from 'node:fs';
import type { FcgiSocketConfig } from '../config/model.js';
import type { SharedSocket } from './edge.js';
import { nativeSocketCalls, type SocketCalls } from './native.js';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** supervisord's (host, port) or path of a socket url. */
export function parseSocketUrl(url: string): { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } {
  if (url.startsWith('unix://')) return { kind: 'unix', path: url.slice('unix://'.length) };
  const m = /^tcp:\/\/(.*):(\d+)$/.exec(url);
  if (!m) throw new Error(`Bad socket format ${url}`);
  return { kind: 'tcp', host: m[1]!, port: Number(m[2]) };
}

export class FcgiSocket implements SharedSocket {
  private fd: number | null = null;
  private refs = 0;

  constructor(
    readonly config: FcgiSocketConfig,
    private readonly log: (msg: string) => void,
    private readonly calls: () => SocketCalls = nativeSocketCalls,
  ) {}

  get url(): string {
    return this.config.url;
  }

  /** Whether the socket is open right now. */
  get open(): boolean {
    return this.fd !== null;
  }

  /** A reference to the socket's fd, creating it when none is held. Throws `Could not create FastCGI socket ...`. */
  acquire(): number {
    if (this.fd === null) {
      this.log(`Creating socket ${this.url}`);
      try {
        this.fd = this.create();
      } catch (err) {
        throw new Error(`Could not create FastCGI socket ${this.url}: ${errorText(err)}`);
      }
    }
    this.refs += 1;
    return this.fd;
  }

  /** Drop one reference; the last one closes the socket. */
  release(): void {
    if (this.refs === 0) return;
    this.refs -= 1;
    if (this.refs === 0) this.closeNow();
  }

  /** Close whatever references remain (group removed, exit). */
  close(): void {
    this.refs = 0;
    this.closeNow();
  }

  private closeNow(): void {
    if (this.fd === null) return;
    this.log(`Closing socket ${this.url}`);
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = null;
  }

  /** supervisord's create_and_bind() + listen(). */
  private create(): number {
    const calls = this.calls();
    const where = parseSocketUrl(this.url);
    if (where.kind === 'tcp') {
      const fd = calls.bindSocket('tcp', where.host, where.port);
      return this.listen(fd, calls);
    }
    if (existsSync(where.path)) unlinkSync(where.path);
    const fd = calls.bindSocket('unix', where.path, 0);
    try {
      if (this.config.owner) {
        try {
          chownSync(where.path, this.config.owner.uid, this.config.owner.gid);
        } catch (err) {
          throw new Error(`Could not change ownership of socket file: ${pyOsError(err)}`);
        }
      }
      try {
        chmodSync(where.path, this.config.mode);
      } catch (err) {
        throw new Error(`Could not change permissions of socket file: ${pyOsError(err)}`);
      }
    } catch (err) {
      closeSync(fd);
      try {
        unlinkSync(where.path);
      } catch {
        // not there
      }
      throw err;
    }
    return this.listen(fd, calls);
  }

  private listen(fd: number, calls: SocketCalls): number {
    try {
      calls.listenSocket(fd, this.config.backlog);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return fd;
  }
}

/** Python's OSError text for a Node fs error: `[Errno 1] Operation not permitted: '<path>'`. */
function pyOsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.errno === 'number' && e.syscall) {
    const text = (e.message.split(', ')[1] ?? e.message).replace(/ '.*$/, '');
    return `[Errno ${-e.errno}] ${text.charAt(0).toUpperCase()}${text.slice(1)}${e.path ? `: '${e.path}'` : ''}`;
  }
  return errorText(err);
}
