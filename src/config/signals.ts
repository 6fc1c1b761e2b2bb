// Linux signal names and numbers as Python's `signal` module on Linux exposes them (spec §1.6).
import { signame } from '../common/exit-status.js';

/** Every SIG* attribute of Python's signal module (Linux, CPython 3.11), including the SIG_* handler constants. */
export const SIGNAL_ATTRS: Readonly<Record<string, number>> = {
  SIGABRT: 6, SIGALRM: 14, SIGBUS: 7, SIGCHLD: 17, SIGCLD: 17, SIGCONT: 18, SIGFPE: 8, SIGHUP: 1,
  SIGILL: 4, SIGINT: 2, SIGIO: 29, SIGIOT: 6, SIGKILL: 9, SIGPIPE: 13, SIGPOLL: 29, SIGPROF: 27,
  SIGPWR: 30, SIGQUIT: 3, SIGRTMAX: 64, SIGRTMIN: 34, SIGSEGV: 11, SIGSTKFLT: 16, SIGSTOP: 19,
  SIGSYS: 31, SIGTERM: 15, SIGTRAP: 5, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23,
  SIGUSR1: 10, SIGUSR2: 12, SIGVTALRM: 26, SIGWINCH: 28, SIGXCPU: 24, SIGXFSZ: 25,
  SIG_BLOCK: 0, SIG_DFL: 0, SIG_IGN: 1, SIG_SETMASK: 2, SIG_UNBLOCK: 1,
};

/** Valid signal numbers (the values of SIGNAL_ATTRS). */
export const SIGNAL_NUMBERS: ReadonlySet<number> = new Set(Object.values(SIGNAL_ATTRS));

/** Name of a signal number without `SIG` (e.g. 15 → 'TERM'); numbers without a name give their digits. */
export function signalName(num: number): string {
  const name = signame(num);
  return name.startsWith('SIG') ? name.slice(3) : String(num);
}
