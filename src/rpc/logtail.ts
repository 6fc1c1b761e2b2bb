// `GET /logtail/<namespec>[/stdout|stderr]` and `GET /mainlogtail`: a streamed response that starts with
// the last 1024 bytes of the file and then follows it (as `tail -f`, surviving rotation and truncation).
// Used by `supervisorctl tail -f`, `maintail -f` and `fg`.
import { existsSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SupervisorControl } from '../supervision/control.js';
import { sendError } from './http-errors.js';
import { splitNamespec } from './methods/names.js';
import { channelLogfile } from './methods/process-info.js';

// node:fs/promises is loaded on the first tail, not at startup (launch time, BENCHMARKS.md §1).
const fsp = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');

const HEAD_BYTES = 1024;
const POLL_MS = 200;
const MAX_READ = 256 * 1024;

/** A running follower; `stop()` ends the response. */
export interface Tail {
  stop(): void;
}

/** Which file a /logtail or /mainlogtail URL names, or null (404). */
export function tailTarget(url: string, control: SupervisorControl, mainLogfile: string | null): string | null {
  let path = url.split('?')[0]!.split('#')[0]!;
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return null;
    }
  }
  path = path.replace(/^\/+/, '');
  if (path === 'mainlogtail' || path.startsWith('mainlogtail')) return mainLogfile;
  const slash = path.indexOf('/');
  if (slash === -1) return null;
  const rest = path.slice(slash + 1);
  const chanSlash = rest.indexOf('/');
  const namespec = chanSlash === -1 ? rest : rest.slice(0, chanSlash);
  const channel = chanSlash === -1 ? 'stdout' : rest.slice(chanSlash + 1);
  if (channel !== 'stdout' && channel !== 'stderr') return null;
  const { group, process } = splitNamespec(namespec);
  if (process === null) return null;
  const view = control.process(group, process);
  if (!view) return null;
  return channelLogfile(view, channel);
}

export function serveTail(req: IncomingMessage, res: ServerResponse, file: string | null, onEnd: () => void): Tail | null {
  if (file === null || !existsSync(file)) {
    sendError(res, 404);
    return null;
  }
  let mtime: Date;
  try {
    mtime = statSync(file).mtime;
  } catch {
    sendError(res, 404);
    return null;
  }
  res.writeHead(200, {
    'Last-Modified': mtime.toUTCString(),
    'Content-Type': 'text/plain;charset=utf-8',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let handle: FileHandle | null = null;
  let ino = -1;
  let offset = 0;
  let stopped = false;
  let busy = false;
  let timer: NodeJS.Timeout | undefined;

  const reopen = async (): Promise<void> => {
    if (handle) await handle.close().catch(() => {});
    handle = await fsp().open(file, 'r');
    ino = (await handle.stat()).ino;
    offset = 0;
  };

  const tick = async (): Promise<void> => {
    if (stopped || busy) return;
    busy = true;
    try {
      try {
        const st = await fsp().stat(file);
        if (st.ino !== ino) await reopen();
      } catch {
        // unlinked: keep reading the open file
      }
      if (!handle) return;
      const size = (await handle.stat()).size;
      if (size < offset) {
        offset = 0;
        res.write('==> File truncated <==\n');
        return;
      }
      if (size > offset) {
        const len = Math.min(size - offset, MAX_READ);
        const buf = Buffer.alloc(len);
        const { bytesRead } = await handle.read(buf, 0, len, offset);
        offset += bytesRead;
        if (bytesRead > 0 && !res.write(buf.subarray(0, bytesRead))) {
          await new Promise<void>((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
    } catch {
      // transient read errors: retry on the next tick
    } finally {
      busy = false;
    }
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (timer) clearInterval(timer);
    void (handle as FileHandle | null)?.close().catch(() => {});
    if (!res.writableEnded) res.end();
    onEnd();
  };

  void (async () => {
    try {
      await reopen();
      const size = (await handle!.stat()).size;
      offset = size >= HEAD_BYTES ? size - HEAD_BYTES : 0;
      await tick();
      if (stopped) return;
      timer = setInterval(() => void tick(), POLL_MS);
      timer.unref();
    } catch {
      stop();
    }
  })();
  res.on('close', stop);
  req.on('error', stop);
  return { stop };
}
