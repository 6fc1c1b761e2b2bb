// `tsinit health` exit codes and the health endpoint against a real tsinit running as PID 1 of a fresh PID
// namespace (as in a container): liveness, readiness, shutdown, unreachable.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pid1Run } from '../../helpers/pid1.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bundle = path.join(root, 'dist', 'tsinit.js');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function health(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bundle, 'health', ...args], { timeout: 30_000 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, out, err });
    });
  });
}

async function setup(programs: string): Promise<{ conf: string; port: number; run: Pid1Run }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-health-it-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const conf = path.join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${dir}/tsinit.log\npidfile=${dir}/tsinit.pid\nnodaemon=true\n\n[tsinit]\nhealth = 127.0.0.1:${port}\n\n${programs}`,
  );
  const run = await Pid1Run.start([process.execPath, bundle, '-c', conf]);
  cleanups.push(() => run.dispose());
  await run.waitForLine(`health endpoint listening on http://127.0.0.1:${port}/`);
  return { conf, port, run };
}

describe('tsinit health against a running tsinit (PID 1)', () => {
  it('liveness 0 and readiness 1 while an autostart program is FATAL; the body lists the states', async () => {
    const { conf, port, run } = await setup(
      '[program:web]\ncommand=/bin/sh -c "exec sleep 1000"\nstartsecs=1\ncritical=true\n\n' +
        '[program:broken]\ncommand=/bin/sh -c "exit 4"\nstartsecs=1\nstartretries=0\n',
    );
    await run.waitForLine('gave up: broken entered FATAL state');
    await run.waitForLine('success: web entered RUNNING state');

    expect(await health(['-c', conf])).toEqual({ code: 0, out: 'ok\n', err: '' });
    const ready = await health(['--ready', '-c', conf]);
    expect(ready.code).toBe(1);
    // start order: (priority, name)
    expect(ready.out).toBe('broken:broken FATAL (not ready)\nweb:web RUNNING\n');
    expect(ready.err).toBe(`tsinit health: http://127.0.0.1:${port}/readyz answered 503\n`);

    const metrics = await health(['--metrics', '--url', `http://127.0.0.1:${port}`]);
    expect(metrics.code).toBe(0);
    expect(metrics.out).toContain('tsinit_process_state{group="broken",name="broken"} 200\n');
    expect(metrics.out).toContain('tsinit_process_exit_status{group="broken",name="broken"} 4\n');
    expect(metrics.out).toContain('tsinit_process_up{group="web",name="web"} 1\n');
    expect(metrics.out).toContain('tsinit_supervisor_state 1\n');
  });

  it('readiness 0 once everything runs; liveness 1 while shutting down; 1 once gone', async () => {
    const { conf, port, run } = await setup(
      // ignores SIGTERM, so the shutdown lasts until stopwaitsecs (far away) or the test's cleanup
      "[program:stubborn]\ncommand=/bin/sh -c \"trap '' TERM; while :; do sleep 1; done\"\nstartsecs=1\nstopwaitsecs=120\n",
    );
    await run.waitForLine('success: stubborn entered RUNNING state');
    expect(await health(['--ready', '-c', conf])).toEqual({ code: 0, out: 'stubborn:stubborn RUNNING\n', err: '' });
    expect((await health(['--url', `127.0.0.1:${port}`])).code).toBe(0);

    run.signal('SIGTERM');
    await run.waitForLine('waiting for stubborn to die');
    const live = await health(['-c', conf]);
    expect(live).toEqual({ code: 1, out: 'shutting down\n', err: `tsinit health: http://127.0.0.1:${port}/healthz answered 503\n` });
    const ready = await health(['--ready', '-c', conf]);
    expect(ready.code).toBe(1);
    expect(ready.out).toBe('supervisor SHUTDOWN\nstubborn:stubborn STOPPING (not ready)\n');

    run.signal('SIGKILL');
    await run.waitForExit();
    const gone = await health(['-c', conf]);
    expect(gone.code).toBe(1);
    expect(gone.err).toBe(`tsinit health: cannot reach http://127.0.0.1:${port}/healthz: ECONNREFUSED\n`);
  });
});
