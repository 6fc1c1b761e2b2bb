// A non-blocking, never-throwing byte sink onto one of tsinit's own fds (normally 1 or 2), shared by the
// main log and the prefix relay so their lines never interleave mid-line.
//
// Why not process.stdout: Node makes the pipe behind fd 1 O_NONBLOCK, and libuv clears O_NONBLOCK on fds 0-2
// in every child it spawns. Both act on the *shared* open file description, so after the first fast-path
// child (stdout inherited) tsinit's own stdout would become blocking and a stalled `docker logs` reader
// could freeze PID 1. So for a pipe/FIFO we open /proc/self/fd/N again: a separate open file description
// on the same pipe whose O_NONBLOCK flag nobody else touches, written directly until the pipe is first full,
// then driven by a libuv stream (net.Socket; node:net is loaded only then: ~3 ms of launch time).
// Regular files, /dev/null and ttys are written synchronously (EAGAIN → queued and retried); sockets (which
// cannot be reopened through /proc) are written one chunk at a time through the libuv thread pool.
import fs from 'node:fs';
import type { Socket } from 'node:net';
import { net } from '../common/lazy-net.js';

export interface ByteSink {
  /**
   * Queue bytes. Returns false once the queued bytes exceed the high-water mark: the caller should stop
   * producing until onDrain fires. Never throws; after a fatal error (EPIPE, EBADF...) bytes are discarded
   * and true is returned so producers keep flowing (a dead sink must not stall programs).
   */
  write(data: Buffer | string): boolean;
  /** Bytes queued but not yet accepted by the kernel. */
  readonly buffered: number;
  /** True after a fatal write error: everything written afterwards is discarded. */
  readonly broken: boolean;
  /** One-shot: called when the queue has emptied (or the sink broke). */
  onDrain(cb: () => void): void;
  close(): void;
}

export interface FdSinkOptions {
  /** Bytes queued before write() returns false. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** Called once with the error that broke the sink. */
  readonly onBroken?: (err: Error) => void;
}

const DEFAULT_HWM = 1 << 20;

abstract class BaseSink implements ByteSink {
  protected queue: Buffer[] = [];
  protected queued = 0;
  protected drainWaiters: (() => void)[] = [];
  protected isBroken = false;
  protected readonly hwm: number;

  constructor(protected readonly options: FdSinkOptions) {
    this.hwm = options.highWaterMark ?? DEFAULT_HWM;
  }

  get buffered(): number {
    return this.queued;
  }

  get broken(): boolean {
    return this.isBroken;
  }

  write(data: Buffer | string): boolean {
    if (this.isBroken) return true;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (buf.length === 0) return this.queued <= this.hwm;
    this.queue.push(buf);
    this.queued += buf.length;
    this.kick();
    return this.isBroken || this.queued <= this.hwm;
  }

  onDrain(cb: () => void): void {
    if (this.isBroken || this.queued === 0) {
      queueMicrotask(cb);
      return;
    }
    this.drainWaiters.push(cb);
  }

  protected drained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const cb of waiters) {
      try {
        cb();
      } catch {
        // a faulty waiter must not break the sink
      }
    }
  }

  /** Mark the sink dead (used when the fd cannot even be inspected). */
  breakWith(err: Error): void {
    this.fail(err);
  }

  protected fail(err: Error): void {
    if (this.isBroken) return;
    this.isBroken = true;
    this.queue = [];
    this.queued = 0;
    try {
      this.options.onBroken?.(err);
    } catch {
      // ignore
    }
    this.drained();
  }

  /**
   * Writes the queue to `fd` synchronously until it is empty ('done'), the fd takes no more ('full': EAGAIN,
   * or a short write when `stopOnShortWrite`), or a fatal error broke the sink ('failed'). `wrote`: any bytes.
   */
  protected writeQueueSync(fd: number, stopOnShortWrite: boolean): { state: 'done' | 'full' | 'failed'; wrote: boolean } {
    let wrote = false;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      let n: number;
      try {
        n = fs.writeSync(fd, head);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (isTransient(err)) return { state: 'full', wrote };
        this.fail(err);
        return { state: 'failed', wrote };
      }
      wrote = true;
      this.queued -= n;
      if (n >= head.length) this.queue.shift();
      else {
        this.queue[0] = head.subarray(n);
        if (stopOnShortWrite) return { state: 'full', wrote };
      }
    }
    return { state: 'done', wrote };
  }

  protected abstract kick(): void;
  abstract close(): void;
}

/** Retry delay after EAGAIN: 1 ms doubling to 50 ms while the fd stays full, reset by a successful write. */
class Backoff {
  private ms = 1;
  next(): number {
    const d = this.ms;
    this.ms = Math.min(this.ms * 2, 50);
    return d;
  }
  reset(): void {
    this.ms = 1;
  }
}

