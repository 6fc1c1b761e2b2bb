// Per-child setup through the real OsEdge, with the harness as PID 1 of a fresh namespace: fds, umask,
// environment and argv[0], process groups (stopasgroup), the final sweep, and supervisord's texts for
// failures that happen in the child (bad directory, ENOEXEC) and in the parent (command not found). Each
// test runs with both ways of spawning.
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { buildHarness, type BuiltHarness } from './build-harness.js';

let harness: BuiltHarness;
let work: string;
let run: Pid1Run | null = null;
beforeAll(async () => {
  harness = await buildHarness();
  work = mkdtempSync(path.join(tmpdir(), 'tsinit-children-'));
});
afterAll(() => {
  harness.cleanup();
  rmSync(work, { recursive: true, force: true });
});
afterEach(async () => {
  await run?.dispose();
  run = null;
});

/** `ps` through the harness: the PROC lines printed after the command (pid ppid pgrp state comm). */
async function ps(r: Pid1Run): Promise<{ pid: number; ppid: number; pgrp: number; state: string; comm: string }[]> {
  const from = r.output.length;
  r.write('ps\n');
  await r.waitForLine('PS-END', { fromIndex: from });
  return r.output
    .slice(from)
    .split('\n')
    .filter((l) => l.startsWith('PROC '))
    .map((l) => {
      const [, pid, ppid, pgrp, state, comm] = l.split(' ');
      return { pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgrp), state: state!, comm: comm! };
    });
}

