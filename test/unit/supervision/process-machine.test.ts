// Every transition rule of the per-process machine (spec §3.3–3.9), driven with explicit times and a
// recording host: no clock, no spawning. Test names follow supervisord's tests/test_process.py where ported.
import { describe, expect, it } from 'vitest';
import type { ProcessConfig } from '../../../src/config/model.js';
import {
  ProcessMachine,
  type KillOutcome,
  type MachineHost,
  type SpawnOutcome,
  type StateChange,
} from '../../../src/supervision/process-machine.js';
import { ProcessState as S, SupervisorMood as M } from '../../../src/supervision/states.js';
import { proc } from './fakes.js';

const T0 = 1_700_000_000_000;
const sec = (s: number): number => T0 + s * 1000;

class Host implements MachineHost {
  logs: { level: string; text: string }[] = [];
  changes: StateChange[] = [];
  spawns = 0;
  kills: { pid: number; signal: number; toGroup: boolean }[] = [];
  nextSpawn: SpawnOutcome | null = null;
  nextKill: KillOutcome = { ok: true };
  private pid = 41;
  spawn(): SpawnOutcome {
    this.spawns++;
    if (this.nextSpawn) return this.nextSpawn;
    return { ok: true, pid: ++this.pid };
  }
  kill(pid: number, signal: number, toGroup: boolean): KillOutcome {
    this.kills.push({ pid, signal, toGroup });
    return this.nextKill;
  }
  log(level: string, text: string): void {
    this.logs.push({ level, text });
  }
  stateChanged(c: StateChange): void {
    this.changes.push(c);
  }
  texts(level?: string): string[] {
    return this.logs.filter((l) => !level || l.level === level).map((l) => l.text);
  }
  states(): S[] {
    return this.changes.map((c) => c.to);
  }
}

function machine(over: Partial<ProcessConfig> = {}): { m: ProcessMachine; h: Host } {
  const h = new Host();
  return { m: new ProcessMachine(proc('web', over), h), h };
}

/** Spawn at t, then let it reach RUNNING. */
function running(over: Partial<ProcessConfig> = {}): { m: ProcessMachine; h: Host } {
  const r = machine(over);
  r.m.transition(sec(0), M.RUNNING);
  r.m.transition(sec(1) + 1, M.RUNNING);
  expect(r.m.state).toBe(S.RUNNING);
  return r;
}

describe('spawn', () => {
  it('autostarts from STOPPED when never started, logging spawned and entering STARTING', () => {
    const { m, h } = machine();
    m.transition(sec(0), M.RUNNING);
    expect(m.state).toBe(S.STARTING);
    expect(m.pid).toBe(42);
    expect(m.laststart).toBe(sec(0));
    expect(h.texts('info')).toEqual(["spawned: 'web' with pid 42"]);
    expect(h.changes[0]).toMatchObject({ from: S.STOPPED, to: S.STARTING, tries: 0 });
    expect(m.deadline()).toBe(sec(1) + 1);
  });

  it('does not autostart with autostart=false, nor when not RUNNING mood', () => {
    const a = machine({ autostart: false });
    a.m.transition(sec(0), M.RUNNING);
    expect(a.m.state).toBe(S.STOPPED);
    const b = machine();
    b.m.transition(sec(0), M.SHUTDOWN);
    b.m.transition(sec(0), M.RESTARTING);
    expect(b.m.state).toBe(S.STOPPED);
    expect(b.h.spawns).toBe(0);
  });

  it('test_spawn_already_running: warns and does nothing', () => {
    const { m, h } = running();
    m.spawn(sec(5));
    expect(h.texts('warn')).toEqual(["process 'web' already running"]);
    expect(h.spawns).toBe(1);
  });

  it('test_spawn_fail_check_execv_args: spawnerr logged, STARTING → BACKOFF, backoff 1, delay +1s', () => {
    const { m, h } = machine();
    h.nextSpawn = { ok: false, message: "can't find command 'nope'" };
    m.transition(sec(0), M.RUNNING);
    expect(m.state).toBe(S.BACKOFF);
    expect(m.spawnerr).toBe("can't find command 'nope'");
    expect(h.texts('info')).toEqual(["spawnerr: can't find command 'nope'"]);
    expect(m.backoff).toBe(1);
    expect(m.delay).toBe(sec(1));
    expect(h.states()).toEqual([S.STARTING, S.BACKOFF]);
    expect(m.lastAttempt).toBe('spawn-error');
  });

  it('a stopped (never-started) process is not restarted once laststart is set', () => {
    const { m, h } = running();
    m.stop(sec(5));
    m.finish({ code: null, signal: 15, coreDumped: false }, sec(5));
    expect(m.state).toBe(S.STOPPED);
    m.transition(sec(100), M.RUNNING);
    expect(h.spawns).toBe(1);
  });
});

