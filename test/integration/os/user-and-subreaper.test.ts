// user= (supplementary groups as supervisord's initgroups-like setgroups: in the native spawn's child, or
// via the exec helper with child_process), the non-root failure text, and subreaper mode when tsinit is not
// PID 1. Each with both ways of spawning.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pid1Run } from '../../helpers/pid1.js';
import { buildHarness, type BuiltHarness } from './build-harness.js';
import { createTestUser, type TestUser } from '../../helpers/test-user.js';

let harness: BuiltHarness;
let run: Pid1Run | null = null;
beforeAll(async () => {
  harness = await buildHarness();
});
afterAll(() => harness.cleanup());
afterEach(async () => {
  await run?.dispose();
  run = null;
});

const isRoot = process.getuid?.() === 0;
const USER = 'tsinit_os_u';
const GROUPS = ['tsinit_os_g1', 'tsinit_os_g2'];


const SPAWNS = ['native', 'libuv'] as const;

describe.skipIf(!isRoot).each(SPAWNS)('user= as root, %s spawn', (spawn) => {
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

  it("runs the program as the user with the user's supplementary groups, env unchanged", async () => {
    run = await Pid1Run.start(
      harness.argv({
        spawn,
        programs: [{ name: 'who', command: `sh -c 'id -u; id -g; id -G; echo "$HOME"; umask; grep -E "^Sig(Ign|Blk)" /proc/self/status'`, user: { name: USER, uid, gid }, umask: 0o077, cwd: '/tmp', output: 'pipe' }],
        exitWhenIdle: true,
      }),
    );
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    const out = run.lines(/^OUT who /).map((l) => l.slice('OUT who '.length));
    expect(out[0]).toBe(String(uid));
    expect(out[1]).toBe(String(gid));
    expect(out[2]!.split(' ').map(Number).sort()).toEqual([gid, ...groupIds].sort());
    expect(out[3]).toBe(process.env.HOME ?? ''); // supervisord does not change HOME for user=
    expect(out[4]).toBe('0077');
    // Default dispositions, empty mask (tsinit and the helper are Node processes that ignore SIGPIPE/SIGXFSZ).
    expect(out.slice(5)).toEqual(['SigBlk:\t0000000000000000', 'SigIgn:\t0000000000000000']);
    expect(run.lines(/^EXITED who /)).toEqual(['EXITED who 0 null']);
  });
});

describe.skipIf(!isRoot).each(SPAWNS)('not root, not PID 1, %s spawn', (spawn) => {
  it("fails a user= change as supervisord's child does, and still reaps orphans as subreaper", async () => {
    // The harness as nobody, outside any namespace: PR_SET_CHILD_SUBREAPER needs no privilege.
    run = await Pid1Run.runOutsideNamespace(
      harness.argv({
        spawn,
        programs: [
          { name: 'asroot', command: '/bin/true', user: { name: 'root', uid: 0, gid: 0 }, output: 'pipe' },
          { name: 'dbl', command: `sh -c '(sleep 0.2; exit 5) & echo GC $!'`, output: 'pipe' },
        ],
      }),
      { uid: 65534, gid: 65534, cwd: harness.dir },
    );
    expect(await run.waitForLine(/^READY /)).toMatch(/subreaper=true/);
    // EXITED is printed at the exit, the output when its pipe is read: wait for both, then compare.
    await run.waitForLine(/^EXITED asroot /);
    await run.waitForLine('ERR asroot supervisor: child process was not spawned');
    expect(run.lines(/^(ERR|OUT) asroot/)).toEqual([
      "ERR asroot supervisor: couldn't setuid to 0: Can't drop privilege as nonroot user",
      'ERR asroot supervisor: child process was not spawned',
    ]);
    expect(run.lines(/^EXITED asroot/)).toEqual(['EXITED asroot 127 null']);
    const grandchild = Number((await run.waitForLine(/^OUT dbl GC /)).split(' ')[3]);
    // The grandchild outlives its shell, is re-parented to the harness (subreaper) and reaped by it.
    expect(await run.waitForLine(/^ORPHAN /)).toBe(`ORPHAN ${grandchild} exit status 5`);
    run.write('exit\n');
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
  });
});