// Both ways of spawning: the addon's (run mode as PID 1) and child_process (without the addon).
describe.each(['native', 'libuv'] as const)('child setup as PID 1, %s spawn', (spawn) => {
  const argv = (scenario: object): string[] => harness.argv({ ...scenario, spawn });

  it('does not leak inherited fds into programs', async () => {
    const fd = openSync('/dev/null', 'r');
    try {
      // fd 20 of unshare and of PID 1, without CLOEXEC (libuv dup2s it into place).
      run = await Pid1Run.start(argv({ programs: [{ name: 'fds', command: 'sleep 1000' }] }), {
        extraFds: [...Array(17).fill(null), fd],
      });
    } finally {
      closeSync(fd);
    }
    const fdLine = await run.waitForLine(/^FD /);
    expect(fdLine.split(' ')).toContain('20'); // PID 1 really inherited it
    await run.waitForLine(/^SPAWNED fds /);
    const sleeper = await waitFor(() => run!.descendants().find((p) => p.comm === 'sleep'), 10_000, 'sleep to exec');
    expect(readdirSync(`/proc/${sleeper.pid}/fd`).sort()).toEqual(['0', '1', '2']);
  });

  it('applies umask= to the child only, and passes env and argv[0] as written', async () => {
    run = await Pid1Run.start(
      argv({
        programs: [
          { name: 'um', command: `sh -c 'umask; grep -E "^Sig(Ign|Blk)" /proc/self/status'`, umask: 0o027, output: 'pipe' },
          { name: 'env', command: `sh -c 'echo $0 $SUPERVISOR_ENABLED $SUPERVISOR_PROCESS_NAME $FOO'`, environment: { FOO: 'bar baz' }, output: 'pipe' },
        ],
        exitWhenIdle: true,
      }),
    );
    const ready = await run.waitForLine(/^READY /);
    expect(await run.waitForLine(/^OUT um /)).toBe('OUT um 0027');
    // libuv resets dispositions and the mask: Node's ignored SIGPIPE/SIGXFSZ do not reach programs.
    await run.waitForLine(/^OUT um SigIgn/);
    expect(run.lines(/^OUT um Sig/)).toEqual(['OUT um SigBlk:\t0000000000000000', 'OUT um SigIgn:\t0000000000000000']);
    expect(await run.waitForLine(/^OUT env /)).toBe('OUT env sh 1 env bar baz');
    const own = /umask=(\d+)/.exec(ready)![1];
    expect(run.lines(/^UMASK-AFTER-SPAWN /)).toEqual([`UMASK-AFTER-SPAWN ${own}`]);
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('puts each program in its own process group: a group kill takes the grandchildren, a pid kill does not', async () => {
    const prog = `sh -c 'sleep 1000 & sleep 1000 & echo started; wait'`;
    run = await Pid1Run.start(
      argv({ programs: [{ name: 'grp', command: prog, output: 'pipe' }, { name: 'solo', command: prog, output: 'pipe' }] }),
    );
    const grp = Number((await run.waitForLine(/^SPAWNED grp /)).split(' ')[2]);
    const solo = Number((await run.waitForLine(/^SPAWNED solo /)).split(' ')[2]);
    await run.waitForLine('OUT grp started');
    await run.waitForLine('OUT solo started');
    let procs = await ps(run);
    expect(procs.find((p) => p.pid === grp)!.pgrp).toBe(grp);
    expect(procs.find((p) => p.pid === solo)!.pgrp).toBe(solo);
    expect(procs.filter((p) => p.ppid === grp && p.pgrp === grp)).toHaveLength(2);
    expect(procs.filter((p) => p.ppid === solo && p.pgrp === solo)).toHaveLength(2);

    run.write('kill grp 15 group\n');
    expect(await run.waitForLine(/^EXITED grp /)).toBe('EXITED grp null 15');
    run.write('kill solo 15 pid\n');
    expect(await run.waitForLine(/^EXITED solo /)).toBe('EXITED solo null 15');
    // The group's members die asynchronously after the kill: wait until none is left.
    await waitFor(async () => !(await ps(run!)).some((p) => p.pgrp === grp && p.state !== 'Z'), 10_000, "grp's group to die");
    procs = await ps(run);
    const alive = procs.filter((p) => p.pid !== 1 && p.state !== 'Z');
    // The group kill left nothing; the pid-only kill left solo's two sleeps, now orphans of PID 1.
    expect(alive.map((p) => p.pgrp)).toEqual([solo, solo]);
    expect(alive.every((p) => p.ppid === 1)).toBe(true);

    // Final sweep: SIGTERM to the leftovers, reaped as orphans.
    run.signal('SIGTERM');
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    expect(run.lines(/^SWEPT /)).toEqual(['SWEPT terminated=2 killed=0']);
    // The swept leftovers were reaped by PID 1 and logged as orphans (as were grp's sleeps, orphaned when
    // their shell died first in the group kill).
    for (const p of alive) expect(run.lines(`ORPHAN ${p.pid} terminated by SIGTERM`)).toHaveLength(1);
    // The programs themselves are not orphans: their exits went to their handles (EXITED above) only.
    expect(run.lines(new RegExp(`^ORPHAN (${grp}|${solo}) `))).toEqual([]);
    expect(run.lines(/^ZOMBIES /)).toEqual(['ZOMBIES 0']);
  });

  it('gives programs blocking stdio; the native spawn real pipes as supervisord, without loading child_process', async () => {
    run = await Pid1Run.start(
      argv({
        programs: [
          {
            name: 'io',
            command: `sh -c 'for fd in 0 1 2; do readlink /proc/self/fd/$fd | sed "s/:.*//"; done; grep ^flags /proc/self/fdinfo/0 /proc/self/fdinfo/1'`,
            output: 'redirect',
          },
        ],
        exitWhenIdle: true,
      }),
    );
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    const out = run.lines(/^OUT io /).map((l) => l.slice('OUT io '.length));
    // libuv makes a socketpair for a 'pipe' stdin; supervisord (os.pipe) and the native spawn make pipes.
    // (stderr into the stdout pipe is one pipe2() of the addon on both paths.)
    expect(out.slice(0, 3)).toEqual([spawn === 'native' ? 'pipe' : 'socket', 'pipe', 'pipe']);
    const flags = out.slice(3).map((l) => parseInt(l.split('\t')[1]!, 8));
    expect(flags).toHaveLength(2);
    for (const f of flags) expect(f & 0o4000).toBe(0); // O_NONBLOCK
    expect(run.lines(/^MODULES /)).toEqual([`MODULES child_process=${spawn === 'libuv'}`]);
  });

  it('SIGKILLs leftovers that ignore SIGTERM after the grace', async () => {
    run = await Pid1Run.start(
      argv({
        graceMs: 300,
        programs: [{ name: 'stub', command: `sh -c '(trap "" TERM; echo armed; exec sleep 1000) & wait'`, output: 'pipe' }],
      }),
    );
    await run.waitForLine('OUT stub armed');
    run.signal('SIGTERM');
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    expect(run.lines(/^SWEPT /)).toEqual(['SWEPT terminated=2 killed=1']);
    expect(run.lines(/^ZOMBIES /)).toEqual(['ZOMBIES 0']);
  });

  it("reports failures with supervisord's texts: child-side (chdir, ENOEXEC) and parent-side (not found)", async () => {
    const script = path.join(work, 'noshebang');
    writeFileSync(script, 'echo this must not run under /bin/sh\n', { mode: 0o755 });
    run = await Pid1Run.start(
      argv({
        programs: [
          { name: 'nf', command: 'nonexistent_cmd --x' },
          { name: 'cwd', command: '/bin/true', cwd: '/nonexistent', output: 'pipe' },
          { name: 'noexec', command: script, output: 'pipe' },
          { name: 'red', command: `sh -c 'echo out; echo err >&2'`, output: 'redirect' },
        ],
        exitWhenIdle: true,
      }),
    );
    await run.waitForExit();
    expect(run.lines(/^SPAWNERR /)).toEqual(["SPAWNERR nf not-found can't find command 'nonexistent_cmd'"]);
    expect(run.lines(/^(ERR|OUT|EXITED) cwd/)).toEqual([
      'ERR cwd supervisor: couldn\'t chdir to /nonexistent: ENOENT',
      'ERR cwd supervisor: child process was not spawned',
      'EXITED cwd 127 null',
    ]);
    expect(run.lines(/^(ERR|OUT|EXITED) noexec/)).toEqual([
      `ERR noexec supervisor: couldn't exec ${script}: ENOEXEC`,
      'ERR noexec supervisor: child process was not spawned',
      'EXITED noexec 127 null',
    ]);
    expect(run.lines(/^(ERR|OUT|EXITED) red/)).toEqual(['OUT red out', 'OUT red err', 'EXITED red 0 null']);
  });
});
