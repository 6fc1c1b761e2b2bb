// An in-memory ByteSink for tests: records writes; can simulate a stalled (never draining) or broken sink.
import type { ByteSink } from '../../../src/log/fd-sink.js';

export class MemorySink implements ByteSink {
  readonly chunks: Buffer[] = [];
  stalled = false;
  held = 0;
  isBroken = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly hwm = 1 << 20) {}

  write(data: Buffer | string): boolean {
    if (this.isBroken) return true;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    this.chunks.push(buf);
    if (this.stalled) this.held += buf.length;
    return this.held <= this.hwm;
  }
  get buffered(): number {
    return this.held;
  }
  get broken(): boolean {
    return this.isBroken;
  }
  onDrain(cb: () => void): void {
    if (this.held === 0) queueMicrotask(cb);
    else this.waiters.push(cb);
  }
  /** Un-stall: everything held is "written", waiters run. */
  release(): void {
    this.stalled = false;
    this.held = 0;
    const w = this.waiters;
    this.waiters = [];
    for (const cb of w) cb();
  }
  close(): void {}
  text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}
