// Prefix mode: one program's byte stream turned into whole `<name> | <line>\n` lines written into the
// shared, line-atomic sink of tsinit's stdout or stderr (src/log/fd-sink.ts).
// * Line atomicity: every sink write holds only complete lines (a batch of them in one buffer), so lines of
//   programs sharing the sink never interleave mid-line.
// * Bounded memory: a partial line is held until its newline arrives, but at most `maxLine` bytes; a longer
//   line is split there (each piece gets a newline and the prefix).
// * Backpressure: push() returns the sink's verdict; the caller pauses the program's pipe until onDrain.
// Names are not padded to a common width (programs come and go with reloads; the separator keeps lines
// easy to split: everything before the first ` | ` is the program name).
import type { ByteSink } from '../log/fd-sink.js';

export const DEFAULT_MAX_LINE = 64 * 1024;
const NL = 0x0a;

export class PrefixLineWriter {
  private partial: Buffer[] = [];
  private partialLen = 0;
  private readonly prefix: Buffer;

  constructor(
    private readonly sink: ByteSink,
    name: string,
    private readonly maxLine: number = DEFAULT_MAX_LINE,
  ) {
    this.prefix = Buffer.from(`${name} | `);
  }

  /** Feed bytes; returns false when the caller should pause until the sink drains. */
  push(data: Buffer): boolean {
    const out: Buffer[] = [];
    let start = 0;
    while (start < data.length) {
      const nl = data.indexOf(NL, start);
      if (nl === -1) {
        this.hold(data.subarray(start), out);
        break;
      }
      const piece = data.subarray(start, nl + 1);
      if (this.partialLen > 0) {
        out.push(this.prefix, ...this.partial, piece);
        this.partial = [];
        this.partialLen = 0;
      } else {
        out.push(this.prefix, piece);
      }
      start = nl + 1;
    }
    return out.length ? this.sink.write(Buffer.concat(out)) : true;
  }

  private hold(rest: Buffer, out: Buffer[]): void {
    let r = rest;
    while (this.partialLen + r.length >= this.maxLine) {
      const take = this.maxLine - this.partialLen;
      out.push(this.prefix, ...this.partial, r.subarray(0, take), Buffer.from('\n'));
      this.partial = [];
      this.partialLen = 0;
      r = r.subarray(take);
    }
    if (r.length) {
      // copy: the chunk buffer may be large; keep only what we need
      this.partial.push(Buffer.from(r));
      this.partialLen += r.length;
    }
  }

  /** EOF: flush a partial last line with a newline. */
  end(): boolean {
    if (this.partialLen === 0) return true;
    const buf = Buffer.concat([this.prefix, ...this.partial, Buffer.from('\n')]);
    this.partial = [];
    this.partialLen = 0;
    return this.sink.write(buf);
  }
}
