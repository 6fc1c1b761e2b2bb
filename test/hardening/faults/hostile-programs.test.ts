// Programs that misbehave on purpose: one that forks endlessly (bounded by a pids cgroup, as
// `docker run --pids-limit` would), one that closes its stdout and stderr, one that floods stderr, one
// that ignores every signal but SIGKILL. tsinit (PID 1) stays up, keeps answering, keeps the others
// supervised, and cleans up after them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processInfo, script, startTsinit, tempDir, waitFor, waitState, waitWithDiagnostics, type Tsinit } from '../helpers.js';

let t: Tsinit | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await t?.dispose();
  t = null;
  for (const c of cleanups.splice(0)) {
    try {
      c();
    } catch {
      /* best effort */
    }
  }
});

const PIDS_ROOT = '/sys/fs/cgroup/pids';
const hasPidsCgroup = existsSync(path.join(PIDS_ROOT, 'cgroup.procs'));

describe('hostile programs', () => {
  it.skipIf(!hasPidsCgroup)('a fork bomb hits the pids limit: PID 1 survives, stops it, reaps everything, spawns again', async () => {
    const cg = path.join(PIDS_ROOT, `tsinit-hard-${process.pid}-${Date.now()}`);
    mkdirSync(cg);
    writeFileSync(path.join(cg, 'pids.max'), '300');
    cleanups.push(() => rmdirSync(cg));
    const dir = tempDir('forkbomb');
    // Each round forks a subshell that forks a sleeper and exits: the sleepers are orphans of PID 1.
    const bomb = script(dir, 'bomb.sh', 'while :; do (sleep 1000 &) ; done\n');
    t = await startTsinit(
      'forkbomb',
      `[program:bomb]\ncommand=${bomb}\nstopasgroup=true\nkillasgroup=true\nstopwaitsecs=2\nstderr_logfile=$DIR/bomb.err\n` +
        `[program:later]\ncommand=/bin/sleep 1000000\nautostart=false\n` +
        `[program:steady]\ncommand=/bin/sleep 1000000\n`,
      { dir, wrap: ['sh', '-c', `echo 0 > ${cg}/cgroup.procs && exec "$@"`, 'sh'] },
    );
    const steady = (await waitState(t, 'steady', 'RUNNING')).pid;
    // The limit is reached: the bomb's shell reports fork failures.
    await waitFor(() => /fork/i.test(readFileSync(path.join(dir, 'bomb.err'), 'utf8')), 60_000, 'the bomb to hit the pids limit');
    expect(Number(readFileSync(path.join(cg, 'pids.current'), 'utf8'))).toBeGreaterThan(250);
    // PID 1 still answers at the limit.
    for (let i = 0; i < 5; i++) expect((await t.call('supervisor.getState')).kind).toBe('value');
    // Stop the bomb (its whole process group), then every orphaned sleeper is gone and reaped.
    await t.value('supervisor.stopProcess', ['bomb']);
    expect((await processInfo(t, 'bomb')).statename).toBe('STOPPED');
    await waitFor(() => Number(readFileSync(path.join(cg, 'pids.current'), 'utf8')) < 40, 30_000, 'the sleepers to be gone');
    await waitFor(() => t!.run.zombies().length === 0, 30_000, 'no zombies');
    // tsinit can spawn again.
    await t.value('supervisor.startProcess', ['later']);
    expect((await processInfo(t, 'later')).statename).toBe('RUNNING');
    const info = await processInfo(t, 'steady');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(steady);
    expect(t.log()).not.toMatch(/uncaught|unhandled|Assertion failed|EAGAIN.*\n\s+at /i);
  });

  it('a program that closes its stdout and stderr keeps running and is stopped normally', async () => {
    const dir = tempDir('closer');
    const closer = script(dir, 'closer.sh', 'echo "last words"\nexec >&- 2>&-\nexec sleep 1000000\n');
    t = await startTsinit('closer', `[program:closer]\ncommand=${closer}\nstdout_logfile=$DIR/closer.out\n`, { dir });
    const pid = (await waitState(t, 'closer', 'RUNNING')).pid;
    await waitFor(() => readFileSync(path.join(dir, 'closer.out'), 'utf8').includes('last words'), 20_000, 'its last words');
    // Still RUNNING after its pipes closed, same pid; stopping it works as usual.
    const info = await processInfo(t, 'closer');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(pid);
    await t.value('supervisor.stopProcess', ['closer']);
    expect((await processInfo(t, 'closer')).statename).toBe('STOPPED');
    expect(t.log()).toMatch(/stopped: closer \(terminated by SIGTERM\)/);
  });

  it('a program flooding stderr: logs rotate within their bounds, PID 1 stays responsive', async () => {
    const dir = tempDir('flood');
    const flood = script(dir, 'flood.sh', 'exec yes "stderr flood line ............................................................" >&2\n');
    t = await startTsinit(
      'flood',
      `[program:flood]\ncommand=${flood}\nstderr_logfile=$DIR/flood.err\nstderr_logfile_maxbytes=1MB\nstderr_logfile_backups=2\n` +
        `[program:crashy]\ncommand=/bin/sh -c "exit 3"\nstartsecs=0\nautorestart=true\n`,
      { dir },
    );
    const pid = (await waitState(t, 'flood', 'RUNNING')).pid;
    const err = path.join(dir, 'flood.err');
    await waitFor(() => existsSync(`${err}.2`), 60_000, 'two rotations');
    // While flooding: the control plane answers and the engine keeps restarting crashy.
    const spawns = t.log().split("spawned: 'crashy'").length;
    await waitWithDiagnostics(t, () => t!.log().split("spawned: 'crashy'").length > spawns + 2, 30_000, 'crashy restarts during the flood');
    for (let i = 0; i < 5; i++) expect((await t.call('supervisor.getState')).kind).toBe('value');
    const info = await processInfo(t, 'flood');
    expect(info.statename).toBe('RUNNING');
    expect(info.pid).toBe(pid);
    // Bounded: the base file and the 2 backups, each around maxbytes, and nothing else (checked once the
    // flood is stopped, so that no rotation renames files under our feet).
    await t.value('supervisor.stopProcess', ['flood']);
    const files = readdirSync(dir).filter((f) => f.startsWith('flood.err'));
    expect(files.sort()).toEqual(['flood.err', 'flood.err.1', 'flood.err.2']);
    for (const f of files) expect(statSync(path.join(dir, f)).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('a program ignoring every signal but SIGKILL is killed after stopwaitsecs, on stop and on shutdown', async () => {
    const dir = tempDir('stubborn');
    const stubborn = script(dir, 'stubborn.sh', "trap '' HUP INT QUIT USR1 USR2 TERM ALRM PIPE\nwhile :; do sleep 0.2; done\n");
    t = await startTsinit(
      'stubborn',
      `[program:stubborn]\ncommand=${stubborn}\nstopwaitsecs=1\n[program:stubborn2]\ncommand=${stubborn}\nstopwaitsecs=1\n`,
      { dir },
    );
    const pid = (await waitState(t, 'stubborn', 'RUNNING')).pid;
    // Signals it ignores change nothing.
    for (const sig of ['HUP', 'INT', 'QUIT', 'USR1', 'USR2', 'TERM']) await t.value('supervisor.signalProcess', ['stubborn', sig]);
    expect((await processInfo(t, 'stubborn')).pid).toBe(pid);
    await t.value('supervisor.stopProcess', ['stubborn']);
    expect(t.log()).toContain(`killing 'stubborn' (${pid}) with SIGKILL`);
    expect(t.log()).toMatch(/stopped: stubborn \(terminated by SIGKILL\)/);
    // Shutdown with one still running: escalates the same way and exits 0.
    await waitState(t, 'stubborn2', 'RUNNING');
    t.run.signal('SIGTERM');
    expect((await t.run.waitForExit(30_000)).code).toBe(0);
    expect(t.log()).toMatch(/stopped: stubborn2 \(terminated by SIGKILL\)/);
  });
});