describe('startsecs (strict >)', () => {
  it('STARTING → RUNNING only when now - laststart > startsecs, with the success line', () => {
    const { m, h } = machine({ startsecs: 2 });
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(2), M.RUNNING);
    expect(m.state).toBe(S.STARTING);
    m.transition(sec(2) + 1, M.RUNNING);
    expect(m.state).toBe(S.RUNNING);
    expect(h.texts('info')).toContain('success: web entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)');
    expect(m.backoff).toBe(0);
    expect(m.delay).toBe(0);
  });

  it('startsecs=0: RUNNING at the first transition after the spawn; an immediate exit is never too quick', () => {
    const { m } = machine({ startsecs: 0 });
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(0) + 1, M.RUNNING);
    expect(m.state).toBe(S.RUNNING);
    m.finish({ code: 1, signal: null, coreDumped: false }, sec(0) + 1);
    expect(m.state).toBe(S.EXITED);
  });

  it('an exit before startsecs is judged from the time of death even if RUNNING was not evaluated (no §3.10 race)', () => {
    const { m, h } = machine({ startsecs: 1 });
    m.transition(sec(0), M.RUNNING);
    // died at 0.9 s, observed then: too quick even though nobody called transition() in between
    m.finish({ code: 127, signal: null, coreDumped: false }, sec(0.9));
    expect(m.state).toBe(S.BACKOFF);
    expect(h.texts('warn')).toEqual(['exited: web (exit status 127; not expected)']);
  });
});

describe('finish', () => {
  it('test_finish_starting_state_exited_too_quickly: BACKOFF, always "not expected", even for exit 0', () => {
    const { m, h } = machine({ startsecs: 10 });
    m.transition(sec(0), M.RUNNING);
    m.finish({ code: 0, signal: null, coreDumped: false }, sec(1));
    expect(m.state).toBe(S.BACKOFF);
    expect(m.spawnerr).toBe('Exited too quickly (process log may have details)');
    expect(m.exitstatus).toBeNull();
    expect(h.texts('warn')).toEqual(['exited: web (exit status 0; not expected)']);
    expect(m.pid).toBe(0);
    expect(m.laststop).toBe(sec(1));
  });

  it('test_finish_running_state_exit_expected: EXITED, INFO, backoff reset', () => {
    const { m, h } = running();
    m.finish({ code: 0, signal: null, coreDumped: false }, sec(5));
    expect(m.state).toBe(S.EXITED);
    expect(m.exitstatus).toBe(0);
    expect(h.texts('info')).toContain('exited: web (exit status 0; expected)');
    expect(h.changes.at(-1)).toMatchObject({ from: S.RUNNING, to: S.EXITED, expected: true });
  });

  it('unexpected exit from RUNNING: WARN, spawnerr Bad exit code, event expected=false', () => {
    const { m, h } = running();
    m.finish({ code: 2, signal: null, coreDumped: false }, sec(5));
    expect(m.state).toBe(S.EXITED);
    expect(m.spawnerr).toBe('Bad exit code 2');
    expect(h.texts('warn')).toEqual(['exited: web (exit status 2; not expected)']);
    expect(h.changes.at(-1)).toMatchObject({ to: S.EXITED, expected: false, pid: 43 - 1 });
  });

  it('a signal death is code -1, never expected, and says terminated by SIGxxx', () => {
    const { m, h } = running({ exitcodes: [0, 1] });
    m.finish({ code: null, signal: 11, coreDumped: true }, sec(5));
    expect(m.exitstatus).toBe(-1);
    expect(h.texts('warn')).toEqual(['exited: web (terminated by SIGSEGV (core dumped); not expected)']);
  });

  it('exit while still STARTING but after startsecs: RUNNING then EXITED without a success line', () => {
    const { m, h } = machine();
    m.transition(sec(0), M.RUNNING);
    m.finish({ code: 0, signal: null, coreDumped: false }, sec(3));
    expect(h.states()).toEqual([S.STARTING, S.RUNNING, S.EXITED]);
    expect(h.texts().some((t) => t.startsWith('success:'))).toBe(false);
  });

  it('test_finish_stopping_state: STOPPED; INFO when the code is expected, WARN otherwise', () => {
    const a = running();
    a.m.stop(sec(5));
    a.m.finish({ code: 0, signal: null, coreDumped: false }, sec(5.5));
    expect(a.m.state).toBe(S.STOPPED);
    expect(a.h.texts('info')).toContain('stopped: web (exit status 0)');
    const b = running();
    b.m.stop(sec(5));
    b.m.finish({ code: null, signal: 15, coreDumped: false }, sec(5.5));
    expect(b.h.texts('warn')).toContain('stopped: web (terminated by SIGTERM)');
    expect(b.m.exitstatus).toBe(-1);
  });

  it('a stop-requested exit before startsecs is a stop, not a failure', () => {
    const { m } = machine();
    m.transition(sec(0), M.RUNNING);
    m.stop(sec(0.2));
    m.finish({ code: null, signal: 15, coreDumped: false }, sec(0.3));
    expect(m.state).toBe(S.STOPPED);
    expect(m.backoff).toBe(0);
  });
});

