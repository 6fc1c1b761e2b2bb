// Signal names and supervisord's wording for how a process ended (spec §3.5): `exit status N`,
// `terminated by SIGxxx` (+ ` (core dumped)`), `unknown termination cause 0xNNNN`. Shared by the config
// reader (stopsignal names), the OS edge (orphans) and the engine (managed exits); depends on nothing.

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

/** How a process ended: exit code, or the signal that killed it. */
export interface ExitFacts {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: number | null;
  readonly coreDumped: boolean;
}

/** `es` of supervisord's decode_wait_status: the exit code, or -1 when a signal killed the process. */
export function exitStatusCode(exit: ExitFacts): number {
  return exit.signal !== null ? -1 : (exit.code ?? -1);
}

/** supervisord's text for an exit: `exit status 0`, `terminated by SIGKILL`, `... (core dumped)`. */
export function exitMessage(exit: ExitFacts): string {
  if (exit.signal !== null) return `terminated by ${signame(exit.signal)}${exit.coreDumped ? ' (core dumped)' : ''}`;
  return `exit status ${exit.code ?? 0}`;
}

export interface DecodedStatus extends ExitFacts {
  readonly message: string;
}

/** Decodes a raw status as returned by waitpid(2). */
export function decodeWaitStatus(status: number): DecodedStatus {
  const sig = status & 0x7f;
  if (sig === 0) {
    const facts = { code: (status >> 8) & 0xff, signal: null, coreDumped: false };
    return { ...facts, message: exitMessage(facts) };
  }
  if (sig !== 0x7f) {
    const facts = { code: null, signal: sig, coreDumped: (status & 0x80) !== 0 };
    return { ...facts, message: exitMessage(facts) };
  }
  return { code: null, signal: null, coreDumped: false, message: `unknown termination cause 0x${(status & 0xffff).toString(16).padStart(4, '0')}` };
}
