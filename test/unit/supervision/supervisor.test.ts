// The orchestrator with a fake clock, fake OsEdge and fake outputs: start order, event-driven restarts and
// backoff timers, ordered shutdown, critical programs, reload, control operations.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/model.js';
import { ConfigError } from '../../../src/config/model.js';
import { SpawnFailure } from '../../../src/os/edge.js';
import { EventBus } from '../../../src/events/bus.js';
import type { EngineEvent } from '../../../src/events/types.js';
import { FakeClock } from '../../../src/supervision/clock.js';
import { ControlError } from '../../../src/supervision/control.js';
import type { CriticalExit } from '../../../src/supervision/critical.js';
import { ProcessState as S, SupervisorMood as M } from '../../../src/supervision/states.js';
import { Supervisor, type SupervisorOutcome } from '../../../src/supervision/supervisor.js';
import { FakeOs, FakeOutputs, RecordingLog, config, group, proc, programGroup } from './fakes.js';

function setup(cfg: Config, opts: { readConfig?: () => Config; prepareReload?: (next: Config) => void; onReload?: (c: Config) => void } = {}) {
  const clock = new FakeClock();
  const os = new FakeOs();
  const log = new RecordingLog();
  const outputs = new FakeOutputs();
  const bus = new EventBus((e) => {
    throw e;
  });
  const events: EngineEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const criticals: CriticalExit[] = [];
  const sup = new Supervisor({
    config: cfg,
    os,
    outputs,
    log,
    bus,
    clock,
    ownEnv: { PATH: '/bin' },
    pid: 1,
    ...(opts.readConfig ? { readConfig: opts.readConfig } : {}),
    ...(opts.prepareReload ? { prepareReload: opts.prepareReload } : {}),
    ...(opts.onReload ? { onReload: opts.onReload } : {}),
    onCritical: (c) => criticals.push(c),
  });
  let outcome: SupervisorOutcome | null = null;
  void sup.done.then((o) => {
    outcome = o;
  });
  const settle = async (): Promise<SupervisorOutcome | null> => {
    await Promise.resolve();
    await Promise.resolve();
    return outcome;
  };
  const state = (name: string, g = name): S => sup.process(g, name)!.state;
  /** Advance fake time in small steps, delivering signal deaths as they happen. */
  const run = (ms: number, step = 100): void => {
    for (let t = 0; t < ms; t += step) {
      os.flush();
      clock.advance(step);
      os.flush();
    }
  };
  return { clock, os, log, outputs, sup, events, criticals, settle, state, run };
}

const spawnOrder = (os: FakeOs): string[] => os.children.map((c) => c.spec.file);

describe('startup', () => {
  it('spawns autostart programs, groups by ascending priority, without waiting between priorities', () => {
    const cfg = config([
      programGroup(proc('p50', { priority: 50, command: '/bin/p50' })),
      programGroup(proc('p100', { priority: 100, command: '/bin/p100' })),
      programGroup(proc('off', { priority: 150, autostart: false, command: '/bin/off' })),
      group('g', [proc('x', { command: '/bin/x' }), proc('y', { command: '/bin/y' })], 200),
    ]);
    const t = setup(cfg);
    t.sup.start();
    expect(spawnOrder(t.os)).toEqual(['/bin/p50', '/bin/p100', '/bin/x', '/bin/y']);
    expect(t.state('off')).toBe(S.STOPPED);
    expect(t.events[0]).toEqual({ kind: 'group', action: 'added', group: 'p50' });
    expect(t.events.find((e) => e.kind === 'supervisor-state')).toEqual({ kind: 'supervisor-state', state: 'RUNNING' });
  });

  it('child environment has SUPERVISOR_* and the program environment', () => {
    const t = setup(config([programGroup(proc('web', { environment: { A: '1' } }))]));
    t.sup.start();
    expect(t.os.children[0]!.spec.env).toMatchObject({
      PATH: '/bin',
      SUPERVISOR_ENABLED: '1',
      SUPERVISOR_PROCESS_NAME: 'web',
      SUPERVISOR_GROUP_NAME: 'web',
      A: '1',
    });
  });

  it('RUNNING after startsecs through the deadline timer, no polling', () => {
    const t = setup(config([programGroup(proc('web', { startsecs: 2 }))]));
    t.sup.start();
    expect(t.clock.pending).toBe(1);
    t.clock.advance(2000);
    expect(t.state('web')).toBe(S.STARTING);
    t.clock.advance(1);
    expect(t.state('web')).toBe(S.RUNNING);
    expect(t.clock.pending).toBe(0);
  });
});

