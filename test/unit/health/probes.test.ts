import { describe, expect, it } from 'vitest';
import { liveness, processReady, readiness } from '../../../src/health/probes.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { FakeControl, proc, SECRET_CMD, SECRET_ENV } from './fake-control.js';

describe('liveness', () => {
  it('is ok while running, even with a non-critical program FATAL', () => {
    const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.RUNNING)]).add('w', [proc('w', 'w', ProcessState.FATAL)]);
    expect(liveness(c)).toEqual({ ok: true, body: 'ok\n' });
  });

  it('fails when a critical program is FATAL and names it', () => {
    const c = new FakeControl()
      .add('web', [proc('web', 'web', ProcessState.FATAL, { cfg: { critical: true } })])
      .add('w', [proc('w', 'w', ProcessState.RUNNING)]);
    expect(liveness(c)).toEqual({ ok: false, body: 'critical web:web FATAL\n' });
  });

  it('stays ok for a critical program that is only in BACKOFF', () => {
    const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.BACKOFF, { cfg: { critical: true } })]);
    expect(liveness(c).ok).toBe(true);
  });

  it('fails while shutting down and when the supervisor is FATAL, but not while reloading', () => {
    const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.RUNNING)]);
    c.mood = SupervisorMood.SHUTDOWN;
    expect(liveness(c)).toEqual({ ok: false, body: 'shutting down\n' });
    c.mood = SupervisorMood.FATAL;
    expect(liveness(c)).toEqual({ ok: false, body: 'supervisor FATAL\n' });
    c.mood = SupervisorMood.RESTARTING;
    expect(liveness(c).ok).toBe(true);
  });
});

describe('readiness', () => {
  it('is ready when every autostart process is RUNNING and lists every state in order', () => {
    const c = new FakeControl()
      .add('web', [proc('web', 'web', ProcessState.RUNNING)])
      .add('workers', [proc('workers', 'worker_00', ProcessState.RUNNING), proc('workers', 'worker_01', ProcessState.RUNNING)])
      .add('manual', [proc('manual', 'manual', ProcessState.STOPPED, { cfg: { autostart: false } })]);
    expect(readiness(c)).toEqual({
      ok: true,
      body: 'web:web RUNNING\nworkers:worker_00 RUNNING\nworkers:worker_01 RUNNING\nmanual:manual STOPPED\n',
    });
  });

  it('is not ready while an autostart process is STARTING, BACKOFF, FATAL or STOPPED', () => {
    for (const st of [ProcessState.STARTING, ProcessState.BACKOFF, ProcessState.FATAL, ProcessState.STOPPED, ProcessState.STOPPING]) {
      const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.RUNNING)]).add('w', [proc('w', 'w', st)]);
      const r = readiness(c);
      expect(r.ok).toBe(false);
      expect(r.body).toContain(`w:w ${ProcessState[st]} (not ready)\n`);
    }
  });

  it('counts a finished one-shot (EXITED, expected code, autorestart != true) as ready', () => {
    const done = proc('init', 'init', ProcessState.EXITED, { lastExit: { code: 0, signal: null }, cfg: { autorestart: 'false' } });
    expect(processReady(done)).toBe(true);
    const unexpectedMode = proc('init', 'init', ProcessState.EXITED, { lastExit: { code: 3, signal: null }, cfg: { autorestart: 'unexpected', exitcodes: [0, 3] } });
    expect(processReady(unexpectedMode)).toBe(true);
    const badCode = proc('init', 'init', ProcessState.EXITED, { exitstatus: 2, lastExit: { code: 2, signal: null }, cfg: { autorestart: 'false' } });
    expect(processReady(badCode)).toBe(false);
    const signalled = proc('init', 'init', ProcessState.EXITED, { exitstatus: -1, lastExit: { code: null, signal: 9 }, cfg: { autorestart: 'false' } });
    expect(processReady(signalled)).toBe(false);
    const willRestart = proc('init', 'init', ProcessState.EXITED, { lastExit: { code: 0, signal: null }, cfg: { autorestart: 'true' } });
    expect(processReady(willRestart)).toBe(false);
  });

  it('is not ready while tsinit is starting up, reloading or shutting down', () => {
    const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.RUNNING)]);
    c.mood = SupervisorMood.RESTARTING;
    expect(readiness(c)).toEqual({ ok: false, body: 'supervisor RESTARTING\nweb:web RUNNING\n' });
    c.mood = SupervisorMood.SHUTDOWN;
    expect(readiness(c)).toEqual({ ok: false, body: 'supervisor SHUTDOWN\nweb:web RUNNING\n' });
  });

  it('is ready with no programs at all', () => {
    expect(readiness(new FakeControl())).toEqual({ ok: true, body: '' });
  });

  it('never reveals commands, environments, paths or spawn errors', () => {
    const c = new FakeControl().add('web', [proc('web', 'web', ProcessState.FATAL, { cfg: { critical: true } })]);
    for (const body of [liveness(c).body, readiness(c).body]) {
      expect(body).not.toContain(SECRET_ENV);
      expect(body).not.toContain('secret');
      expect(body).not.toContain(SECRET_CMD);
    }
  });
});
