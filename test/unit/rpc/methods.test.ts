// Ported from supervisord's tests/test_rpcinterfaces.py and test_xmlrpc.py (the cases that apply).
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../src/rpc/methods/index.js';
import type { Dispatcher } from '../../../src/rpc/methods/registry.js';
import { RpcFault } from '../../../src/rpc/faults.js';
import { describe as describeInfo, formatStopTime, formatUptime } from '../../../src/rpc/methods/process-info.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { FakeControl, MemoryLog, makeConfig, makeGroup, makeProcessConfig } from './fake-control.js';

const NOW = Date.UTC(2026, 10, 24, 9, 13, 34);

interface Setup {
  control: FakeControl;
  log: MemoryLog;
  d: Dispatcher;
  after: (() => void)[];
  dir: string;
}

let current: Setup | null = null;
afterEach(() => {
  current?.control.dispose();
  current = null;
});

function setup(extra: { mode?: 'manual' | 'timed' } = {}): Setup {
  const dir = mkdtempSync(path.join(tmpdir(), 'rpc-m-'));
  const config = makeConfig([
    makeGroup('foo', [makeProcessConfig('foo', 'foo', { stdoutPath: path.join(dir, 'foo.out'), stderrPath: path.join(dir, 'foo.err') })]),
    makeGroup('grp', [
      makeProcessConfig('m2', 'grp', { priority: 2 }),
      makeProcessConfig('m1', 'grp', { priority: 1 }),
    ]),
    makeGroup('zero', [makeProcessConfig('zero', 'zero', { startsecs: 0 })], 10),
  ]);
  const control = new FakeControl(config, { mode: extra.mode ?? 'manual', now: () => NOW });
  const log = new MemoryLog();
  const after: (() => void)[] = [];
  const d = createDispatcher({ control, mainLog: log, now: () => NOW, afterResponse: (fn) => after.push(fn) });
  current = { control, log, d, after, dir };
  return current;
}

async function fault(p: Promise<unknown>): Promise<RpcFault> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcFault) return err;
    throw err;
  }
  throw new Error('expected a fault');
}

describe('dispatch rules (traverse)', () => {
  it('UNKNOWN_METHOD for bad names, dotted traversal and private names', async () => {
    const { d } = setup();
    for (const m of ['nope', 'supervisor.nope', 'supervisor.getPID.x', 'supervisor._update', 'nosuch.getPID', '']) {
      expect((await fault(d.call(m, []))).code, m).toBe(1);
    }
  });

  it('INCORRECT_PARAMETERS for wrong arity and types', async () => {
    const { d } = setup();
    expect((await fault(d.call('supervisor.getPID', [1]))).text).toBe('INCORRECT_PARAMETERS');
    expect((await fault(d.call('supervisor.getProcessInfo', []))).code).toBe(2);
    expect((await fault(d.call('supervisor.getProcessInfo', [1]))).code).toBe(2);
    expect((await fault(d.call('supervisor.readLog', ['x', 0]))).code).toBe(2);
    expect((await fault(d.call('supervisor.startProcess', ['foo', 'yes']))).code).toBe(2);
  });

  it('SHUTDOWN_STATE on every supervisor.* method except sendRemoteCommEvent while shutting down', async () => {
    const { d, control } = setup();
    control.mood = SupervisorMood.SHUTDOWN;
    for (const m of ['supervisor.getPID', 'supervisor.getState', 'supervisor.getAllProcessInfo', 'supervisor.getVersion']) {
      expect((await fault(d.call(m, []))).text).toBe('SHUTDOWN_STATE');
    }
    expect((await fault(d.call('supervisor.startProcess', ['foo']))).code).toBe(6);
    await expect(d.call('supervisor.sendRemoteCommEvent', ['t', 'd'])).resolves.toBe(true);
    await expect(d.call('system.listMethods', [])).resolves.toContain('supervisor.getPID');
    control.mood = SupervisorMood.RESTARTING;
    expect((await fault(d.call('supervisor.getPID', []))).code).toBe(6);
  });
});

