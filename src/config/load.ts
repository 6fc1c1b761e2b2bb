// loadConfig(): supervisord.conf text → the immutable Config model (src/config/model.ts), following
// supervisord 4.2's ServerOptions.read_config + realize step by step (spec §1, §2).
import { hostname as osHostname } from 'node:os';
import type { LoadContext } from './context.js';
import { readerFor } from './context.js';
import type { TypeContext } from './datatypes.js';
import { nameToUid } from './datatypes.js';
import { at, finalMessage } from './errors.js';
import { readConfigFiles } from './include.js';
import type { Config, LogFormat, LogLevel, SupervisordSection } from './model.js';
import { ConfigError } from './model.js';
import { normalizePath, pyAbspath, pyDirname } from './pypath.js';
import { readGroups } from './sections/groups.js';
import { readRpcInterfaces } from './sections/rpcinterface.js';
import { readHttpServers, serverUrlOf } from './sections/servers.js';
import { pythonTempdir, readSupervisordSection } from './sections/supervisord.js';
import { readSupervisorctl } from './sections/supervisorctl.js';
import { readTsinitSection } from './sections/tsinit.js';
import type { UserDb } from './users.js';
import { loadUserDb } from './users.js';

/** Values given on the command line; they win over the config file (already validated by src/cli/args.ts). */
export interface ConfigOverrides {
  readonly nodaemon?: boolean;
  readonly user?: string;
  readonly umask?: number;
  readonly directory?: string;
  readonly logfile?: string;
  readonly logfileMaxbytes?: number;
  readonly logfileBackups?: number;
  readonly loglevel?: LogLevel;
  readonly pidfile?: string;
  readonly identifier?: string;
  readonly childlogdir?: string;
  readonly minfds?: number;
  readonly minprocs?: number;
  readonly nocleanup?: boolean;
  readonly stripAnsi?: boolean;
  readonly silent?: boolean;
  readonly logFormat?: LogFormat;
}

export interface LoadOptions {
  /** supervisord's own environment (ENV_* expansions, TMPDIR, HOME). Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
  /** host_node_name. Default: os.hostname(). */
  readonly hostname?: string;
  readonly overrides?: ConfigOverrides;
  /** Users/groups (default: /etc/passwd and /etc/group). */
  readonly userDb?: UserDb;
  /** Current uid (fcgi socket ownership default). */
  readonly getuid?: () => number;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/**
 * Load and resolve `path` (as given on the command line). Throws ConfigError whose message is
 * supervisord's text, followed by the file/line/option tsinit found it at when known.
 */
export function loadConfig(path: string, options: LoadOptions = {}): Config {
  try {
    return load(path, options);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(finalMessage(err));
    throw err;
  }
}

function load(path: string, options: LoadOptions): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const hostname = options.hostname ?? osHostname();
  const db = options.userDb ?? loadUserDb();
  const ov = options.overrides ?? {};
  const types: TypeContext = { home: env.HOME, db, cwd };

  const environExpansions: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environExpansions[`ENV_${k}`] = v;

  const { doc, files, messages } = readConfigFiles(path, cwd, (here) => ({
    here,
    host_node_name: hostname,
    ...environExpansions,
  }));
  if (!doc.sections.has('supervisord')) throw new ConfigError('.ini file does not include supervisord section');

  const here = pyAbspath(pyDirname(path), cwd);
  const ctx: LoadContext = { doc, configfile: path, here, hostname, environExpansions, types, messages };

  const tempdir = pythonTempdir(env, cwd);
  const raw = readSupervisordSection(ctx, tempdir);
  const rpcinterfaces = readRpcInterfaces(ctx);
  const tsinit = readTsinitSection(ctx);
  const groupsRaw = readGroups(ctx, { prefix: tsinit.prefix }, options.getuid ?? (() => process.getuid?.() ?? 0));
  const groups = groupsRaw.map((g) => ({
    ...g,
    processes: g.processes.map((p) => ({ ...p, environment: { ...raw.environment, ...p.environment } })),
  }));
  const httpServers = readHttpServers(ctx);
  const supervisorctl = readSupervisorctl(ctx);

  // realize(): CLI values win; user must exist; logfile/pidfile made absolute against cwd.
  const user = ov.user ?? raw.user;
  // An unknown [supervisord] user= names its option like every other value error (a -u value has no location).
  const userLocation = ov.user === undefined ? readerFor(ctx, 'supervisord').location('user') : null;
  if (user !== null && user !== undefined) at(userLocation, () => nameToUid(user, db));
  const logfile = ov.logfile ?? raw.logfile;
  const supervisord: SupervisordSection = {
    nodaemon: ov.nodaemon || raw.nodaemon,
    logfile: logfile === 'syslog' ? logfile : normalizePath(logfile, cwd, env.HOME, db),
    logfileMaxbytes: ov.logfileMaxbytes ?? raw.logfileMaxbytes,
    logfileBackups: ov.logfileBackups ?? raw.logfileBackups,
    loglevel: ov.loglevel ?? raw.loglevel,
    pidfile: normalizePath(ov.pidfile ?? raw.pidfile, cwd, env.HOME, db),
    childlogdir: ov.childlogdir ?? raw.childlogdir,
    minfds: ov.minfds ?? raw.minfds,
    minprocs: ov.minprocs ?? raw.minprocs,
    umask: ov.umask ?? raw.umask,
    user: user ?? null,
    directory: ov.directory ?? raw.directory,
    identifier: ov.identifier ?? raw.identifier,
    silent: ov.silent || raw.silent,
    nocleanup: ov.nocleanup || raw.nocleanup,
    stripAnsi: ov.stripAnsi || raw.stripAnsi,
    environment: raw.environment,
  };

  return deepFreeze({
    configFile: pyAbspath(path, cwd),
    files,
    supervisord,
    tsinit: ov.logFormat ? { ...tsinit, logFormat: ov.logFormat } : tsinit,
    groups,
    httpServers,
    serverurl: serverUrlOf(httpServers),
    rpcinterfaces,
    supervisorctl,
    messages,
  });
}
