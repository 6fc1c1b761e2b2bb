// Stable handles on the parts a reload re-creates (spec §4.5: supervisord re-initialises its logger and
// everything else from the new config). The supervisor, the RPC and health servers and the listener pools
// keep one reference for the whole run; a reload swaps what is behind it.
import type { ProcessConfig } from '../config/model.js';
import type { MainLog } from '../log/types.js';
import type { OutputManager, OutputOptions, ProcessOutput } from '../output/types.js';

/** A MainLog that forwards to the current main log; replace() installs a new one and closes the old one. */
export class SwitchableMainLog implements MainLog {
  constructor(private current: MainLog) {}

  /** Install `next`; the previous log is flushed and its file released. */
  replace(next: MainLog): void {
    const old = this.current;
    this.current = next;
    try {
      old.flush();
      old.close?.();
    } catch {
      // a log that cannot be closed must not stop the reload
    }
  }

  critical(msg: string): void {
    this.current.critical(msg);
  }
  error(msg: string): void {
    this.current.error(msg);
  }
  warn(msg: string): void {
    this.current.warn(msg);
  }
  info(msg: string): void {
    this.current.info(msg);
  }
  debug(msg: string): void {
    this.current.debug(msg);
  }
  trace(msg: string): void {
    this.current.trace(msg);
  }
  blather(msg: string): void {
    this.current.blather(msg);
  }
  enabled(level: 'debug' | 'trace' | 'blather'): boolean {
    return this.current.enabled(level);
  }
  reopen(): void {
    this.current.reopen();
  }
  get path(): string | null {
    return this.current.path;
  }
  flush(): void {
    this.current.flush();
  }
  close(): void {
    this.current.close?.();
  }
}

/**
 * An OutputManager that creates outputs with the current manager. A reload replaces the manager after every
 * group was dropped (which closed every output of the old one), so the new groups use the new settings.
 */
export class SwitchableOutputs implements OutputManager {
  constructor(private current: OutputManager) {}

  replace(next: OutputManager): void {
    this.current = next;
  }

  forProcess(proc: ProcessConfig, options?: OutputOptions): ProcessOutput {
    return this.current.forProcess(proc, options);
  }
  reopenAll(): void {
    this.current.reopenAll();
  }
  cleanupAutoLogs(): void {
    this.current.cleanupAutoLogs();
  }
}
