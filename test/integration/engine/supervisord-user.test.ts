// tsinit as PID 1 with `[supervisord] user=` (spec §4.1 step 3, §4.7): privileges dropped at startup with
// the user's supplementary groups, supervisord's INFO line instead of the running-as-root CRIT, programs
// running as that user; the failure text and exit 2 when a non-root tsinit is asked to switch.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { messages, startTsinit, TSINIT, Workdir } from './harness.js';
import { createTestUser, type TestUser } from '../../helpers/test-user.js';

const isRoot = process.getuid?.() === 0;
const USER = 'tsinit_eng_u';
const GROUPS = ['tsinit_eng_g1', 'tsinit_eng_g2'];
const ROOT_CRIT = /^Supervisor is running as root\./;

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A work dir every user may write to (the log files are created after the privilege drop). */
function openWorkdir(): Workdir {
  const w = new Workdir();
  chmodSync(w.dir, 0o777);
  return w;
}

/** `Uid:` / `Gid:` / `Groups:` of a process, from /proc (host view). */
function ids(pid: number): { uid: string; gid: string; groups: string[] } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string => new RegExp(`^${name}:\\t(.*)$`, 'm').exec(status)?.[1] ?? '';
  return { uid: field('Uid'), gid: field('Gid'), groups: field('Groups').trim().split(/\s+/).filter(Boolean) };
}

describe.skipIf(!isRoot)('[supervisord] user= as root', () => {
  let uid = 0;
  let gid = 0;
  let groupIds: number[] = [];
  let user: TestUser | null = null;
  beforeAll(() => {
    user = createTestUser(USER, GROUPS);
    ({ uid, gid } = user);
    groupIds = [...user.groupIds];
  });
  afterAll(() => user?.remove());

  it('drops to the user with its supplementary groups; programs run as that user', async () => {
    wd = openWorkdir();
    const out = `${wd.dir}/who.log`;
    run = await startTsinit(
      wd.config(`[program:who]\ncommand=/bin/sh -c "id -u; id -g; id -G; exec sleep 1000"\nstdout_logfile=${out}\n`, `user=${USER}`),
    );
    await run.waitForLine("success: who entered RUNNING state");
    const lines = messages(run);
    expect(lines).toContain(`Set uid to user ${uid} succeeded`);
    expect(lines.filter((l) => ROOT_CRIT.test(l))).toEqual([]);
    // INFO lines are buffered and written after the main log opened, before `supervisord started`
    expect(lines.indexOf(`Set uid to user ${uid} succeeded`)).toBeLessThan(lines.findIndex((l) => l.startsWith('supervisord started with pid')));
    // tsinit itself (PID 1 of the namespace)
    const own = ids(run.pid);
    expect(own.uid.split('\t')).toEqual([String(uid), String(uid), String(uid), String(uid)]);
    expect(own.gid.split('\t')).toEqual([String(gid), String(gid), String(gid), String(gid)]);
    expect(own.groups.map(Number).sort((a, b) => a - b)).toEqual([gid, ...groupIds].sort((a, b) => a - b));
    // its program
    const who = await waitFor(() => {
      const t = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : [];
      return t.length >= 3 ? t : null;
    });
    expect(who[0]).toBe(String(uid));
    expect(who[1]).toBe(String(gid));
    expect(who[2]!.split(' ').map(Number).sort((a, b) => a - b)).toEqual([gid, ...groupIds].sort((a, b) => a - b));
    // the log file was created by the user
    expect(sh('stat', ['-c', '%u', out])).toBe(String(uid));
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a reload asking for another user after the drop is refused: the running config is kept (supervisord exits 2)', async () => {
    wd = openWorkdir();
    const body = (name: string): string => `[program:${name}]\ncommand=/bin/sleep 1000\nstartsecs=0\n`;
    run = await startTsinit(wd.config(body('first'), `user=${USER}`));
    await run.waitForLine('success: first entered RUNNING state');
    wd.config(body('second'), 'user=root');
    const mark = run.stdout.length;
    run.signal('SIGHUP');
    await run.waitForLine("could not reload the configuration, keeping the running one: Can't drop privilege as nonroot user", { fromIndex: mark });
    await run.waitForLine('success: first entered RUNNING state', { fromIndex: mark });
    // the kept config's uid step is repeated (already that user): its INFO line again
    expect(messages(run).filter((l) => l === `Set uid to user ${uid} succeeded`)).toHaveLength(2);
    expect(run.stdout.slice(mark)).not.toContain("spawned: 'second'");
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('user=root as root: no drop needed, the INFO line and no running-as-root CRIT', async () => {
    wd = openWorkdir();
    run = await startTsinit(wd.config('[program:s]\ncommand=/bin/sleep 1000\n', 'user=root'));
    await run.waitForLine('supervisord started with pid');
    expect(messages(run)).toContain('Set uid to user 0 succeeded');
    expect(messages(run).filter((l) => ROOT_CRIT.test(l))).toEqual([]);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('no user= as root: the CRIT reminder, first of the startup lines', async () => {
    wd = openWorkdir();
    run = await startTsinit(wd.config('[program:s]\ncommand=/bin/sleep 1000\n'));
    await run.waitForLine('supervisord started with pid');
    expect(messages(run)[0]).toMatch(ROOT_CRIT);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it("a non-root tsinit asked to switch user: `Error: Can't drop privilege as nonroot user`, exit 2, nothing started", async () => {
    wd = openWorkdir();
    chmodSync(wd.dir, 0o755);
    const conf = wd.config(`[program:s]\ncommand=/bin/sleep 1000\n`, 'user=root');
    run = await Pid1Run.runOutsideNamespace([process.execPath, TSINIT, '-c', conf], { uid, gid, cwd: wd.dir });
    const res = await run.waitForExit();
    expect(res.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: Can't drop privilege as nonroot user\nFor help, use \S+ -h\n$/);
    expect(run.stdout).not.toMatch(/spawned/);
  });
});
