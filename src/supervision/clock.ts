// Time for the engine: an injected clock plus one-shot timers, so the state machine and the orchestrator
// are testable with a fake clock. The real clock is wall-anchored but monotonic (process.hrtime() added to
// the wall time read once at startup), so a wall-clock jump cannot skip or stretch startsecs/backoff/stopwaitsecs
// deadlines. Not `performance.now()`: the `performance` global loads node:perf_hooks on first use, ~1 ms of
// launch time before the first spawn (BENCHMARKS.md §1).

export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the epoch (monotonic within one run). */
  now(): number;
  /** Call fn once after ms milliseconds. Returns a function that cancels it (idempotent). */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

const hrMs = (): number => {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
};
const wallAtStart = Date.now() - hrMs();
const monotonicNow = (): number => wallAtStart + hrMs();

export const realClock: Clock = {
  now: monotonicNow,
  /**
   * Never fires before now() has advanced by `ms`: Node may run a timer up to ~1 ms early by this clock
   * (libuv counts the delay from the loop time cached at the start of the iteration), and a deadline
   * checked early would look "not yet due" to the state machine — then the timer is armed again for the rest.
   */
  setTimer(ms, fn) {
    const due = monotonicNow() + Math.max(0, ms);
    let t: NodeJS.Timeout;
    const fire = (): void => {
      const left = due - monotonicNow();
      if (left > 0) t = setTimeout(fire, Math.ceil(left));
      else fn();
    };
    t = setTimeout(fire, Math.max(0, Math.ceil(ms)));
    return () => clearTimeout(t);
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A manual clock for tests: time moves only through advance()/advanceTo(); due timers fire in order. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** The time of the next pending timer, or null. */
  nextAt(): number | null {
    const live = this.timers.filter((t) => !t.cancelled);
    if (live.length === 0) return null;
    return Math.min(...live.map((t) => t.at));
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Move time forward to `target`, firing every timer due on the way (including ones they create). */
  advanceTo(target: number): void {
    let fired = 0;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = due[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      if (++fired > 100_000) throw new Error('FakeClock: timers keep re-arming at a due time (busy loop)');
      next.fn();
    }
    this.current = Math.max(this.current, target);
  }

  /** Fire timers until none is pending or `limitMs` of fake time passed. */
  runAll(limitMs = 3_600_000): void {
    const end = this.current + limitMs;
    for (;;) {
      const at = this.nextAt();
      if (at === null || at > end) return;
      this.advanceTo(at);
    }
  }
}