describe('autorestart', () => {
  const exitFromRunning = (over: Partial<ProcessConfig>, code: number | null, signal: number | null = null) => {
    const r = running(over);
    r.m.finish({ code, signal, coreDumped: false }, sec(5));
    r.m.transition(sec(5), M.RUNNING);
    return r;
  };

  it('true: always restarts, immediately', () => {
    expect(exitFromRunning({ autorestart: 'true' }, 0).m.state).toBe(S.STARTING);
  });
  it('false: never restarts', () => {
    const r = exitFromRunning({ autorestart: 'false' }, 1);
    expect(r.m.state).toBe(S.EXITED);
    expect(r.h.spawns).toBe(1);
  });
  it('unexpected: restarts on a code outside exitcodes, not on an expected one', () => {
    expect(exitFromRunning({ autorestart: 'unexpected', exitcodes: [0, 2] }, 1).m.state).toBe(S.STARTING);
    expect(exitFromRunning({ autorestart: 'unexpected', exitcodes: [0, 2] }, 2).m.state).toBe(S.EXITED);
  });
  it('unexpected: a signal death always restarts', () => {
    expect(exitFromRunning({ autorestart: 'unexpected' }, null, 9).m.state).toBe(S.STARTING);
  });
  it('test_transition_exited_to_starting_supervisor_stopping: no restart while shutting down', () => {
    const r = running({ autorestart: 'true' });
    r.m.finish({ code: 1, signal: null, coreDumped: false }, sec(5));
    r.m.transition(sec(6), M.SHUTDOWN);
    expect(r.m.state).toBe(S.EXITED);
  });
  it('FATAL is never restarted automatically', () => {
    const { m, h } = machine({ startretries: 0, autorestart: 'true' });
    h.nextSpawn = { ok: false, message: 'x' };
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(0), M.RUNNING);
    expect(m.state).toBe(S.FATAL);
    m.transition(sec(100), M.RUNNING);
    expect(h.spawns).toBe(1);
  });
});

