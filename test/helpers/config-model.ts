// Builders of the typed config model for unit tests: a ProcessConfig with supervisord's defaults for a
// [program:x] section, and an output channel. Tests override what they care about.
import type { OutputChannelConfig, ProcessConfig } from '../../src/config/model.js';

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
