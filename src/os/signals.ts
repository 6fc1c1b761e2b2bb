// tsinit owns every catchable signal (node-pid1-notes §2): as PID 1 the kernel drops signals that have no
// handler, signal-exit's re-raise would be dropped too, and SIGUSR1 without a JS listener opens Node's
// inspector on 127.0.0.1:9229. Each signal is routed to the caller's handler map; anything without a
// handler goes to `other` (log and ignore). Also the last-chance exit hook and the never-die hooks.
import { constants } from 'node:os';
import { onExit } from 'signal-exit';

export type SignalName = NodeJS.Signals;
export type SignalHandler = (name: SignalName, num: number) => void;

/**
 * Signals deliberately left alone:
 * - KILL, STOP: cannot be caught (Node refuses).
 * - SEGV, BUS, FPE, ILL: synchronous faults; a JS listener cannot run safely, a crash must stay a crash.
 * - PIPE: Node already ignores it (SIG_IGN); a listener would turn every EPIPE write into a signal to log.
 *   Sent to PID 1 it is ignored, which is what "log and ignore" would do, minus the log line.
 * - PROF: V8's CPU profiler owns it.
 */
export const UNHANDLED_SIGNALS: ReadonlySet<string> = new Set([
  'SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGPIPE', 'SIGPROF',
]);

/** Every signal name tsinit listens on (aliases such as SIGIOT/SIGPOLL included), in number order. */
export function ownedSignals(): SignalName[] {
  return (Object.entries(constants.signals) as [SignalName, number][])
    .filter(([name]) => !UNHANDLED_SIGNALS.has(name))
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name);
}

export interface SignalRouting {
  /** Handlers by name, e.g. { SIGTERM: shutdown, SIGHUP: reload, SIGUSR2: reopen, SIGCHLD: reap }. */
  readonly handlers: Partial<Record<SignalName, SignalHandler>>;
  /** Every other owned signal (log and ignore). */
  readonly other: SignalHandler;
  /** A handler threw: report it; the signal is not lost for later deliveries. */
  readonly onError?: (err: unknown, name: SignalName) => void;
}

export interface InstalledSignals {
  /** Names actually listened on (Node may refuse some on some platforms). */
  readonly names: readonly SignalName[];
  readonly uninstall: () => void;
}

/**
 * Listens on every owned signal. A signal number with several names (SIGABRT/SIGIOT, SIGIO/SIGPOLL) is
 * dispatched once, under its first name; the aliases get a silent listener so that signal-exit never
 * believes it is alone on them (it would run the exit hooks and re-raise).
 */
export function installSignals(routing: SignalRouting): InstalledSignals {
  const seen = new Set<number>();
  const installed: [SignalName, () => void][] = [];
  for (const name of ownedSignals()) {
    const num = constants.signals[name];
    const primary = !seen.has(num);
    seen.add(num);
    const listener = primary
      ? (): void => {
          const handler = routing.handlers[name] ?? routing.other;
          try {
            handler(name, num);
          } catch (err) {
            try {
              routing.onError?.(err, name);
            } catch {
              /* nothing left to report to */
            }
          }
        }
      : (): void => {};
    try {
      process.on(name, listener);
      installed.push([name, listener]);
    } catch {
      // Node refuses to listen on this one here (e.g. EINVAL from uv_signal_start): skip it.
    }
  }
  return {
    names: installed.map(([n]) => n),
    uninstall: () => {
      for (const [name, listener] of installed) process.removeListener(name, listener);
    },
  };
}

/**
 * Last-chance hook through signal-exit: runs `killAll` (synchronously) when the process is exiting for
 * any reason. tsinit owns every signal itself, so signal-exit never re-raises; this is an exit hook only.
 * Returns the function that removes the hook.
 */
export function installLastChance(killAll: () => void): () => void {
  return onExit(() => {
    try {
      killAll();
    } catch {
      /* exiting anyway */
    }
  });
}

const noop = (): void => {};

/**
 * A closed stdout/stderr (EPIPE) must not become an unhandled 'error' event that kills PID 1. The run mode
 * writes its own log to fd 1/2 directly, and Node creates the process.stdout/stderr streams only on first use
 * (~0.4 ms before the first spawn, BENCHMARKS.md §1); so the guard goes on each stream as it is created, by
 * whichever code uses it first.
 */
export function installEpipeGuards(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const desc = Object.getOwnPropertyDescriptor(process, name);
    const create = desc?.get;
    if (!desc || !create || !desc.configurable) {
      process[name].on('error', noop);
      continue;
    }
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: desc.enumerable ?? true,
      get() {
        const stream = create.call(process) as NodeJS.WriteStream;
        stream.on('error', noop);
        Object.defineProperty(process, name, { configurable: true, enumerable: desc.enumerable ?? true, writable: false, value: stream });
        return stream;
      },
    });
  }
}

/**
 * uncaughtException / unhandledRejection → fatal(err) (an orderly stop with a non-zero exit), instead of
 * Node's exit 1, which as PID 1 makes the kernel SIGKILL every program. A throwing `fatal` is swallowed.
 */
export function installErrorHooks(fatal: (err: unknown, origin: 'uncaughtException' | 'unhandledRejection') => void): () => void {
  const onException = (err: unknown): void => {
    try {
      fatal(err, 'uncaughtException');
    } catch {
      /* never rethrow from here */
    }
  };
  const onRejection = (reason: unknown): void => {
    try {
      fatal(reason, 'unhandledRejection');
    } catch {
      /* never rethrow from here */
    }
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.removeListener('uncaughtException', onException);
    process.removeListener('unhandledRejection', onRejection);
  };
}