describe('backoff', () => {
  it('linear: retry k happens strictly after exit + k seconds; startretries=3 → 4 attempts then FATAL', () => {
    const { m, h } = machine({ startretries: 3 });
    const spawnTimes: number[] = [];
    let t = sec(0);
    m.transition(t, M.RUNNING);
    spawnTimes.push(t);
    for (let k = 1; k <= 4; k++) {
      t += 100; // dies 0.1 s after the spawn
      m.finish({ code: 1, signal: null, coreDumped: false }, t);
      expect(m.state).toBe(S.BACKOFF);
      expect(m.backoff).toBe(k);
      if (k === 4) break;
      m.transition(t + k * 1000, M.RUNNING); // not yet: needs now > delay
      expect(m.state).toBe(S.BACKOFF);
      expect(m.deadline()).toBe(t + k * 1000 + 1);
      t = t + k * 1000 + 1;
      m.transition(t, M.RUNNING);
      expect(m.state).toBe(S.STARTING);
      spawnTimes.push(t);
    }
    m.transition(t, M.RUNNING);
    expect(m.state).toBe(S.FATAL);
    expect(h.spawns).toBe(4);
    expect(m.attempts).toBe(4);
    expect(h.texts('info')).toContain('gave up: web entered FATAL state, too many start retries too quickly');
    expect(m.backoff).toBe(0);
    // gaps between spawns grow: 1.1, 2.1, 3.1 s
    const gaps = spawnTimes.slice(1).map((s, i) => s - spawnTimes[i]!);
    expect(gaps).toEqual([1101, 2101, 3101]);
  });

  it('a synchronous spawn failure on the last allowed attempt goes BACKOFF → FATAL in the same transition', () => {
    const { m, h } = machine({ startretries: 1 });
    h.nextSpawn = { ok: false, message: "can't find command 'x'" };
    m.transition(sec(0), M.RUNNING); // attempt 1 fails: BACKOFF(1)
    expect(m.state).toBe(S.BACKOFF);
    m.transition(sec(1) + 1, M.RUNNING); // attempt 2 fails: BACKOFF(2) > 1 → FATAL at once
    expect(m.state).toBe(S.FATAL);
    expect(h.spawns).toBe(2);
    expect(h.states()).toEqual([S.STARTING, S.BACKOFF, S.STARTING, S.BACKOFF, S.FATAL]);
  });

  it('tries in events carry the backoff counter', () => {
    const { m, h } = machine({ startretries: 2 });
    h.nextSpawn = { ok: false, message: 'x' };
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(2), M.RUNNING);
    expect(h.changes.filter((c) => c.to === S.BACKOFF).map((c) => c.tries)).toEqual([1, 2]);
    expect(h.changes.filter((c) => c.to === S.STARTING).map((c) => c.tries)).toEqual([0, 1]);
  });

  it('test_transition_backoff_to_starting_supervisor_stopping: no retry while shutting down', () => {
    const { m, h } = machine();
    h.nextSpawn = { ok: false, message: 'x' };
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(10), M.SHUTDOWN);
    expect(m.state).toBe(S.BACKOFF);
    expect(h.spawns).toBe(1);
  });

  it('test_kill_from_backoff: stop → STOPPED without a signal; backoff is NOT reset (quirk)', () => {
    const { m, h } = machine({ startretries: 3 });
    h.nextSpawn = { ok: false, message: 'x' };
    m.transition(sec(0), M.RUNNING);
    m.transition(sec(1) + 1, M.RUNNING);
    m.transition(sec(3) + 2, M.RUNNING);
    expect(m.backoff).toBe(3);
    expect(m.stop(sec(4))).toBeNull();
    expect(m.state).toBe(S.STOPPED);
    expect(h.kills).toEqual([]);
    expect(h.logs.some((l) => l.level === 'debug' && l.text === 'Attempted to kill web, which is in BACKOFF state.')).toBe(true);
    // a manual start now gets a single attempt before FATAL
    m.spawn(sec(10));
    m.transition(sec(10), M.RUNNING);
    expect(m.state).toBe(S.FATAL);
  });

  it('reaching RUNNING resets the backoff counter', () => {
    const { m } = machine();
    m.transition(sec(0), M.RUNNING);
    m.finish({ code: 1, signal: null, coreDumped: false }, sec(0.5));
    m.transition(sec(1.6), M.RUNNING);
    expect(m.backoff).toBe(1);
    m.transition(sec(2.7), M.RUNNING);
    expect(m.state).toBe(S.RUNNING);
    expect(m.backoff).toBe(0);
  });
});

