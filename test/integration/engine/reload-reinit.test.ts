// tsinit as PID 1: a reload (SIGHUP) re-initialises everything from the new config, as supervisord does
// (spec §4.5): the main log (file, level), program output settings, AUTO child logs (old ones deleted, new
// ones created, named after the new identifier), and the HTTP servers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, type Pid1Run } from '../../helpers/pid1.js';
import { startTsinit, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** Resolves true when a unix socket accepts a connection, false when it refuses or is missing. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function supervisordSection(dir: string, extra: string): string {
  return `[supervisord]\nnodaemon=true\nlogfile_maxbytes=0\npidfile=${dir}/tsinit.pid\nchildlogdir=${dir}\n${extra}\n`;
}

describe('SIGHUP re-initialises from the new config', () => {
  it('main log file and level, and a program stdout_logfile, take their new values', async () => {
    wd = new Workdir();
    const d = wd.dir;
    const talk = wd.script('talk.sh', 'while :; do echo tick; sleep 0.1; done');
    const conf = (n: number, level: string): string =>
      wd!.file(
        'supervisord.conf',
        supervisordSection(d, `logfile=${d}/main${n}.log\nloglevel=${level}`) + `[program:talk]\ncommand=${talk}\nstartsecs=0\nstdout_logfile=${d}/out${n}.log\n`,
      );
    run = await startTsinit(conf(1, 'info'));
    await waitFor(() => count(read(`${d}/out1.log`), 'tick') >= 2, 20_000, 'output in out1.log');
    expect(run.stdout).not.toMatch(/ DEBG /);

    conf(2, 'debug');
    const mark = run.stdout.length;
    run.signal('SIGHUP');
    await run.waitForLine('supervisord started with pid', { fromIndex: mark });
    await waitFor(() => count(read(`${d}/out2.log`), 'tick') >= 2, 20_000, 'output in out2.log');
    // the new level: debug lines appear (on the echo and in the new log file)
    await run.waitForLine(/ DEBG 'talk' stdout output:/, { fromIndex: mark });
    await waitFor(() => / DEBG /.test(read(`${d}/main2.log`)), 20_000, 'DEBG lines in main2.log');
    // the old main log has the lines up to the reload, the new one those after it
    const main1 = read(`${d}/main1.log`);
    const main2 = read(`${d}/main2.log`);
    expect(count(main1, 'supervisord started with pid')).toBe(1);
    expect(main1).toContain('received SIGHUP indicating restart request');
    expect(main1).toContain('stopped: talk');
    expect(main1).not.toMatch(/ DEBG /);
    expect(count(main2, 'supervisord started with pid')).toBe(1);
    expect(main2).toContain("spawned: 'talk'");
    expect(main2).not.toContain('received SIGHUP');
    // the startup messages are written again into the new log
    expect(main2).toMatch(/CRIT Supervisor is running as root/);
    // out1.log no longer grows
    const frozen = read(`${d}/out1.log`);
    await waitFor(() => count(read(`${d}/out2.log`), 'tick') >= 6, 20_000, 'more output in out2.log');
    expect(read(`${d}/out1.log`)).toBe(frozen);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('AUTO child logs: the old ones are deleted and new ones created; a new identifier names them (unless nocleanup)', async () => {
    wd = new Workdir();
    const d = wd.dir;
    const talk = wd.script('talk.sh', 'while :; do echo tick; sleep 0.1; done');
    const conf = (ident: string, extra = ''): string =>
      wd!.file('supervisord.conf', supervisordSection(d, `logfile=/dev/stdout\nidentifier=${ident}\n${extra}`) + `[program:talk]\ncommand=${talk}\nstartsecs=0\n`);
    const autoLogs = (ident: string): string[] =>
      readdirSync(d)
        .filter((f) => f.startsWith('talk-std') && f.includes(`---${ident}-`))
        .sort();
    const reload = async (): Promise<void> => {
      const mark = run!.stdout.length;
      run!.signal('SIGHUP');
      await run!.waitForLine('supervisord started with pid', { fromIndex: mark });
    };
    run = await startTsinit(conf('one'));
    await waitFor(() => autoLogs('one').length === 2, 20_000, 'AUTO logs of identifier one');
    const first = autoLogs('one');
    // same identifier: the old files are deleted, new ones (new random names) created
    await reload();
    await waitFor(() => autoLogs('one').length === 2 && autoLogs('one').every((f) => !first.includes(f)), 20_000, 'new AUTO logs');
    // a new identifier names the new files; the cleanup (as supervisord's) only matches the new identifier
    conf('two');
    await reload();
    await waitFor(() => autoLogs('two').length === 2, 20_000, 'AUTO logs of identifier two');
    const second = autoLogs('two');
    // nocleanup: the previous files stay next to the new ones
    conf('two', 'nocleanup=true');
    await reload();
    await waitFor(() => autoLogs('two').length === 4, 20_000, 'AUTO logs kept with nocleanup');
    expect(autoLogs('two')).toEqual(expect.arrayContaining(second));
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('the HTTP server is re-opened with the new config', async () => {
    wd = new Workdir();
    const d = wd.dir;
    const conf = (n: number): string =>
      wd!.file(
        'supervisord.conf',
        supervisordSection(d, 'logfile=/dev/stdout') +
          `[unix_http_server]\nfile=${d}/s${n}.sock\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n[program:s]\ncommand=/bin/sleep 1000\nstartsecs=0\n`,
      );
    run = await startTsinit(conf(1));
    await run.waitForLine('supervisord started with pid');
    expect(await accepts(`${d}/s1.sock`)).toBe(true);
    conf(2);
    const mark = run.stdout.length;
    run.signal('SIGHUP');
    await run.waitForLine('supervisord started with pid', { fromIndex: mark });
    await waitFor(() => accepts(`${d}/s2.sock`), 20_000, 'the new socket');
    expect(await accepts(`${d}/s1.sock`)).toBe(false);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
