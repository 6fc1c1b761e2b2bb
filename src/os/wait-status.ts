// Decoding of raw wait(2) statuses and signal naming, with supervisord's texts (spec §3.5):
// `exit status N`, `terminated by SIGxxx` (+ ` (core dumped)`), `unknown termination cause 0xNNNN`.
import { constants } from 'node:os';

/** supervisord's signame(): the name Python's signal module gives last for each number (29 is SIGPOLL). */
const SIGNAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
  16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP', 20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU',
  23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGPOLL',
  30: 'SIGPWR', 31: 'SIGSYS', 34: 'SIGRTMIN', 64: 'SIGRTMAX',
};

/** `SIGTERM` for 15; `signal N` for numbers without a name (as supervisord's signame()). */
export function signame(sig: number): string {
  return SIGNAMES[sig] ?? `signal ${sig}`;
}

/** Signal number for a Node signal name ('SIGTERM' → 15), or null. */
export function signalNumber(name: string | null | undefined): number | null {
  if (!name) return null;
  const n = (constants.signals as Record<string, number | undefined>)[name];
  return typeof n === 'number' ? n : null;
}

export interface DecodedStatus {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: number | null;
  readonly coreDumped: boolean;
  /** supervisord's text: `exit status 0`, `terminated by SIGKILL`, `terminated by SIGSEGV (core dumped)`. */
  readonly message: string;
}

/** Decodes a raw status as returned by waitpid(2). */
export function decodeWaitStatus(status: number): DecodedStatus {
  const sig = status & 0x7f;
  if (sig === 0) {
    const code = (status >> 8) & 0xff;
    return { code, signal: null, coreDumped: false, message: `exit status ${code}` };
  }
  if (sig !== 0x7f) {
    const core = (status & 0x80) !== 0;
    return { code: null, signal: sig, coreDumped: core, message: `terminated by ${signame(sig)}${core ? ' (core dumped)' : ''}` };
  }
  return { code: null, signal: null, coreDumped: false, message: `unknown termination cause 0x${(status & 0xffff).toString(16).padStart(4, '0')}` };
}

/** The same text for an already decoded exit (code or signal), e.g. for ChildHandle exits. */
export function describeExit(code: number | null, signal: number | null, coreDumped = false): string {
  if (signal !== null) return `terminated by ${signame(signal)}${coreDumped ? ' (core dumped)' : ''}`;
  return `exit status ${code ?? 0}`;
}
