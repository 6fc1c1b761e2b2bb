// tsinit as PID 1 with low rlimits set before it starts (spec §4.1 step 4): minfds/minprocs raise the
// soft limits (and a lower hard limit, as root) with supervisord's INFO lines, programs inherit the raised
// limits; when the limit cannot be raised, supervisord's text and exit 2 before anything starts.
// Note: Node itself raises the soft RLIMIT_NOFILE to the hard limit when it starts, so the minfds step
// only has something to do when the hard limit is below minfds, and raising a hard limit needs
// CAP_SYS_RESOURCE (which containers usually lack, as this one may): that path is unit-tested only.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { messages, TSINIT, Workdir } from './harness.js';

const isRoot = process.getuid?.() === 0;

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

/** Soft and hard value of one line of /proc/<pid>/limits ("Max open files", "Max processes"). */
function limit(pid: number, name: string): [string, string] {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(name))!;
  const f = line.slice(name.length).trim().split(/\s+/);
  return [f[0]!, f[1]!];
}

describe.skipIf(!isRoot)('minfds / minprocs', () => {
  it('raises a low soft RLIMIT_NPROC with the INFO line; programs inherit it', async () => {
    wd = new Workdir();
    const out = `${wd.dir}/limits.log`;
    const conf = wd.config(`[program:lim]\ncommand=/bin/sh -c "grep processes /proc/self/limits; exec sleep 1000"\nstdout_logfile=${out}\n`, 'minfds=1024\nminprocs=200');
    run = await Pid1Run.start(['prlimit', '--nofile=256:4096', '--nproc=50:1000', process.execPath, TSINIT, '-c', conf]);
    await run.waitForLine('supervisord started with pid');
    const lines = messages(run);
    const nproc = lines.indexOf('Increased RLIMIT_NPROC limit to 200');
    expect(nproc).toBeGreaterThan(-1);
    expect(lines.findIndex((l) => l.startsWith('supervisord started with pid'))).toBeGreaterThan(nproc);
    expect(limit(run.pid, 'Max processes')).toEqual(['200', '1000']);
    // Node already raised the soft RLIMIT_NOFILE to the hard limit (4096 ≥ minfds): nothing to increase
    expect(lines).not.toContain('Increased RLIMIT_NOFILE limit to 1024');
    expect(limit(run.pid, 'Max open files')).toEqual(['4096', '4096']);
    const got = await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean)[0] : undefined));
    expect(got.split(/\s+/).slice(2, 4)).toEqual(['200', '1000']);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('limits already high enough: no INFO line', async () => {
    wd = new Workdir();
    const conf = wd.config('[program:s]\ncommand=/bin/sleep 1000\n', 'minfds=64\nminprocs=10');
    run = await Pid1Run.start(['prlimit', '--nofile=256:512', '--nproc=50:1000', process.execPath, TSINIT, '-c', conf]);
    await run.waitForLine('supervisord started with pid');
    expect(messages(run).filter((l) => l.startsWith('Increased RLIMIT'))).toEqual([]);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it("a hard limit below minfds that cannot be raised: supervisord's text, exit 2, nothing started", async () => {
    wd = new Workdir();
    chmodSync(wd.dir, 0o755);
    const conf = wd.config('[program:s]\ncommand=/bin/sleep 1000\n', 'minfds=1024');
    run = await Pid1Run.runOutsideNamespace(['prlimit', '--nofile=256:512', process.execPath, TSINIT, '-c', conf], { uid: 65534, gid: 65534, cwd: wd.dir });
    expect((await run.waitForExit()).code).toBe(2);
    expect(run.stderr).toBe(
      'Error: The minimum number of file descriptors required to run this process is 1024 as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open 1024 file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.\n' +
        `For help, use ${TSINIT} -h\n`,
    );
    expect(run.stdout).toBe('');
    // the same as supervisord 4.2 (its program name aside)
    const ref = spawnSync('prlimit', ['--nofile=256:512', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'supervisord', '-c', conf], {
      encoding: 'utf8',
      cwd: wd.dir,
      timeout: 20_000,
    });
    expect(ref.status).toBe(2);
    expect(ref.stderr.replace('/usr/bin/supervisord', TSINIT)).toBe(run.stderr);
  });
});
