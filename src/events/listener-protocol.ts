// The per-listener-process protocol state machine (spec §6.3), fed with the bytes the listener writes to
// its stdout. Pure: no I/O, no timers. It reports what happened as outcomes; the pool acts on them
// (dispatch to a READY listener, re-queue a rejected event).
import { isUtf8 } from 'node:buffer';
import { pyBytesRepr } from '../common/python-repr.js';

export enum ListenerState {
  READY = 10,
  BUSY = 20,
  ACKNOWLEDGED = 30,
  UNKNOWN = 40,
}

export function listenerStateName(s: ListenerState): string {
  return ListenerState[s] ?? String(s);
}

export const READY_TOKEN = Buffer.from('READY\n');
const RESULT_TOKEN_START_LEN = 'RESULT '.length;

export type ProtocolOutcome<E> =
  /** The listener asked for an event. */
  | { readonly kind: 'ready' }
  /** The in-flight event was processed (result body `OK`). */
  | { readonly kind: 'processed'; readonly event: E | null }
  /** The in-flight event must be delivered again (FAIL or any other body, or a bad result line). */
  | { readonly kind: 'rejected'; readonly event: E | null };

/** What the state machine logs through (supervisord's texts). */
export interface ProtocolLog {
  debug(msg: string): void;
  warn(msg: string): void;
}

/** The result handler: supervisord's `default_handler` accepts exactly `OK`. */
export type ResultHandler = (result: Buffer) => 'ok' | 'reject';

export const defaultResultHandler: ResultHandler = (result) => (result.equals(OK) ? 'ok' : 'reject');
const OK = Buffer.from('OK');

/** Python's int() on a bytes result length: surrounding whitespace, sign, digits with single underscores. */
function parsePyInt(raw: Buffer): number | null {
  const text = raw.toString('latin1').trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return null;
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

export class ListenerProtocol<E> {
  private _state = ListenerState.ACKNOWLEDGED;
  private buffer: Buffer = Buffer.alloc(0);
  private result: Buffer = Buffer.alloc(0);
  private resultLen: number | null = null;
  /** The event the listener is working on (BUSY), else null. */
  private _event: E | null = null;

  constructor(
    readonly name: string,
    private readonly log: ProtocolLog,
    private readonly resultHandler: ResultHandler = defaultResultHandler,
  ) {}

  get state(): ListenerState {
    return this._state;
  }

  get event(): E | null {
    return this._event;
  }

  /** A new process was spawned: start over in ACKNOWLEDGED (waiting for `READY\n`). */
  reset(): void {
    this._state = ListenerState.ACKNOWLEDGED;
    this.buffer = Buffer.alloc(0);
    this.result = Buffer.alloc(0);
    this.resultLen = null;
    this._event = null;
  }

  /** The pool wrote `event` to this listener: it is now BUSY with it (no log line, as supervisord). */
  markBusy(event: E): void {
    this._state = ListenerState.BUSY;
    this._event = event;
  }

  /** The process ended: hand back the in-flight event (to be re-queued), if any. */
  takeEvent(): E | null {
    const e = this._event;
    this._event = null;
    return e;
  }

  /** Feed bytes read from the listener's stdout. */
  feed(chunk: Buffer): ProtocolOutcome<E>[] {
    const out: ProtocolOutcome<E>[] = [];
    if (chunk.length > 0) this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    // supervisord recurses "while there is data left"; a loop does the same.
    while (this.buffer.length > 0) {
      if (!this.step(out)) break;
    }
    return out;
  }

  /** One examination of the buffer. Returns false when more data is needed. */
  private step(out: ProtocolOutcome<E>[]): boolean {
    switch (this._state) {
      case ListenerState.UNKNOWN:
        this.buffer = Buffer.alloc(0);
        return false;

      case ListenerState.ACKNOWLEDGED:
        if (this.buffer.length < READY_TOKEN.length) return false;
        if (this.buffer.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
          this.change(ListenerState.READY);
          this.buffer = this.buffer.subarray(READY_TOKEN.length);
          this._event = null;
          out.push({ kind: 'ready' });
        } else {
          this.change(ListenerState.UNKNOWN);
          this.buffer = Buffer.alloc(0);
          this._event = null;
        }
        return true;

      case ListenerState.READY:
        // spurious data while waiting for an event: be strict about it
        this.change(ListenerState.UNKNOWN);
        this.buffer = Buffer.alloc(0);
        this._event = null;
        return false;

      case ListenerState.BUSY:
        return this.stepBusy(out);
    }
  }

  private stepBusy(out: ProtocolOutcome<E>[]): boolean {
    if (this.resultLen === null) {
      const pos = this.buffer.indexOf(0x0a);
      if (pos === -1) return false; // no complete result line yet
      const line = this.buffer.subarray(0, pos);
      this.buffer = this.buffer.subarray(pos + 1);
      const len = parsePyInt(line.subarray(RESULT_TOKEN_START_LEN));
      if (len === null || len < 0) {
        const text = isUtf8(line) ? line.toString('utf8') : 'Undecodable: ' + pyBytesRepr(line);
        this.log.warn(`${this.name}: bad result line: '${text}'`);
        this.change(ListenerState.UNKNOWN);
        this.buffer = Buffer.alloc(0);
        out.push({ kind: 'rejected', event: this.takeEvent() });
        return false;
      }
      this.resultLen = len;
      return true;
    }
    const needed = this.resultLen - this.result.length;
    if (needed > 0) {
      this.result = Buffer.concat([this.result, this.buffer.subarray(0, needed)]);
      this.buffer = this.buffer.subarray(needed);
    }
    if (this.resultLen - this.result.length > 0) return false;
    const result = this.result;
    const event = this._event;
    this.result = Buffer.alloc(0);
    this.resultLen = null;
    this._event = null;
    this.handleResult(result, event, out);
    return true;
  }

  private handleResult(result: Buffer, event: E | null, out: ProtocolOutcome<E>[]): void {
    let verdict: 'ok' | 'reject' | 'error';
    try {
      verdict = this.resultHandler(result);
    } catch {
      verdict = 'error';
    }
    if (verdict === 'ok') {
      this.log.debug(`${this.name}: event was processed`);
      this.change(ListenerState.ACKNOWLEDGED);
      out.push({ kind: 'processed', event });
    } else if (verdict === 'reject') {
      this.log.warn(`${this.name}: event was rejected`);
      this.change(ListenerState.ACKNOWLEDGED);
      out.push({ kind: 'rejected', event });
    } else {
      this.log.warn(`${this.name}: event caused an error`);
      this.change(ListenerState.UNKNOWN);
      out.push({ kind: 'rejected', event });
    }
  }

  private change(next: ListenerState): void {
    this.log.debug(`${this.name}: ${listenerStateName(this._state)} -> ${listenerStateName(next)}`);
    this._state = next;
    if (next === ListenerState.UNKNOWN) {
      this.log.warn(
        `${this.name}: has entered the UNKNOWN state and will no longer receive events, ` +
          'this usually indicates the process violated the eventlistener protocol',
      );
    }
  }
}
