// supervisord's log levels: names as written in loglevel=, the 4-letter tags of its text lines, and the
// numeric order (higher = more severe) used for filtering and as pino custom level values.
import type { LogLevel } from '../config/model.js';

export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = {
  critical: 60,
  error: 50,
  warn: 40,
  info: 30,
  debug: 20,
  trace: 10,
  blather: 5,
};

export const LEVEL_TAGS: Readonly<Record<LogLevel, string>> = {
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
};

export const LOG_LEVELS: readonly LogLevel[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

/** Whether a record at `level` passes a threshold of `threshold`. */
export function levelPasses(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_VALUES[level] >= LEVEL_VALUES[threshold];
}
