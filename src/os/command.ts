// Command resolution exactly as supervisord's get_execv_args()/check_execv_args() (spec §3.7):
// shlex-split, then PATH search (first entry that exists, any file type), then the checks in order.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { SpawnFailure, type ResolvedCommand } from './edge.js';
import { pyRepr } from '../common/python-repr.js';
import { shlexSplit, ShlexError } from './shlex.js';

/** supervisord's fallback when neither the program environment nor its own environment has a PATH. */
export const DEFAULT_PATH = ['/bin', '/usr/bin', '/usr/local/bin'];

/** File system access used by the resolver (injectable for tests). */
export interface CommandFs {
  /** stat(2) following symlinks; null when it fails for any reason. */
  stat(path: string): Pick<Stats, 'isDirectory' | 'mode'> | null;
  /** access(path, X_OK). */
  canExecute(path: string): boolean;
}

export const realCommandFs: CommandFs = {
  stat(path) {
    try {
      return statSync(path);
    } catch {
      return null;
    }
  },
  canExecute(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/** os.path.join(dir, name) for a name without '/'. */
function pyJoin(dir: string, name: string): string {
  if (dir === '' || dir.endsWith('/')) return dir + name;
  return `${dir}/${name}`;
}

/**
 * The search path as supervisord computes it: the program's `environment` PATH when that key is set
 * (even when empty), else tsinit's own non-empty $PATH, else /bin:/usr/bin:/usr/local/bin.
 */
export function searchPath(programEnv: Readonly<Record<string, string>>, ownPath: string | null): string[] {
  if (Object.prototype.hasOwnProperty.call(programEnv, 'PATH')) return programEnv.PATH!.split(':');
  if (ownPath) return ownPath.split(':');
  return [...DEFAULT_PATH];
}

/**
 * Resolves `command` as supervisord does. `programEnv` is the program's configured environment
 * (ProcessConfig.environment: [supervisord] environment= overlaid by the program's), not the full child
 * environment. Throws SpawnFailure with supervisord's message and a kind for the RPC fault.
 */
export function resolveCommand(
  command: string,
  programEnv: Readonly<Record<string, string>>,
  /** tsinit's own $PATH (null: unset). */
  ownPath: string | null = process.env.PATH ?? null,
  fs: CommandFs = realCommandFs,
): ResolvedCommand {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    const text = err instanceof ShlexError ? err.message : String(err);
    throw new SpawnFailure(`can't parse command ${pyRepr(command)}: ${text}`, 'parse');
  }
  const program = argv[0];
  if (program === undefined) throw new SpawnFailure('command is empty', 'parse');

  let file = program;
  let st: ReturnType<CommandFs['stat']> = null;
  if (program.includes('/')) {
    st = fs.stat(program);
  } else {
    for (const dir of searchPath(programEnv, ownPath)) {
      const candidate = pyJoin(dir, program);
      st = fs.stat(candidate);
      if (st) {
        file = candidate;
        break;
      }
    }
  }

  if (!st) throw new SpawnFailure(`can't find command ${pyRepr(file)}`, 'not-found');
  if (st.isDirectory()) throw new SpawnFailure(`command at ${pyRepr(file)} is a directory`, 'not-executable');
  if ((st.mode & 0o111) === 0) throw new SpawnFailure(`command at ${pyRepr(file)} is not executable`, 'not-executable');
  if (!fs.canExecute(file)) throw new SpawnFailure(`no permission to run command ${pyRepr(file)}`, 'not-executable');
  return { file, argv };
}
