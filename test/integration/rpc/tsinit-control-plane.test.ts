// The real supervisorctl (and tsinit ctl) against tsinit running as PID 1: the same outputs and exit codes
// as against supervisord for every command; auth; socket mode and owner; hostile clients.
import { connect } from 'node:net';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalSteps, drive, ourCtl, realCtl, startSupervisord, startTsinit, stopStarted } from './compare-harness.js';
import { httpRequest, run, stream, supervisorctl, TSINIT, waitFor } from './helpers.js';

afterAll(stopStarted);

describe('tsinit serves the supervisord control plane', () => {
  it('real supervisorctl: same outputs and exit codes as against supervisord, for every command', async () => {
    const [reference, real, ours] = await Promise.all([
      drive(realCtl, startSupervisord),
      drive(realCtl, () => startTsinit()),
      drive(ourCtl, () => startTsinit()),
    ]);
    expect(canonicalSteps(real.outputs)).toEqual(canonicalSteps(reference.outputs));
    expect(canonicalSteps(ours.outputs)).toEqual(canonicalSteps(reference.outputs));
    expect(real.outputs.join('\n')).toContain('$ start quick\nquick: ERROR (spawn error)\n[rc=7]');
  }, 300_000);

  it('authentication, socket mode and owner', async () => {
    const extra =
      '[unix_http_server]\nchmod=0770\nchown=nobody:nogroup\nusername=admin\npassword={SHA}d033e22ae348aeb5660fc2140aec35850c4da997\n';
    const { dir, conf } = await startTsinit(extra, ['-u', 'admin', '-p', 'admin']);
    const sock = path.join(dir, 's.sock');
    const st = statSync(sock);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o770);
    const nobody = Number((await run('id', ['-u', 'nobody'])).stdout.trim());
    expect(st.uid).toBe(nobody);
    const noAuth = await supervisorctl(conf, 'status');
    expect(noAuth.code).toBe(1);
    expect(noAuth.stdout).toMatch(/^Server requires authentication/);
    const wrong = await run('/usr/bin/supervisorctl', ['-c', conf, '-u', 'admin', '-p', 'wrong', 'pid']);
    expect(wrong.stdout).toMatch(/^Server requires authentication/);
    const right = await run('/usr/bin/supervisorctl', ['-c', conf, '-u', 'admin', '-p', 'admin', 'pid']);
    expect(right).toMatchObject({ code: 0, stdout: '1\n' });
    const ours = await run(process.execPath, [path.resolve('dist/tsinit.js'), 'ctl', '-c', conf, '-u', 'admin', '-p', 'admin', 'pid']);
    expect(ours).toMatchObject({ code: 0, stdout: '1\n' });
    await run('/usr/bin/supervisorctl', ['-c', conf, '-u', 'admin', '-p', 'admin', 'shutdown']);
  }, 120_000);

  it('a burst of concurrent clients and garbage requests leaves supervision unaffected', async () => {
    const { dir, conf } = await startTsinit();
    const sock = path.join(dir, 's.sock');
    const before = await supervisorctl(conf, 'status', 'web');
    const pid = /pid (\d+)/.exec(before.stdout)?.[1];
    expect(pid).toBeDefined();
    const good = "<?xml version='1.0'?><methodCall><methodName>supervisor.getAllProcessInfo</methodName></methodCall>";
    const garbage = ['garbage', '<methodCall>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><methodCall/>', '\u0000\u0001', 'x'.repeat(2_000_000)];
    const raw = (text: string): Promise<void> =>
      new Promise((resolve) => {
        const s = connect(sock, () => s.end(text));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i += 1) {
      work.push(httpRequest(sock, { body: i % 2 ? good : garbage[i % garbage.length]! }).catch(() => null));
      if (i % 5 === 0) work.push(raw('GET /RPC2 HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nabc'));
      if (i % 7 === 0) work.push(raw('\r\n\r\nNONSENSE\r\n\r\n'));
      if (i % 10 === 0) work.push(supervisorctl(conf, 'status'));
    }
    await Promise.all(work);
    const after = await supervisorctl(conf, 'status', 'web');
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(new RegExp(`^web +RUNNING +pid ${pid},`));
    writeFileSync(path.join(dir, 'done'), '');
    await waitFor(async () => (await supervisorctl(conf, 'shutdown')).stdout.includes('Shut down'), 20_000, 'shutdown');
  }, 120_000);

  it('tsinit ctl fg relays stdin to the program and its output back', async () => {
    const { dir, conf } = await startTsinit(`[program:cat]\ncommand=/bin/cat\nstdout_logfile=%(here)s/cat.out\nstartsecs=0\n`);
    const fg = stream(process.execPath, [TSINIT, 'ctl', '-c', conf, 'fg', 'cat']);
    await waitFor(() => fg.out().includes('==> Press Ctrl-C to exit <=='), 20_000, 'fg banner');
    fg.write('hello-through-fg\n');
    await waitFor(() => fg.out().includes('hello-through-fg'), 20_000, 'echoed line');
    fg.endInput();
    expect(await fg.exited).toBe(0);
    expect(fg.out()).toMatch(/Exiting foreground\n$/);
    const bad = await run(process.execPath, [TSINIT, 'ctl', '-c', conf, 'fg', 'nosuch']);
    expect(bad).toMatchObject({ code: 1, stdout: 'ERROR: bad process name supplied\n' });
    void dir;
    await supervisorctl(conf, 'shutdown');
  }, 120_000);
});
