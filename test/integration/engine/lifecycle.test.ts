// tsinit really PID 1: start/stop order, stopsignal → SIGKILL escalation, SIGTERM in every state ends in an
// orderly exit 0, pidfile written and removed, nothing left behind.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, spawnedNames, startTsinit, stoppedNames, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

describe('start and stop order', () => {
  it('starts by ascending priority, stops by descending priority one at a time, exits 0 on SIGTERM', async () => {
    wd = new Workdir();
    const progs = [
      ['p300', 300],
      ['p50', 50],
      ['p200', 200],
      ['p100', 100],
    ] as const;
    const body = progs.map(([n, p]) => `[program:${n}]\ncommand=/bin/sleep 1000\npriority=${p}\nstartsecs=0\n`).join('\n');
    const conf = wd.config(body);
    run = await startTsinit(conf);
    await run.waitForLine('success: p300 entered RUNNING state');
    await run.waitForLine('success: p50 entered RUNNING state');
    const pidfile = `${wd.dir}/tsinit.pid`;
    expect(readFileSync(pidfile, 'utf8')).toBe('1\n');
    expect(messages(run)).toContain('supervisord started with pid 1');
    expect(spawnedNames(messages(run))).toEqual(['p50', 'p100', 'p200', 'p300']);
    run.signal('SIGTERM');
    const { code } = await run.waitForExit();
    expect(code).toBe(0);
    const lines = messages(run);
    expect(lines).toContain('received SIGTERM indicating exit request');
    expect(stoppedNames(lines)).toEqual(['p300', 'p200', 'p100', 'p50']);
    expect(lines).toContain('stopped: p300 (terminated by SIGTERM)');
    expect(existsSync(pidfile)).toBe(false);
  });
});

describe('stop escalation', () => {
  it('a program ignoring SIGTERM gets SIGKILL after stopwaitsecs; the next group waits for it', async () => {
    wd = new Workdir();
    const stubborn = wd.script('stubborn.sh', "trap '' TERM\nwhile :; do sleep 0.2; done");
    const conf = wd.config(
      `[program:stubborn]\ncommand=${stubborn}\npriority=200\nstopwaitsecs=2\nstartsecs=0\nstopasgroup=false\nkillasgroup=true\n\n` +
        `[program:low]\ncommand=/bin/sleep 1000\npriority=100\nstartsecs=0\n`,
    );
    run = await startTsinit(conf);
    await run.waitForLine('success: stubborn entered RUNNING state');
    await run.waitForLine('success: low entered RUNNING state');
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    const lines = messages(run);
    const kill = lines.findIndex((l) => /^killing 'stubborn' \(\d+\) with SIGKILL$/.test(l));
    expect(kill).toBeGreaterThan(-1);
    const stopped = lines.indexOf('stopped: stubborn (terminated by SIGKILL)');
    expect(stopped).toBeGreaterThan(kill);
    // `low` only got its signal after stubborn was gone
    const lowKill = lines.findIndex((l) => /^killing low \(pid \d+\) with signal SIGTERM$/.test(l));
    expect(lowKill).toBeGreaterThan(stopped);
    expect(lines).toContain('stopped: low (terminated by SIGTERM)');
    expect(lines.some((l) => l === 'waiting for stubborn, low to die' || l === 'waiting for low, stubborn to die')).toBe(true);
  });
});

describe('SIGTERM to tsinit in any state ends in an orderly exit 0', () => {
  it('while a program is STARTING', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:slow]\ncommand=/bin/sleep 1000\nstartsecs=30\n'));
    await run.waitForLine("spawned: 'slow'");
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    expect(messages(run)).toContain('stopped: slow (terminated by SIGTERM)');
  });

  it('while a program is in BACKOFF (it becomes FATAL without another spawn)', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:bo]\ncommand=/bin/sh -c "exit 1"\nstartretries=10\n'));
    await run.waitForLine('exited: bo (exit status 1; not expected)');
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    expect(spawnedNames(messages(run))).toEqual(['bo']);
  });

  it('while a program is STOPPING (a second SIGTERM changes nothing)', async () => {
    wd = new Workdir();
    const stubborn = wd.script('stubborn.sh', "trap '' TERM\nwhile :; do sleep 0.2; done");
    run = await startTsinit(wd.config(`[program:stub]\ncommand=${stubborn}\nstopwaitsecs=2\nstartsecs=0\n`));
    await run.waitForLine('success: stub entered RUNNING state');
    run.signal('SIGTERM');
    await run.waitForLine(/killing stub \(pid \d+\) with signal SIGTERM/);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    expect(messages(run)).toContain('stopped: stub (terminated by SIGKILL)');
  });

  it('at once after the first spawn, while the logger and the control plane are still loading', async () => {
    // The program's first act is to SIGTERM tsinit (PID 1 here): the signal arrives right after the spawn,
    // when pino and the HTTP/XML-RPC layer are loaded. Every line still reaches the log, the control socket
    // is closed and removed, and the exit is orderly.
    wd = new Workdir();
    const sock = `${wd.dir}/s.sock`;
    const conf = wd.config(
      "[program:a]\ncommand=/bin/sh -c 'kill -TERM 1; exec sleep 1000'\nstartsecs=0\n",
      `\n[unix_http_server]\nfile=${sock}\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`,
    );
    run = await startTsinit(conf);
    const { code } = await run.waitForExit();
    expect(code).toBe(0);
    const lines = messages(run);
    for (const line of [
      "RPC interface 'supervisor' initialized",
      'supervisord started with pid 1',
      'received SIGTERM indicating exit request',
    ]) {
      expect(lines).toContain(line);
    }
    expect(spawnedNames(lines)).toEqual(['a']);
    expect(lines.indexOf('supervisord started with pid 1')).toBeLessThan(lines.findIndex((l) => l.startsWith("spawned: 'a'")));
    expect(existsSync(sock)).toBe(false);
    expect(existsSync(`${wd.dir}/tsinit.pid`)).toBe(false);
  });

  it('SIGINT and SIGQUIT are exit requests too', async () => {
    for (const sig of ['SIGINT', 'SIGQUIT'] as const) {
      wd?.cleanup();
      wd = new Workdir();
      run = await startTsinit(wd.config('[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n'));
      await run.waitForLine('success: a entered RUNNING state');
      run.signal(sig);
      expect((await run.waitForExit()).code).toBe(0);
      expect(messages(run)).toContain(`received ${sig} indicating exit request`);
      await run.dispose();
    }
  });

  it('SIGUSR1 is logged and ignored (no inspector, no exit)', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n'));
    await run.waitForLine('success: a entered RUNNING state');
    run.signal('SIGUSR1');
    run.signal('SIGUSR2');
    await run.waitForLine('supervisord logreopen');
    expect(run.exited).toBeNull();
    expect(run.output).not.toContain('Debugger listening');
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