describe('restarts and backoff', () => {
  it('an unexpected exit from RUNNING restarts at once (event-driven)', () => {
    const t = setup(config([programGroup(proc('web'))]));
    t.sup.start();
    t.clock.advance(1001);
    t.os.live('/bin/web')!.exit(3);
    expect(t.state('web')).toBe(S.STARTING);
    expect(t.os.spawnsOf('/bin/web')).toHaveLength(2);
    expect(t.log.messages()).toContain('exited: web (exit status 3; not expected)');
  });

  it('4 spawns for startretries=3, spaced 1, 2, 3 s after each exit, then FATAL with the gave-up line', () => {
    const t = setup(config([programGroup(proc('fail', { startretries: 3 }))]));
    t.sup.start();
    const spawnTimes: number[] = [t.clock.now()];
    for (let i = 0; i < 4; i++) {
      t.os.live('/bin/fail')!.exit(1);
      if (i === 3) break;
      const before = t.os.children.length;
      while (t.os.children.length === before) t.clock.advance(t.clock.nextAt()! - t.clock.now());
      spawnTimes.push(t.clock.now());
    }
    expect(t.state('fail')).toBe(S.FATAL);
    expect(t.os.spawnsOf('/bin/fail')).toHaveLength(4);
    expect(spawnTimes.slice(1).map((s, i) => s - spawnTimes[i]!)).toEqual([1001, 2001, 3001]);
    expect(t.log.messages().filter((l) => l.startsWith('gave up'))).toEqual(['gave up: fail entered FATAL state, too many start retries too quickly']);
    expect(t.clock.pending).toBe(0);
  });

  it('spawn errors count as failed starts: notfound → FATAL after startretries+1 attempts', () => {
    const t = setup(config([programGroup(proc('nf', { command: 'nope', startretries: 2 }))]));
    t.os.missing.add('nope');
    t.sup.start();
    t.clock.runAll();
    expect(t.state('nf')).toBe(S.FATAL);
    expect(t.log.messages().filter((l) => l === "spawnerr: can't find command 'nope'")).toHaveLength(3);
    expect(t.sup.process('nf', 'nf')!.spawnerr).toBe("can't find command 'nope'");
  });

  it('a non-critical FATAL does not stop the supervisor', async () => {
    const t = setup(config([programGroup(proc('nf', { command: 'nope', startretries: 0 })), programGroup(proc('ok'))]));
    t.os.missing.add('nope');
    t.sup.start();
    t.clock.runAll();
    expect(t.state('nf')).toBe(S.FATAL);
    expect(t.sup.mood).toBe(M.RUNNING);
    expect(await t.settle()).toBeNull();
  });
});

