// `tsinit --print-config -c FILE`: the resolved configuration as JSON, in the shape documented in
// /work/shared/print-config.md (every key present, numbers as numbers), then exit 0; a bad config
// prints supervisord's `Error: ...` / `For help, use ... -h` and exits 2.
import { loadUserDb } from '../config/users.js';
import type { Config, LogDestination, ProcessConfig } from '../config/model.js';
import { ConfigError } from '../config/model.js';
import { loadConfig } from '../config/load.js';
import { findDefaultConfig, noConfigFoundMessage } from '../config/search.js';
import { parseArgs, usageErrorText } from './args.js';
import { usageText, VERSION_TEXT } from './usage.js';

function octal3(n: number): string {
  return n.toString(8).padStart(3, '0');
}

function logfileText(d: LogDestination): string {
  return d.kind === 'auto' ? 'AUTO' : d.kind === 'none' ? 'NONE' : d.path;
}

function processJson(p: ProcessConfig): Record<string, unknown> {
  return {
    name: p.name,
    group: p.group,
    command: p.command,
    priority: p.priority,
    autostart: p.autostart,
    autorestart: p.autorestart,
    startsecs: p.startsecs,
    startretries: p.startretries,
    exitcodes: p.exitcodes,
    stopsignal: p.stopsignalName,
    stopwaitsecs: p.stopwaitsecs,
    stopasgroup: p.stopasgroup,
    killasgroup: p.killasgroup,
    uid: p.user ? p.user.uid : null,
    user: p.user ? p.user.name : null,
    directory: p.directory,
    umask: p.umask === null ? null : octal3(p.umask),
    environment: p.environment,
    redirect_stderr: p.redirectStderr,
    stdout_logfile: logfileText(p.stdout.logfile),
    stdout_logfile_maxbytes: p.stdout.maxbytes,
    stdout_logfile_backups: p.stdout.backups,
    stdout_syslog: p.stdout.syslog,
    stderr_logfile: logfileText(p.stderr.logfile),
    stderr_logfile_maxbytes: p.stderr.maxbytes,
    stderr_logfile_backups: p.stderr.backups,
    stderr_syslog: p.stderr.syslog,
    serverurl: p.serverurl,
    critical: p.critical,
  };
}

/** The JSON document (pretty-printed, trailing newline). */
export function printConfig(config: Config): string {
  const s = config.supervisord;
  const doc = {
    supervisord: {
      nodaemon: s.nodaemon,
      logfile: s.logfile,
      logfile_maxbytes: s.logfileMaxbytes,
      logfile_backups: s.logfileBackups,
      loglevel: s.loglevel,
      pidfile: s.pidfile,
      childlogdir: s.childlogdir,
      minfds: s.minfds,
      minprocs: s.minprocs,
      umask: octal3(s.umask),
      user: s.user,
      directory: s.directory,
      identifier: s.identifier,
      silent: s.silent,
      nocleanup: s.nocleanup,
      strip_ansi: s.stripAnsi,
      environment: s.environment,
    },
    serverurl: config.serverurl,
    servers: config.httpServers.map((h) => h.section),
    rpcinterfaces: config.rpcinterfaces,
    groups: config.groups.map((g) => ({
      name: g.name,
      type: g.kind,
      priority: g.priority,
      processes: g.processes.map((p) => p.name),
      ...(g.listener ? { events: g.listener.events, buffer_size: g.listener.bufferSize } : {}),
    })),
    processes: config.groups.flatMap((g) => g.processes.map(processJson)),
    warnings: config.messages.filter((m) => m.level === 'warn').map((m) => m.text),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export interface PrintConfigIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** How tsinit was invoked (for the config search and `For help, use <argv0> -h`). */
  readonly argv0: string;
}

const defaultIo = (): PrintConfigIo => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  argv0: process.argv[1] ?? 'tsinit',
});

/** Handle `tsinit [options] --print-config`; returns the exit code. */
export function runPrintConfig(argv: readonly string[], io: PrintConfigIo = defaultIo()): number {
  const db = loadUserDb();
  const parsed = parseArgs(argv, { home: io.env.HOME, db, cwd: io.cwd });
  if (parsed.mode === 'error') {
    io.stderr(usageErrorText(parsed.message, io.argv0));
    return 2;
  }
  if (parsed.mode === 'help') {
    io.stdout(usageText(io.argv0));
    return 0;
  }
  if (parsed.mode === 'version') {
    io.stdout(VERSION_TEXT + '\n');
    return 0;
  }
  if (parsed.mode !== 'print-config' && parsed.mode !== 'run') {
    io.stderr(usageErrorText(`${parsed.mode} cannot be combined with --print-config`, io.argv0));
    return 2;
  }
  try {
    const path = parsed.configPath ?? findDefaultConfig(io.argv0, io.cwd);
    if (path === null) throw new ConfigError(noConfigFoundMessage(io.argv0));
    const config = loadConfig(path, { env: io.env, cwd: io.cwd, overrides: parsed.overrides, userDb: db });
    io.stdout(printConfig(config));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(usageErrorText(err.message, io.argv0));
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr(usageErrorText(`unexpected error while reading the configuration: ${msg}`, io.argv0));
    return 2;
  }
}
