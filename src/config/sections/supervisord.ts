// [supervisord] (spec §2.1): read in supervisord's order so the first error reported is the same.
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import {
  boolean,
  byteSize,
  existingDirectory,
  existingDirpath,
  integer,
  loggingLevel,
  octalType,
} from '../datatypes.js';
import { dictOfKeyValuePairs } from '../env-list.js';
import { at } from '../errors.js';
import { expand } from '../expand.js';
import type { LogLevel } from '../model.js';
import { isDirectory } from '../pypath.js';

/** [supervisord] as written in the file (before CLI overrides and path normalisation). */
export interface RawSupervisordSection {
  minfds: number;
  minprocs: number;
  directory: string | null;
  user: string | null;
  umask: number;
  logfile: string;
  logfileMaxbytes: number;
  logfileBackups: number;
  loglevel: LogLevel;
  pidfile: string;
  identifier: string;
  nodaemon: boolean;
  silent: boolean;
  childlogdir: string;
  nocleanup: boolean;
  stripAnsi: boolean;
  environment: Record<string, string>;
}

/** Python's tempfile.gettempdir() (without its writability probe). */
export function pythonTempdir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) {
    const v = env[name];
    if (v && isDirectory(v, cwd)) return v;
  }
  return '/tmp';
}

export function readSupervisordSection(ctx: LoadContext, tempdir: string): RawSupervisordSection {
  const r = readerFor(ctx, 'supervisord');
  const ex = { here: ctx.here };
  const get = (opt: string, dflt: string | null): string | null => r.get(opt, dflt, { expansions: ex });
  const conv = <T>(opt: string, dflt: string, fn: (v: string) => T): T =>
    r.conv(opt, dflt, (v) => fn(v as string), { expansions: ex });

  const minfds = conv('minfds', '1024', integer);
  const minprocs = conv('minprocs', '200', integer);
  const directoryRaw = get('directory', null);
  const directory =
    directoryRaw === null ? null : at(r.location('directory'), () => existingDirectory(directoryRaw, ctx.types));
  const user = get('user', null);
  const umask = conv('umask', '022', octalType);
  const logfile = conv('logfile', 'supervisord.log', (v) => existingDirpath(v, ctx.types));
  const logfileMaxbytes = conv('logfile_maxbytes', '50MB', byteSize);
  const logfileBackups = conv('logfile_backups', '10', integer);
  const loglevel = conv('loglevel', 'info', loggingLevel);
  const pidfile = conv('pidfile', 'supervisord.pid', (v) => existingDirpath(v, ctx.types));
  const identifier = get('identifier', 'supervisor')!;
  const nodaemon = conv('nodaemon', 'false', boolean);
  const silent = conv('silent', 'false', boolean);
  const childlogdir = conv('childlogdir', tempdir, (v) => existingDirectory(v, ctx.types));
  const nocleanup = conv('nocleanup', 'false', boolean);
  const stripAnsi = conv('strip_ansi', 'false', boolean);

  // environment= is expanded twice: by the get above ({here, ENV_*}) and once more with host_node_name.
  const envOnce = get('environment', '')!;
  const environment = at(r.location('environment'), () =>
    dictOfKeyValuePairs(
      expand(envOnce, { here: ctx.here, host_node_name: ctx.hostname, ...ctx.environExpansions }, 'environment'),
    ),
  );
  for (const [k, v] of Object.entries(environment)) ctx.environExpansions[`ENV_${k}`] = v;

  return {
    minfds,
    minprocs,
    directory,
    user,
    umask,
    logfile,
    logfileMaxbytes,
    logfileBackups,
    loglevel,
    pidfile,
    identifier,
    nodaemon,
    silent,
    childlogdir,
    nocleanup,
    stripAnsi,
    environment,
  };
}
