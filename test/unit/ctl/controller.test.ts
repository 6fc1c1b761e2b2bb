// The Controller's error handling and exit statuses, with a scripted client (ported cases from
// test_supervisorctl.py: upcheck, onecmd, status/start/stop/pid/tail exit codes).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Controller, type CtlIo } from '../../../src/ctl/controller.js';
import { COMMANDS } from '../../../src/ctl/index.js';
import { ConnectionError, ProtocolError, RpcFaultError, type RpcClient } from '../../../src/ctl/rpc-client.js';
import type { XmlRpcValue } from '../../../src/rpc/xmlrpc-values.js';

type Handler = (...params: XmlRpcValue[]) => XmlRpcValue;

function setup(methods: Record<string, Handler | Error>): { ctl: Controller; out: () => string; calls: string[] } {
  let text = '';
  const io: CtlIo = {
    out: (t) => void (text += t),
    err: (t) => void (text += `[stderr]${t}`),
    stdin: new PassThrough(),
    onInterrupt: () => () => {},
  };
  const ctl = new Controller({ serverurl: 'unix:///tmp/x.sock', username: null, password: null }, io, COMMANDS, false);
  const calls: string[] = [];
  const fake = {
    call: async (method: string, ...params: XmlRpcValue[]) => {
      calls.push(method);
      const h = methods[method] ?? (method === 'supervisor.getVersion' ? () => '3.0' : undefined);
      if (h === undefined) throw new RpcFaultError(1, 'UNKNOWN_METHOD');
      if (h instanceof Error) throw h;
      return h(...params);
    },
    get: async () => {
      throw new ConnectionError('ECONNREFUSED', 'connect ECONNREFUSED');
    },
    close: () => {},
  };
  ctl.client = fake as unknown as RpcClient;
  return { ctl, out: () => text, calls };
}

const proc = (name: string, state: number, statename: string, group = name) => ({
  name,
  group,
  state,
  statename,
  description: '',
  pid: state === 20 ? 7 : 0,
});

describe('upcheck and transport errors', () => {
  it('connection refused: status exits 4, other commands 4; missing socket: 7 (status 4)', async () => {
    for (const [code, cmd, exit, msg] of [
      ['ECONNREFUSED', 'status', 4, 'unix:///tmp/x.sock refused connection\n'],
      ['ECONNREFUSED', 'start web', 4, 'unix:///tmp/x.sock refused connection\n'],
      ['ENOENT', 'status', 4, 'unix:///tmp/x.sock no such file\n'],
      ['ENOENT', 'pid', 7, 'unix:///tmp/x.sock no such file\n'],
    ] as const) {
      const { ctl, out } = setup({ 'supervisor.getVersion': new ConnectionError(code, code) });
      await ctl.onecmd(cmd);
      expect([ctl.exitstatus, out()]).toEqual([exit, msg]);
    }
  });

  it('commands without upcheck report connection errors as supervisorctl does', async () => {
    const { ctl, out } = setup({ 'supervisor.reloadConfig': new ConnectionError('ENOENT', 'x') });
    await ctl.onecmd('reread');
    expect(out()).toBe("error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory\n");
    expect(ctl.exitstatus).toBe(1);
    const s = setup({ 'supervisor.shutdown': new ConnectionError('ECONNREFUSED', 'x') });
    await s.ctl.onecmd('shutdown');
    expect(s.out()).toBe('ERROR: unix:///tmp/x.sock refused connection (already shut down?)\n');
  });

  it('401 → Server requires authentication, exit 1', async () => {
    const { ctl, out } = setup({ 'supervisor.getVersion': new ProtocolError(401, 'Unauthorized', 'localhost/RPC2') });
    await ctl.onecmd('status');
    expect([ctl.exitstatus, out()]).toEqual([1, 'Server requires authentication\n']);
  });

  it('API version mismatch and missing supervisor namespace', async () => {
    const a = setup({ 'supervisor.getVersion': () => '1.0' });
    await a.ctl.onecmd('pid');
    expect(a.ctl.exitstatus).toBe(5);
    expect(a.out()).toMatch(/^Sorry, this version of supervisorctl expects to talk to a server with API version 3.0/);
    const b = setup({ 'supervisor.getVersion': new RpcFaultError(1, 'UNKNOWN_METHOD') });
    await b.ctl.onecmd('pid');
    expect(b.ctl.exitstatus).toBe(3);
    expect(b.out()).toMatch(/did not recognize the supervisor namespace/);
  });

  it('unknown command', async () => {
    const { ctl, out } = setup({});
    await ctl.onecmd('bogus arg');
    expect([ctl.exitstatus, out()]).toEqual([1, '*** Unknown syntax: bogus arg\n']);
  });

  it('an unexpected fault becomes an error line', async () => {
    const { ctl, out } = setup({ 'supervisor.getAllProcessInfo': new RpcFaultError(6, 'SHUTDOWN_STATE') });
    await ctl.onecmd('status');
    expect(out()).toBe("error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>\n");
    expect(ctl.exitstatus).toBe(1);
  });
});