function isTransient(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EAGAIN' || err.code === 'EWOULDBLOCK' || err.code === 'EINTR';
}

/** Synchronous writes with an EAGAIN retry timer (regular files, char devices, ttys). */
class SyncSink extends BaseSink {
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff();

  constructor(
    private readonly fd: number,
    options: FdSinkOptions,
    private readonly ownsFd: boolean,
  ) {
    super(options);
  }

  protected kick(): void {
    if (this.timer) return;
    const { state, wrote } = this.writeQueueSync(this.fd, false);
    if (wrote) this.backoff.reset();
    if (state === 'full') {
      // pending bytes keep the process alive (like a stream with queued writes); no timer when idle
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.backoff.next());
      return;
    }
    if (state === 'done') this.drained();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ownsFd) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // ignore
      }
    }
  }
}

/** One write at a time through the thread pool (sockets). */
class AsyncSink extends BaseSink {
  private writing = false;
  private readonly backoff = new Backoff();

  constructor(
    private readonly fd: number,
    options: FdSinkOptions,
  ) {
    super(options);
  }

  protected kick(): void {
    if (this.writing || this.isBroken) return;
    const head = this.queue[0];
    if (!head) {
      this.drained();
      return;
    }
    this.writing = true;
    fs.write(this.fd, head, 0, head.length, null, (err, n) => {
      this.writing = false;
      if (err) {
        if (isTransient(err)) {
          setTimeout(() => this.kick(), this.backoff.next());
          return;
        }
        this.fail(err);
        return;
      }
      this.backoff.reset();
      this.queued -= n;
      if (n >= head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
      this.kick();
    });
  }

  close(): void {
    // the fd belongs to the process (1/2) or is closed by the owner
  }
}

/**
 * A private non-blocking open file description of a pipe: written directly while the pipe takes the bytes,
 * and through a libuv stream from the first time it is full (EAGAIN or a short write) on.
 */
class StreamSink extends BaseSink {
  private socket: Socket | null = null;

  constructor(
    private readonly fd: number,
    options: FdSinkOptions,
  ) {
    super(options);
  }

  private stream(): Socket {
    if (this.socket) return this.socket;
    const socket = new (net().Socket)({ fd: this.fd, readable: false, writable: true });
    socket.on('error', (err) => this.fail(err));
    // 'drain' only means "below the stream's own high-water mark": completion is tracked per write
    socket.on('drain', () => this.afterWrite());
    // an idle sink must not keep the event loop alive; pending bytes do
    socket.unref();
    this.socket = socket;
    return socket;
  }

  private afterWrite(): void {
    if (this.isBroken || !this.socket) return;
    this.queued = this.socket.writableLength;
    if (this.queued === 0) this.idle();
  }

  private idle(): void {
    this.socket?.unref();
    this.drained();
  }

  protected kick(): void {
    if (!this.socket) {
      // Straight to the fd until the pipe is first full; the rest of the queue goes to the stream.
      const { state } = this.writeQueueSync(this.fd, true);
      if (state === 'done') this.drained();
      if (state !== 'full') return;
    }
    const socket = this.stream();
    const bufs = this.queue;
    this.queue = [];
    socket.ref();
    for (const b of bufs) socket.write(b, () => this.afterWrite());
    this.queued = socket.writableLength;
    if (this.queued === 0) this.idle();
  }

  override get buffered(): number {
    if (this.isBroken) return 0;
    return this.socket ? this.socket.writableLength : this.queued;
  }

  close(): void {
    if (this.socket) this.socket.destroy();
    else {
      try {
        fs.closeSync(this.fd);
      } catch {
        // ignore
      }
    }
  }
}

/** Open a sink on `fd` (see the file comment for how each kind of fd is written). */
export function openFdSink(fd: number, options: FdSinkOptions = {}): ByteSink {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    const sink = new SyncSink(fd, options, false);
    sink.breakWith(e as Error);
    return sink;
  }
  if (st.isFIFO()) {
    try {
      const own = fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      return new StreamSink(own, options);
    } catch {
      return new AsyncSink(fd, options);
    }
  }
  if (st.isSocket()) return new AsyncSink(fd, options);
  return new SyncSink(fd, options, false);
}

const shared = new Map<number, ByteSink>();

/** The one process-wide sink for tsinit's fd `fd` (main log echo and prefix relay share it). */
export function sharedFdSink(fd: number): ByteSink {
  let sink = shared.get(fd);
  if (!sink) {
    sink = openFdSink(fd);
    shared.set(fd, sink);
  }
  return sink;
}
