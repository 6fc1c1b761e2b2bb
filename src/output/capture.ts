// Capture mode (spec §5.5): bytes between <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> are held in
// a bounded buffer instead of the log and published as one PROCESS_COMMUNICATION payload at the end token.
// Follows supervisord's record_output(): while scanning, output no longer than the token is held back, and
// a suffix that may be the start of the token is held back. Deviation: end() flushes what was held back
// (supervisord loses it at exit).

export const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
export const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

export interface CaptureSink {
  /** Bytes to log normally (capturing=false) or to the capture buffer (capturing=true). */
  data(bytes: Buffer, capturing: boolean): void;
  /** End token seen: the captured bytes. */
  communication(captured: Buffer): void;
}

/** Length of the longest proper prefix of `token` that `data` ends with (asynchat's find_prefix_at_end). */
export function prefixAtEnd(data: Buffer, token: Buffer): number {
  let l = token.length - 1;
  while (l > 0 && !data.subarray(data.length - l).equals(token.subarray(0, l))) l--;
  return l > data.length ? 0 : l;
}

/** supervisord's BoundIO: on overflow drop as many leading bytes as are being added. */
class BoundBuffer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxbytes: number) {}
  write(b: Buffer): void {
    let cur = this.buf;
    if (cur.length + b.length > this.maxbytes) cur = cur.subarray(Math.min(b.length, cur.length));
    this.buf = Buffer.concat([cur, b]);
  }
  take(): Buffer {
    const b = this.buf;
    this.buf = Buffer.alloc(0);
    return b;
  }
}

export class CaptureFilter {
  private pending: Buffer = Buffer.alloc(0);
  private capturing = false;
  private readonly bound: BoundBuffer;

  constructor(
    maxbytes: number,
    private readonly sink: CaptureSink,
  ) {
    this.bound = new BoundBuffer(maxbytes);
  }

  get inCapture(): boolean {
    return this.capturing;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.record();
  }

  /** EOF: log what was held back (deviation from supervisord, which drops it). */
  end(): void {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    if (rest.length) this.emit(rest);
  }

  private emit(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.capturing) this.bound.write(bytes);
    this.sink.data(bytes, this.capturing);
  }

  private record(): void {
    for (;;) {
      const token = this.capturing ? END_TOKEN : BEGIN_TOKEN;
      if (this.pending.length <= token.length) return;
      const data = this.pending;
      this.pending = Buffer.alloc(0);
      const at = data.indexOf(token);
      if (at === -1) {
        const keep = prefixAtEnd(data, token);
        if (keep) {
          this.pending = data.subarray(data.length - keep);
          this.emit(data.subarray(0, data.length - keep));
        } else {
          this.emit(data);
        }
        return;
      }
      this.emit(data.subarray(0, at));
      this.toggle();
      this.pending = data.subarray(at + token.length);
      if (this.pending.length === 0) return;
    }
  }

  private toggle(): void {
    this.capturing = !this.capturing;
    if (!this.capturing) this.sink.communication(this.bound.take());
  }
}
