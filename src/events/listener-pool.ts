// One pool per [eventlistener:x] group (spec §6.2, §6.4): its event buffer (FIFO of buffer_size, oldest
// dropped on overflow), serial numbers, and dispatch of buffered events to the first listener process that
// is RUNNING (process state) and READY (protocol state), in config order. Dispatch is event driven: it is
// requested when an event is buffered, when a listener says READY and when a listener reaches RUNNING.
import { ProcessState } from '../supervision/states.js';
import { subscriptionMatches } from './event-types.js';
import { ListenerProtocol, ListenerState, type ResultHandler } from './listener-protocol.js';
import { envelope, type Payload } from './payload.js';

/** One emitted event, shared by every pool that accepted it (it carries the global serial). */
export interface QueuedEvent {
  readonly name: string;
  readonly payload: Payload;
  /** Global serial, assigned when the first pool accepts the event. */
  serial: number | null;
  /** Pool name → pool serial. */
  readonly poolSerials: Map<string, number>;
}

export function queuedEvent(name: string, payload: Payload): QueuedEvent {
  return { name, payload, serial: null, poolSerials: new Map() };
}

export interface PoolLog {
  error(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

export interface ListenerPoolOptions {
  /** Group (pool) name. */
  readonly name: string;
  /** Listener process names in config order. */
  readonly processNames: readonly string[];
  /** events= as configured (abstract types include their subtypes). */
  readonly events: readonly string[];
  readonly bufferSize: number;
  /** [supervisord] identifier (the envelope's `server:`). */
  readonly identifier: string;
  readonly log: PoolLog;
  /** Next global serial (shared by all pools). */
  nextSerial(): number;
  /** Write to a listener's stdin; throws when it cannot be written (closed stdin, not running). */
  write(processName: string, data: Buffer): void;
  /** Process state of a listener when the pool is created (later states come from onProcessState). */
  initialState?(processName: string): ProcessState;
  /** Called once per event discarded on overflow. */
  onDrop?(): void;
  /** How a dispatch is deferred (default: a microtask, so the engine's publish never re-enters). */
  schedule?(fn: () => void): void;
  readonly resultHandler?: ResultHandler;
}

interface Member {
  readonly name: string;
  state: ProcessState;
  readonly protocol: ListenerProtocol<QueuedEvent>;
}

/** Process states in which the process is gone: its in-flight event must be delivered again. */
const DEAD_STATES: ReadonlySet<ProcessState> = new Set([
  ProcessState.EXITED,
  ProcessState.STOPPED,
  ProcessState.BACKOFF,
  ProcessState.FATAL,
  ProcessState.UNKNOWN,
]);

export class ListenerPool {
  readonly name: string;
  private readonly buffer: QueuedEvent[] = [];
  private readonly members: Member[];
  private poolSerial = -1;
  private scheduled = false;
  private dispatching = false;
  private closed = false;

  constructor(private readonly opts: ListenerPoolOptions) {
    this.name = opts.name;
    this.members = opts.processNames.map((name) => ({
      name,
      state: opts.initialState?.(name) ?? ProcessState.STOPPED,
      protocol: new ListenerProtocol<QueuedEvent>(name, opts.log, opts.resultHandler),
    }));
  }

  /** Whether this pool subscribes to the concrete event type `eventName`. */
  wants(eventName: string): boolean {
    return subscriptionMatches(this.opts.events, eventName);
  }

  /** The buffered events, oldest first (read-only view for tests/diagnostics). */
  get buffered(): readonly QueuedEvent[] {
    return this.buffer;
  }

  /** Protocol state of a listener process (for tests/diagnostics). */
  listenerState(processName: string): ListenerState | undefined {
    return this.member(processName)?.protocol.state;
  }

  /** supervisord's _acceptEvent: assign serials, buffer (dropping the oldest when full). */
  accept(event: QueuedEvent, head = false): void {
    if (this.closed) return;
    if (event.serial === null) event.serial = this.opts.nextSerial();
    if (!event.poolSerials.has(this.name)) {
      this.poolSerial = this.poolSerial >= Number.MAX_SAFE_INTEGER ? 0 : this.poolSerial + 1;
      event.poolSerials.set(this.name, this.poolSerial);
    } else {
      this.opts.log.debug(
        `rebuffering event ${event.serial} for pool ${this.name} (buf size=${this.buffer.length}, max=${this.opts.bufferSize})`,
      );
    }
    if (this.buffer.length >= this.opts.bufferSize && this.buffer.length > 0) {
      const discarded = this.buffer.shift()!;
      this.opts.log.error(`pool ${this.name} event buffer overflowed, discarding event ${discarded.serial}`);
      this.opts.onDrop?.();
    }
    if (head) this.buffer.unshift(event);
    else this.buffer.push(event);
    this.requestDispatch();
  }

  /** A listener process of this pool changed state (called after the event itself was distributed). */
  onProcessState(processName: string, to: ProcessState): void {
    const m = this.member(processName);
    if (!m || this.closed) return;
    m.state = to;
    if (to === ProcessState.STARTING) {
      // a new process: whatever the old one held goes back to the pool, the new one starts ACKNOWLEDGED
      const lost = m.protocol.takeEvent();
      if (lost) this.accept(lost, true);
      m.protocol.reset();
    } else if (DEAD_STATES.has(to)) {
      const lost = m.protocol.takeEvent();
      if (lost) this.accept(lost, true);
    } else if (to === ProcessState.RUNNING) {
      this.requestDispatch();
    }
  }

  /** Bytes the listener wrote to its stdout. */
  onStdout(processName: string, chunk: Buffer): void {
    const m = this.member(processName);
    if (!m || this.closed) return;
    for (const outcome of m.protocol.feed(chunk)) {
      if (outcome.kind === 'ready') this.requestDispatch();
      else if (outcome.kind === 'rejected' && outcome.event) this.accept(outcome.event, true);
    }
  }

  /** Deliver buffered events, oldest first, until one cannot be placed. */
  dispatch(): void {
    if (this.closed) return;
    if (!this.members.some((m) => m.state === ProcessState.RUNNING && m.protocol.state === ListenerState.READY)) return;
    // While dispatching, re-buffering must not request another dispatch: a listener whose stdin cannot be
    // written would otherwise spin. The next READY / RUNNING / new event triggers the retry.
    this.dispatching = true;
    try {
      while (this.buffer.length > 0) {
        const event = this.buffer.shift()!;
        if (!this.dispatchEvent(event)) {
          this.accept(event, true);
          break;
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** The group is being removed: stop accepting and dispatching. */
  close(): void {
    this.closed = true;
    this.buffer.length = 0;
  }

  private dispatchEvent(event: QueuedEvent): boolean {
    const poolSerial = event.poolSerials.get(this.name) ?? 0;
    for (const m of this.members) {
      if (m.state !== ProcessState.RUNNING || m.protocol.state !== ListenerState.READY) continue;
      const data = envelope({
        identifier: this.opts.identifier,
        serial: event.serial ?? 0,
        pool: this.name,
        poolSerial,
        eventName: event.name,
        payload: event.payload,
      });
      try {
        this.opts.write(m.name, data);
      } catch {
        this.opts.log.debug(
          `epipe occurred while sending event ${event.serial} to listener ${m.name}, listener state unchanged`,
        );
        continue;
      }
      m.protocol.markBusy(event);
      this.opts.log.debug(`event ${event.serial} sent to listener ${m.name}`);
      return true;
    }
    return false;
  }

  private requestDispatch(): void {
    if (this.scheduled || this.dispatching || this.closed) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      try {
        this.dispatch();
      } catch (err) {
        this.opts.log.error(`pool ${this.name}: dispatch failed: ${String(err)}`);
      }
    };
    if (this.opts.schedule) this.opts.schedule(run);
    else queueMicrotask(run);
  }

  private member(name: string): Member | undefined {
    return this.members.find((m) => m.name === name);
  }
}
