// A log file with supervisord's rotation rules (spec §5.3, §4.6): opened in append mode, size checked after
// each write, `.1`..`.N` renames, backups=0 truncates, maxbytes=0 never rotates. A destination that is not a
// regular file (pipe, tty, /dev/stdout...) never rotates and never errors, whatever maxbytes says.
// Never throws: a write/open error is reported once, the data is dropped, and opening is retried on the
// next write after a short pause (or at once on reopen()).
import fs from 'node:fs';

export interface RotatingFileOptions {
  readonly path: string;
  readonly maxbytes: number;
  readonly backups: number;
  /** A problem (open/write/rotate failure), reported once per failure streak. */
  readonly onProblem?: (message: string) => void;
  /** Called once when the path turns out not to be a regular file while maxbytes > 0. */
  readonly onNotRotatable?: () => void;
  /** Pause before retrying a failed open. Default 5000 ms. */
  readonly retryMs?: number;
  /** Clock for the retry pause (tests). */
  readonly now?: () => number;
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err && typeof err.message === 'string' ? err.message : String(e);
}

export class RotatingFile {
  private fd: number | null = null;
  private regular = true;
  private failing = false;
  private retryAt = 0;
  private noticeGiven = false;
  /** close() was called: writes are dropped until open()/reopen()/clear(). */
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: RotatingFileOptions) {
    this.now = options.now ?? Date.now;
  }

  get path(): string {
    return this.options.path;
  }

  /** Whether the destination is (as far as known) a regular file. */
  get isRegular(): boolean {
    return this.regular;
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** (Re)open in append mode. Returns false (and reports) on failure. */
  open(): boolean {
    this.closed = false;
    this.closeFd();
    return this.tryOpen('a');
  }

  private tryOpen(flags: 'a' | 'w'): boolean {
    try {
      this.fd = fs.openSync(this.options.path, flags, 0o644);
      const st = fs.fstatSync(this.fd);
      this.regular = st.isFile();
      if (!this.regular && this.options.maxbytes > 0 && !this.noticeGiven) {
        this.noticeGiven = true;
        this.options.onNotRotatable?.();
      }
      if (this.failing) {
        this.failing = false;
      }
      return true;
    } catch (e) {
      this.fd = null;
      this.problem(`could not open ${this.options.path}: ${errText(e)}`);
      return false;
    }
  }

  private problem(message: string): void {
    this.retryAt = this.now() + (this.options.retryMs ?? 5000);
    if (this.failing) return;
    this.failing = true;
    try {
      this.options.onProblem?.(message);
    } catch {
      // ignore
    }
  }

  write(data: Buffer | string): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (buf.length === 0 || this.closed) return;
    if (this.fd === null) {
      if (this.now() < this.retryAt) return;
      if (!this.tryOpen('a')) return;
    }
    try {
      let off = 0;
      while (off < buf.length) off += fs.writeSync(this.fd!, buf, off, buf.length - off);
    } catch (e) {
      this.closeFd();
      this.problem(`could not write ${this.options.path}: ${errText(e)}; output is dropped until it can be reopened`);
      return;
    }
    if (this.failing) this.failing = false;
    this.maybeRotate();
  }

  private maybeRotate(): void {
    const { maxbytes, backups, path } = this.options;
    if (maxbytes <= 0 || !this.regular || this.fd === null) return;
    let size: number;
    try {
      size = fs.fstatSync(this.fd).size;
    } catch {
      return;
    }
    if (size < maxbytes) return;
    this.closeFd();
    try {
      if (backups > 0) {
        for (let i = backups - 1; i > 0; i--) {
          const src = `${path}.${i}`;
          if (fs.existsSync(src)) fs.renameSync(src, `${path}.${i + 1}`);
        }
        fs.renameSync(path, `${path}.1`);
      }
    } catch (e) {
      this.problem(`could not rotate ${path}: ${errText(e)}`);
    }
    this.tryOpen('w');
  }

  /** SIGUSR2: close and open again (an outside tool may have renamed the file away). */
  reopen(): void {
    this.closed = false;
    this.retryAt = 0;
    this.open();
  }

  /**
   * clearProcessLogs / clearLog: delete the base file (backups untouched) and reopen it empty. Only a regular
   * file is deleted: supervisord would also unlink `/dev/stdout` or a FIFO (and a root container then writes
   * its "stdout" into a new regular file); here such a destination is just reopened.
   */
  clear(): void {
    this.closed = false;
    this.closeFd();
    try {
      if (fs.lstatSync(this.options.path).isFile()) fs.unlinkSync(this.options.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.problem(`could not remove ${this.options.path}: ${errText(e)}`);
    }
    this.retryAt = 0;
    this.tryOpen('a');
  }

  close(): void {
    this.closed = true;
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // ignore
    }
    this.fd = null;
  }
}
