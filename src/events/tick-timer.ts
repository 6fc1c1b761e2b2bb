// TICK_5 / TICK_60 / TICK_3600 generation (spec §6.1). supervisord checks once per loop tick whether the
// wall clock crossed a multiple of the period since the epoch (never on the first check) and then emits
// `when:<boundary>`. tsinit has no periodic loop: a single timer is armed for the next boundary of the
// periods somebody subscribes to, and only while somebody does, so an idle tsinit never wakes up.
import { tickPeriods, type TickPeriod } from './event-types.js';

/** The clock and timers the tick generator uses (injectable for tests). */
export interface TimerApi {
  /** Wall clock, epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerApi = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** supervisord's timeslice(): the start of the period containing `whenSec`. */
export function timeslice(period: number, whenSec: number): number {
  return Math.trunc(whenSec - (whenSec % period));
}

export class TickTimer {
  private readonly last = new Map<TickPeriod, number>();
  private handle: unknown = null;
  private periods: readonly TickPeriod[] = [];

  constructor(
    private readonly emit: (period: TickPeriod, when: number) => void,
    private readonly timers: TimerApi = realTimers,
  ) {}

  /** Which periods are wanted now. An empty set disarms the timer. */
  setPeriods(wanted: Iterable<TickPeriod>): void {
    const set = new Set(wanted);
    const next = tickPeriods.filter((p) => set.has(p));
    const nowSec = this.timers.now() / 1000;
    for (const p of tickPeriods) {
      if (!set.has(p)) this.last.delete(p);
      else if (!this.last.has(p)) this.last.set(p, timeslice(p, nowSec)); // "we just started up"
    }
    this.periods = next;
    this.arm();
  }

  /** Whether a timer is currently armed (for tests and diagnostics). */
  get armed(): boolean {
    return this.handle !== null;
  }

  stop(): void {
    this.setPeriods([]);
  }

  private arm(): void {
    if (this.handle !== null) {
      this.timers.clearTimeout(this.handle);
      this.handle = null;
    }
    if (this.periods.length === 0) return;
    let due = Infinity;
    for (const p of this.periods) due = Math.min(due, ((this.last.get(p) ?? 0) + p) * 1000);
    const delay = Math.max(1, Math.ceil(due - this.timers.now()));
    this.handle = this.timers.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.handle = null;
    const nowSec = this.timers.now() / 1000;
    for (const p of this.periods) {
      const slice = timeslice(p, nowSec);
      if (slice !== this.last.get(p)) {
        this.last.set(p, slice);
        try {
          this.emit(p, slice);
        } catch {
          // the emitter (the event bus) isolates its own subscribers; never let a tick kill the timer
        }
      }
    }
    this.arm();
  }
}
