// Security defaults: the unix control socket is owner-only, an inet server without credentials only
// starts on loopback, passwords and config environment values never reach the logs, the health endpoints
// expose states only, and user= without root fails with supervisord's message.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, PASSWORD, Pid1Run, TSINIT, USER, httpUnix, processInfo, startTsinit, tempDir, waitState, type Tsinit } from '../helpers.js';

let t: Tsinit | null = null;
let other: Pid1Run | null = null;
afterEach(async () => {
  await t?.dispose();
  await other?.dispose();
  t = null;
  other = null;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const SECRET_ENV = 'envsecret-7f3a9c';
const SECRET_GLOBAL = 'globalsecret-51be0d';

describe('control plane access', () => {
  it('the unix socket defaults to owner-only (0700), whatever the umask', async () => {
    t = await startTsinit('sock-mode', '[program:s]\ncommand=/bin/sleep 1000000\n', { wrap: ['sh', '-c', 'umask 000 && exec "$@"', 'sh'] });
    expect(statSync(t.socket).mode & 0o777).toBe(0o700);
    expect(statSync(t.socket).isSocket()).toBe(true);
  });

  it('an inet server without credentials on all interfaces refuses to start, and says why', async () => {
    const port = await freePort();
    t = await startTsinit('inet-open', '[program:s]\ncommand=/bin/sleep 1000000\n', {
      noSocket: true,
      waitStarted: false,
      supervisord: `[inet_http_server]\nport=*:${port}\n`,
    });
    expect((await t.run.waitForExit()).code).toBe(2);
    expect(t.run.stderr).toContain(
      `[inet_http_server] on *:${port} has no username/password and would accept connections from other hosts; set username and password, or bind it to 127.0.0.1`,
    );
    expect(t.run.output).not.toContain("spawned: 's'");
  });

  it('without credentials on loopback it starts, with supervisord\'s warning; with credentials on all interfaces too', async () => {
    const port = await freePort();
    t = await startTsinit('inet-loop', '[program:s]\ncommand=/bin/sleep 1000000\n', {
      noSocket: true,
      supervisord: `[inet_http_server]\nport=127.0.0.1:${port}\n`,
    });
    await t.run.waitForLine("CRIT Server 'inet_http_server' running without any HTTP authentication checking");
    await t.dispose();
    const port2 = await freePort();
    t = await startTsinit('inet-auth', '[program:s]\ncommand=/bin/sleep 1000000\n', {
      noSocket: true,
      supervisord: `[inet_http_server]\nport=*:${port2}\nusername=${USER}\npassword=${PASSWORD}\n`,
    });
    const noAuth = await get(`http://127.0.0.1:${port2}/RPC2`);
    expect(noAuth.status).toBe(401);
  });
});

describe('secrets stay out of logs and health endpoints', () => {
  it('passwords (right or wrong) and environment values never appear in the main log at blather level, nor on stdout', async () => {
    const healthPort = await freePort();
    const dir = tempDir('secrets');
    t = await startTsinit(
      'secrets',
      `[tsinit]\nhealth=127.0.0.1:${healthPort}\n` +
        `[program:app]\ncommand=/bin/sh -c "sleep 1000000"\nenvironment=TOKEN="${SECRET_ENV}"\n` +
        `[program:crashy]\ncommand=/bin/sh -c "exit 5"\nenvironment=TOKEN="${SECRET_ENV}"\nstartretries=1\n` +
        `[program:missing]\ncommand=/nonexistent/bin\nenvironment=TOKEN="${SECRET_ENV}"\nstartretries=0\n`,
      { dir, loglevel: 'blather', supervisord: `environment=GLOBAL_TOKEN="${SECRET_GLOBAL}"\n` },
    );
    await waitState(t, 'app', 'RUNNING');
    await waitState(t, 'crashy', 'FATAL');
    await waitState(t, 'missing', 'FATAL');
    // Failed and successful authentications, garbled ones, and calls that fault.
    const wrong = 'wrongpw-c0ffee';
    for (const auth of [`Basic ${Buffer.from(`${USER}:${wrong}`).toString('base64')}`, `Basic ${Buffer.from(`${wrong}`).toString('base64')}`, AUTH]) {
      await httpUnix(t.socket, { headers: { Authorization: auth, 'Content-Type': 'text/xml' }, body: '<methodCall><methodName>supervisor.getAllProcessInfo</methodName></methodCall>' });
    }
    await t.call('supervisor.startProcess', ['nope']);
    await t.call('supervisor.getProcessInfo', ['app']);
    await t.call('supervisor.readLog', [0, 0]);
    // The environment really reached the program (the secret is live, not just absent).
    const app = await processInfo(t, 'app');
    const environ = readFileSync(`/proc/${t.run.descendants().find((p) => p.comm === 'sleep')!.pid}/environ`, 'utf8');
    expect(app.statename).toBe('RUNNING');
    expect(environ).toContain(`TOKEN=${SECRET_ENV}`);
    expect(environ).toContain(`GLOBAL_TOKEN=${SECRET_GLOBAL}`);

    const health = await Promise.all(['/healthz', '/readyz', '/metrics'].map((p) => get(`http://127.0.0.1:${healthPort}${p}`)));
    expect(health.map((h) => h.status)).toEqual([200, expect.any(Number), 200]);

    const everything = [t.log(), t.run.output, ...health.map((h) => h.body)].join('\n');
    for (const secret of [PASSWORD, wrong, SECRET_ENV, SECRET_GLOBAL, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      expect(everything, secret).not.toContain(secret);
    }
    // Health bodies carry states, not commands or paths.
    for (const h of health) {
      expect(h.body).not.toContain('/bin/sh');
      expect(h.body).not.toContain('/nonexistent/bin');
      expect(h.body).not.toContain(dir);
    }
    expect(health[2]!.body).toMatch(/RUNNING|FATAL|state/);
  });
});

describe('user= without root', () => {
  it("a program's user= fails at spawn with supervisord's message; tsinit keeps running as itself", async () => {
    const dir = tempDir('nonroot');
    chmodSync(dir, 0o777);
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sd.pid\nchildlogdir=${dir}\n` +
        `[program:asroot]\ncommand=/usr/bin/id -u\nuser=root\nstartretries=0\nstderr_logfile=${dir}/asroot.err\nstdout_logfile=${dir}/asroot.out\n` +
        `[program:self]\ncommand=/bin/sleep 1000000\n`,
    );
    chmodSync(conf, 0o644);
    other = await Pid1Run.runOutsideNamespace([process.execPath, TSINIT, '-c', conf], { cwd: dir, uid: 65534, gid: 65534 });
    await other.waitForLine(/gave up: asroot entered FATAL state/);
    await other.waitForLine(/success: self entered RUNNING state/);
    expect(readFileSync(path.join(dir, 'asroot.err'), 'utf8')).toContain("supervisor: couldn't setuid to 0: Can't drop privilege as nonroot user");
    // Never ran as another user: `id -u` printed nothing.
    expect(readFileSync(path.join(dir, 'asroot.out'), 'utf8')).toBe('');
  });

  it("[supervisord] user= as a non-root user is supervisord's startup error, exit 2", async () => {
    const dir = tempDir('nonroot-sd');
    chmodSync(dir, 0o777);
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/sd.pid\nuser=root\n[program:s]\ncommand=/bin/sleep 1000000\n`);
    chmodSync(conf, 0o644);
    other = await Pid1Run.runOutsideNamespace([process.execPath, TSINIT, '-c', conf], { cwd: dir, uid: 65534, gid: 65534 });
    const { code } = await other.waitForExit();
    expect(code).toBe(2);
    expect(other.stderr).toContain("Error: Can't drop privilege as nonroot user");
    expect(other.output).not.toContain("spawned: 's'");
  });
});