describe('ordered shutdown', () => {
  it('stops one group at a time, descending priority, waiting for each; exits 0', async () => {
    const cfg = config([
      programGroup(proc('p50', { priority: 50, command: '/bin/p50' })),
      programGroup(proc('p100', { priority: 100, command: '/bin/p100' })),
      programGroup(proc('p300', { priority: 300, command: '/bin/p300', stopwaitsecs: 3 })),
    ]);
    const t = setup(cfg);
    t.os.ignoring.set('/bin/p300', new Set([15]));
    t.sup.start();
    t.clock.advance(1001);
    t.sup.onSignal(15);
    expect(t.log.messages()).toContain('received SIGTERM indicating exit request');
    expect(t.log.messages()).toContain('waiting for p50, p100, p300 to die');
    expect(t.os.kills.map((k) => k.pid)).toEqual([t.os.spawnsOf('/bin/p300')[0]!.pid]);
    t.run(2900);
    expect(t.os.kills).toHaveLength(1); // p100 untouched while p300 ignores TERM
    t.run(200);
    expect(t.log.messages()).toContain(`killing 'p300' (${t.os.spawnsOf('/bin/p300')[0]!.pid}) with SIGKILL`);
    t.run(300);
    const order = t.os.kills.map((k) => t.os.children.find((c) => c.pid === k.pid)!.spec.file + ':' + k.signal);
    expect(order).toEqual(['/bin/p300:15', '/bin/p300:9', '/bin/p100:15', '/bin/p50:15']);
    const out = await t.settle();
    expect(out).toEqual({ reason: 'shutdown', exitCode: 0, critical: null });
    expect(t.events.filter((e) => e.kind === 'supervisor-state').map((e) => (e as { state: string }).state)).toEqual(['RUNNING', 'STOPPING']);
  });

  it('ties in priority stop in reverse order of adding; processes in a group in reverse priority', () => {
    const cfg = config([
      programGroup(proc('a', { command: '/bin/a' })),
      programGroup(proc('b', { command: '/bin/b' })),
      group('g', [proc('x', { command: '/bin/x', priority: 1 }), proc('y', { command: '/bin/y', priority: 2 })], 999),
    ]);
    const t = setup(cfg);
    t.sup.start();
    t.clock.advance(1001);
    t.sup.shutdown('test');
    t.run(500);
    const order = t.os.kills.map((k) => t.os.children.find((c) => c.pid === k.pid)!.spec.file);
    expect(order).toEqual(['/bin/y', '/bin/x', '/bin/b', '/bin/a']);
  });

  it('BACKOFF processes become FATAL at shutdown; STARTING ones are stopped', async () => {
    const t = setup(config([programGroup(proc('bo', { command: '/bin/bo' })), programGroup(proc('st', { command: '/bin/st', startsecs: 10 }))]));
    t.sup.start();
    t.os.live('/bin/bo')!.exit(1);
    expect(t.state('bo')).toBe(S.BACKOFF);
    t.sup.onSignal(2);
    t.os.flush();
    expect(t.state('bo')).toBe(S.FATAL);
    expect(t.state('st')).toBe(S.STOPPED);
    expect((await t.settle())?.exitCode).toBe(0);
  });

  it('"waiting for ... to die" is repeated every 3 s while waiting', () => {
    const t = setup(config([programGroup(proc('stub', { stopwaitsecs: 10 }))]));
    t.os.ignoring.set('/bin/stub', new Set([15]));
    t.sup.start();
    t.sup.onSignal(15);
    t.run(7000);
    expect(t.log.messages().filter((l) => l === 'waiting for stub to die')).toHaveLength(3);
  });

  it('no restarts during shutdown; SIGHUP during shutdown is ignored with its line', async () => {
    const t = setup(config([programGroup(proc('a', { priority: 1, command: '/bin/a', autorestart: 'true' })), programGroup(proc('b', { priority: 2, command: '/bin/b', stopwaitsecs: 5 }))]));
    t.os.ignoring.set('/bin/b', new Set([15]));
    t.sup.start();
    t.clock.advance(1001);
    t.sup.onSignal(15);
    t.os.live('/bin/a')!.exit(0);
    expect(t.state('a')).toBe(S.EXITED);
    t.sup.onSignal(1);
    expect(t.log.messages()).toContain('ignored SIGHUP indicating restart request (shutdown in progress)');
    t.run(6000);
    expect(t.os.spawnsOf('/bin/a')).toHaveLength(1);
    expect((await t.settle())?.reason).toBe('shutdown');
  });
});