describe('stop and kill', () => {
  it('test_kill_from_running: STOPPING, stopsignal to the pid, deadline stopwaitsecs later', () => {
    const { m, h } = running({ stopwaitsecs: 7 });
    expect(m.stop(sec(5))).toBeNull();
    expect(m.state).toBe(S.STOPPING);
    expect(h.kills).toEqual([{ pid: 42, signal: 15, toGroup: false }]);
    expect(m.deadline()).toBe(sec(12));
    expect(h.logs).toContainEqual({ level: 'debug', text: 'killing web (pid 42) with signal SIGTERM' });
  });

  it('test_kill_from_starting: STARTING → STOPPING', () => {
    const { m } = machine();
    m.transition(sec(0), M.RUNNING);
    m.stop(sec(0.5));
    expect(m.state).toBe(S.STOPPING);
  });

  it('test_transition_stops_unkillable: SIGKILL after stopwaitsecs, and again every stopwaitsecs', () => {
    const { m, h } = running({ stopwaitsecs: 3 });
    m.stop(sec(5));
    m.transition(sec(7.999), M.SHUTDOWN);
    expect(h.kills).toHaveLength(1);
    m.transition(sec(8), M.SHUTDOWN);
    expect(h.kills.at(-1)).toEqual({ pid: 42, signal: 9, toGroup: false });
    expect(h.texts('warn')).toContain("killing 'web' (42) with SIGKILL");
    m.transition(sec(11), M.SHUTDOWN);
    expect(h.kills.filter((k) => k.signal === 9)).toHaveLength(2);
    m.finish({ code: null, signal: 9, coreDumped: false }, sec(11.1));
    expect(h.texts('warn')).toContain('stopped: web (terminated by SIGKILL)');
  });

  it('test_stopasgroup / killasgroup: the group gets the signals, with "process group" in the debug line', () => {
    const { m, h } = running({ stopasgroup: true, killasgroup: true, stopsignal: 2, stopsignalName: 'INT' });
    m.stop(sec(5));
    m.transition(sec(15), M.SHUTDOWN);
    expect(h.kills).toEqual([
      { pid: 42, signal: 2, toGroup: true },
      { pid: 42, signal: 9, toGroup: true },
    ]);
    expect(h.logs).toContainEqual({ level: 'debug', text: 'killing web (pid 42) process group with signal SIGINT' });
  });

  it('test_kill_from_stopping_w_killasgroup: killasgroup alone affects only the SIGKILL', () => {
    const { m, h } = running({ killasgroup: true });
    m.stop(sec(5));
    m.transition(sec(15), M.SHUTDOWN);
    expect(h.kills.map((k) => k.toGroup)).toEqual([false, true]);
  });

  it('test_kill_from_running_error_ESRCH: ignored, stays STOPPING', () => {
    const { m, h } = running();
    h.nextKill = { ok: false, esrch: true };
    expect(m.stop(sec(5))).toBeNull();
    expect(m.state).toBe(S.STOPPING);
  });

  it('test_kill_from_running_error: CRIT and UNKNOWN', () => {
    const { m, h } = running();
    h.nextKill = { ok: false, esrch: false, error: 'EPERM' };
    const msg = m.stop(sec(5));
    expect(msg).toBe('unknown problem killing web (42):EPERM');
    expect(m.state).toBe(S.UNKNOWN);
    expect(m.killing).toBe(false);
    expect(h.texts('critical')).toEqual(['unknown problem killing web (42):EPERM']);
  });

  it('test_kill_nopid: message, no state change', () => {
    const { m } = machine();
    expect(m.kill(sec(0), 15)).toBe("attempted to kill web with sig SIGTERM but it wasn't running");
    expect(m.state).toBe(S.STOPPED);
  });

  it('signal(): pid only, no state change; errors → UNKNOWN', () => {
    const { m, h } = running({ stopasgroup: true, killasgroup: true });
    expect(m.signal(sec(5), 1)).toBeNull();
    expect(h.kills).toEqual([{ pid: 42, signal: 1, toGroup: false }]);
    expect(m.state).toBe(S.RUNNING);
    h.nextKill = { ok: false, esrch: false, error: 'boom' };
    m.signal(sec(6), 1);
    expect(m.state).toBe(S.UNKNOWN);
  });

  it('stopReport: waiting for <name> to stop at most every 2 s, only while STOPPING', () => {
    const { m, h } = running();
    m.stopReport(sec(5));
    expect(h.texts('info').filter((t) => t.startsWith('waiting'))).toEqual([]);
    m.stop(sec(5));
    m.stopReport(sec(5));
    m.stopReport(sec(6));
    m.stopReport(sec(7.5));
    expect(h.texts('info').filter((t) => t === 'waiting for web to stop')).toHaveLength(2);
  });

  it('giveUp: BACKOFF → FATAL without a log line (shutdown path)', () => {
    const { m, h } = machine();
    h.nextSpawn = { ok: false, message: 'x' };
    m.transition(sec(0), M.RUNNING);
    m.giveUp(sec(0.5));
    expect(m.state).toBe(S.FATAL);
    expect(h.texts().some((t) => t.startsWith('gave up'))).toBe(false);
  });
});

describe('restart pacing (tsinit: stands in for supervisord 1-s tick)', () => {
  it('startsecs=0 and an instant exit: restarts about once a second, never in a tight loop, never FATAL', () => {
    const { m, h } = machine({ startsecs: 0, autorestart: 'true' });
    m.transition(sec(0), M.RUNNING);
    m.finish({ code: 0, signal: null, coreDumped: false }, sec(0.01));
    m.transition(sec(0.01), M.RUNNING);
    expect(m.state).toBe(S.EXITED);
    expect(m.deadline()).toBe(sec(1));
    m.transition(sec(1), M.RUNNING);
    expect(m.state).toBe(S.STARTING);
    expect(h.spawns).toBe(2);
  });

  it('a program that ran longer than the pacing interval restarts immediately', () => {
    const { m } = running({ autorestart: 'true' });
    m.finish({ code: 0, signal: null, coreDumped: false }, sec(5));
    m.transition(sec(5), M.RUNNING);
    expect(m.state).toBe(S.STARTING);
  });
});
