// Shared by the control-plane comparison tests: a config, a command sequence, and drivers that run it
// with a given client against a given server (real supervisord or tsinit as PID 1), normalizing outputs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, tempDir, TSINIT, waitFor, type RunResult } from './helpers.js';

export const started: ChildProcess[] = [];
/**
 * Ends what the tests started. A SIGKILLed supervisord would orphan its programs on the host, so it gets
 * SIGTERM first and time to stop them; tsinit runs under `unshare --kill-child`, where SIGKILL ends the
 * whole PID namespace.
 */
export async function stopStarted(): Promise<void> {
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    if (child.spawnfile === '/usr/bin/supervisord') {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    } else {
      child.kill('SIGKILL');
      await exited;
    }
  }
  started.length = 0;
}

export function confText(dir: string, extra = ''): string {
  return `[supervisord]
nodaemon=true
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
[unix_http_server]
file=${dir}/s.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${dir}/s.sock
[program:web]
command=/bin/sh -c "echo hello-out; echo hello-err >&2; exec sleep 1000"
stdout_logfile=${dir}/web.out
stderr_logfile=${dir}/web.err
startsecs=1
[program:quick]
command=/bin/false
autostart=false
startsecs=1
startretries=0
[program:missing]
command=/nonexistent/prog
autostart=false
[group:grp]
programs=m1,m2
[program:m1]
command=sleep 1000
startsecs=0
[program:m2]
command=sleep 1000
startsecs=0
${extra}`;
}

export interface Started {
  dir: string;
  conf: string;
  child: ChildProcess;
}

export type Starter = () => Promise<Started>;

export function startSupervisord(): Promise<Started> {
  return startServer((conf) => spawn('/usr/bin/supervisord', ['-n', '-c', conf], { stdio: 'ignore' }));
}

/** tsinit really PID 1 of a new PID namespace (unshare blocks SIGTERM: stop it with `shutdown`). */
export function startTsinit(extraConf = '', ctlArgs: string[] = []): Promise<Started> {
  return startServer(
    (conf) => spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', process.execPath, TSINIT, '-c', conf], { stdio: 'ignore' }),
    extraConf,
    ctlArgs,
  );
}

async function startServer(launch: (conf: string) => ChildProcess, extraConf = '', ctlArgs: string[] = []): Promise<Started> {
  const dir = tempDir('ctl-vs-');
  const conf = path.join(dir, 'supervisord.conf');
  writeFileSync(conf, confText(dir, extraConf));
  const child = launch(conf);
  started.push(child);
  await waitFor(() => existsSync(path.join(dir, 's.sock')), 20_000, 'supervisord socket');
  // wait until web is RUNNING
  await waitFor(async () => (await run('/usr/bin/supervisorctl', ['-c', conf, ...ctlArgs, 'status', 'web'])).stdout.includes('RUNNING'), 20_000, 'web RUNNING');
  return { dir, conf, child };
}

export function normalize(text: string, dir: string): string {
  return text
    .split(dir)
    .join('<DIR>')
    .replace(/pid \d+, uptime \d+:\d\d:\d\d/g, 'pid <PID>, uptime <UP>')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, '<DATE>')
    .replace(/^\d+$/gm, '<N>');
}

export type Client = (conf: string, args: string[]) => Promise<RunResult>;
export const realCtl: Client = (conf, args) => run('/usr/bin/supervisorctl', ['-c', conf, ...args]);
export const ourCtl: Client = (conf, args) => run(process.execPath, [TSINIT, 'ctl', '-c', conf, ...args]);

export const SEQUENCE: string[][] = [
  ['status'],
  ['status', 'web'],
  ['status', 'nosuch', 'grp:*', 'nogrp:*'],
  ['pid'],
  ['pid', 'web'],
  ['pid', 'quick'],
  ['pid', 'nosuch'],
  ['pid', 'all'],
  ['avail'],
  ['version'],
  ['tail', 'web'],
  ['tail', 'web', 'stderr'],
  ['tail', '-3', 'web'],
  ['tail', 'web', 'bogus'],
  ['tail', '-x', 'web'],
  ['tail', 'quick'],
  ['tail', 'nosuch'],
  ['tail'],
  ['maintail', 'bogus'],
  ['start'],
  ['start', 'web'],
  ['start', 'quick'],
  ['start', 'missing'],
  ['start', 'nosuch'],
  ['start', 'nogrp:*'],
  ['stop', 'web'],
  ['stop', 'web'],
  ['stop'],
  ['status', 'web'],
  ['start', 'web'],
  ['restart', 'web'],
  ['restart', 'grp:*'],
  // CONT: does not kill the program, so the following steps do not race with its autorestart
  ['signal', 'CONT', 'grp:m1'],
  ['signal', 'BOGUS', 'web'],
  ['signal', 'HUP', 'quick'],
  ['signal', 'HUP', 'nosuch'],
  ['signal', 'HUP'],
  ['clear', 'web'],
  ['clear', 'nosuch'],
  ['stop', 'grp:*'],
  ['status'],
  ['start', 'grp:*'],
  ['reread'],
  ['update'],
  ['add', 'nosuch'],
  ['add', 'web'],
  ['remove', 'web'],
  ['remove', 'nosuch'],
  ['reread', 'x'],
  ['bogus'],
];

export const AFTER_EDIT: string[][] = [['reread'], ['avail'], ['update'], ['status'], ['remove', 'extra'], ['stop', 'extra'], ['remove', 'extra'], ['add', 'extra'], ['status']];

export async function drive(client: Client, start: Starter = startSupervisord): Promise<{ outputs: string[]; dir: string }> {
  const { dir, conf } = await start();
  const outputs: string[] = [];
  const step = async (args: string[]): Promise<void> => {
    const r = await client(conf, args);
    outputs.push(`$ ${args.join(' ')}\n${normalize(r.stdout, dir)}[rc=${r.code}]`);
  };
  for (const args of SEQUENCE) await step(args);
  // change the config: a new program, one removed
  writeFileSync(conf, confText(dir, '[program:extra]\ncommand=sleep 1000\nstartsecs=0\n').replace(/\[program:missing\][^[]*/, ''));
  for (const args of AFTER_EDIT) await step(args);
  await step(['shutdown']);
  await waitFor(() => !existsSync(path.join(dir, 's.sock')), 30_000, 'supervisord exit');
  await step(['shutdown']);
  await step(['status']);
  await step(['start', 'web']);
  await step(['reread']);
  return { outputs, dir };
}


/** Python prints a file/line suffix after `error: <class ...>, ...`; group results come in completion order
 * (which varies run to run): compare each step's lines as a sorted list, without the suffix. */
export function canonicalSteps(outputs: readonly string[]): string[] {
  return outputs.map((s) =>
    s
      .replace(/(error: <class [^\n]*?): file: [^\n]*/g, '$1')
      .split('\n')
      .sort()
      .join('\n'),
  );
}
