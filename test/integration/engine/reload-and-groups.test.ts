// tsinit as PID 1: SIGHUP reload (good and broken configs), stopasgroup vs. a plain stop for grandchildren.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, spawnedNames, startTsinit, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

const grandchildren = (r: Pid1Run, marker: string): number =>
  r.descendants().filter((p) => p.comm === 'sleep' && readCmdline(p.pid).includes(marker)).length;

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

describe('SIGHUP reload', () => {
  it('stops everything, re-reads the config and starts the new programs', async () => {
    wd = new Workdir();
    const conf = wd.config('[program:old]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    run = await startTsinit(conf);
    await run.waitForLine('success: old entered RUNNING state');
    wd.config('[program:new]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    run.signal('SIGHUP');
    await run.waitForLine('success: new entered RUNNING state');
    const lines = messages(run);
    expect(lines).toContain('received SIGHUP indicating restart request');
    expect(lines).toContain('stopped: old (terminated by SIGTERM)');
    expect(lines.filter((l) => l === 'supervisord started with pid 1')).toHaveLength(2);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a broken config is reported and the running one kept (tsinit deviation: supervisord exits 2)', async () => {
    wd = new Workdir();
    const conf = wd.config('[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    run = await startTsinit(conf);
    await run.waitForLine('success: a entered RUNNING state');
    wd.file('supervisord.conf', '[supervisord]\nlogfile=/dev/stdout\n[program:a]\ncommand=/bin/sleep 1000\nautostart=maybe\n');
    run.signal('SIGHUP');
    await run.waitForLine(/could not reload the configuration, keeping the running one: not a valid boolean value: 'maybe'/);
    await waitUntil(() => spawnedNames(messages(run!)).filter((n) => n === 'a').length === 2);
    await run.waitForLine('success: a entered RUNNING state', { fromIndex: run.stdout.indexOf('could not reload') });
    expect(run.exited).toBeNull();
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});

describe('process groups', () => {
  it('stopasgroup leaves no grandchild behind; without it the grandchild survives the stop (as supervisord)', async () => {
    wd = new Workdir();
    const conf = wd.config(
      '[program:grouped]\ncommand=/bin/sh -c "sleep 7771 & wait"\nstopasgroup=true\nstartsecs=0\n\n' +
        '[program:plain]\ncommand=/bin/sh -c "sleep 7772 & wait"\nstartsecs=0\n',
    );
    run = await startTsinit(conf);
    await run.waitForLine('success: grouped entered RUNNING state');
    await run.waitForLine('success: plain entered RUNNING state');
    await waitUntil(() => grandchildren(run!, '7771') === 1 && grandchildren(run!, '7772') === 1);
    // reload = stop everything, then start again: the stop shows what each program leaves behind
    run.signal('SIGHUP');
    await run.waitForLine(/killing grouped \(pid \d+\) process group with signal SIGTERM/);
    await waitUntil(() => messages(run!).filter((l) => l.startsWith('success: ')).length === 4);
    expect(grandchildren(run, '7771')).toBe(1); // only the new one
    expect(grandchildren(run, '7772')).toBe(2); // the old one survived the stop
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    // the final sweep took the survivor down with everything else
    expect(messages(run).some((l) => /^terminated \d+ leftover process\(es\)/.test(l))).toBe(true);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${run?.output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
