// Lines to the local syslog (/dev/log), facility USER priority INFO, as Python's syslog.syslog() sends them
// for supervisord's `logfile=syslog` and `*_syslog=true`.
//
// Node has no AF_UNIX datagram sockets, and /dev/log is almost always a datagram socket (journald, rsyslog).
// So: first try a stream connection (syslog-ng/rsyslog stream sockets take RFC 3164 messages ended by NUL);
// if the socket is a datagram socket, relay through one long-lived `logger` helper (util-linux) reading lines
// on its stdin. If /dev/log is absent or neither works, messages are dropped after one warning.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import { net } from '../common/lazy-net.js';
import { childProcessModule } from '../os/child-process.js';

export interface SyslogWriter {
  /** One message (no newline inside). Never throws, never blocks. */
  log(message: string): void;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PRI_USER_INFO = 1 * 8 + 6;
const MAX_PENDING = 1000;
const MAX_BUFFERED = 1 << 20;

function rfc3164(ident: string, message: string): string {
  const d = new Date();
  const ts = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
  return `<${PRI_USER_INFO}>${ts} ${ident}[${process.pid}]: ${message}`;
}

type State =
  | { kind: 'connecting'; pending: string[] }
  | { kind: 'stream'; socket: Socket }
  | { kind: 'logger'; child: ChildProcess }
  | { kind: 'dead' };

export interface SyslogOptions {
  readonly ident?: string;
  readonly socketPath?: string;
  /** Told once when syslog cannot be reached (messages are then dropped). */
  readonly onUnavailable?: (reason: string) => void;
}

export function createSyslogWriter(options: SyslogOptions = {}): SyslogWriter {
  const ident = options.ident ?? 'tsinit';
  const socketPath = options.socketPath ?? '/dev/log';
  let state: State = { kind: 'connecting', pending: [] };
  let warned = false;

  const unavailable = (reason: string): void => {
    state = { kind: 'dead' };
    if (warned) return;
    warned = true;
    try {
      options.onUnavailable?.(reason);
    } catch {
      // ignore
    }
  };

  const send = (message: string): void => {
    switch (state.kind) {
      case 'connecting':
        if (state.pending.length < MAX_PENDING) state.pending.push(message);
        return;
      case 'stream':
        if (state.socket.writableLength < MAX_BUFFERED) state.socket.write(`${rfc3164(ident, message)}\0`);
        return;
      case 'logger': {
        const stdin = state.child.stdin;
        if (stdin && stdin.writable && stdin.writableLength < MAX_BUFFERED) stdin.write(`${message}\n`);
        return;
      }
      case 'dead':
        return;
    }
  };

  const flushPending = (pending: string[]): void => {
    for (const m of pending) send(m);
  };

  const startLogger = (pending: string[]): void => {
    let child: ChildProcess;
    try {
      child = childProcessModule().spawn('logger', ['-t', ident, '-p', 'user.info', '-u', socketPath], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch (e) {
      unavailable(`cannot start logger: ${(e as Error).message}`);
      return;
    }
    child.on('error', (e) => unavailable(`cannot start logger: ${e.message}`));
    child.on('exit', () => {
      if (state.kind === 'logger' && state.child === child) unavailable('the logger helper exited');
    });
    child.stdin?.on('error', () => {});
    child.unref();
    state = { kind: 'logger', child };
    flushPending(pending);
  };

  const connect = (): void => {
    if (!fs.existsSync(socketPath)) {
      unavailable(`${socketPath} does not exist`);
      return;
    }
    const socket = net().connect(socketPath);
    socket.on('connect', () => {
      const pending = state.kind === 'connecting' ? state.pending : [];
      state = { kind: 'stream', socket };
      flushPending(pending);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const pending = state.kind === 'connecting' ? state.pending : [];
      if (state.kind === 'connecting' && (err.code === 'EPROTOTYPE' || err.code === 'ECONNREFUSED')) {
        startLogger(pending);
      } else if (state.kind === 'stream' && state.socket === socket) {
        unavailable(`syslog connection failed: ${err.message}`);
      } else if (state.kind === 'connecting') {
        unavailable(`cannot connect to ${socketPath}: ${err.message}`);
      }
    });
    socket.unref();
  };

  let started = false;
  return {
    log(message: string): void {
      if (!started) {
        started = true;
        connect();
      }
      send(message);
    },
  };
}

let shared: SyslogWriter | null = null;

/** The one process-wide syslog writer. `onUnavailable` of the first caller is used. */
export function sharedSyslogWriter(onUnavailable?: (reason: string) => void): SyslogWriter {
  if (!shared) shared = createSyslogWriter(onUnavailable ? { onUnavailable } : {});
  return shared;
}