describe('identity and state', () => {
  it('versions, identification, pid, state', async () => {
    const { d } = setup();
    await expect(d.call('supervisor.getAPIVersion', [])).resolves.toBe('3.0');
    await expect(d.call('supervisor.getVersion', [])).resolves.toBe('3.0');
    await expect(d.call('supervisor.getSupervisorVersion', [])).resolves.toBe('4.2.5');
    await expect(d.call('supervisor.getIdentification', [])).resolves.toBe('supervisor');
    await expect(d.call('supervisor.getPID', [])).resolves.toBe(4242);
    await expect(d.call('supervisor.getState', [])).resolves.toEqual({ statecode: 1, statename: 'RUNNING' });
  });

  it('shutdown and restart act after the response', async () => {
    const { d, control, after, log } = setup();
    await expect(d.call('supervisor.shutdown', [])).resolves.toBe(true);
    expect(control.shutdownCalls).toEqual([]);
    after.splice(0).forEach((f) => f());
    // no INFO line of its own (supervisord logs none for an RPC shutdown), a DEBUG one
    expect(control.shutdownCalls).toEqual(['']);
    expect(log.lines).toEqual(['DEBG shutdown requested over XML-RPC']);
    expect(control.mood).toBe(SupervisorMood.SHUTDOWN);
    control.mood = SupervisorMood.RUNNING;
    await expect(d.call('supervisor.restart', [])).resolves.toBe(true);
    after.splice(0).forEach((f) => f());
    expect(control.restartCalls).toBe(1);
  });
});

describe('process info', () => {
  it('description formats', () => {
    expect(formatUptime(5)).toBe('0:00:05');
    expect(formatUptime(86399)).toBe('23:59:59');
    expect(formatUptime(86405)).toBe('1 day, 0:00:05');
    expect(formatUptime(2 * 86400 + 3 * 3600 + 4 * 60 + 5)).toBe('2 days, 3:04:05');
    expect(formatUptime(-10)).toBe('0:00:00');
    const base = { name: 'foo', start: 100, stop: 200, now: 150, pid: 11, spawnerr: '' };
    expect(describeInfo({ ...base, state: ProcessState.RUNNING })).toBe('pid 11, uptime 0:00:50');
    expect(describeInfo({ ...base, state: ProcessState.RUNNING, now: 50 })).toBe('pid 11, uptime 0:00:00');
    expect(describeInfo({ ...base, state: ProcessState.FATAL })).toBe('unknown error (try "tail foo")');
    expect(describeInfo({ ...base, state: ProcessState.BACKOFF, spawnerr: 'Exited too quickly (process log may have details)' })).toBe(
      'Exited too quickly (process log may have details)',
    );
    expect(describeInfo({ ...base, state: ProcessState.STOPPED, start: 0 })).toBe('Not started');
    expect(describeInfo({ ...base, state: ProcessState.EXITED })).toBe(formatStopTime(200));
    expect(describeInfo({ ...base, state: ProcessState.STARTING })).toBe('');
    expect(describeInfo({ ...base, state: ProcessState.STOPPING })).toBe('');
    expect(formatStopTime(new Date(2026, 10, 24, 9, 14).getTime() / 1000)).toBe('Nov 24 09:14 AM');
    expect(formatStopTime(new Date(2026, 0, 2, 0, 5).getTime() / 1000)).toBe('Jan 02 12:05 AM');
    expect(formatStopTime(new Date(2026, 0, 2, 13, 5).getTime() / 1000)).toBe('Jan 02 01:05 PM');
  });

  it('getProcessInfo: member order and values', async () => {
    const { d, control, dir } = setup();
    control.setState('foo', 'foo', ProcessState.RUNNING, { pid: 10, laststart: NOW - 5000, spawnerr: null });
    const info = (await d.call('supervisor.getProcessInfo', ['foo'])) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([
      'name', 'group', 'start', 'stop', 'now', 'state', 'statename', 'spawnerr', 'exitstatus', 'logfile',
      'stdout_logfile', 'stderr_logfile', 'pid', 'description',
    ]);
    expect(info).toEqual({
      name: 'foo', group: 'foo', start: NOW / 1000 - 5, stop: 0, now: NOW / 1000, state: 20, statename: 'RUNNING',
      spawnerr: '', exitstatus: 0, logfile: path.join(dir, 'foo.out'), stdout_logfile: path.join(dir, 'foo.out'),
      stderr_logfile: path.join(dir, 'foo.err'), pid: 10, description: 'pid 10, uptime 0:00:05',
    });
  });

  it('getProcessInfo: BAD_NAME for unknown names and group specs; NONE logfiles are empty', async () => {
    const { d } = setup();
    expect((await fault(d.call('supervisor.getProcessInfo', ['nosuch']))).text).toBe('BAD_NAME: nosuch');
    expect((await fault(d.call('supervisor.getProcessInfo', ['grp:*']))).text).toBe('BAD_NAME: grp:*');
    expect((await fault(d.call('supervisor.getProcessInfo', ['m1']))).text).toBe('BAD_NAME: m1');
    const info = (await d.call('supervisor.getProcessInfo', ['grp:m1'])) as Record<string, unknown>;
    expect([info['logfile'], info['stderr_logfile'], info['description']]).toEqual(['', '', 'Not started']);
  });

  it('getProcessInfo caps timestamps beyond the int32 range', async () => {
    const { d, control } = setup();
    control.proc('foo').laststart = 2 ** 32 * 1000;
    const info = (await d.call('supervisor.getProcessInfo', ['foo'])) as Record<string, unknown>;
    expect(info['start']).toBe(2147483647);
  });

  it('getAllProcessInfo is sorted by group then process name', async () => {
    const { d } = setup();
    const all = (await d.call('supervisor.getAllProcessInfo', [])) as Record<string, unknown>[];
    expect(all.map((i) => `${i['group']}:${i['name']}`)).toEqual(['foo:foo', 'grp:m1', 'grp:m2', 'zero:zero']);
  });

  it('getAllConfigInfo flattens groups, sorted by name', async () => {
    const { d, control } = setup();
    control.available.push(makeGroup('later', [makeProcessConfig('later', 'later')]));
    control.config = { ...control.config, groups: [...control.config.groups, control.available.at(-1)!] };
    const all = (await d.call('supervisor.getAllConfigInfo', [])) as Record<string, unknown>[];
    expect(all.map((i) => i['name'])).toEqual(['foo', 'later', 'm1', 'm2', 'zero']);
    const later = all[1]!;
    expect(later['inuse']).toBe(false);
    const foo = all[0]!;
    expect(foo).toMatchObject({ inuse: true, autostart: true, group: 'foo', group_prio: 999, process_prio: 999, stopsignal: 15,
      uid: 'none', directory: 'none', serverurl: 'auto', exitcodes: [0] });
    expect(all[2]!['stdout_logfile']).toBe('none');
  });
});

