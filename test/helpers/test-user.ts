// A throwaway user with two supplementary groups, for tests of user= (root only). Each test file uses its
// own names, so files running in parallel do not collide.
import { execFileSync } from 'node:child_process';

export interface TestUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** gids of the supplementary groups, in creation order. */
  readonly groupIds: readonly number[];
  remove(): void;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function removeUser(name: string, groups: readonly string[]): void {
  for (const [cmd, arg] of [['userdel', name], ...groups.map((g) => ['groupdel', g]), ['groupdel', name]] as const) {
    try {
      sh(cmd, [arg]);
    } catch {
      /* not there */
    }
  }
}

/** Creates `name` (own primary group, no home) in `groups`, replacing leftovers of an earlier run. */
export function createTestUser(name: string, groups: readonly string[]): TestUser {
  removeUser(name, groups);
  for (const g of groups) sh('groupadd', [g]);
  sh('useradd', ['-M', '-U', '-G', groups.join(','), '-s', '/bin/sh', name]);
  return {
    name,
    uid: Number(sh('id', ['-u', name])),
    gid: Number(sh('id', ['-g', name])),
    groupIds: groups.map((g) => Number(sh('getent', ['group', g]).split(':')[2])),
    remove: () => removeUser(name, groups),
  };
}
