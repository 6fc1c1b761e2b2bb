// The real bundle (dist/tsinit.js): /dev/stdout with the default maxbytes produces no error lines, prefix
// mode and AUTO/file logs work end to end, and SIGUSR2 reopens a program log renamed away by an outside tool.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const tsinit = path.join(root, 'dist', 'tsinit.js');
const running: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of running.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-run-out-'));
  dirs.push(d);
  return d;
}

function run(conf: string): { child: ChildProcess; out: () => string; waitFor: (re: RegExp) => Promise<void> } {
  const child = spawn(process.execPath, [tsinit, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer): void => {
    text += d.toString();
    for (const w of [...waiters]) {
      if (w.re.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    out: () => text,
    waitFor: (re) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(text)) return resolve();
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${text}`)), 30_000);
        waiters.push({ re, resolve: () => (clearTimeout(t), resolve()) });
      }),
  };
}

describe('run mode output', () => {
  it('stdout_logfile=/dev/stdout with the default maxbytes: output flows, no error lines', async () => {
    const dir = tmp();
    const conf = path.join(dir, 'supervisord.conf');
    fs.writeFileSync(
      conf,
      `[supervisord]\nlogfile=/dev/stdout\nuser=root\npidfile=${dir}/pid\nchildlogdir=${dir}\n\n` +
        `[program:talker]\ncommand=sh -c 'i=0; while [ $i -lt 300 ]; do echo "talk $i"; echo "warn $i" >&2; i=$((i+1)); done; sleep 30'\n` +
        `stdout_logfile=/dev/stdout\nstderr_logfile=/dev/stderr\n\n` +
        `[program:web]\ncommand=sh -c 'echo hello from web; printf "no newline"; sleep 30'\nstdout_logfile=/dev/stdout\nprefix=true\n`,
    );
    const t = run(conf);
    await t.waitFor(/talk 299\n/);
    await t.waitFor(/warn 299\n/);
    await t.waitFor(/web \| hello from web\n/);
    await t.waitFor(/success: web entered RUNNING state/);
    const lines = t.out().split('\n');
    expect(lines.filter((l) => / (ERRO|CRIT) /.test(l) || /Illegal seek/.test(l))).toEqual([]);
    t.child.kill('SIGTERM');
    await t.waitFor(/web \| no newline\n/); // partial last line flushed when the program exits
  });

  it('SIGUSR2 reopens a program log that an outside tool renamed away', async () => {
    const dir = tmp();
    const conf = path.join(dir, 'supervisord.conf');
    const log = path.join(dir, 'ticker.log');
    const flag = path.join(dir, 'go');
    fs.writeFileSync(
      conf,
      `[supervisord]\nlogfile=/dev/stdout\nuser=root\npidfile=${dir}/pid\nchildlogdir=${dir}\n\n` +
        `[program:ticker]\ncommand=sh -c 'echo first; while [ ! -e ${flag} ]; do sleep 0.05; done; echo second; sleep 30'\n` +
        `stdout_logfile=${log}\n`,
    );
    const t = run(conf);
    await t.waitFor(/spawned: 'ticker'/);
    for (let i = 0; i < 600 && !(fs.existsSync(log) && fs.readFileSync(log, 'utf8') === 'first\n'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readFileSync(log, 'utf8')).toBe('first\n');
    fs.renameSync(log, `${log}.1`);
    t.child.kill('SIGUSR2');
    await t.waitFor(/supervisord logreopen|received SIGUSR2/);
    for (let i = 0; i < 600 && !fs.existsSync(log); i++) await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(flag, '');
    for (let i = 0; i < 600 && !(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('second')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readFileSync(log, 'utf8')).toBe('second\n');
    expect(fs.readFileSync(`${log}.1`, 'utf8')).toBe('first\n');
  });
});
