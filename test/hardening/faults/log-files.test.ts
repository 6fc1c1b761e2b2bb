// Program log files under attack while the program writes: directory removed, file deleted, file made
// immutable (chattr +i), disk full (a 64 KiB tmpfs in tsinit's own mount namespace). In every case the
// program keeps running with the same pid, tsinit reports the problem once per failure streak, and
// logging resumes once the destination is usable again (on its own, or after SIGUSR2 reopens the logs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processInfo, script, startTsinit, tempDir, waitFor, waitState, type Tsinit } from '../helpers.js';

let t: Tsinit | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) {
    try {
      c();
    } catch {
      /* best effort */
    }
  }
  await t?.dispose();
  t = null;
});

/** A program printing numbered lines ("<tag> <n>") every 20 ms, forever (the number also on stderr when `alsoStderr`). */
function writer(dir: string, name: string, lineBytes = 0, alsoStderr = false): string {
  const pad = lineBytes > 0 ? ` ${'x'.repeat(lineBytes)}` : '';
  const err = alsoStderr ? `; echo "${name} $i" >&2` : '';
  return script(dir, `${name}.sh`, `i=0\nwhile :; do echo "${name} $i${pad}"${err}; i=$((i+1)); sleep 0.02; done\n`);
}

function lineCount(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** The highest line number the writer has put into `file` (-1 when none). */
function lastNumber(file: string, name: string): number {
  try {
    const nums = [...readFileSync(file, 'utf8').matchAll(new RegExp(`^${name} (\\d+)`, 'gm'))].map((m) => Number(m[1]));
    return nums.length ? Math.max(...nums) : -1;
  } catch {
    return -1;
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('program log files: the program keeps running, the problem is logged once, logging recovers', () => {
  it('directory removed, file deleted, file made immutable', async () => {
    const dir = tempDir('logfiles');
    for (const d of ['gone', 'deleted', 'immutable']) mkdirSync(path.join(dir, d));
    const prog = (name: string) =>
      `[program:${name}]\ncommand=${writer(dir, name)}\nstdout_logfile=$DIR/${name}/out.log\nstdout_logfile_maxbytes=0\nstderr_logfile=NONE\n`;
    t = await startTsinit('logfiles', prog('gone') + prog('deleted') + prog('immutable'), { dir });
    const pids: Record<string, number> = {};
    for (const name of ['gone', 'deleted', 'immutable']) pids[name] = (await waitState(t, name, 'RUNNING')).pid;
    const file = (name: string) => path.join(dir, name, 'out.log');
    await waitFor(() => lineCount(file('immutable')) > 5, 20_000, 'first lines');

    // 1. The directory of a log file disappears, 2. a log file is deleted; SIGUSR2 makes tsinit reopen.
    rmSync(path.join(dir, 'gone'), { recursive: true });
    unlinkSync(file('deleted'));
    t.run.signal('SIGUSR2');
    await waitFor(() => t!.log().includes(`could not open ${file('gone')}`), 20_000, 'the missing-directory report');
    // 3. chattr +i on an open log file: every further write fails with EPERM.
    execFileSync('chattr', ['+i', file('immutable')]);
    cleanups.push(() => execFileSync('chattr', ['-i', file('immutable')]));
    await waitFor(() => t!.log().includes(`could not write ${file('immutable')}`), 20_000, 'the EPERM report');
    // A deleted file is simply created again on reopen, and fills up (no error).
    await waitFor(() => lineCount(file('deleted')) > 20, 20_000, 'the deleted file to be recreated');
    expect(t.log()).not.toContain(`${file('deleted')}: `);

    // Let the failing writers fail a few hundred more times: still one report each.
    const mark = lastNumber(file('deleted'), 'deleted');
    await waitFor(() => lastNumber(file('deleted'), 'deleted') > mark + 150, 30_000, '150 more lines');
    expect(count(t.log(), `could not write ${file('immutable')}`)).toBe(1);
    expect(count(t.log(), `could not open ${file('gone')}`)).toBe(1);
    expect(count(t.log(), file('immutable'))).toBe(1); // no separate report for each failed reopen attempt

    // Repair both: logging resumes by itself (the retry reopens the file).
    execFileSync('chattr', ['-i', file('immutable')]);
    mkdirSync(path.join(dir, 'gone'));
    const before = lastNumber(file('immutable'), 'immutable');
    await waitFor(() => lastNumber(file('immutable'), 'immutable') > before + 10, 30_000, 'immutable log to resume');
    await waitFor(() => lineCount(file('gone')) > 10, 30_000, 'the recreated directory to get a log file');

    for (const name of ['gone', 'deleted', 'immutable']) {
      const info = await processInfo(t, name);
      expect(info.statename, name).toBe('RUNNING');
      expect(info.pid, name).toBe(pids[name]);
    }
    expect(t.log()).not.toMatch(/unexpected|uncaught|unhandled/i);
  });

  it('disk full (64 KiB tmpfs): ENOSPC reported once, program keeps running, logging recovers when space is freed', async () => {
    const dir = tempDir('diskfull');
    const small = path.join(dir, 'small');
    mkdirSync(small);
    // Mount the tmpfs inside tsinit's own mount namespace (unshare --mount-proc gives it one), then exec node.
    t = await startTsinit(
      'diskfull',
      `[program:filler]\ncommand=${writer(dir, 'filler', 1000, true)}\nstdout_logfile=${small}/out.log\nstdout_logfile_maxbytes=0\nstderr_logfile=$DIR/filler.err\n` +
        `[program:bystander]\ncommand=/bin/sleep 1000000\n`,
      { dir, wrap: ['sh', '-c', `mount -t tmpfs -o size=64k tsinit-hard ${small} && exec "$@"`, 'sh'] },
    );
    const pid = (await waitState(t, 'filler', 'RUNNING')).pid;
    // The tmpfs is only visible inside the namespace: reach it through PID 1's root.
    const inside = `/proc/${t.run.pid}/root${small}/out.log`;
    await waitFor(() => t!.log().includes(`could not write ${small}/out.log`), 30_000, 'the ENOSPC report');
    expect(t.log()).toMatch(/could not write .*out\.log: ENOSPC|No space left on device/);
    expect(statSync(path.join(dir, 'small')).isDirectory()).toBe(true);
    expect(existsSync(inside)).toBe(true);

    // Keep failing for 100 more lines (counted on stderr, which goes to the big disk): still a single report.
    const errLog = path.join(dir, 'filler.err');
    const mark = lastNumber(errLog, 'filler');
    await waitFor(() => lastNumber(errLog, 'filler') > mark + 100, 30_000, '100 more lines');
    expect(count(t.log(), `could not write ${small}/out.log`)).toBe(1);
    const info = await processInfo(t, 'filler');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(pid);

    // Free the space: tsinit closed the failing file, so unlinking it really frees the blocks; the next
    // retry creates a new file and the writer's newer lines land in it.
    unlinkSync(inside);
    await waitFor(() => existsSync(inside) && lineCount(inside) > 3, 30_000, 'logging to resume after space was freed');
    expect((await processInfo(t, 'filler')).pid).toBe(pid);
    expect((await processInfo(t, 'bystander')).statename).toBe('RUNNING');
  });
});