describe('command exit statuses', () => {
  it('status: 0 all running, 3 when one is stopped, 4 for bad names', async () => {
    const all = () => [proc('a', 20, 'RUNNING'), proc('b', 200, 'FATAL')];
    const s1 = setup({ 'supervisor.getAllProcessInfo': all });
    await s1.ctl.onecmd('status a');
    expect(s1.ctl.exitstatus).toBe(0);
    const s2 = setup({ 'supervisor.getAllProcessInfo': all });
    await s2.ctl.onecmd('status');
    expect(s2.ctl.exitstatus).toBe(3);
    const s3 = setup({ 'supervisor.getAllProcessInfo': all });
    await s3.ctl.onecmd('status a nosuch');
    expect(s3.ctl.exitstatus).toBe(4);
    expect(s3.out().split('\n')[0]).toBe('nosuch: ERROR (no such process)');
  });

  it('start: already started is success, spawn error 7, group results', async () => {
    const a = setup({ 'supervisor.startProcess': new RpcFaultError(60, 'ALREADY_STARTED: a') });
    await a.ctl.onecmd('start a');
    expect([a.ctl.exitstatus, a.out()]).toEqual([0, 'a: ERROR (already started)\n']);
    const b = setup({ 'supervisor.startProcess': new RpcFaultError(50, 'SPAWN_ERROR: a') });
    await b.ctl.onecmd('start a');
    expect([b.ctl.exitstatus, b.out()]).toEqual([7, 'a: ERROR (spawn error)\n']);
    const c = setup({
      'supervisor.startProcessGroup': () => [
        { name: 'x', group: 'g', status: 80, description: 'OK' },
        { name: 'y', group: 'g', status: 40, description: 'ABNORMAL_TERMINATION: g:y' },
      ],
    });
    await c.ctl.onecmd('start g:*');
    expect([c.ctl.exitstatus, c.out()]).toEqual([7, 'g:x: started\ng:y: ERROR (abnormal termination)\n']);
    const d = setup({});
    await d.ctl.onecmd('start');
    expect(d.ctl.exitstatus).toBe(2);
  });

  it('stop: not running is success; restart = stop then start', async () => {
    const a = setup({
      'supervisor.stopProcess': new RpcFaultError(70, 'NOT_RUNNING: a'),
      'supervisor.startProcess': () => true,
    });
    await a.ctl.onecmd('restart a');
    expect([a.ctl.exitstatus, a.out()]).toEqual([0, 'a: ERROR (not running)\na: started\n']);
  });

  it('pid of a stopped process prints 0 and exits 7; tail errors', async () => {
    const a = setup({ 'supervisor.getProcessInfo': () => proc('a', 0, 'STOPPED') });
    await a.ctl.onecmd('pid a');
    expect([a.ctl.exitstatus, a.out()]).toEqual([7, '0\n']);
    const b = setup({ 'supervisor.readProcessStdoutLog': new RpcFaultError(20, 'NO_FILE: None') });
    await b.ctl.onecmd('tail a');
    expect([b.ctl.exitstatus, b.out()]).toEqual([1, 'a: ERROR (no log file)\n']);
    const c = setup({ 'supervisor.readProcessStderrLog': (_n, offset) => `off=${String(offset)}` });
    await c.ctl.onecmd('tail -20 a stderr');
    expect(c.out()).toBe('off=-20\n');
    const d = setup({});
    await d.ctl.onecmd('tail a bogus');
    expect(d.out()).toBe("Error: bad channel 'bogus'\n");
  });

  it('update: removes, updates and adds groups in supervisorctl order', async () => {
    const { ctl, out, calls } = setup({
      'supervisor.reloadConfig': () => [[['new'], ['chg'], ['old']]],
      'supervisor.stopProcessGroup': () => [],
      'supervisor.removeProcessGroup': () => true,
      'supervisor.addProcessGroup': () => true,
    });
    await ctl.onecmd('update');
    expect(out()).toBe('old: stopped\nold: removed process group\nchg: stopped\nchg: updated process group\nnew: added process group\n');
    expect(calls).toEqual([
      'supervisor.reloadConfig',
      'supervisor.stopProcessGroup',
      'supervisor.removeProcessGroup',
      'supervisor.stopProcessGroup',
      'supervisor.removeProcessGroup',
      'supervisor.addProcessGroup',
      'supervisor.addProcessGroup',
    ]);
  });

  it('tail -f reports a connection failure on stderr', async () => {
    const { ctl, out } = setup({});
    await ctl.onecmd('tail -f a');
    expect(out()).toBe('==> Press Ctrl-C to exit <==\n[stderr]unix:///tmp/x.sock/logtail/a/stdout Cannot connect, error: connect ECONNREFUSED\n');
  });
});
