// One supervisord.conf text that both supervisord and tsinit run unchanged (tsinit's [tsinit] section is
// ignored by supervisord). Every run gets its own directory: log, pidfile, socket, stamps.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * programs: [{ name, command, numprocs?, options?: { key: value } }]
 * tsinit: { key: value } for a [tsinit] section (e.g. prefix=true)
 */
export function writeConf(dir, { programs, tsinit } = {}) {
  const lines = [
    '[supervisord]',
    'nodaemon=true',
    `logfile=${path.join(dir, 'supervisord.log')}`,
    `pidfile=${path.join(dir, 'supervisord.pid')}`,
    `childlogdir=${dir}`,
    'minfds=4096',
    '',
    '[unix_http_server]',
    `file=${path.join(dir, 'sv.sock')}`,
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    `serverurl=unix://${path.join(dir, 'sv.sock')}`,
    '',
  ];
  if (tsinit) {
    lines.push('[tsinit]');
    for (const [k, v] of Object.entries(tsinit)) lines.push(`${k}=${v}`);
    lines.push('');
  }
  for (const p of programs ?? []) {
    lines.push(`[program:${p.name}]`, `command=${p.command}`);
    if (p.numprocs && p.numprocs > 1) {
      lines.push(`numprocs=${p.numprocs}`, 'process_name=%(program_name)s_%(process_num)04d');
    }
    const options = {
      stdout_logfile: '/dev/stdout',
      stdout_logfile_maxbytes: 0,
      redirect_stderr: 'true',
      ...p.options,
    };
    for (const [k, v] of Object.entries(options)) lines.push(`${k}=${v}`);
    lines.push('');
  }
  const file = path.join(dir, 'supervisord.conf');
  writeFileSync(file, lines.join('\n'));
  return file;
}

export const socketPath = (dir) => path.join(dir, 'sv.sock');