describe('critical programs', () => {
  const crit = (over: Parameters<typeof proc>[1]) =>
    config([programGroup(proc('main', { critical: true, priority: 10, command: '/bin/main', ...over })), programGroup(proc('side', { priority: 20, command: '/bin/side' }))]);

  it('exit with a non-zero code and autorestart=false: stops everything, exit status = that code', async () => {
    const t = setup(crit({ autorestart: 'false' }));
    t.sup.start();
    t.clock.advance(1001);
    t.os.live('/bin/main')!.exit(4);
    t.os.flush();
    const out = await t.settle();
    expect(out?.reason).toBe('critical');
    expect(out?.exitCode).toBe(4);
    expect(t.state('side')).toBe(S.STOPPED);
    expect(t.criticals[0]!.summary).toBe(
      'critical program main entered EXITED state (exit status 4; not expected; 1 start attempt); stopping all programs, exit status 4',
    );
    const lines = t.log.messages();
    expect(lines.indexOf('exited: main (exit status 4; not expected)')).toBeLessThan(lines.indexOf(t.criticals[0]!.summary));
  });

  it('killed by a signal → 128+N', async () => {
    const t = setup(crit({ autorestart: 'false' }));
    t.sup.start();
    t.clock.advance(1001);
    t.os.live('/bin/main')!.exit(null, 6);
    t.os.flush();
    expect((await t.settle())?.exitCode).toBe(134);
  });

  it('expected exit with autorestart=unexpected → exit 0', async () => {
    const t = setup(crit({ autorestart: 'unexpected' }));
    t.sup.start();
    t.clock.advance(1001);
    t.os.live('/bin/main')!.exit(0);
    t.os.flush();
    expect((await t.settle())?.exitCode).toBe(0);
    expect(t.criticals[0]!.state).toBe('EXITED');
  });

  it('never ran (spawn error until FATAL) → exit 1', async () => {
    const t = setup(crit({ command: 'missing', startretries: 1 }));
    t.os.missing.add('missing');
    t.sup.start();
    t.clock.runAll();
    t.os.flush();
    const out = await t.settle();
    expect(out?.exitCode).toBe(1);
    expect(t.criticals[0]!.summary).toContain("never ran: can't find command 'missing'");
    expect(t.criticals[0]!.attempts).toBe(2);
  });

  it('FATAL after quick exits → the last exit status', async () => {
    const t = setup(crit({ startretries: 0 }));
    t.sup.start();
    t.os.live('/bin/main')!.exit(9);
    t.os.flush();
    expect((await t.settle())?.exitCode).toBe(9);
  });

  it('a critical program that is restarted does not stop anything', async () => {
    const t = setup(crit({ autorestart: 'true' }));
    t.sup.start();
    t.clock.advance(1001);
    t.os.live('/bin/main')!.exit(4);
    expect(t.state('main')).toBe(S.STARTING);
    expect(t.sup.mood).toBe(M.RUNNING);
    expect(await t.settle()).toBeNull();
  });

  it('a critical program stopped during a normal shutdown does not change the exit status', async () => {
    const t = setup(crit({ autorestart: 'false' }));
    t.sup.start();
    t.clock.advance(1001);
    t.sup.onSignal(15);
    t.os.flush();
    expect(await t.settle()).toEqual({ reason: 'shutdown', exitCode: 0, critical: null });
  });
});

