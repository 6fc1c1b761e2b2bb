// Signal names/numbers as supervisord's signal_number() accepts them on Linux: a number, or a name
// (any case, optional SIG prefix, Python's aliases); valid numbers are 1..31, 34 (RTMIN) and 64 (RTMAX).

const LINUX_SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CLD: 17, CONT: 18,
  STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27,
  WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31, RTMIN: 34, RTMAX: 64,
};

const VALID_NUMBERS: ReadonlySet<number> = new Set([...Array.from({ length: 31 }, (_, i) => i + 1), 34, 64]);

/** The signal number for a name or number (string or int), or null when supervisord would reject it. */
export function parseSignal(value: string | number): number | null {
  let num: number | undefined;
  if (typeof value === 'number') {
    num = Number.isInteger(value) ? value : undefined;
  } else if (/^\s*[+-]?\d+\s*$/.test(value)) {
    num = Number(value.trim());
  } else {
    let name = value.trim().toUpperCase();
    if (name.startsWith('SIG')) name = name.slice(3);
    num = Object.prototype.hasOwnProperty.call(LINUX_SIGNALS, name) ? LINUX_SIGNALS[name] : undefined;
  }
  return num !== undefined && VALID_NUMBERS.has(num) ? num : null;
}
