// Faults in PID 1's own surroundings: its stdout/stderr closed by the reader or stalled (a `docker logs`
// pipe nobody drains), /dev/termination-log missing or not writable, the control socket's directory
// missing. Supervision goes on in every case.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processInfo, script, spawnCount, startTsinit, tempDir, waitFor, waitState, waitWithDiagnostics, type Tsinit } from '../helpers.js';

let t: Tsinit | null = null;
const immutable: string[] = [];
afterEach(async () => {
  await t?.dispose();
  t = null;
  for (const f of immutable.splice(0)) execFileSync('chattr', ['-i', f]);
});

describe("tsinit's own stdout/stderr", () => {
  it('closed by the reader: supervision, the control plane and the main log file carry on', async () => {
    const dir = tempDir('stdout-closed');
    const chatty = script(dir, 'chatty.sh', 'i=0\nwhile :; do echo "chatty $i"; echo "oops $i" >&2; i=$((i+1)); sleep 0.01; done\n');
    t = await startTsinit(
      'stdout-closed',
      `[program:chatty]\ncommand=${chatty}\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nstderr_logfile=/dev/stderr\nstderr_logfile_maxbytes=0\nprefix=true\n` +
        `[program:crashy]\ncommand=/bin/sh -c "exit 3"\nstartsecs=0\nautorestart=true\n`,
      { dir },
    );
    const pid = (await waitState(t, 'chatty', 'RUNNING')).pid;
    await t.run.waitForLine(/chatty \| chatty 5/);
    // Close the read ends of tsinit's stdout and stderr: every further write there fails with EPIPE.
    t.run.proc.stdout!.destroy();
    t.run.proc.stderr!.destroy();
    const spawnsBefore = spawnCount(t, 'crashy');
    await waitWithDiagnostics(t, () => spawnCount(t!, 'crashy') > spawnsBefore + 3, 30_000, 'crashy to be restarted 3 more times');
    const info = await processInfo(t, 'chatty');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(pid);
    expect(t.run.exited).toBeNull();
    expect(t.log()).not.toMatch(/uncaught|unhandled|EPIPE.*\n\s+at /i);
    t.run.signal('SIGTERM');
    expect((await t.run.waitForExit()).code).toBe(0);
    expect(t.log()).toMatch(/stopped: chatty/);
  });

  it('stalled (nobody reads the pipe): PID 1 stays responsive; output flows again when the reader resumes', async () => {
    const dir = tempDir('stdout-stalled');
    const flood = script(dir, 'flood.sh', 'i=0\nwhile :; do echo "flood $i ................................................................"; i=$((i+1)); done\n');
    t = await startTsinit(
      'stdout-stalled',
      `[program:flood]\ncommand=${flood}\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nprefix=true\n` +
        `[program:crashy]\ncommand=/bin/sh -c "exit 3"\nstartsecs=0\nautorestart=true\n`,
      { dir },
    );
    const pid = (await waitState(t, 'flood', 'RUNNING')).pid;
    t.run.proc.stdout!.pause();
    // While the pipe is full, the engine keeps restarting crashy and the control plane keeps answering.
    const spawnsBefore = spawnCount(t, 'crashy');
    await waitWithDiagnostics(t, () => spawnCount(t!, 'crashy') > spawnsBefore + 3, 30_000, 'crashy to be restarted 3 more times while stdout is stalled');
    for (let i = 0; i < 10; i++) expect((await t.call('supervisor.getState')).kind).toBe('value');
    const info = await processInfo(t, 'flood');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(pid);
    // Resume: flood output reaches stdout again.
    const seen = t.run.stdout.length;
    t.run.proc.stdout!.resume();
    await waitFor(() => t!.run.stdout.length > seen + 100_000, 30_000, 'output to flow again');
    expect(t.run.stdout.slice(seen)).toMatch(/flood \| flood \d+/);
  });
});

describe('/dev/termination-log', () => {
  const critical = (code: number) => `[program:crit]\ncommand=/bin/sh -c "sleep 1.5; exit ${code}"\ncritical=true\nautorestart=false\nstartsecs=1\n`;

  it('writable: the summary of the critical exit is written (positive control)', async () => {
    const dir = tempDir('termlog-ok');
    const file = path.join(dir, 'termination-log');
    writeFileSync(file, '');
    t = await startTsinit('termlog-ok', critical(7), { dir, env: { ...process.env, TSINIT_TERMINATION_LOG: file } });
    expect((await t.run.waitForExit()).code).toBe(7);
    expect(readFileSync(file, 'utf8')).toMatch(/^critical program crit entered EXITED state .* exit status 7\n$/);
  });

  it.each([
    ['missing (its directory does not exist)', (dir: string) => path.join(dir, 'no', 'such', 'termination-log')],
    [
      'not writable (a directory)',
      (dir: string) => {
        const d = path.join(dir, 'termination-log');
        mkdirSync(d);
        return d;
      },
    ],
    [
      'not writable (chattr +i: not even root may write it)',
      (dir: string) => {
        const f = path.join(dir, 'termination-log');
        writeFileSync(f, '');
        execFileSync('chattr', ['+i', f]);
        immutable.push(f);
        return f;
      },
    ],
  ])('%s: tsinit still stops everything and exits with the critical status', async (_label, make) => {
    const dir = tempDir('termlog');
    const file = make(dir);
    t = await startTsinit('termlog', critical(5) + '[program:other]\ncommand=/bin/sleep 1000000\n', {
      dir,
      env: { ...process.env, TSINIT_TERMINATION_LOG: file },
    });
    const { code } = await t.run.waitForExit();
    expect(code).toBe(5);
    expect(t.log()).toMatch(/critical program crit entered EXITED state/);
    expect(t.log()).toMatch(/stopped: other/);
    expect(t.run.output).not.toMatch(/\n\s+at .*\(|uncaught|unhandled/i);
  });
});

describe('control socket directory missing', () => {
  it("is supervisord's startup error: exit 2 with errno.ENOENT, before any program starts", async () => {
    const dir = tempDir('nosockdir');
    const marker = path.join(dir, 'started');
    t = await startTsinit('nosockdir', `[program:touch]\ncommand=/bin/touch ${marker}\nstartsecs=0\nautorestart=false\n`, {
      dir,
      noSocket: true,
      waitStarted: false,
      supervisord: `[unix_http_server]\nfile=${dir}/missing/dir/tsinit.sock\n`,
    });
    const { code } = await t.run.waitForExit();
    expect(code).toBe(2);
    expect(t.run.stderr).toContain('Error: Cannot open an HTTP server: socket.error reported errno.ENOENT (2)\nFor help, use ');
    expect(existsSync(marker)).toBe(false);
  });
});
