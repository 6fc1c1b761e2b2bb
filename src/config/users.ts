// User and group lookups by reading /etc/passwd and /etc/group directly (no native calls), as
// supervisord's name_to_uid / name_to_gid / gid_for_uid do through pwd/grp.
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
}

export interface UserDb {
  readonly users: readonly PasswdEntry[];
  readonly groups: readonly GroupEntry[];
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    out.push({ name: f[0]!, uid, gid, home: f[5]! });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2]!)) continue;
    out.push({ name: f[0]!, gid: Number(f[2]) });
  }
  return out;
}

/**
 * /etc/passwd and /etc/group (or the given paths), each read and parsed when first looked at: most configs
 * name no user or group (launch time). Missing files give an empty database.
 */
export function loadUserDb(passwdPath = '/etc/passwd', groupPath = '/etc/group'): UserDb {
  let users: PasswdEntry[] | null = null;
  let groups: GroupEntry[] | null = null;
  return {
    get users() {
      return (users ??= parsePasswd(readLines(passwdPath).join('\n')));
    },
    get groups() {
      return (groups ??= parseGroup(readLines(groupPath).join('\n')));
    },
  };
}

export function userByName(db: UserDb, name: string): PasswdEntry | undefined {
  return db.users.find((u) => u.name === name);
}

export function userByUid(db: UserDb, uid: number): PasswdEntry | undefined {
  return db.users.find((u) => u.uid === uid);
}

export function groupByName(db: UserDb, name: string): GroupEntry | undefined {
  return db.groups.find((g) => g.name === name);
}

export function groupByGid(db: UserDb, gid: number): GroupEntry | undefined {
  return db.groups.find((g) => g.gid === gid);
}
