// Where one output channel of a program goes (pure decision; spec §5.2 plus tsinit's fast path).
import type { OutputChannelConfig } from '../config/model.js';
import { stdioFdOfPath } from '../log/main-log.js';

export type ChannelRoute =
  /** Fast path: the child inherits tsinit's fd (zero copy, no tsinit CPU). */
  | { readonly kind: 'fd'; readonly fd: number }
  /** Nobody needs the bytes: the child's channel goes to /dev/null. */
  | { readonly kind: 'ignore' }
  /**
   * Piped through tsinit. `file`: a path written with rotation; `relayFd`: one of tsinit's fds the bytes are
   * relayed to (prefixed when `prefix`); neither: read and discarded (NONE, still events/debug echo).
   */
  | { readonly kind: 'pipe'; readonly file: string | null; readonly relayFd: number | null; readonly prefix: boolean };

export interface RouteInput {
  readonly channel: OutputChannelConfig;
  /** Resolved AUTO path (null when AUTO could not be created). */
  readonly autoPath: string | null;
  readonly prefix: boolean;
  readonly stripAnsi: boolean;
  /** A stdout tap (event listener protocol) is attached. */
  readonly tap: boolean;
  /** The main log is at debug or below (NONE is then still read for the echo). */
  readonly mainLogDebug: boolean;
  /** Whether tsinit has `fd` open (for /dev/fd/N with N > 2). */
  readonly fdIsOpen: (fd: number) => boolean;
}

export function decideRoute(input: RouteInput): ChannelRoute {
  const { channel } = input;
  const consumers = channel.eventsEnabled || channel.captureMaxbytes > 0 || channel.syslog || input.tap;
  const dest = channel.logfile;
  if (dest.kind === 'auto') {
    return { kind: 'pipe', file: input.autoPath, relayFd: null, prefix: false };
  }
  if (dest.kind === 'none') {
    return consumers || input.mainLogDebug ? { kind: 'pipe', file: null, relayFd: null, prefix: false } : { kind: 'ignore' };
  }
  const fd = stdioFdOfPath(dest.path);
  if (fd !== null && (fd === 1 || fd === 2 || input.fdIsOpen(fd))) {
    const prefix = input.prefix && (fd === 1 || fd === 2);
    if (!prefix && !consumers && !input.stripAnsi) return { kind: 'fd', fd };
    return { kind: 'pipe', file: null, relayFd: fd, prefix };
  }
  return { kind: 'pipe', file: dest.path, relayFd: null, prefix: false };
}
