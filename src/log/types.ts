// tsinit's own log ("main log"), with supervisord's level names.
export interface MainLog {
  critical(msg: string): void;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
  blather(msg: string): void;
  /** Whether a level would be written (to skip building expensive messages). */
  enabled(level: 'debug' | 'trace' | 'blather'): boolean;
  /** SIGUSR2 / clearLog. */
  reopen(): void;
  /** Path of the log file, or null when writing to stdout/syslog only. */
  readonly path: string | null;
  /** Flush what can be flushed (before exit). */
  flush(): void;
  /** Release the log file (reload replaces the main log). Optional (added by the engine for reload). */
  close?(): void;
}