describe('reload', () => {
  it('SIGHUP stops everything, re-reads the config and starts again', async () => {
    const next = config([programGroup(proc('new', { command: '/bin/new' }))]);
    const t = setup(config([programGroup(proc('old', { command: '/bin/old' }))]), { readConfig: () => next });
    t.sup.start();
    t.sup.onSignal(1);
    t.os.flush();
    expect(t.log.messages()).toContain('received SIGHUP indicating restart request');
    expect(t.sup.mood).toBe(M.RUNNING);
    expect(t.sup.groups().map((g) => g.name)).toEqual(['new']);
    expect(t.os.live('/bin/new')).toBeDefined();
    expect(t.events.filter((e) => e.kind === 'group').map((e) => `${(e as { action: string }).action}:${(e as { group: string }).group}`)).toEqual([
      'added:old',
      'removed:old',
      'added:new',
    ]);
    expect(await t.settle()).toBeNull();
  });

  it('a broken config on reload is reported and the old one kept (deviation from supervisord exit 2)', () => {
    const t = setup(config([programGroup(proc('old', { command: '/bin/old' }))]), {
      readConfig: () => {
        throw new ConfigError('not a valid boolean value');
      },
    });
    t.sup.start();
    t.sup.onSignal(1);
    t.os.flush();
    expect(t.log.has('could not reload the configuration, keeping the running one: not a valid boolean value')).toBe(true);
    expect(t.os.spawnsOf('/bin/old')).toHaveLength(2);
    expect(t.state('old')).toBe(S.STARTING);
  });

  it('prepareReload can reject a new config: the running one is kept (e.g. a user it cannot switch to)', () => {
    const next = config([programGroup(proc('new', { command: '/bin/new' }))]);
    const adopted: string[][] = [];
    const t = setup(config([programGroup(proc('old', { command: '/bin/old' }))]), {
      readConfig: () => next,
      prepareReload: (c) => {
        if (c === next) throw new Error("Can't drop privilege as nonroot user");
      },
      onReload: (c) => adopted.push(c.groups.map((g) => g.name)),
    });
    t.sup.start();
    t.sup.onSignal(1);
    t.os.flush();
    expect(t.log.has("could not reload the configuration, keeping the running one: Can't drop privilege as nonroot user")).toBe(true);
    expect(adopted).toEqual([['old']]);
    expect(t.os.spawnsOf('/bin/old')).toHaveLength(2);
    expect(t.os.spawnsOf('/bin/new')).toHaveLength(0);
  });

  it('SIGUSR2 reopens the main log and every program log', () => {
    const t = setup(config([programGroup(proc('a'))]));
    t.sup.start();
    t.sup.onSignal(12);
    expect(t.log.messages()).toEqual(expect.arrayContaining(['received SIGUSR2 indicating log reopen request', 'supervisord logreopen']));
    expect(t.log.reopens).toBe(1);
    expect(t.outputs.reopened).toBe(1);
  });

  it('reread/addGroup/removeGroup follow diff_to_active', () => {
    const g1 = programGroup(proc('keep', { command: '/bin/keep' }));
    const g2 = programGroup(proc('gone', { command: '/bin/gone', autostart: false }));
    const next = config([g1, programGroup(proc('fresh', { command: '/bin/fresh' })), programGroup(proc('gone', { command: '/bin/gone2', autostart: false }))]);
    const t = setup(config([g1, g2]), { readConfig: () => next });
    t.sup.start();
    expect(t.sup.reread()).toEqual({ added: ['fresh'], changed: ['gone'], removed: [] });
    t.sup.addGroup('fresh');
    expect(t.os.live('/bin/fresh')).toBeDefined();
    expect(() => t.sup.addGroup('fresh')).toThrow(ControlError);
    expect(() => t.sup.removeGroup('keep')).toThrowError(expect.objectContaining({ code: 'STILL_RUNNING' }));
    t.sup.removeGroup('gone');
    expect(t.sup.group('gone')).toBeUndefined();
    expect(() => t.sup.removeGroup('nope')).toThrowError(expect.objectContaining({ code: 'BAD_NAME' }));
  });
});

