// tsinit as PID 1: backoff (4 spawns for startretries=3, growing spacing, gave up), autorestart
// true/false/unexpected against exitcodes, and a non-critical FATAL that leaves tsinit running.
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, spawnedNames, startTsinit, timesOf, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

describe('backoff', () => {
  it('startretries=3: 4 spawns, spacing grows 1 s, 2 s, 3 s, then FATAL with the gave-up line', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:fail]\ncommand=/bin/sh -c "exit 1"\nstartretries=3\n\n[program:keep]\ncommand=/bin/sleep 1000\n'));
    await run.waitForLine('gave up: fail entered FATAL state, too many start retries too quickly', { timeoutMs: 30_000 });
    const lines = messages(run);
    expect(spawnedNames(lines).filter((n) => n === 'fail')).toHaveLength(4);
    expect(lines.filter((l) => l === 'exited: fail (exit status 1; not expected)')).toHaveLength(4);
    const t = timesOf(run, /spawned: 'fail'/);
    const gaps = t.slice(1).map((v, i) => v - t[i]!);
    // each gap is the k-second backoff plus the run time: strictly growing, each at least k seconds
    expect(gaps[0]!).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    expect(gaps[2]!).toBeGreaterThanOrEqual(3000);
    // a non-critical FATAL does not stop tsinit
    expect(run.exited).toBeNull();
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
    expect(messages(run)).toContain('stopped: keep (terminated by SIGTERM)');
  });

  it('a spawn error (command not found) is a failed start with supervisord\'s message', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:nf]\ncommand=nonexistent_cmd\nstartretries=1\n'));
    await run.waitForLine('gave up: nf entered FATAL state, too many start retries too quickly');
    const lines = messages(run);
    expect(lines.filter((l) => l === "spawnerr: can't find command 'nonexistent_cmd'")).toHaveLength(2);
    expect(spawnedNames(lines)).toEqual([]);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});

describe('autorestart', () => {
  it('true restarts, false stays EXITED, unexpected restarts only on a code outside exitcodes', async () => {
    wd = new Workdir();
    const exitAfter = (code: number): string => `/bin/sh -c "sleep 1.3; exit ${code}"`;
    run = await startTsinit(
      wd.config(
        `[program:always]\ncommand=${exitAfter(0)}\nautorestart=true\n\n` +
          `[program:never]\ncommand=${exitAfter(3)}\nautorestart=false\n\n` +
          `[program:expected]\ncommand=${exitAfter(2)}\nautorestart=unexpected\nexitcodes=0,2\n\n` +
          `[program:unexpected]\ncommand=${exitAfter(3)}\nautorestart=unexpected\nexitcodes=0,2\n`,
      ),
    );
    // wait until `always` and `unexpected` have each been spawned 3 times
    await run.waitForLine(/exited: always .*/);
    await waitForCount(run, "spawned: 'always'", 3);
    await waitForCount(run, "spawned: 'unexpected'", 3);
    const lines = messages(run);
    expect(lines).toContain('exited: always (exit status 0; expected)');
    expect(lines).toContain('exited: never (exit status 3; not expected)');
    expect(lines).toContain('exited: expected (exit status 2; expected)');
    expect(lines).toContain('exited: unexpected (exit status 3; not expected)');
    expect(spawnedNames(lines).filter((n) => n === 'never')).toHaveLength(1);
    expect(spawnedNames(lines).filter((n) => n === 'expected')).toHaveLength(1);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a signal death counts as unexpected (restarted with autorestart=unexpected)', async () => {
    wd = new Workdir();
    run = await startTsinit(wd.config('[program:sig]\ncommand=/bin/sh -c "sleep 1.3; kill -9 $$"\nexitcodes=0\n'));
    await run.waitForLine('exited: sig (terminated by SIGKILL; not expected)');
    await waitForCount(run, "spawned: 'sig'", 2);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});

async function waitForCount(run: Pid1Run, text: string, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (run.lines(text).length < n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n}x ${text}; output:\n${run.output}`);
    if (run.exited) throw new Error(`exited early; output:\n${run.output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
