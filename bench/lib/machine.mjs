// What the numbers were measured on.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { versionOf } from './tools.mjs';
import { loadavg } from './proc.mjs';

export function machineInfo({ node20, node24 }) {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  const osRelease = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  return {
    date: new Date().toISOString(),
    cpu,
    cores: os.cpus().length,
    memGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    os: osRelease,
    node20: versionOf(node20),
    node24: node24 ? versionOf(node24) : null,
    supervisord: versionOf('/usr/bin/supervisord', ['--version']),
    tini: versionOf('/usr/bin/tini', ['--version']),
    python: versionOf('python3', ['--version']),
    loadavg: loadavg(),
  };
}