describe('control operations', () => {
  it('startProcess checks in supervisord order', () => {
    const t = setup(config([programGroup(proc('a', { autostart: false, command: '/bin/a' })), programGroup(proc('nf', { autostart: false, command: 'nope' }))]));
    t.os.missing.add('nope');
    t.sup.start();
    expect(() => t.sup.startProcess('nf', 'nf')).toThrowError(expect.objectContaining({ code: 'NO_FILE', message: "can't find command 'nope'" }));
    expect(() => t.sup.startProcess('x', 'x')).toThrowError(expect.objectContaining({ code: 'BAD_NAME' }));
    t.sup.startProcess('a', 'a');
    expect(t.state('a')).toBe(S.STARTING);
    expect(() => t.sup.startProcess('a', 'a')).toThrowError(expect.objectContaining({ code: 'ALREADY_STARTED' }));
    t.os.spawnError = null;
  });

  it('startProcess reports SPAWN_ERROR when the spawn itself fails', async () => {
    const { SpawnFailure } = await import('../../../src/os/edge.js');
    const t = setup(config([programGroup(proc('a', { autostart: false, command: '/bin/a' }))]));
    t.sup.start();
    t.os.spawnError = new SpawnFailure("Too many processes in process table to spawn 'a'", 'resources');
    expect(() => t.sup.startProcess('a', 'a')).toThrowError(expect.objectContaining({ code: 'SPAWN_ERROR' }));
    expect(t.state('a')).toBe(S.BACKOFF);
  });

  it('stopProcess: NOT_RUNNING unless running; a manually stopped process stays stopped', () => {
    const t = setup(config([programGroup(proc('a', { command: '/bin/a', autorestart: 'true' }))]));
    t.sup.start();
    t.clock.advance(1001);
    t.sup.stopProcess('a', 'a');
    t.os.flush();
    expect(t.state('a')).toBe(S.STOPPED);
    t.run(5000);
    expect(t.os.spawnsOf('/bin/a')).toHaveLength(1);
    expect(() => t.sup.stopProcess('a', 'a')).toThrowError(expect.objectContaining({ code: 'NOT_RUNNING' }));
  });

  it('signalProcess sends to the pid only; NOT_RUNNING when stopped', () => {
    const t = setup(config([programGroup(proc('a', { command: '/bin/a', stopasgroup: true, killasgroup: true }))]));
    t.sup.start();
    t.sup.signalProcess('a', 'a', 1);
    expect(t.os.kills.at(-1)).toMatchObject({ signal: 1, toGroup: false });
    t.sup.stopProcess('a', 'a');
    t.os.flush();
    expect(() => t.sup.signalProcess('a', 'a', 1)).toThrowError(expect.objectContaining({ code: 'NOT_RUNNING' }));
  });

  it('mutating operations throw SHUTDOWN_STATE while shutting down', () => {
    const t = setup(config([programGroup(proc('a', { command: '/bin/a', stopwaitsecs: 5 }))]));
    t.os.ignoring.set('/bin/a', new Set([15]));
    t.sup.start();
    t.sup.onSignal(15);
    expect(() => t.sup.startProcess('a', 'a')).toThrowError(expect.objectContaining({ code: 'SHUTDOWN_STATE' }));
    expect(() => t.sup.reread()).toThrowError(expect.objectContaining({ code: 'SHUTDOWN_STATE' }));
  });

  it('process-state events carry from/to/tries/expected/pid', () => {
    const t = setup(config([programGroup(proc('a', { command: '/bin/a' }))]));
    t.sup.start();
    t.clock.advance(1001);
    const pid = t.sup.process('a', 'a')!.pid;
    t.os.live('/bin/a')!.exit(0);
    const states = t.events.filter((e) => e.kind === 'process-state');
    expect(states.slice(0, 3)).toEqual([
      { kind: 'process-state', process: { name: 'a', group: 'a' }, from: S.STOPPED, to: S.STARTING, tries: 0, expected: true, pid: 0 },
      { kind: 'process-state', process: { name: 'a', group: 'a' }, from: S.STARTING, to: S.RUNNING, tries: 0, expected: true, pid },
      { kind: 'process-state', process: { name: 'a', group: 'a' }, from: S.RUNNING, to: S.EXITED, tries: 0, expected: true, pid },
    ]);
  });

  it('a throwing event subscriber never breaks supervision', () => {
    const clock = new FakeClock();
    const os = new FakeOs();
    const log = new RecordingLog();
    const errors: unknown[] = [];
    const bus = new EventBus((e) => errors.push(e));
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    const sup = new Supervisor({ config: config([programGroup(proc('a'))]), os, outputs: new FakeOutputs(), log, bus, clock, ownEnv: {} });
    sup.start();
    clock.advance(1001);
    expect(sup.process('a', 'a')!.state).toBe(S.RUNNING);
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('timers', () => {
  it('a due deadline blocked by the mood (BACKOFF while another group stops) does not spin', async () => {
    const t = setup(config([programGroup(proc('bo', { priority: 1, command: '/bin/bo' })), programGroup(proc('slow', { priority: 2, command: '/bin/slow', stopwaitsecs: 5 }))]));
    t.os.ignoring.set('/bin/slow', new Set([15]));
    t.sup.start();
    t.os.live('/bin/bo')!.exit(1);
    t.sup.onSignal(15);
    t.run(3000); // would throw "busy loop" if the BACKOFF deadline kept re-arming
    expect(t.state('bo')).toBe(S.BACKOFF);
    t.run(3000);
    expect(t.state('bo')).toBe(S.FATAL);
    expect((await t.settle())?.exitCode).toBe(0);
  });

  it('EXITED with a pending paced restart is not restarted during shutdown and does not spin', () => {
    const t = setup(config([programGroup(proc('q', { priority: 1, command: '/bin/q', startsecs: 0, autorestart: 'true' })), programGroup(proc('slow', { priority: 2, command: '/bin/slow', stopwaitsecs: 5 }))]));
    t.os.ignoring.set('/bin/slow', new Set([15]));
    t.sup.start();
    t.clock.advance(1);
    t.os.live('/bin/q')!.exit(0);
    t.sup.onSignal(15);
    t.run(4000);
    expect(t.os.spawnsOf('/bin/q')).toHaveLength(1);
  });
});

describe('signals and internal errors', () => {
  it('other signals are logged and ignored; SIGCHLD is debug only', () => {
    const t = setup(config([programGroup(proc('a'))]));
    t.sup.start();
    t.sup.onSignal(10);
    t.sup.onSignal(17);
    t.sup.onSignal(18);
    expect(t.log.records).toContainEqual({ level: 'info', msg: 'received SIGUSR1 indicating nothing' });
    expect(t.log.records).toContainEqual({ level: 'debug', msg: 'received SIGCONT indicating nothing' });
    expect(t.log.records).toContainEqual({ level: 'debug', msg: 'received SIGCHLD indicating a child quit' });
    expect(t.sup.mood).toBe(M.RUNNING);
  });

  it('shutdown with an exit status (uncaught error path) stops everything and reports that status', async () => {
    const t = setup(config([programGroup(proc('a', { command: '/bin/a' }))]));
    t.sup.start();
    t.sup.shutdown('uncaughtException', 70);
    t.os.flush();
    expect(await t.settle()).toEqual({ reason: 'shutdown', exitCode: 70, critical: null });
    expect(t.log.messages()).toContain('shutting down: uncaughtException');
  });

  it('shutdown before start() finishes at once', async () => {
    const t = setup(config([programGroup(proc('a'))]));
    t.sup.shutdown('early', 70);
    expect((await t.settle())?.exitCode).toBe(70);
    expect(t.os.children).toHaveLength(0);
  });
});

describe('availableGroups', () => {
  it('lists the re-read config once reread() ran, the active one before', () => {
    const next = config([programGroup(proc('fresh'))]);
    const t = setup(config([programGroup(proc('a'))]), { readConfig: () => next });
    t.sup.start();
    expect(t.sup.availableGroups().map((g) => g.name)).toEqual(['a']);
    t.sup.reread();
    expect(t.sup.availableGroups().map((g) => g.name)).toEqual(['fresh']);
  });
});

describe('exit after the output drained', () => {
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it('an exit is handled only once the piped output reached EOF, with the real time of death', async () => {
    const t = setup(config([programGroup(proc('web', { startsecs: 1 }))]));
    t.os.piped = true;
    t.outputs.holdDrain = true;
    t.sup.start();
    t.clock.advance(2000); // RUNNING
    const child = t.os.live('/bin/web')!;
    const diedAt = t.clock.now();
    child.exit(3);
    expect(t.state('web')).toBe(S.RUNNING);
    expect(t.log.messages().some((l) => l.startsWith('exited: web'))).toBe(false);
    t.clock.advance(300);
    t.outputs.eof(child.pid);
    await flush();
    expect(t.log.messages()).toContain('exited: web (exit status 3; not expected)');
    expect(t.sup.process('web', 'web')!.laststop).toBe(Math.floor(diedAt));
    expect(t.os.spawnsOf('/bin/web')).toHaveLength(2);
    expect(t.clock.pending).toBe(1); // only the new process's startsecs timer: the drain cap is gone
  });

  it('the wait is capped: output that never ends does not hold the exit; no startsecs success in between', async () => {
    const t = setup(config([programGroup(proc('web', { startsecs: 1, startretries: 0 }))]));
    t.os.piped = true;
    t.outputs.holdDrain = true;
    t.sup.start();
    t.clock.advance(500);
    t.os.live('/bin/web')!.exit(1); // before startsecs
    t.clock.advance(999);
    expect(t.state('web')).toBe(S.STARTING); // startsecs passed meanwhile, but the process is dead
    t.clock.advance(1);
    expect(t.log.messages()).toContain('exited: web (exit status 1; not expected)');
    expect(t.log.messages().some((l) => l.startsWith('success: web'))).toBe(false);
    expect(t.state('web')).toBe(S.FATAL); // BACKOFF (too quickly, by the real exit time), then gave up
    await flush();
  });

  it('without piped output the exit is handled at once', () => {
    const t = setup(config([programGroup(proc('web'))]));
    t.outputs.holdDrain = true;
    t.sup.start();
    t.clock.advance(2000);
    t.os.live('/bin/web')!.exit(3);
    expect(t.log.messages()).toContain('exited: web (exit status 3; not expected)');
  });
});

describe('fcgi-program sockets', () => {
  const fcgiGroup = (n: number) => {
    const g = group('fc', Array.from({ length: n }, (_, i) => proc(`fc_${i}`, { kind: 'fcgi-program', command: '/bin/fc', programName: 'fc' })));
    return { ...g, kind: 'fcgi-program' as const, fcgiSocket: { url: 'unix:///run/fc.sock', backlog: 0, owner: null, mode: 0o700 } };
  };

  it('created (and closed) with the group, held by each process from spawn to exit, closed with the last one', () => {
    const t = setup(config([fcgiGroup(2)]));
    t.sup.start();
    const sock = t.os.sockets[0]!;
    expect(t.os.sockets).toHaveLength(1);
    expect(t.log.messages().slice(0, 3)).toEqual(['Creating socket unix:///run/fc.sock', 'Closing socket unix:///run/fc.sock', 'Creating socket unix:///run/fc.sock']);
    const [a, b] = t.os.spawnsOf('/bin/fc');
    expect(a!.spec).toMatchObject({ stdinFd: 42, stdinPipe: false });
    expect(b!.spec).toMatchObject({ stdinFd: 42, stdinPipe: false });
    expect(sock.refs).toBe(2);
    t.sup.shutdown('test');
    t.os.flush();
    expect(sock.refs).toBe(0);
    const lines = t.log.messages();
    // closed after the last exit was handled
    expect(lines.indexOf('Closing socket unix:///run/fc.sock', 2)).toBeGreaterThan(lines.findIndex((l) => l.startsWith('stopped: fc_1')));
    expect(sock.opened).toBe(2);
    expect(sock.closed).toBe(2);
  });

  it('a socket that cannot be created: logged, every spawn fails with the text, the supervisor keeps running', async () => {
    const t = setup(config([fcgiGroup(1), programGroup(proc('ok'))]));
    t.os.socketError = '[Errno 2] No such file or directory';
    t.sup.start();
    t.clock.runAll();
    const text = 'Could not create FastCGI socket unix:///run/fc.sock: [Errno 2] No such file or directory';
    expect(t.log.records).toContainEqual({ level: 'error', msg: text });
    expect(t.sup.process('fc', 'fc_0')!.state).toBe(S.FATAL);
    expect(t.sup.process('fc', 'fc_0')!.spawnerr).toBe(text);
    expect(t.os.spawnsOf('/bin/fc')).toHaveLength(0);
    expect(t.state('ok')).toBe(S.RUNNING);
    expect(await t.settle()).toBeNull();
  });

  it('a failed spawn gives its reference back', () => {
    const t = setup(config([fcgiGroup(1)]));
    t.os.spawnError = new SpawnFailure("can't find command '/bin/fc'", 'not-found');
    t.sup.start();
    expect(t.os.sockets[0]!.refs).toBe(0);
    expect(t.os.sockets[0]!.opened).toBe(t.os.sockets[0]!.closed);
  });
});
