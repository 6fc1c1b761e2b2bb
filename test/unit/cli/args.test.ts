// tsinit's command line: supervisord's getopt flags and texts (test_options.py OptionTests /
// ServerOptionsTests realize cases) plus --print-config, --log-format and the subcommands.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, usageErrorText } from '../../../src/cli/args.js';
import { parseGroup, parsePasswd } from '../../../src/config/users.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-args-'));
const ctx = { home: dir, cwd: dir, db: { users: parsePasswd('root:x:0:0::/root:/bin/sh\n'), groups: parseGroup('root:x:0:\n') } };
const parse = (...argv: string[]) => parseArgs(argv, ctx);

describe('parseArgs', () => {
  it('no arguments: run with config search', () => {
    expect(parse()).toEqual({ mode: 'run', configPath: null, overrides: {} });
  });

  it('supervisord flags, short and long, attached and separate values', () => {
    expect(
      parse('-c', 'a.conf', '-n', '-l', `${dir}/x.log`, '-e', 'DEBUG', '-j', 'p.pid', '-q', dir, '-i', 'id', '-k', '-a', '2048', '-y', '1MB', '-z', '3', '-t', '-s', '-u', 'root', '-m', '027', '-d', dir, '--minprocs', '300'),
    ).toEqual({
      mode: 'run',
      configPath: 'a.conf',
      overrides: {
        nodaemon: true, logfile: `${dir}/x.log`, loglevel: 'debug', pidfile: 'p.pid', childlogdir: dir, identifier: 'id',
        nocleanup: true, minfds: 2048, logfileMaxbytes: 1048576, logfileBackups: 3, stripAnsi: true, silent: true,
        user: 'root', umask: 0o27, directory: dir, minprocs: 300,
      },
    });
    expect(parse('--configuration=a.conf', '--nodaemon', '--loglevel', 'warn')).toMatchObject({
      configPath: 'a.conf',
      overrides: { nodaemon: true, loglevel: 'warn' },
    });
    expect(parse('-nca.conf')).toMatchObject({ configPath: 'a.conf', overrides: { nodaemon: true } });
    expect(parse('--config', 'x.conf')).toMatchObject({ configPath: 'x.conf' });
  });

  it('--print-config and --log-format', () => {
    expect(parse('--print-config', '-c', 'x.conf', '--log-format', 'json')).toEqual({
      mode: 'print-config',
      configPath: 'x.conf',
      overrides: { logFormat: 'json' },
    });
    expect(parse('--log-format=xml')).toEqual({
      mode: 'error',
      message: "invalid value for --log-format 'xml': invalid log_format value 'xml' (expected text or json)",
    });
  });

  it('help and version', () => {
    expect(parse('-h')).toEqual({ mode: 'help' });
    expect(parse('-?')).toEqual({ mode: 'help' });
    expect(parse('--help')).toEqual({ mode: 'help' });
    expect(parse('-v')).toEqual({ mode: 'version' });
    expect(parse('--version')).toEqual({ mode: 'version' });
  });

  it('subcommands hand the rest of argv over', () => {
    expect(parse('ctl', '-c', 'x', 'status')).toEqual({ mode: 'ctl', argv: ['-c', 'x', 'status'] });
    expect(parse('health', '--url', 'x')).toEqual({ mode: 'health', argv: ['--url', 'x'] });
  });

  it('getopt errors with Python texts', () => {
    expect(parse('--bogus')).toEqual({ mode: 'error', message: 'option --bogus not recognized' });
    expect(parse('-x')).toEqual({ mode: 'error', message: 'option -x not recognized' });
    expect(parse('-c')).toEqual({ mode: 'error', message: 'option -c requires argument' });
    expect(parse('--configuration')).toEqual({ mode: 'error', message: 'option --configuration requires argument' });
    expect(parse('--nodaemon=1')).toEqual({ mode: 'error', message: 'option --nodaemon must not have an argument' });
    expect(parse('--log', 'x')).toEqual({ mode: 'error', message: 'option --log not a unique prefix' });
  });

  it('positional arguments (test_realize_positional_args_not_supported)', () => {
    expect(parse('extra')).toEqual({ mode: 'error', message: "positional arguments are not supported: ['extra']" });
    expect(parse('-n', 'a', '-c', 'b')).toEqual({ mode: 'error', message: "positional arguments are not supported: ['a', '-c', 'b']" });
    expect(parse('--', '-n')).toEqual({ mode: 'error', message: "positional arguments are not supported: ['-n']" });
  });

  it('invalid values and conflicts', () => {
    expect(parse('-e', 'chatty')).toEqual({ mode: 'error', message: "invalid value for -e 'chatty': bad logging level name 'chatty'" });
    expect(parse('-m', '089')).toEqual({ mode: 'error', message: "invalid value for -m '089': 089 can not be converted to an octal type" });
    expect(parse('--logfile', '/nonexistent/x.log')).toEqual({
      mode: 'error',
      message: "invalid value for --logfile '/nonexistent/x.log': The directory named as part of the path /nonexistent/x.log does not exist",
    });
    expect(parse('-c', 'a', '-c', 'b')).toEqual({ mode: 'error', message: "conflicting command line option '-c'" });
  });

  it('usage error text', () => {
    expect(usageErrorText('option --bogus not recognized', '/usr/bin/tsinit')).toBe(
      'Error: option --bogus not recognized\nFor help, use /usr/bin/tsinit -h\n',
    );
  });
});
