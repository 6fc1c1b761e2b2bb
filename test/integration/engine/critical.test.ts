// tsinit as PID 1: `critical=true` programs end the container with the right exit status, after stopping
// every other program in the normal order, and leave their summary in the termination log.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, startTsinit, stoppedNames, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

async function runCritical(program: string): Promise<{ code: number | null; lines: string[]; termlog: string }> {
  wd = new Workdir();
  const termlog = wd.file('termination-log', '');
  const conf = wd.config(
    `[program:main]\n${program}\ncritical=true\npriority=10\n\n` +
      `[program:side1]\ncommand=/bin/sleep 1000\npriority=20\nstartsecs=0\n\n` +
      `[program:side2]\ncommand=/bin/sleep 1000\npriority=30\nstartsecs=0\n`,
  );
  run = await startTsinit(conf, { ...process.env, TSINIT_TERMINATION_LOG: termlog });
  const { code } = await run.waitForExit(40_000);
  return { code, lines: messages(run), termlog: readFileSync(termlog, 'utf8') };
}

describe('critical programs', () => {
  it('exits with the program\'s non-zero exit status after stopping the others in order', async () => {
    const r = await runCritical('command=/bin/sh -c "sleep 1.3; exit 5"\nautorestart=false');
    expect(r.code).toBe(5);
    const summary = 'critical program main entered EXITED state (exit status 5; not expected; 1 start attempt); stopping all programs, exit status 5';
    expect(r.lines).toContain(summary);
    expect(r.termlog).toBe(`${summary}\n`);
    expect(stoppedNames(r.lines)).toEqual(['side2', 'side1']);
  });

  it('128+N when a signal killed it', async () => {
    const r = await runCritical('command=/bin/sh -c "sleep 1.3; kill -TERM $$"\nautorestart=false');
    expect(r.code).toBe(143);
    expect(r.termlog).toContain('terminated by SIGTERM');
  });

  it('1 when it never ran (spawn error until FATAL)', async () => {
    const r = await runCritical('command=/nonexistent/prog\nstartretries=0');
    expect(r.code).toBe(1);
    expect(r.termlog).toContain("never ran: can't find command '/nonexistent/prog'");
    expect(r.lines).toContain('gave up: main entered FATAL state, too many start retries too quickly');
  });

  it('0 when it exited with an expected code and will not be restarted', async () => {
    const r = await runCritical('command=/bin/sh -c "sleep 1.3; exit 0"\nautorestart=unexpected');
    expect(r.code).toBe(0);
    expect(r.lines.some((l) => l.startsWith('critical program main entered EXITED state (exit status 0; expected'))).toBe(true);
  });

  it('FATAL after quick failures: the last exit status', async () => {
    const r = await runCritical('command=/bin/sh -c "exit 7"\nstartretries=1');
    expect(r.code).toBe(7);
    expect(r.termlog).toContain('entered FATAL state (exit status 7; not expected; 2 start attempts)');
  });

  it('a critical program that is restarted does not stop the container', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:main]\ncommand=/bin/sh -c "sleep 1.2; exit 3"\ncritical=true\nautorestart=true\n'));
    await run.waitForLine('exited: main (exit status 3; not expected)');
    await run.waitForLine("spawned: 'main'", { fromIndex: run.stdout.indexOf('exited: main') });
    expect(run.exited).toBeNull();
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
