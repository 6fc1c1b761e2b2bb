// Node timers may fire up to a millisecond before the clock says their deadline has come (libuv measures
// the delay from the loop time cached at the start of the iteration, the engine's clock is
// performance.now()). Such an early wake-up left programs stuck for ever: found as a crash-looping program
// (startsecs=0, autorestart=true) sitting in EXITED under tsinit as PID 1 (ManagedProcess.syncTimer takes
// a fired-but-not-yet-due deadline for a blocked one and never re-arms it). Same for STARTING → RUNNING
// and BACKOFF retries.
// Fixed twice: realClock never fires before now() reaches the due time (first test), and the orchestrator
// re-arms a deadline timer that fired early for the remaining time (the tests below use a clock whose
// timers fire 1 ms early).
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/events/bus.js';
import { FakeClock, realClock, type CancelTimer, type Clock } from '../../../src/supervision/clock.js';
import { ProcessState as S } from '../../../src/supervision/states.js';
import { Supervisor } from '../../../src/supervision/supervisor.js';
import { FakeOs, FakeOutputs, RecordingLog, config, proc, programGroup } from '../../unit/supervision/fakes.js';

/** A fake clock whose timers fire `early` ms before they are due (never before "now"). */
class EarlyClock implements Clock {
  constructor(
    readonly inner: FakeClock,
    private readonly early: number,
  ) {}
  now(): number {
    return this.inner.now();
  }
  setTimer(ms: number, fn: () => void): CancelTimer {
    return this.inner.setTimer(ms > this.early ? ms - this.early : ms, fn);
  }
}

function setup(p: ReturnType<typeof proc>) {
  const fake = new FakeClock();
  const clock = new EarlyClock(fake, 1);
  const os = new FakeOs();
  const sup = new Supervisor({
    config: config([programGroup(p)]),
    os,
    outputs: new FakeOutputs(),
    log: new RecordingLog(),
    bus: new EventBus((e) => {
      throw e;
    }),
    clock,
    ownEnv: { PATH: '/bin' },
    pid: 1,
  });
  return { fake, os, sup };
}

describe('realClock', () => {
  it('never runs a timer before now() has advanced by its delay', async () => {
    const early: string[] = [];
    await Promise.all(
      Array.from(
        { length: 400 },
        (_, i) =>
          new Promise<void>((resolve) => {
            // Start timers at scattered points inside loop iterations (busy work moves now() away from libuv's cached loop time).
            setTimeout(() => {
              const spin = realClock.now();
              while (realClock.now() - spin < (i % 7) / 7) {
                /* busy */
              }
              const ms = i % 5;
              const due = realClock.now() + ms;
              realClock.setTimer(ms, () => {
                const now = realClock.now();
                if (now < due) early.push(`${ms} ms timer ran ${(due - now).toFixed(3)} ms early`);
                resolve();
              });
            }, i % 20);
          }),
      ),
    );
    expect(early).toEqual([]);
  });

  it('can be cancelled, also while it waits for the rest of an early wake-up', async () => {
    let ran = 0;
    const cancels = Array.from({ length: 50 }, (_, i) => realClock.setTimer(i % 3, () => ran++));
    for (const c of cancels) c();
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toBe(0);
  });
});

describe('orchestrator with deadline timers that fire early', () => {
  it('a crash loop (startsecs=0, autorestart=true) keeps restarting about once a second', () => {
    const { fake, os, sup } = setup(proc('crashy', { command: '/bin/crashy', startsecs: 0, autorestart: 'true' }));
    sup.start();
    // Every child dies the moment it is spawned.
    for (let i = 0; i < 20_000 && fake.now() < 1_700_000_000_000 + 10_000; i++) {
      const live = os.live('/bin/crashy');
      if (live) live.exit(3);
      const next = fake.nextAt();
      if (next === null) break;
      fake.advanceTo(next);
    }
    expect(os.spawnsOf('/bin/crashy').length).toBeGreaterThanOrEqual(9);
    expect(sup.process('crashy', 'crashy')!.state).not.toBe(S.EXITED);
  });

  it('STARTING still becomes RUNNING after startsecs', () => {
    const { fake, sup } = setup(proc('web', { command: '/bin/web', startsecs: 2 }));
    sup.start();
    fake.runAll(10_000);
    expect(sup.process('web', 'web')!.state).toBe(S.RUNNING);
  });

  it('BACKOFF still retries and ends in FATAL', () => {
    const { fake, os, sup } = setup(proc('bad', { command: '/bin/bad', startsecs: 5, startretries: 3 }));
    sup.start();
    for (let i = 0; i < 1000; i++) {
      const live = os.live('/bin/bad');
      if (live) live.exit(1);
      const next = fake.nextAt();
      if (next === null) break;
      fake.advanceTo(next);
    }
    expect(os.spawnsOf('/bin/bad')).toHaveLength(4);
    expect(sup.process('bad', 'bad')!.state).toBe(S.FATAL);
  });
});
