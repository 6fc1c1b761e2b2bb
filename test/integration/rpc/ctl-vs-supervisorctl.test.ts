// `tsinit ctl` against the real supervisord gives the same output and exit codes as the real supervisorctl.
// Two identical supervisord instances are driven through the same command sequence, one by each client;
// outputs are compared after normalizing pids, uptimes, dates and the temp directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, stream, tempDir, TSINIT, waitFor, type RunResult } from './helpers.js';

const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
});

function confText(dir: string, extra = ''): string {
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

async function startSupervisord(): Promise<{ dir: string; conf: string; child: ChildProcess }> {
  const dir = tempDir('ctl-vs-');
  const conf = path.join(dir, 'supervisord.conf');
  writeFileSync(conf, confText(dir));
  const child = spawn('/usr/bin/supervisord', ['-n', '-c', conf], { stdio: 'ignore' });
  started.push(child);
  await waitFor(() => existsSync(path.join(dir, 's.sock')), 20_000, 'supervisord socket');
  // wait until web is RUNNING
  await waitFor(async () => (await run('/usr/bin/supervisorctl', ['-c', conf, 'status', 'web'])).stdout.includes('RUNNING'), 20_000, 'web RUNNING');
  return { dir, conf, child };
}

function normalize(text: string, dir: string): string {
  return text
    .split(dir)
    .join('<DIR>')
    .replace(/pid \d+, uptime \d+:\d\d:\d\d/g, 'pid <PID>, uptime <UP>')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, '<DATE>')
    .replace(/^\d+$/gm, '<N>');
}

type Client = (conf: string, args: string[]) => Promise<RunResult>;
const realCtl: Client = (conf, args) => run('/usr/bin/supervisorctl', ['-c', conf, ...args]);
const ourCtl: Client = (conf, args) => run(process.execPath, [TSINIT, 'ctl', '-c', conf, ...args]);

const SEQUENCE: string[][] = [
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
  ['signal', 'HUP', 'grp:m1'],
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

const AFTER_EDIT: string[][] = [['reread'], ['avail'], ['update'], ['status'], ['remove', 'extra'], ['stop', 'extra'], ['remove', 'extra'], ['add', 'extra'], ['status']];

async function drive(client: Client): Promise<{ outputs: string[]; dir: string }> {
  const { dir, conf } = await startSupervisord();
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

describe('tsinit ctl vs supervisorctl against the real supervisord', () => {
  it('same outputs and exit codes for every command', async () => {
    const [real, ours] = await Promise.all([drive(realCtl), drive(ourCtl)]);
    // Python prints a file/line suffix after `error: <class ...>, ...`; compare up to it.
    const trimPy = (s: string): string => s.replace(/(error: <class [^\n]*?): file: [^\n]*/g, '$1');
    // group operations report processes in completion order, which varies from run to run: compare each
    // step's lines as a sorted list
    const canon = (s: string): string => trimPy(s).split('\n').sort().join('\n');
    expect(ours.outputs.map(canon)).toEqual(real.outputs.map(canon));
    // the sequence really exercised the server
    const all = real.outputs.join('\n');
    for (const expected of [
      '$ start quick\nquick: ERROR (spawn error)\n[rc=7]',
      '$ start missing\nmissing: ERROR (no such file)\n[rc=1]',
      '$ restart web\nweb: stopped\nweb: started\n[rc=0]',
      '$ update\nmissing: stopped\nmissing: removed process group\nextra: added process group\n[rc=0]',
      '$ status nosuch grp:* nogrp:*\nnosuch: ERROR (no such process)\nnogrp: ERROR (no such group)\n',
      '$ tail web stderr\nhello-err\n\n[rc=0]',
      '$ shutdown\nShut down\n[rc=0]',
      `$ shutdown\nERROR: unix://<DIR>/s.sock no such file (already shut down?)\n[rc=1]`,
      `$ status\nunix://<DIR>/s.sock no such file\n[rc=4]`,
    ]) {
      expect(all).toContain(expected);
    }
  }, 300_000);

  it('tail -f and maintail -f stream like supervisorctl', async () => {
    const { dir, conf } = await startSupervisord();
    for (const argv of [[TSINIT, 'ctl', '-c', conf, 'tail', '-f', 'web'], [TSINIT, 'ctl', '-c', conf, 'maintail', '-f']]) {
      const s = stream(process.execPath, argv);
      await waitFor(() => s.out().includes(argv.includes('web') ? 'hello-out' : 'success: web'), 20_000, 'tail output');
      expect(s.out().startsWith('==> Press Ctrl-C to exit <==\n')).toBe(true);
      if (argv.includes('web')) {
        await run('/usr/bin/supervisorctl', ['-c', conf, 'restart', 'web']);
        await waitFor(() => (s.out().match(/hello-out/g) ?? []).length >= 2, 20_000, 'followed output');
      }
      expect(await s.stop('SIGINT')).toBe(0);
    }
    // an unknown process: supervisorctl reports the 404 on stderr and exits 0
    const bad = await run(process.execPath, [TSINIT, 'ctl', '-c', conf, 'tail', '-f', 'nosuch']);
    expect(bad.code).toBe(0);
    expect(bad.stderr).toBe(`unix://${dir}/s.sock/logtail/nosuch/stdout Cannot read, status code 404\n`);
  }, 120_000);
});