describe('start', () => {
  it('faults in supervisord order: BAD_NAME, NO_FILE, NOT_EXECUTABLE, ALREADY_STARTED', async () => {
    const { d, control } = setup();
    expect((await fault(d.call('supervisor.startProcess', ['nosuch']))).text).toBe('BAD_NAME: nosuch');
    expect((await fault(d.call('supervisor.startProcess', ['grp']))).text).toBe('BAD_NAME: grp');
    const nofile = makeConfig([makeGroup('x', [makeProcessConfig('x', 'x', { command: '/nonexistent/prog' })])]);
    const c2 = new FakeControl(nofile);
    const d2 = createDispatcher({ control: c2, mainLog: new MemoryLog(), now: () => NOW, afterResponse: () => {} });
    const f = await fault(d2.call('supervisor.startProcess', ['x']));
    expect(f.code).toBe(20);
    expect(f.text).toBe("NO_FILE: can't find command '/nonexistent/prog'");
    control.setState('foo', 'foo', ProcessState.RUNNING);
    expect((await fault(d.call('supervisor.startProcess', ['foo']))).text).toBe('ALREADY_STARTED: foo');
  });

  it('wait=false returns at once; wait=true resolves on the RUNNING event', async () => {
    const { d, control } = setup();
    await expect(d.call('supervisor.startProcess', ['foo', false])).resolves.toBe(true);
    expect(control.proc('foo').state).toBe(ProcessState.STARTING);
    control.setState('foo', 'foo', ProcessState.STOPPED);
    let settled = false;
    const p = d.call('supervisor.startProcess', ['foo']).then((v) => {
      settled = true;
      return v;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    control.setState('foo', 'foo', ProcessState.RUNNING);
    await expect(p).resolves.toBe(true);
  });

  it('wait=true: SPAWN_ERROR when it fails to start, ABNORMAL_TERMINATION when it leaves STARTING otherwise', async () => {
    const { d, control } = setup();
    const p = d.call('supervisor.startProcess', ['foo']);
    control.setState('foo', 'foo', ProcessState.BACKOFF, { spawnerr: 'Exited too quickly (process log may have details)' });
    expect((await fault(p)).text).toBe('SPAWN_ERROR: foo');
    control.setState('foo', 'foo', ProcessState.STOPPED, { spawnerr: null });
    const q = d.call('supervisor.startProcess', ['foo']);
    control.setState('foo', 'foo', ProcessState.STOPPED);
    expect((await fault(q)).text).toBe('ABNORMAL_TERMINATION: foo');
  });

  it('startsecs=0 is RUNNING at once', async () => {
    const { d } = setup();
    await expect(d.call('supervisor.startProcess', ['zero'])).resolves.toBe(true);
  });

  it('group and all: result structs, already running processes skipped', async () => {
    const { d, control } = setup({ mode: 'timed' });
    control.setState('grp', 'm2', ProcessState.RUNNING);
    const r = await d.call('supervisor.startProcessGroup', ['grp', false]);
    expect(r).toEqual([{ name: 'm1', group: 'grp', status: 80, description: 'OK' }]);
    expect((await fault(d.call('supervisor.startProcessGroup', ['nosuch']))).text).toBe('BAD_NAME: nosuch');
    // g:* through startProcess
    control.setState('grp', 'm1', ProcessState.STOPPED);
    const r2 = (await d.call('supervisor.startProcess', ['grp:*', false])) as unknown[];
    expect(r2).toHaveLength(1);
    const all = (await d.call('supervisor.startAllProcesses', [false])) as Record<string, unknown>[];
    // zero (priority 10) first, then foo; grp already running
    expect(all.map((x) => x['name'])).toEqual(['zero', 'foo']);
    expect(await d.call('supervisor.startAllProcesses', [false])).toEqual([]);
  });

  it('group start with wait collects deferred results as processes reach RUNNING', async () => {
    const { d, control } = setup();
    const p = d.call('supervisor.startProcessGroup', ['grp']);
    await new Promise((r) => setImmediate(r));
    control.setState('grp', 'm2', ProcessState.RUNNING);
    control.setState('grp', 'm1', ProcessState.BACKOFF, { spawnerr: 'boom' });
    expect(await p).toEqual([
      { name: 'm2', group: 'grp', status: 80, description: 'OK' },
      { name: 'm1', group: 'grp', status: 50, description: 'SPAWN_ERROR: grp:m1' },
    ]);
  });
});

describe('stop and signal', () => {
  it('stopProcess: NOT_RUNNING when stopped, waits for a stopped state', async () => {
    const { d, control } = setup();
    expect((await fault(d.call('supervisor.stopProcess', ['foo']))).text).toBe('NOT_RUNNING: foo');
    control.setState('foo', 'foo', ProcessState.RUNNING);
    const p = d.call('supervisor.stopProcess', ['foo']);
    await new Promise((r) => setImmediate(r));
    expect(control.proc('foo').state).toBe(ProcessState.STOPPING);
    control.setState('foo', 'foo', ProcessState.STOPPED);
    await expect(p).resolves.toBe(true);
    control.setState('foo', 'foo', ProcessState.RUNNING);
    await expect(d.call('supervisor.stopProcess', ['foo', false])).resolves.toBe(true);
  });

  it('stopProcess with wait asks the engine for `waiting for x to stop` reports until the process is stopped', async () => {
    const { d, control } = setup();
    const reports: string[] = [];
    Object.assign(control, { stopReport: (group: string, name: string) => reports.push(`${group}:${name}`) });
    control.setState('foo', 'foo', ProcessState.RUNNING);
    vi.useFakeTimers();
    try {
      const p = d.call('supervisor.stopProcess', ['foo']);
      await vi.advanceTimersByTimeAsync(0);
      expect(reports).toEqual(['foo:foo']); // at once, like supervisord's first onwait poll
      await vi.advanceTimersByTimeAsync(2000);
      const whileStopping = reports.length;
      expect(whileStopping).toBeGreaterThan(1); // the engine throttles to 2 s; the RPC side keeps asking
      control.setState('foo', 'foo', ProcessState.STOPPED);
      await expect(p).resolves.toBe(true);
      await vi.advanceTimersByTimeAsync(5000);
      expect(reports).toHaveLength(whileStopping);
      // wait=false: no reports
      control.setState('foo', 'foo', ProcessState.RUNNING);
      await expect(d.call('supervisor.stopProcess', ['foo', false])).resolves.toBe(true);
      expect(reports).toHaveLength(whileStopping);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stop group/all act on running processes only', async () => {
    const { d, control } = setup({ mode: 'timed' });
    control.setState('grp', 'm1', ProcessState.RUNNING);
    expect(await d.call('supervisor.stopProcessGroup', ['grp'])).toEqual([{ name: 'm1', group: 'grp', status: 80, description: 'OK' }]);
    expect(await d.call('supervisor.stopAllProcesses', [])).toEqual([]);
  });

  it('signalProcess: names and numbers, BAD_SIGNAL, NOT_RUNNING', async () => {
    const { d, control } = setup();
    expect((await fault(d.call('supervisor.signalProcess', ['foo', 'HUP']))).text).toBe('NOT_RUNNING: foo');
    control.setState('foo', 'foo', ProcessState.RUNNING);
    await expect(d.call('supervisor.signalProcess', ['foo', 'HUP'])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', 'sigusr1'])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', '9'])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', 15])).resolves.toBe(true);
    expect(control.proc('foo').signals).toEqual([1, 10, 9, 15]);
    expect((await fault(d.call('supervisor.signalProcess', ['foo', 'BADSIG']))).text).toBe('BAD_SIGNAL: BADSIG');
    expect((await fault(d.call('supervisor.signalProcess', ['foo', '40']))).code).toBe(11);
  });

  it('signalProcess accepts what Python signal_number() accepts: 0, SIG_* constants, int() spellings', async () => {
    const { d, control } = setup();
    control.setState('foo', 'foo', ProcessState.RUNNING);
    // `supervisorctl signal 0 foo` is "is it alive?" in supervisord (0 is signal.SIG_DFL's value)
    await expect(d.call('supervisor.signalProcess', ['foo', '0'])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', 0])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', 'SIG_IGN'])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', ' 1_5 '])).resolves.toBe(true);
    await expect(d.call('supervisor.signalProcess', ['foo', 'rtmax'])).resolves.toBe(true);
    expect(control.proc('foo').signals).toEqual([0, 0, 1, 15, 64]);
    expect((await fault(d.call('supervisor.signalProcess', ['foo', '-1']))).code).toBe(11);
    expect((await fault(d.call('supervisor.signalProcess', ['foo', '32']))).code).toBe(11);
  });

  it('signalProcessGroup / signalAllProcesses return result structs', async () => {
    const { d, control } = setup();
    control.setState('grp', 'm2', ProcessState.RUNNING);
    expect(await d.call('supervisor.signalProcessGroup', ['grp', 'HUP'])).toEqual([
      { name: 'm2', group: 'grp', status: 80, description: 'OK' },
    ]);
    expect(await d.call('supervisor.signalAllProcesses', ['BAD'])).toEqual([
      { name: 'm2', group: 'grp', status: 11, description: 'BAD_SIGNAL: BAD' },
    ]);
    expect((await fault(d.call('supervisor.signalProcessGroup', ['nosuch', 'HUP']))).text).toBe('BAD_NAME: nosuch');
  });
});

describe('logs', () => {
  it('readLog follows readFile semantics on the main log', async () => {
    const { d, control, dir } = setup();
    expect((await fault(d.call('supervisor.readLog', [0, 0]))).text).toBe('NO_FILE: None');
    const f = path.join(dir, 'main.log');
    control.mainLogfile = f;
    expect((await fault(d.call('supervisor.readLog', [0, 0]))).text).toBe(`NO_FILE: ${f}`);
    writeFileSync(f, '0123456789');
    await expect(d.call('supervisor.readLog', [0, 0])).resolves.toBe('0123456789');
    await expect(d.call('supervisor.readLog', [2, 3])).resolves.toBe('234');
    await expect(d.call('supervisor.readLog', [-4, 0])).resolves.toBe('6789');
    await expect(d.call('supervisor.readLog', [-40, 0])).resolves.toBe('0123456789');
    await expect(d.call('supervisor.readMainLog', [8, 0])).resolves.toBe('89');
    expect((await fault(d.call('supervisor.readLog', [-1, 1]))).text).toBe('BAD_ARGUMENTS');
    expect((await fault(d.call('supervisor.readLog', [1, -1]))).text).toBe('BAD_ARGUMENTS');
  });

  it('clearLog removes the file and reopens the log', async () => {
    const { d, control, dir, log } = setup();
    expect((await fault(d.call('supervisor.clearLog', []))).text).toBe('NO_FILE');
    const f = path.join(dir, 'main.log');
    control.mainLogfile = f;
    writeFileSync(f, 'x');
    await expect(d.call('supervisor.clearLog', [])).resolves.toBe(true);
    expect(existsSync(f)).toBe(false);
    expect(log.reopens).toBe(1);
  });

  it('readProcessStdoutLog / readProcessStderrLog', async () => {
    const { d, dir } = setup();
    expect((await fault(d.call('supervisor.readProcessStdoutLog', ['foo', 0, 0]))).text).toBe(`NO_FILE: ${path.join(dir, 'foo.out')}`);
    expect((await fault(d.call('supervisor.readProcessStdoutLog', ['grp:m1', 0, 0]))).text).toBe('NO_FILE: None');
    writeFileSync(path.join(dir, 'foo.out'), 'out data');
    writeFileSync(path.join(dir, 'foo.err'), 'err data');
    await expect(d.call('supervisor.readProcessStdoutLog', ['foo', -4, 0])).resolves.toBe('data');
    await expect(d.call('supervisor.readProcessLog', ['foo', 0, 3])).resolves.toBe('out');
    await expect(d.call('supervisor.readProcessStderrLog', ['foo', 0, 0])).resolves.toBe('err data');
    expect((await fault(d.call('supervisor.readProcessStdoutLog', ['nosuch', 0, 0]))).text).toBe('BAD_NAME: nosuch');
  });

  it('tailProcessStdoutLog returns the last bytes, size and overflow (tailFile)', async () => {
    const { d, dir } = setup();
    await expect(d.call('supervisor.tailProcessStdoutLog', ['foo', 0, 10])).resolves.toEqual(['', 0, false]);
    const fifty = 'abcdefghij'.repeat(5);
    writeFileSync(path.join(dir, 'foo.out'), fifty);
    await expect(d.call('supervisor.tailProcessStdoutLog', ['foo', 30, 10])).resolves.toEqual([fifty.slice(40), 50, true]);
    await expect(d.call('supervisor.tailProcessLog', ['foo', 45, 10])).resolves.toEqual([fifty.slice(40), 50, false]);
    await expect(d.call('supervisor.tailProcessStdoutLog', ['foo', 50, 10])).resolves.toEqual(['', 50, false]);
    await expect(d.call('supervisor.tailProcessStdoutLog', ['foo', 0, 100])).resolves.toEqual([fifty, 50, false]);
  });

  it('clearProcessLogs / clearAllProcessLogs', async () => {
    const { d, dir } = setup();
    writeFileSync(path.join(dir, 'foo.out'), 'data');
    await expect(d.call('supervisor.clearProcessLogs', ['foo'])).resolves.toBe(true);
    expect(readFileSync(path.join(dir, 'foo.out'), 'utf8')).toBe('');
    await expect(d.call('supervisor.clearProcessLog', ['foo'])).resolves.toBe(true);
    expect((await fault(d.call('supervisor.clearProcessLogs', ['nosuch']))).text).toBe('BAD_NAME: nosuch');
    const all = (await d.call('supervisor.clearAllProcessLogs', [])) as Record<string, unknown>[];
    expect(all.map((r) => [r['name'], r['status'], r['description']])).toEqual([
      ['zero', 80, 'OK'], ['foo', 80, 'OK'], ['m1', 80, 'OK'], ['m2', 80, 'OK'],
    ]);
  });
});

describe('config changes', () => {
  it('reloadConfig returns [[added, changed, removed]]; CANT_REREAD on errors', async () => {
    const { d, control } = setup();
    control.rereadResult = { added: ['a'], changed: ['c'], removed: ['r'] };
    await expect(d.call('supervisor.reloadConfig', [])).resolves.toEqual([[['a'], ['c'], ['r']]]);
    control.rereadResult = new Error('.ini file does not include supervisord section');
    expect((await fault(d.call('supervisor.reloadConfig', []))).text).toBe(
      'CANT_REREAD: .ini file does not include supervisord section',
    );
  });

  it('addProcessGroup / removeProcessGroup', async () => {
    const { d, control } = setup();
    control.available.push(makeGroup('new', [makeProcessConfig('new', 'new')]));
    expect((await fault(d.call('supervisor.addProcessGroup', ['nosuch']))).text).toBe('BAD_NAME: nosuch');
    expect((await fault(d.call('supervisor.addProcessGroup', ['foo']))).text).toBe('ALREADY_ADDED: foo');
    await expect(d.call('supervisor.addProcessGroup', ['new'])).resolves.toBe(true);
    expect(control.group('new')).toBeDefined();
    control.setState('new', 'new', ProcessState.RUNNING);
    expect((await fault(d.call('supervisor.removeProcessGroup', ['new']))).text).toBe('STILL_RUNNING: new');
    control.setState('new', 'new', ProcessState.STOPPED);
    await expect(d.call('supervisor.removeProcessGroup', ['new'])).resolves.toBe(true);
    expect((await fault(d.call('supervisor.removeProcessGroup', ['new']))).text).toBe('BAD_NAME: new');
  });
});

describe('stdin and events', () => {
  it('sendProcessStdin', async () => {
    const { d, control } = setup();
    expect((await fault(d.call('supervisor.sendProcessStdin', ['foo', 'x']))).text).toBe('NOT_RUNNING: foo');
    control.setState('foo', 'foo', ProcessState.RUNNING);
    await expect(d.call('supervisor.sendProcessStdin', ['foo', 'héllo\n'])).resolves.toBe(true);
    expect(Buffer.concat(control.proc('foo').stdin).toString('utf8')).toBe('héllo\n');
    expect((await fault(d.call('supervisor.sendProcessStdin', ['foo', 5]))).code).toBe(2);
    expect((await fault(d.call('supervisor.sendProcessStdin', ['nosuch', 'x']))).text).toBe('BAD_NAME: nosuch');
    control.proc('foo').stdinClosed = true;
    expect((await fault(d.call('supervisor.sendProcessStdin', ['foo', 'x']))).text).toBe('NO_FILE: foo');
    control.setState('foo', 'foo', ProcessState.STOPPING, { pid: 5 });
    expect((await fault(d.call('supervisor.sendProcessStdin', ['foo', 'x']))).text).toBe('NOT_RUNNING: foo');
  });

  it('sendRemoteCommEvent publishes on the bus', async () => {
    const { d, control } = setup();
    const seen: unknown[] = [];
    control.events.subscribe((e) => seen.push(e));
    await expect(d.call('supervisor.sendRemoteCommEvent', ['type', 'data'])).resolves.toBe(true);
    expect(seen).toEqual([{ kind: 'remote-communication', type: 'type', data: 'data' }]);
  });
});

describe('system namespace', () => {
  it('listMethods: the 41 names supervisord lists', async () => {
    const { d } = setup();
    const names = (await d.call('system.listMethods', [])) as string[];
    expect(names).toHaveLength(41);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('supervisor.readMainLog');
    expect(names).toContain('system.multicall');
  });

  it('methodSignature and methodHelp', async () => {
    const { d } = setup();
    await expect(d.call('system.methodSignature', ['supervisor.startProcess'])).resolves.toEqual(['boolean', 'string', 'boolean']);
    await expect(d.call('system.methodSignature', ['supervisor.signalAllProcesses'])).resolves.toEqual(['array', 'string']);
    await expect(d.call('system.methodSignature', ['supervisor.readProcessLog'])).resolves.toEqual(['string', 'string', 'int', 'int']);
    await expect(d.call('system.methodSignature', ['system.multicall'])).resolves.toEqual(['array', 'array']);
    expect((await fault(d.call('system.methodSignature', ['nope']))).text).toBe('SIGNATURE_UNSUPPORTED');
    await expect(d.call('system.methodHelp', ['supervisor.getPID'])).resolves.toContain('@return int PID');
    expect((await fault(d.call('system.methodHelp', ['nope']))).code).toBe(4);
  });

  it('multicall: bare values and fault structs, recursion forbidden', async () => {
    const { d } = setup();
    const r = await d.call('system.multicall', [
      [
        { methodName: 'supervisor.getPID' },
        { methodName: 'supervisor.getProcessInfo', params: ['zzz'] },
        { methodName: 'system.multicall', params: [[]] },
        { params: [] },
        { methodName: 'supervisor.startProcess', params: ['zero'] },
      ],
    ]);
    expect(r).toEqual([
      4242,
      { faultCode: 10, faultString: 'BAD_NAME: zzz' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
      true,
    ]);
  });
});
