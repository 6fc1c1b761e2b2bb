// The real /usr/bin/supervisorctl against tsinit's RPC server (driven by a scripted SupervisorControl):
// every command's output and exit code, auth, socket mode/owner, and hostile input.
import { appendFileSync, existsSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServerConfig } from '../../../src/config/model.js';
import { createRpcServer, type RpcServer } from '../../../src/rpc/index.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { FakeControl, MemoryLog, makeConfig, makeGroup, makeProcessConfig } from '../../unit/rpc/fake-control.js';
import { httpRequest, stream, supervisorctl, tempDir, waitFor, writeFile } from './helpers.js';

interface Env {
  dir: string;
  sock: string;
  conf: string;
  control: FakeControl;
  log: MemoryLog;
  server: RpcServer;
  stderr: string[];
}

const envs: Env[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) {
    e.control.dispose();
    await e.server.close();
  }
});

async function startEnv(o: { credentials?: { username: string; password: string } | null; chmod?: number; chown?: { uid: number; gid: number } | null; ctlUser?: string; ctlPass?: string; headersTimeoutMs?: number; bodyTimeoutMs?: number } = {}): Promise<Env> {
  const dir = tempDir('rpc-int-');
  const sock = path.join(dir, 's.sock');
  const out = (n: string): string => path.join(dir, `${n}.log`);
  const config = makeConfig(
    [
      makeGroup('web', [makeProcessConfig('web', 'web', { stdoutPath: out('web-out'), stderrPath: out('web-err') })]),
      makeGroup('grp', [makeProcessConfig('m1', 'grp'), makeProcessConfig('m2', 'grp')]),
      makeGroup('quick', [makeProcessConfig('quick', 'quick', { command: '/bin/false', autostart: false })]),
      makeGroup('missing', [makeProcessConfig('missing', 'missing', { command: '/nonexistent/x', autostart: false })]),
    ],
  );
  const server: HttpServerConfig = {
    kind: 'unix',
    section: 'unix_http_server',
    file: sock,
    chmod: o.chmod ?? 0o700,
    chown: o.chown ?? null,
    credentials: o.credentials ?? null,
  };
  const control = new FakeControl({ ...config, httpServers: [server] }, { mode: 'timed' });
  control.mainLogfile = out('main');
  writeFileSync(control.mainLogfile, 'main log line 1\nmain log line 2\n');
  const log = new MemoryLog();
  const stderr: string[] = [];
  const rpc = createRpcServer(control, log, {
    stderr: (l) => stderr.push(l),
    ...(o.headersTimeoutMs !== undefined ? { headersTimeoutMs: o.headersTimeoutMs } : {}),
    ...(o.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: o.bodyTimeoutMs } : {}),
  });
  await rpc.start();
  const auth = o.ctlUser !== undefined ? `username=${o.ctlUser}\npassword=${o.ctlPass}\n` : '';
  const conf = writeFile(path.join(dir, 'ctl.conf'), `[supervisorctl]\nserverurl=unix://${sock}\n${auth}`);
  const env = { dir, sock, conf, control, log, server: rpc, stderr };
  envs.push(env);
  return env;
}

function running(e: Env, group: string, name = group): void {
  e.control.setState(group, name, ProcessState.RUNNING, { laststart: Date.now() - 3000 });
}

