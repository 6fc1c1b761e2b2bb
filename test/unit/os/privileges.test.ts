// supervisord's privilege drop: group list, call order, its error texts, and the startup uid step.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserDb } from '../../../src/config/users.js';
import { applySupervisordUser, dropPrivilegesTo, lookupUser, RUNNING_AS_ROOT, supplementaryGroups, type PrivilegeOps } from '../../../src/os/privileges.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function groupFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-priv-'));
  dirs.push(dir);
  const file = path.join(dir, 'group');
  writeFileSync(file, text);
  return file;
}

class FakeOps implements PrivilegeOps {
  readonly calls: string[] = [];
  fail: 'setgroups' | 'setgid' | null = null;
  constructor(private uid: number) {}
  getuid(): number {
    return this.uid;
  }
  setgroups(groups: number[]): void {
    if (this.fail === 'setgroups') throw new Error('EPERM');
    this.calls.push(`setgroups ${groups.join(',')}`);
  }
  setgid(gid: number): void {
    if (this.fail === 'setgid') throw new Error('EPERM');
    this.calls.push(`setgid ${gid}`);
  }
  setuid(uid: number): void {
    this.calls.push(`setuid ${uid}`);
    this.uid = uid;
  }
}

const db: UserDb = {
  users: [
    { name: 'root', uid: 0, gid: 0, home: '/root' },
    { name: 'app', uid: 1000, gid: 1000, home: '/home/app' },
  ],
  groups: [],
};

const GROUPS = 'root:x:0:\nadm:x:4:syslog,app\n# comment\napp:x:1000:\nwww:x:33:other,app\nappish:x:50:apple\nbroken line\n';

describe('supplementaryGroups', () => {
  it('primary gid first, then every group whose member list names the user (exact names)', () => {
    expect(supplementaryGroups('app', 1000, groupFile(GROUPS))).toEqual([1000, 4, 33]);
    expect(supplementaryGroups('nobody', 65534, groupFile(GROUPS))).toEqual([65534]);
  });
  it('an unreadable group file leaves only the primary gid', () => {
    expect(supplementaryGroups('app', 1000, '/nonexistent/group')).toEqual([1000]);
  });
});

describe('dropPrivilegesTo', () => {
  it('as root: setgroups, setgid, setuid in that order', () => {
    const ops = new FakeOps(0);
    expect(dropPrivilegesTo({ name: 'app', uid: 1000, gid: 1000 }, ops, groupFile(GROUPS))).toBeNull();
    expect(ops.calls).toEqual(['setgroups 1000,4,33', 'setgid 1000', 'setuid 1000']);
  });
  it('already that uid: nothing to do', () => {
    const ops = new FakeOps(1000);
    expect(dropPrivilegesTo({ name: 'app', uid: 1000, gid: 1000 }, ops)).toBeNull();
    expect(ops.calls).toEqual([]);
  });
  it("supervisord's texts for each failure", () => {
    expect(dropPrivilegesTo({ name: 'root', uid: 0, gid: 0 }, new FakeOps(1000))).toBe("Can't drop privilege as nonroot user");
    const g = new FakeOps(0);
    g.fail = 'setgroups';
    expect(dropPrivilegesTo({ name: 'app', uid: 1000, gid: 1000 }, g)).toBe('Could not set groups of effective user');
    const d = new FakeOps(0);
    d.fail = 'setgid';
    expect(dropPrivilegesTo({ name: 'app', uid: 1000, gid: 1000 }, d)).toBe('Could not set group id of effective user');
    expect(d.calls).toEqual([expect.stringMatching(/^setgroups/)]); // never setuid after a failed setgid
  });
});

describe('lookupUser', () => {
  it('by name or by uid, with the lookup error texts', () => {
    expect(lookupUser('app', db)).toEqual(db.users[1]);
    expect(lookupUser('1000', db)).toEqual(db.users[1]);
    expect(lookupUser('ghost', db)).toBe("Can't find username 'ghost'");
    expect(lookupUser('4242', db)).toBe("Can't find uid 4242");
  });
});

describe('applySupervisordUser (startup step)', () => {
  it('no user= as root: the CRIT reminder; as non-root: nothing', () => {
    expect(applySupervisordUser(null, { db, ops: new FakeOps(0) })).toEqual({ ok: true, critical: RUNNING_AS_ROOT, info: null });
    expect(applySupervisordUser(null, { db, ops: new FakeOps(1000) })).toEqual({ ok: true, critical: null, info: null });
  });
  it('user= drops privileges and reports the numeric uid', () => {
    const ops = new FakeOps(0);
    expect(applySupervisordUser('app', { db, ops, groupFile: groupFile(GROUPS) })).toEqual({
      ok: true,
      critical: null,
      info: 'Set uid to user 1000 succeeded',
    });
    expect(ops.getuid()).toBe(1000);
    expect(applySupervisordUser('root', { db, ops: new FakeOps(0) })).toEqual({ ok: true, critical: null, info: 'Set uid to user 0 succeeded' });
  });
  it('failures give the text for `Error: ...` / exit 2', () => {
    expect(applySupervisordUser('root', { db, ops: new FakeOps(1000) })).toEqual({ ok: false, error: "Can't drop privilege as nonroot user" });
    expect(applySupervisordUser('ghost', { db, ops: new FakeOps(0) })).toEqual({ ok: false, error: "Can't find username 'ghost'" });
  });
});
