// supervisord's wording for how a process ended (spec §3.5): `exit status N`, `terminated by SIGxxx`
// (+ ` (core dumped)`). Kept here so the pure engine needs nothing from src/os beyond its contract.

const SIGNAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
  16: 'SIGSTKFLT', 17: 'SIGCHLD', 18: 'SIGCONT', 19: 'SIGSTOP', 20: 'SIGTSTP', 21: 'SIGTTIN', 22: 'SIGTTOU',
  23: 'SIGURG', 24: 'SIGXCPU', 25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGPOLL',
  30: 'SIGPWR', 31: 'SIGSYS', 34: 'SIGRTMIN', 64: 'SIGRTMAX',
};

/** supervisord's signame(): `SIGTERM` for 15, `signal N` for numbers without a name. */
export function signame(sig: number): string {
  return SIGNAMES[sig] ?? `signal ${sig}`;
}

export interface ExitFacts {
  readonly code: number | null;
  readonly signal: number | null;
  readonly coreDumped: boolean;
}

/** `es` of supervisord's decode_wait_status: the exit code, or -1 when a signal killed the process. */
export function exitStatusCode(exit: ExitFacts): number {
  return exit.signal !== null ? -1 : (exit.code ?? -1);
}

export function exitMessage(exit: ExitFacts): string {
  if (exit.signal !== null) return `terminated by ${signame(exit.signal)}${exit.coreDumped ? ' (core dumped)' : ''}`;
  return `exit status ${exit.code ?? 0}`;
}
