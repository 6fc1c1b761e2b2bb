// Signal names/numbers as supervisord's signal_number() accepts them on Linux: Python's int() of the
// value, else a name (any case, optional SIG prefix); the number must be the value of one of Python's
// signal.SIG* attributes, which include the SIG_DFL/SIG_IGN/... constants, so 0 is valid (`signal 0 x`
// checks that x is alive). The config reader holds the one table and parser; this only adapts it.
import { ConfigError } from '../config/model.js';
import { signalNumber } from '../config/datatypes.js';
import { SIGNAL_NUMBERS } from '../config/signals.js';

/** The signal number for a name or number (string or int), or null when supervisord would reject it. */
export function parseSignal(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && SIGNAL_NUMBERS.has(value) ? value : null;
  try {
    return signalNumber(value);
  } catch (err) {
    if (err instanceof ConfigError) return null;
    throw err;
  }
}
