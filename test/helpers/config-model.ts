// Builders of the typed config model for unit tests: a ProcessConfig with supervisord's defaults for a
// [program:x] section, and an output channel. Tests override what they care about.
import type { Config, GroupConfig, OutputChannelConfig, ProcessConfig, SupervisordSection, TsinitSection } from '../../src/config/model.js';

/** An output channel with supervisord-like neutral values (no file unless given). */
export function outputChannel(over: Partial<OutputChannelConfig> = {}): OutputChannelConfig {
  return {
    logfile: { kind: 'none' },
    maxbytes: 0,
    backups: 0,
    captureMaxbytes: 0,
    eventsEnabled: false,
    syslog: false,
    ...over,
  };
}

/** The process of `[program:<group>]` named `name`, with supervisord's defaults. */
export function processConfig(name: string, over: Partial<ProcessConfig> = {}): ProcessConfig {
  const group = over.group ?? name;
  return {
    name,
    group,
    programName: group,
    section: `program:${group}`,
    file: '/etc/supervisord.conf',
    kind: 'program',
    processNum: 0,
    command: `/bin/${name}`,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    exitcodes: [0],
    stopsignal: 15,
    stopsignalName: 'TERM',
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    user: null,
    directory: null,
    umask: null,
    environment: {},
    redirectStderr: false,
    stdout: outputChannel(),
    stderr: outputChannel(),
    serverurl: null,
    critical: false,
    prefix: false,
    ...over,
  };
}

/** A whole Config around `groups`, with supervisord's defaults; `over` replaces top-level parts. */
export function configModel(
  groups: readonly GroupConfig[],
  over: Partial<Omit<Config, 'supervisord' | 'tsinit'>> & {
    supervisord?: Partial<SupervisordSection>;
    tsinit?: Partial<TsinitSection>;
  } = {},
): Config {
  const { supervisord, tsinit, ...rest } = over;
  return {
    configFile: '/etc/supervisord.conf',
    files: ['/etc/supervisord.conf'],
    supervisord: {
      nodaemon: true,
      logfile: '/tmp/supervisord.log',
      logfileMaxbytes: 0,
      logfileBackups: 0,
      loglevel: 'info',
      pidfile: '/tmp/supervisord.pid',
      childlogdir: '/tmp',
      minfds: 1024,
      minprocs: 200,
      umask: 0o22,
      user: null,
      directory: null,
      identifier: 'supervisor',
      silent: false,
      nocleanup: false,
      stripAnsi: false,
      environment: {},
      ...supervisord,
    },
    tsinit: { logFormat: 'text', prefix: false, healthListen: null, killGraceSecs: 5, ...tsinit },
    groups,
    httpServers: [],
    serverurl: null,
    rpcinterfaces: [],
    supervisorctl: { serverurl: 'http://localhost:9001', username: null, password: null, prompt: 'supervisor' },
    messages: [],
    ...rest,
  };
}
