// Binding the [unix_http_server] socket the way supervisord does: bind `<file>.<pid>`, chmod/chown it, then
// hard-link it to `<file>` so the final name never exists with the wrong mode. A live server already
// answering on `<file>` is a startup error; a dead socket file is removed with a message.
import type { Server } from 'node:net';
import { net } from '../common/lazy-net.js';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';

export const ALREADY_LISTENING =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
  'Shut this program down first before starting supervisord.';

export class HttpServerStartError extends Error {
  override readonly name = 'HttpServerStartError';
}

/** Whether something accepts connections on the socket file. */
export function probeUnixSocket(file: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net().connect(file);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(true); // a server too busy to accept still owns the socket
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** server.listen(), as a promise that rejects with the listen error. */
export function listen(server: Server, where: string | { readonly port: number; readonly host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (typeof where === 'string') server.listen(where);
    else server.listen(where.port, where.host);
  });
}

export function socketErrorMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
  const errno = (err as NodeJS.ErrnoException).errno;
  return `Cannot open an HTTP server: socket.error reported errno.${code}${errno !== undefined ? ` (${Math.abs(errno)})` : ''}`;
}

export interface UnixBindOptions {
  readonly file: string;
  readonly mode: number;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
  readonly stderr: (line: string) => void;
}

/**
 * libuv reports bind()'s ENOENT (the socket's directory does not exist) as EACCES, for compatibility with
 * Windows; supervisord says `errno.ENOENT (2)`, which is also what the user needs to know.
 */
function bindError(err: unknown, path: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' && !existsSync(dirname(path))) return Object.assign(new Error(e.message), { code: 'ENOENT', errno: -2 });
  return err;
}

/** How a socket gets bound and listening at a path, and undone again (net.Server, or the native addon). */
export interface UnixListen {
  listen(path: string): Promise<void> | void;
  undo(): void;
}

/** Returns the inode of the bound socket file (to avoid removing a successor's socket at exit). */
export async function bindUnixSocket(how: UnixListen, opts: UnixBindOptions): Promise<number> {
  const { file } = opts;
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(file);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (!existing.isSocket()) throw new HttpServerStartError(`${file} exists and is not a socket; refusing to replace it`);
    if (await probeUnixSocket(file)) throw new HttpServerStartError(ALREADY_LISTENING);
    opts.stderr(`Unlinking stale socket ${file}\n`);
    try {
      unlinkSync(file);
    } catch {
      // gone already
    }
  }
  const tmp = `${file}.${process.pid}`;
  try {
    unlinkSync(tmp);
  } catch {
    // no leftover
  }
  try {
    await how.listen(tmp);
  } catch (err) {
    throw new HttpServerStartError(socketErrorMessage(bindError(err, tmp)));
  }
  try {
    chmodSync(tmp, opts.mode);
    if (opts.owner) {
      try {
        chownSync(tmp, opts.owner.uid, opts.owner.gid);
      } catch {
        throw new HttpServerStartError(
          `Not permitted to chown ${file} to uid/gid (${opts.owner.uid}, ${opts.owner.gid}); adjust "sockchown" value in config ` +
            `file or on command line to values that the current user (${userInfo().username}) can successfully chown`,
        );
      }
    }
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new HttpServerStartError(ALREADY_LISTENING);
      throw new HttpServerStartError(socketErrorMessage(err));
    }
    return lstatSync(file).ino;
  } catch (err) {
    how.undo();
    throw err;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already removed
    }
  }
}

/** Remove the socket file at exit, unless another server has replaced it since. */
export function removeUnixSocket(file: string, ino: number): void {
  try {
    if (lstatSync(file).ino === ino) unlinkSync(file);
  } catch {
    // already gone
  }
}
