// `tsinit --print-config -c FILE`: the resolved configuration as JSON, in the shape documented in
// /work/shared/print-config.md (every key present, numbers as numbers), then exit 0; a bad config
// prints supervisord's `Error: ...` / `For help, use ... -h` and exits 2.
import type { Config, LogDestination, ProcessConfig } from '../config/model.js';
import { loadConfig } from '../config/load.js';
import { defaultCliIo, configErrorExit, readCommandLine, type CliIo } from './command-line.js';

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

export type PrintConfigIo = CliIo;

/** Handle `tsinit [options] --print-config`; returns the exit code. */
export function runPrintConfig(argv: readonly string[], io: PrintConfigIo = defaultCliIo()): number {
  const request = readCommandLine(argv, io);
  if (typeof request === 'number') return request;
  try {
    const config = loadConfig(request.configPath, { env: io.env, cwd: io.cwd, overrides: request.overrides, userDb: request.userDb });
    io.stdout(printConfig(config));
    return 0;
  } catch (err) {
    return configErrorExit(err, io);
  }
}