describe('real supervisorctl against the tsinit RPC server', () => {
  it('status: table, filtering, bad names and exit codes', async () => {
    const e = await startEnv();
    running(e, 'web');
    running(e, 'grp', 'm1');
    const pid = e.control.proc('web').pid;
    const all = await supervisorctl(e.conf, 'status');
    expect(all.stdout).toMatch(
      new RegExp(
        '^grp:m1 +RUNNING +pid \\d+, uptime 0:00:0\\d\\n' +
          'grp:m2 +STOPPED +Not started\\n' +
          'missing +STOPPED +Not started\\n' +
          'quick +STOPPED +Not started\\n' +
          `web +RUNNING   pid ${pid}, uptime 0:00:0\\d\\n$`,
      ),
    );
    expect(all.code).toBe(3);
    const one = await supervisorctl(e.conf, 'status', 'web');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^web +RUNNING/);
    const bad = await supervisorctl(e.conf, 'status', 'nosuch', 'nogrp:*');
    expect(bad.stdout).toBe('nosuch: ERROR (no such process)\nnogrp: ERROR (no such group)\n');
    expect(bad.code).toBe(4);
    const grp = await supervisorctl(e.conf, 'status', 'grp:*');
    expect(grp.stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('start / stop / restart with waiting, groups and errors', async () => {
    const e = await startEnv();
    expect(await supervisorctl(e.conf, 'start', 'web')).toMatchObject({ code: 0, stdout: 'web: started\n' });
    expect(e.control.proc('web').state).toBe(ProcessState.RUNNING);
    expect(await supervisorctl(e.conf, 'start', 'web')).toMatchObject({ code: 0, stdout: 'web: ERROR (already started)\n' });
    expect(await supervisorctl(e.conf, 'start', 'nosuch')).toMatchObject({ code: 1, stdout: 'nosuch: ERROR (no such process)\n' });
    expect(await supervisorctl(e.conf, 'start', 'missing')).toMatchObject({ code: 1, stdout: 'missing: ERROR (no such file)\n' });
    expect(await supervisorctl(e.conf, 'start', 'quick')).toMatchObject({ code: 7, stdout: 'quick: ERROR (spawn error)\n' });
    expect(await supervisorctl(e.conf, 'start', 'nogrp:*')).toMatchObject({ code: 2, stdout: 'nogrp: ERROR (no such group)\n' });
    const g = await supervisorctl(e.conf, 'start', 'grp:*');
    expect(g.stdout.split('\n').filter(Boolean).sort()).toEqual(['grp:m1: started', 'grp:m2: started']);
    expect(await supervisorctl(e.conf, 'stop', 'web')).toMatchObject({ code: 0, stdout: 'web: stopped\n' });
    expect(e.control.proc('web').state).toBe(ProcessState.STOPPED);
    expect(await supervisorctl(e.conf, 'stop', 'web')).toMatchObject({ code: 0, stdout: 'web: ERROR (not running)\n' });
    expect(await supervisorctl(e.conf, 'restart', 'web')).toMatchObject({ code: 0, stdout: 'web: ERROR (not running)\nweb: started\n' });
    const r = await supervisorctl(e.conf, 'restart', 'grp:*');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['grp:m1: started', 'grp:m1: stopped', 'grp:m2: started', 'grp:m2: stopped']);
    const stopAll = await supervisorctl(e.conf, 'stop', 'all');
    // quick is in BACKOFF after its failed start: a running state, so it is stopped too
    expect(stopAll.stdout.split('\n').filter(Boolean).sort()).toEqual(['grp:m1: stopped', 'grp:m2: stopped', 'quick: stopped', 'web: stopped']);
    expect(await supervisorctl(e.conf, 'stop', 'all')).toMatchObject({ code: 0, stdout: '' });
    const noName = await supervisorctl(e.conf, 'start');
    expect(noName.code).toBe(2);
    expect(noName.stdout).toMatch(/^Error: start requires a process name\n/);
  });

  it('signal, pid, version, avail', async () => {
    const e = await startEnv();
    running(e, 'web');
    expect(await supervisorctl(e.conf, 'signal', 'HUP', 'web')).toMatchObject({ code: 0, stdout: 'web: signalled\n' });
    expect(e.control.proc('web').signals).toEqual([1]);
    expect(await supervisorctl(e.conf, 'signal', 'BOGUS', 'web')).toMatchObject({ code: 1, stdout: 'web: ERROR (bad signal name)\n' });
    expect(await supervisorctl(e.conf, 'signal', 'HUP', 'quick')).toMatchObject({ code: 7, stdout: 'quick: ERROR (not running)\n' });
    expect(await supervisorctl(e.conf, 'pid')).toMatchObject({ code: 0, stdout: '4242\n' });
    expect(await supervisorctl(e.conf, 'pid', 'web')).toMatchObject({ code: 0, stdout: `${e.control.proc('web').pid}\n` });
    expect(await supervisorctl(e.conf, 'pid', 'quick')).toMatchObject({ code: 7, stdout: '0\n' });
    expect(await supervisorctl(e.conf, 'pid', 'nosuch')).toMatchObject({ code: 1, stdout: 'No such process nosuch\n' });
    expect(await supervisorctl(e.conf, 'version')).toMatchObject({ code: 0, stdout: '4.2.5\n' });
    const avail = await supervisorctl(e.conf, 'avail');
    expect(avail.stdout).toContain('grp:m1                           in use    auto      999:999\n');
    expect(avail.code).toBe(0);
  });

  it('tail, tail stderr, tail -N, maintail, clear', async () => {
    const e = await startEnv();
    writeFileSync(path.join(e.dir, 'web-out.log'), 'x'.repeat(2000) + 'END-OUT');
    writeFileSync(path.join(e.dir, 'web-err.log'), 'some error');
    const t = await supervisorctl(e.conf, 'tail', 'web');
    expect(t.stdout).toBe('x'.repeat(1593) + 'END-OUT\n');
    expect(await supervisorctl(e.conf, 'tail', 'web', 'stderr')).toMatchObject({ code: 0, stdout: 'some error\n' });
    expect(await supervisorctl(e.conf, 'tail', '-3', 'web')).toMatchObject({ stdout: 'OUT\n' });
    expect(await supervisorctl(e.conf, 'tail', 'grp:m1')).toMatchObject({ code: 1, stdout: 'grp:m1: ERROR (no log file)\n' });
    expect(await supervisorctl(e.conf, 'maintail')).toMatchObject({ code: 0, stdout: 'main log line 1\nmain log line 2\n\n' });
    expect(await supervisorctl(e.conf, 'clear', 'web')).toMatchObject({ code: 0, stdout: 'web: cleared\n' });
    expect(readFileSync(path.join(e.dir, 'web-out.log'), 'utf8')).toBe('');
    expect(await supervisorctl(e.conf, 'clear', 'nosuch')).toMatchObject({ code: 1, stdout: 'nosuch: ERROR (no such process)\n' });
  });

  it('tail -f streams appended output (GET /logtail)', async () => {
    const e = await startEnv();
    const file = path.join(e.dir, 'web-out.log');
    writeFileSync(file, 'first line\n');
    const s = stream('/usr/bin/supervisorctl', ['-c', e.conf, 'tail', '-f', 'web']);
    await waitFor(() => s.out().includes('first line'), 20_000, 'initial tail');
    appendFileSync(file, 'second line\n');
    await waitFor(() => s.out().includes('second line'), 20_000, 'followed output');
    expect(s.out().startsWith('==> Press Ctrl-C to exit <==\n')).toBe(true);
    await s.stop('SIGINT');
    const mt = stream('/usr/bin/supervisorctl', ['-c', e.conf, 'maintail', '-f']);
    await waitFor(() => mt.out().includes('main log line 2'), 20_000, 'main log tail');
    await mt.stop('SIGINT');
  });

  it('reread, update, add, remove', async () => {
    const e = await startEnv();
    expect(await supervisorctl(e.conf, 'reread')).toMatchObject({ code: 0, stdout: 'No config updates to processes\n' });
    e.control.available.push(makeGroup('newg', [makeProcessConfig('newg', 'newg')]));
    e.control.rereadResult = { added: ['newg'], changed: [], removed: ['quick'] };
    expect(await supervisorctl(e.conf, 'reread')).toMatchObject({ code: 0, stdout: 'newg: available\nquick: disappeared\n' });
    expect(await supervisorctl(e.conf, 'update')).toMatchObject({
      code: 0,
      stdout: 'quick: stopped\nquick: removed process group\nnewg: added process group\n',
    });
    expect(e.control.group('newg')).toBeDefined();
    expect(e.control.group('quick')).toBeUndefined();
    e.control.rereadResult = { added: [], changed: [], removed: [] };
    expect(await supervisorctl(e.conf, 'add', 'newg')).toMatchObject({ code: 0, stdout: 'ERROR: process group already active\n' });
    expect(await supervisorctl(e.conf, 'add', 'zzz')).toMatchObject({ code: 1, stdout: 'ERROR: no such process/group: zzz\n' });
    running(e, 'web');
    expect(await supervisorctl(e.conf, 'remove', 'web')).toMatchObject({ code: 1, stdout: 'ERROR: process/group still running: web\n' });
    expect(await supervisorctl(e.conf, 'remove', 'missing')).toMatchObject({ code: 0, stdout: 'missing: removed process group\n' });
    e.control.rereadResult = new Error("File contains no section headers.");
    expect(await supervisorctl(e.conf, 'reread')).toMatchObject({ code: 1, stdout: 'ERROR: CANT_REREAD: File contains no section headers.\n' });
  });

  it('shutdown and reload, then SHUTDOWN_STATE', async () => {
    const e = await startEnv();
    expect(await supervisorctl(e.conf, 'reload')).toMatchObject({ code: 0, stdout: 'Restarted supervisord\n' });
    await waitFor(() => e.control.restartCalls === 1, 5000, 'restart');
    e.control.mood = SupervisorMood.RUNNING;
    expect(await supervisorctl(e.conf, 'shutdown')).toMatchObject({ code: 0, stdout: 'Shut down\n' });
    await waitFor(() => e.control.shutdownCalls.length === 1, 5000, 'shutdown');
    // supervisorctl prints the error but keeps exit status 0 here
    expect(await supervisorctl(e.conf, 'shutdown')).toMatchObject({ code: 0, stdout: 'ERROR: already shutting down\n' });
    expect(await supervisorctl(e.conf, 'status')).toMatchObject({ code: 1 });
  });
});

describe('HTTP transport', () => {
  it('authentication: refused without or with wrong credentials, accepted with right ones ({SHA})', async () => {
    const e = await startEnv({ credentials: { username: 'admin', password: '{SHA}d033e22ae348aeb5660fc2140aec35850c4da997' } });
    const none = await supervisorctl(e.conf, 'pid');
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^Server requires authentication\n/);
    const r = await httpRequest(e.sock, { body: '<methodCall><methodName>supervisor.getPID</methodName></methodCall>' });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Basic realm="default"');
    const wrong = writeFile(path.join(e.dir, 'wrong.conf'), `[supervisorctl]\nserverurl=unix://${e.sock}\nusername=admin\npassword=nope\n`);
    expect((await supervisorctl(wrong, 'pid')).stdout).toMatch(/^Server requires authentication/);
    const right = writeFile(path.join(e.dir, 'right.conf'), `[supervisorctl]\nserverurl=unix://${e.sock}\nusername=admin\npassword=admin\n`);
    expect(await supervisorctl(right, 'pid')).toMatchObject({ code: 0, stdout: '4242\n' });
    expect(e.log.lines.some((l) => l.includes('running without any HTTP authentication'))).toBe(false);
  });

  it('plain passwords may contain colons', async () => {
    const e = await startEnv({ credentials: { username: 'u', password: 'a:b:c' } });
    const ok = await httpRequest(e.sock, {
      headers: { Authorization: `Basic ${Buffer.from('u:a:b:c').toString('base64')}` },
      body: '<methodCall><methodName>supervisor.getPID</methodName></methodCall>',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<int>4242</int>');
  });

  it('socket mode defaults to 0700, configured chmod and chown are applied', async () => {
    const e = await startEnv();
    expect(statSync(e.sock).mode & 0o777).toBe(0o700);
    expect(statSync(e.sock).isSocket()).toBe(true);
    // supervisord logs the interface first, then the no-auth warning (make_http_servers)
    const rpcLine = e.log.lines.indexOf("INFO RPC interface 'supervisor' initialized");
    const critLine = e.log.lines.indexOf("CRIT Server 'unix_http_server' running without any HTTP authentication checking");
    expect(rpcLine).toBeGreaterThanOrEqual(0);
    expect(critLine).toBeGreaterThan(rpcLine);
    const f = await startEnv({ chmod: 0o770, chown: { uid: 65534, gid: 65534 } });
    const st = statSync(f.sock);
    expect(st.mode & 0o777).toBe(0o770);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
    expect(existsSync(`${f.sock}.${process.pid}`)).toBe(false);
    await f.server.close();
    expect(existsSync(f.sock)).toBe(false);
  });

  it('a stale socket is replaced; a live server is a startup error', async () => {
    const dir = tempDir('rpc-stale-');
    const sock = path.join(dir, 'x.sock');
    // a socket file nobody listens on
    const dead = createNetServer();
    await new Promise<void>((r) => dead.listen(sock, r));
    const { linkSync } = await import('node:fs');
    linkSync(sock, `${sock}.keep`);
    await new Promise<void>((r) => dead.close(() => r()));
    const { renameSync } = await import('node:fs');
    renameSync(`${sock}.keep`, sock);
    const control = new FakeControl(makeConfig([]));
    const lines: string[] = [];
    const cfg: HttpServerConfig = { kind: 'unix', section: 'unix_http_server', file: sock, chmod: 0o700, chown: null, credentials: null };
    const a = createRpcServer(control, new MemoryLog(), { servers: [cfg], stderr: (l) => lines.push(l) });
    await a.start();
    expect(lines).toEqual([`Unlinking stale socket ${sock}\n`]);
    const b = createRpcServer(control, new MemoryLog(), { servers: [cfg], stderr: () => {} });
    await expect(b.start()).rejects.toThrow(
      'Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.',
    );
    expect(statSync(sock).isSocket()).toBe(true);
    await a.close();
  });

  it('inet: refuses an unauthenticated non-loopback bind; reports a port in use', async () => {
    const control = new FakeControl(makeConfig([]));
    const open = createRpcServer(control, new MemoryLog(), {
      servers: [{ kind: 'inet', section: 'inet_http_server', host: '', port: 0, credentials: null }],
    });
    await expect(open.start()).rejects.toThrow(/no username\/password/);
    const blocker = createNetServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const busy = createRpcServer(control, new MemoryLog(), {
      servers: [{ kind: 'inet', section: 'inet_http_server', host: '127.0.0.1', port, credentials: null }],
    });
    await expect(busy.start()).rejects.toThrow(/Another program is already listening/);
    await new Promise<void>((r) => blocker.close(() => r()));
  });

  it('a client that stalls in its headers or in its declared body is dropped; the others are served', async () => {
    const e = await startEnv({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
    const closed = (s: Socket): Promise<void> => new Promise((resolve) => s.once('close', () => resolve()));
    const inHeaders = connect(e.sock);
    const inBody = connect(e.sock);
    for (const s of [inHeaders, inBody]) s.on('error', () => {});
    inHeaders.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    inBody.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<methodCall>');
    const answered = await httpRequest(e.sock, { body: '<methodCall><methodName>supervisor.getState</methodName></methodCall>' });
    expect(answered.status).toBe(200);
    await Promise.all([closed(inHeaders), closed(inBody)]);
    // a request that arrived in time is never cut, however long its answer lasts: tail -f outlives both deadlines
    const file = path.join(e.dir, 'web-out.log');
    writeFileSync(file, 'first line\n');
    const tail = stream('/usr/bin/supervisorctl', ['-c', e.conf, 'tail', '-f', 'web']);
    await waitFor(() => tail.out().includes('first line'), 20_000, 'initial tail');
    await new Promise((r) => setTimeout(r, 1000));
    appendFileSync(file, 'after the deadlines\n');
    await waitFor(() => tail.out().includes('after the deadlines'), 20_000, 'output followed past the deadlines');
    await tail.stop('SIGINT');
  });

  it('garbage, wrong methods, huge bodies and bursts leave the server serving', async () => {
    const e = await startEnv();
    running(e, 'web');
    const pid = e.control.proc('web').pid;
    const garbage = await httpRequest(e.sock, { body: 'garbage' });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toContain('<p>Error code 400.');
    expect(e.log.lines).toContain("ERRO XML-RPC request data 'garbage' is invalid: unmarshallable");
    expect((await httpRequest(e.sock, { method: 'GET' })).status).toBe(400);
    expect((await httpRequest(e.sock, { path: '/nothing', method: 'GET' })).status).toBe(404);
    expect((await httpRequest(e.sock, { body: '<methodCall><params/></methodCall>' })).status).toBe(400);
    const huge = await httpRequest(e.sock, { body: `<methodCall><methodName>${'a'.repeat(2 * 1024 * 1024)}</methodName></methodCall>` });
    expect(huge.status).toBe(413);
    const bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><methodCall><methodName>&b;</methodName></methodCall>';
    expect((await httpRequest(e.sock, { body: bomb })).status).toBe(400);
    const unknown = await httpRequest(e.sock, { body: '<methodCall><methodName>supervisor.nope</methodName></methodCall>' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toContain('<int>1</int>');
    // raw protocol garbage on the socket
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = connect(e.sock, () => s.end('\x00\x01\x02 NOT HTTP\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    // a burst of concurrent clients
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? httpRequest(e.sock, { body: '<<<' + i })
        : httpRequest(e.sock, { body: "<?xml version='1.0'?><methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value>web</value></param></params></methodCall>" }),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.status === 200)).toHaveLength(40);
    expect(results.filter((r) => r.status === 400)).toHaveLength(20);
    expect(results.find((r) => r.status === 200)!.body).toContain('<string>RUNNING</string>');
    const after = await supervisorctl(e.conf, 'status', 'web');
    expect(after.stdout).toMatch(new RegExp(`^web +RUNNING +pid ${pid},`));
  });

  it('HTTP/1.0 and HTTP/1.1 keep-alive', async () => {
    const e = await startEnv();
    const { connect } = await import('node:net');
    const body = '<methodCall><methodName>supervisor.getPID</methodName></methodCall>';
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        let out = '';
        const s = connect(e.sock, () => s.write(text));
        s.on('data', (d) => {
          out += d.toString();
          if ((out.match(/<\/methodResponse>/g) ?? []).length === 2) s.end();
        });
        s.on('close', () => resolve(out));
      });
    const req = (v: string, extra = ''): string => `POST /RPC2 HTTP/${v}\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
    const http10 = await raw(req('1.0'));
    expect(http10).toMatch(/^HTTP\/1\.[01] 200 OK/);
    expect(http10).toContain('<int>4242</int>');
    const two = await raw(req('1.1', 'Host: x\r\n') + req('1.1', 'Host: x\r\n'));
    expect((two.match(/HTTP\/1\.1 200 OK/g) ?? []).length).toBe(2);
    void request;
  });
});
