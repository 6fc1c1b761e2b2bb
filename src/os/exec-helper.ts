// The exec helper: tsinit re-executes itself as `node <bundle> --tsinit-exec-helper <json>` for the spawns
// libuv cannot do the way supervisord does (spec §3.7, §4.8):
//  * user= as root: libuv setgroups(0) whenever uid/gid is given, dropping supplementary groups. The helper
//    sets the groups supervisord sets (primary gid first, then every /etc/group entry listing the user),
//    then setgid, setuid.
//  * user= as non-root, a bad directory=, an exec that fails after resolution (ENOEXEC, bad interpreter):
//    supervisord reports these from the forked child (`supervisor: couldn't ...` on fd 2, exit 127); the
//    helper reproduces exactly that.
// Then chdir, umask and execve through the addon (which resets every signal disposition to default, so the
// program does not inherit Node's ignored SIGPIPE/SIGXFSZ). The pid stays the same across the execve.
// Works on every Node >= 20 (no need for process.execve). The helper's own environment is the program's,
// minus NODE_OPTIONS (carried in the request so it cannot affect the helper's Node).
import { writeSync } from 'node:fs';
import { errorCodeOf } from './errno-name.js';
import { loadNative } from './native.js';
import { dropPrivilegesTo } from './privileges.js';

export const EXEC_HELPER_FLAG = '--tsinit-exec-helper';

/** Variables removed from the helper's own environment and restored for the program. */
export const HELPER_ENV_STRIP = ['NODE_OPTIONS'] as const;

export interface ExecHelperRequest {
  readonly file: string;
  readonly argv: readonly string[];
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number } | null;
  readonly cwd: string | null;
  readonly umask: number | null;
  /** Program environment entries stripped from the helper's environment (HELPER_ENV_STRIP). */
  readonly restoreEnv: Readonly<Record<string, string>>;
}

/** True when this process was started as the exec helper (call first thing in the entry point). */
export function isExecHelperInvocation(argv: readonly string[] = process.argv): boolean {
  return argv[2] === EXEC_HELPER_FLAG;
}

function say(text: string): void {
  try {
    writeSync(2, `supervisor: ${text}\n`);
  } catch {
    /* nothing to do: fd 2 is gone */
  }
}

function run(request: ExecHelperRequest): void {
  if (request.user) {
    const msg = dropPrivilegesTo(request.user);
    if (msg) {
      say(`couldn't setuid to ${request.user.uid}: ${msg}`);
      return;
    }
  }
  if (request.cwd !== null) {
    try {
      process.chdir(request.cwd);
    } catch (err) {
      say(`couldn't chdir to ${request.cwd}: ${errorCodeOf(err)}`);
      return;
    }
  }
  if (request.umask !== null) process.umask(request.umask);
  const env: string[] = [];
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !(HELPER_ENV_STRIP as readonly string[]).includes(k)) env.push(`${k}=${v}`);
  for (const [k, v] of Object.entries(request.restoreEnv)) env.push(`${k}=${v}`);
  try {
    loadNative().execve(request.file, request.argv, env);
  } catch (err) {
    say(`couldn't exec ${request.argv[0] ?? request.file}: ${errorCodeOf(err)}`);
  }
}

/** Runs the helper for `process.argv[3]` and never returns (the program replaces it, or exit 127). */
export function runExecHelper(json: string | undefined = process.argv[3]): never {
  try {
    run(JSON.parse(json ?? '') as ExecHelperRequest);
  } catch {
    /* falls through to the supervisord epilogue */
  }
  say('child process was not spawned');
  process.exit(127);
}
