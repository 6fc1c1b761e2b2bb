// Bad command lines never start anything: unknown flags, missing values, positional arguments and
// unreadable config files all end in supervisord's usage error on stderr and exit 2, before a single
// program is spawned (a program that would create a marker file proves it). The run mode is used
// (not just --print-config), since that is what a container's ENTRYPOINT runs.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSINIT = path.resolve(import.meta.dirname, '..', '..', '..', 'dist', 'tsinit.js');
const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-cli-hardening-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const marker = path.join(dir, 'program-ran');
const good = path.join(dir, 'good.conf');
writeFileSync(good, `[supervisord]\nlogfile=/dev/null\npidfile=${dir}/sd.pid\n[program:touch]\ncommand=/bin/touch ${marker}\nstartsecs=0\nautorestart=false\n`);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function tsinit(args: string[], opts: { uid?: number; gid?: number } = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSINIT, ...args], { timeout: 20_000, cwd: dir, ...opts });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const usage = (message: string) => `Error: ${message}\nFor help, use ${TSINIT} -h\n`;

describe('run mode: bad command lines exit 2 before starting anything', () => {
  const cases: [string, string[], string][] = [
    ['unknown long flag', ['-c', good, '--bogus'], 'option --bogus not recognized'],
    ['unknown short flag', ['-c', good, '-Z'], 'option -Z not recognized'],
    ['flag that takes no value given one', ['-c', good, '--nodaemon=yes'], 'option --nodaemon must not have an argument'],
    ['missing value for -c', ['-c'], 'option -c requires argument'],
    ['missing value for --configuration', ['--configuration'], 'option --configuration requires argument'],
    ['missing value for -l', ['-c', good, '-l'], 'option -l requires argument'],
    ['ambiguous prefix', ['-c', good, '--log', 'x'], 'option --log not a unique prefix'],
    ['positional argument', ['-c', good, 'extra'], "positional arguments are not supported: ['extra']"],
    ['invalid -e value', ['-c', good, '-e', 'chatty'], "invalid value for -e 'chatty': bad logging level name 'chatty'"],
    ['invalid -m value', ['-c', good, '-m', '999'], "invalid value for -m '999': 999 can not be converted to an octal type"],
    ['invalid --minfds value', ['-c', good, '--minfds', 'lots'], "invalid value for --minfds 'lots': invalid literal for int() with base 10: 'lots'"],
    ['duplicate -c', ['-c', good, '-c', good], "conflicting command line option '-c'"],
    ['missing config file', ['-c', path.join(dir, 'nope.conf')], `could not find config file ${path.join(dir, 'nope.conf')}`],
    ['config path is a directory', ['-c', dir], `could not read config file ${dir}`],
  ];

  it.concurrent.each(cases)('%s', async (_label, args, message) => {
    const r = await tsinit(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(usage(message));
    expect(existsSync(marker)).toBe(false);
  });

  it('a config file the user cannot read (tsinit running as nobody)', async () => {
    const secret = path.join(dir, 'secret.conf');
    writeFileSync(secret, '[supervisord]\nlogfile=/dev/null\n');
    chmodSync(secret, 0o600);
    const r = await tsinit(['-c', secret], { uid: 65534, gid: 65534 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(usage(`could not read config file ${secret}`));
  });

  it('a config file that is not UTF-8', async () => {
    const bin = path.join(dir, 'binary.conf');
    writeFileSync(bin, Buffer.from([0x5b, 0x73, 0x75, 0x70, 0x5d, 0x0a, 0xff, 0xfe, 0x00, 0x0a]));
    const r = await tsinit(['-c', bin]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(usage(`could not read config file ${bin}: it is not valid UTF-8`));
  });

  it('an included file that cannot be read by the user is skipped like RawConfigParser.read does (no crash)', async () => {
    const sub = path.join(dir, 'inc');
    mkdirSync(sub, { recursive: true });
    chmodSync(sub, 0o755);
    const main = path.join(sub, 'main.conf');
    const hidden = path.join(sub, 'hidden.conf');
    writeFileSync(main, `[supervisord]\nlogfile=/dev/null\n[include]\nfiles=hidden.conf\n`);
    writeFileSync(hidden, '[program:x]\ncommand=/bin/true\n');
    chmodSync(main, 0o644);
    chmodSync(hidden, 0o600);
    const r = await tsinit(['--print-config', '-c', main], { uid: 65534, gid: 65534 });
    // RawConfigParser.read() skips files it cannot open: the config loads without the program.
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).processes).toEqual([]);
  });

  it('the program of the valid config does run without the bad flag (the marker check is live)', async () => {
    const r = await tsinit(['-c', good, '--print-config']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).processes[0].command).toBe(`/bin/touch ${marker}`);
  });
});

describe('subcommands', () => {
  it('tsinit ctl: unknown flag is a usage error, exit 2', async () => {
    const r = await tsinit(['ctl', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: option --bogus not recognized\nFor help, use tsinit ctl -h\n');
  });

  it('tsinit ctl: missing value for -c is a usage error, exit 2', async () => {
    const r = await tsinit(['ctl', '-c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: option -c requires argument\nFor help, use tsinit ctl -h\n');
  });

  it('tsinit health: unknown flag prints usage and fails with 1 (Docker reserves exit 2 for HEALTHCHECK)', async () => {
    const r = await tsinit(['health', '--bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tsinit health: unknown argument "--bogus"\nUsage: tsinit health/);
  });
});
