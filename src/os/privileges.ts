// supervisord's privilege drop (options.drop_privileges / set_uid_or_exit, spec §4.1 step 3 and §4.7): for
// `[supervisord] user=` at startup and for a program's `user=` in the exec helper. setgroups (the primary
// gid first, then every /etc/group entry whose member list names the user), setgid, setuid.
import { readFileSync } from 'node:fs';
import { pyRepr } from '../common/python-repr.js';
import { loadUserDb, userByName, userByUid, type UserDb } from '../config/users.js';

/** The calls the drop needs (process.* by default; replaced in unit tests). */
export interface PrivilegeOps {
  getuid(): number;
  setgroups(groups: number[]): void;
  setgid(gid: number): void;
  setuid(uid: number): void;
}

const processOps: PrivilegeOps = {
  getuid: () => process.getuid!(),
  setgroups: (g) => process.setgroups!(g),
  setgid: (g) => process.setgid!(g),
  setuid: (u) => process.setuid!(u),
};

/** supervisord's group list for setgroups: the primary gid, then every group whose member list names the user. */
export function supplementaryGroups(userName: string, primaryGid: number, groupFile = '/etc/group'): number[] {
  const groups = [primaryGid];
  let text = '';
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return groups;
  }
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !/^\d+$/.test(f[2]!)) continue;
    if (f[3]!.split(',').includes(userName)) groups.push(Number(f[2]));
  }
  return groups;
}

export interface PasswdUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Become `user` (uid/gid of its passwd entry). Returns null on success (also when already that uid) or
 * supervisord's error text. A setuid failure throws (supervisord does not catch it either).
 */
export function dropPrivilegesTo(user: PasswdUser, ops: PrivilegeOps = processOps, groupFile = '/etc/group'): string | null {
  const current = ops.getuid();
  if (current === user.uid) return null;
  if (current !== 0) return "Can't drop privilege as nonroot user";
  try {
    ops.setgroups(supplementaryGroups(user.name, user.gid, groupFile));
  } catch {
    return 'Could not set groups of effective user';
  }
  try {
    ops.setgid(user.gid);
  } catch {
    return 'Could not set group id of effective user';
  }
  ops.setuid(user.uid);
  return null;
}

/** The passwd entry for a `user=` value (a name or a uid), or supervisord's lookup error text. */
export function lookupUser(user: string, db: UserDb): PasswdUser | string {
  if (/^[+-]?\d+$/.test(user.trim())) {
    const uid = Number(user.trim());
    return userByUid(db, uid) ?? `Can't find uid ${uid}`;
  }
  return userByName(db, user) ?? `Can't find username ${pyRepr(user)}`;
}

/** What the startup uid step reports (spec §4.1 step 3). */
export type UidStepResult =
  | { readonly ok: true; readonly critical: string | null; readonly info: string | null }
  | { readonly ok: false; readonly error: string };

export const RUNNING_AS_ROOT =
  'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';

/**
 * supervisord's set_uid_or_exit(): without user=, only the CRIT reminder when running as root; with
 * user=, drop privileges (INFO `Set uid to user <uid> succeeded`) or fail (the caller prints
 * `Error: <text>` and exits 2).
 */
export function applySupervisordUser(
  user: string | null,
  options: { readonly db?: UserDb; readonly ops?: PrivilegeOps; readonly groupFile?: string } = {},
): UidStepResult {
  const ops = options.ops ?? processOps;
  if (user === null) return { ok: true, critical: ops.getuid() === 0 ? RUNNING_AS_ROOT : null, info: null };
  const entry = lookupUser(user, options.db ?? loadUserDb());
  if (typeof entry === 'string') return { ok: false, error: entry };
  let msg: string | null;
  try {
    msg = dropPrivilegesTo(entry, ops, options.groupFile);
  } catch (err) {
    msg = `Could not set user id of effective user: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (msg !== null) return { ok: false, error: msg };
  return { ok: true, critical: null, info: `Set uid to user ${entry.uid} succeeded` };
}
