// tsinit as PID 1 with [fcgi-program:x] (spec §2.5): one listening socket per group, bound when the group is
// created, dup'ed onto fd 0 of every process (no stdin pipe), closed when the last process is gone.
import { readlinkSync, statSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, startTsinit, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

/** A program serving `hello <SUPERVISOR_PROCESS_NAME>` on every connection accepted on its fd 0. */
const SERVER = `require('net').createServer((c) => c.end('hello ' + process.env.SUPERVISOR_PROCESS_NAME)).listen({ fd: 0 }, () => console.log('listening'));\n`;

function request(target: string | number): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = typeof target === 'number' ? connect(target, '127.0.0.1') : connect(target);
    let data = '';
    c.on('data', (d) => (data += d.toString()));
    c.on('end', () => resolve(data));
    c.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('[fcgi-program:x]', () => {
  it('unix socket with socket_mode: every process accepts on it; created with the group, closed after the last stop', async () => {
    wd = new Workdir();
    const js = wd.file('server.js', SERVER);
    const sock = `${wd.dir}/fc.sock`;
    run = await startTsinit(
      wd.config(
        `[fcgi-program:fc]\ncommand=${process.execPath} ${js}\nsocket=unix://${sock}\nsocket_mode=0666\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)s\nstartsecs=0\n`,
      ),
    );
    await run.waitForLine("'fc_0' stdout output:");
    await run.waitForLine("'fc_1' stdout output:");
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o666);
    for (let i = 0; i < 5; i++) expect(await request(sock)).toMatch(/^hello fc_[01]$/);
    // fd 0 of both processes is the one listening socket (no stdin pipe)
    const fd0 = run
      .descendants()
      .filter((p) => p.comm === 'node')
      .map((p) => readlinkSync(`/proc/${p.pid}/fd/0`));
    expect(fd0).toHaveLength(2);
    expect(fd0[0]).toMatch(/^socket:\[\d+\]$/);
    expect(fd0[1]).toBe(fd0[0]);
    const url = `unix://${sock}`;
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    const lines = messages(run);
    expect(lines.slice(0, lines.findIndex((l) => l.startsWith('spawned:')))).toEqual(
      expect.arrayContaining([`Creating socket ${url}`, `Closing socket ${url}`]),
    );
    const lastStop = Math.max(lines.indexOf('stopped: fc_0 (terminated by SIGTERM)'), lines.indexOf('stopped: fc_1 (terminated by SIGTERM)'));
    expect(lastStop).toBeGreaterThan(-1);
    expect(lines.lastIndexOf(`Closing socket ${url}`)).toBeGreaterThan(lastStop);
    expect(lines.filter((l) => l === `Creating socket ${url}`)).toHaveLength(2); // at group creation, at the first spawn
  });

  it('tcp socket: fd 0 of the process is the listening socket; after exit the port is closed', async () => {
    wd = new Workdir();
    const js = wd.file('server.js', SERVER);
    const port = await freePort();
    run = await startTsinit(wd.config(`[fcgi-program:web]\ncommand=${process.execPath} ${js}\nsocket=tcp://127.0.0.1:${port}\nsocket_backlog=16\nstartsecs=0\n`));
    await run.waitForLine("'web' stdout output:");
    for (let i = 0; i < 3; i++) expect(await request(port)).toBe('hello web');
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    await expect(request(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("a socket that cannot be bound: supervisord's text, the program FATAL, tsinit keeps supervising (supervisord dies)", async () => {
    wd = new Workdir();
    const js = wd.file('server.js', SERVER);
    run = await startTsinit(
      wd.config(
        `[fcgi-program:fc]\ncommand=${process.execPath} ${js}\nsocket=unix://${wd.dir}/missing/fc.sock\nstartretries=1\n\n[program:other]\ncommand=/bin/sleep 1000\nstartsecs=0\n`,
      ),
    );
    await run.waitForLine('gave up: fc entered FATAL state, too many start retries too quickly');
    const text = `Could not create FastCGI socket unix://${wd.dir}/missing/fc.sock: [Errno 2] No such file or directory`;
    expect(messages(run)).toContain(text);
    expect(messages(run)).toContain(`spawnerr: ${text}`);
    expect(messages(run)).toContain('success: other entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)');
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
