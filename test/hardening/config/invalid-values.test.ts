// Every option that takes a validated value, one invalid value each, through the real CLI:
// `tsinit --print-config -c FILE` exits 2 and prints supervisord's message for that value, then
// where it is (file, line, option). Complements the invalid-config matrix in
// test/integration/config/oracle.test.ts (which covers the options not listed here).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSINIT = path.resolve(import.meta.dirname, '..', '..', '..', 'dist', 'tsinit.js');
const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-invalid-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SD = '[supervisord]\nlogfile=/dev/null\n';
/** Section bodies the bad option is appended to (the option then sits on the last line). */
const PREFIX: Record<string, string> = {
  supervisord: SD,
  'program:a': `${SD}[program:a]\ncommand=/bin/a\n`,
  'fcgi-program:f': `${SD}[fcgi-program:f]\ncommand=/bin/f\nsocket=unix:///tmp/tsinit-f.sock\n`,
  'eventlistener:l': `${SD}[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\n`,
  'group:g': `${SD}[program:a]\ncommand=/bin/a\n[group:g]\nprograms=a\n`,
  unix_http_server: `${SD}[unix_http_server]\nfile=/tmp/tsinit-x.sock\n`,
  inet_http_server: `${SD}[inet_http_server]\n`,
  tsinit: `${SD}[tsinit]\n`,
};

const PROGRAM_SUFFIX = (file: string) => ` in section 'program:a' (file: '${file}')`;
const TSINIT_SUFFIX = () => ` in section 'tsinit'`;

/** [section, option, bad value, supervisord's message, suffix supervisord adds for the section]. */
const CASES: [string, string, string, string, ((file: string) => string)?][] = [
  ['supervisord', 'logfile_maxbytes', '1TB', "invalid literal for int() with base 10: '1tb'"],
  ['supervisord', 'logfile_backups', 'ten', "invalid literal for int() with base 10: 'ten'"],
  ['supervisord', 'umask', '089', '089 can not be converted to an octal type'],
  ['supervisord', 'nodaemon', 'maybe', "not a valid boolean value: 'maybe'"],
  ['supervisord', 'silent', '2', "not a valid boolean value: '2'"],
  ['supervisord', 'minfds', 'many', "invalid literal for int() with base 10: 'many'"],
  ['supervisord', 'minprocs', '1.5', "invalid literal for int() with base 10: '1.5'"],
  ['supervisord', 'nocleanup', 'y', "not a valid boolean value: 'y'"],
  ['supervisord', 'directory', '/nonexistent/dir', '/nonexistent/dir is not an existing directory'],
  ['supervisord', 'strip_ansi', 't', "not a valid boolean value: 't'"],
  ['supervisord', 'pidfile', '/nonexistent/dir/x.pid', 'The directory named as part of the path /nonexistent/dir/x.pid does not exist'],
  ['supervisord', 'loglevel', 'warning', "bad logging level name 'warning'"],
  ['supervisord', 'environment', 'A="x', 'No closing quotation'],
  ['supervisord', 'identifier', '100%', "Format string '100%' for 'supervisord.identifier' is badly formatted: incomplete format"],
  ['supervisord', 'user', 'nosuchuser', 'Invalid user name nosuchuser'],
  ['program:a', 'numprocs', 'two', "invalid literal for int() with base 10: 'two'", PROGRAM_SUFFIX],
  ['program:a', 'numprocs_start', 'x', "invalid literal for int() with base 10: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'priority', 'high', "invalid literal for int() with base 10: 'high'"],
  ['program:a', 'startretries', '-', "invalid literal for int() with base 10: '-'", PROGRAM_SUFFIX],
  ['program:a', 'stopwaitsecs', '1s', "invalid literal for int() with base 10: '1s'", PROGRAM_SUFFIX],
  ['program:a', 'killasgroup', 'nope', "not a valid boolean value: 'nope'", PROGRAM_SUFFIX],
  ['program:a', 'stopasgroup', 'nope', "not a valid boolean value: 'nope'", PROGRAM_SUFFIX],
  ['program:a', 'redirect_stderr', 'nope', "not a valid boolean value: 'nope'", PROGRAM_SUFFIX],
  ['program:a', 'stdout_logfile_backups', 'x', "invalid literal for int() with base 10: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_logfile_backups', 'x', "invalid literal for int() with base 10: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stdout_logfile_maxbytes', '1K', "invalid literal for int() with base 10: '1k'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_logfile_maxbytes', '1.5MB', "invalid literal for int() with base 10: '1.5'", PROGRAM_SUFFIX],
  ['program:a', 'stdout_capture_maxbytes', '1PB', "invalid literal for int() with base 10: '1pb'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_capture_maxbytes', 'x', "invalid literal for int() with base 10: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stdout_events_enabled', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_events_enabled', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stdout_syslog', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_syslog', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'stderr_logfile', '/nonexistent/e.log', 'The directory named as part of the path /nonexistent/e.log does not exist', PROGRAM_SUFFIX],
  ['program:a', 'umask', '8', '8 can not be converted to an octal type', PROGRAM_SUFFIX],
  ['program:a', 'exitcodes', '1,', "not a valid list of exit codes: '1,'", PROGRAM_SUFFIX],
  ['program:a', 'stopsignal', 'SIGFOO', "value 'SIGFOO' is not a valid signal name", PROGRAM_SUFFIX],
  ['program:a', 'stopsignal', '35', "value '35' is not a valid signal number", PROGRAM_SUFFIX],
  ['program:a', 'startsecs', '-x', "invalid literal for int() with base 10: '-x'", PROGRAM_SUFFIX],
  ['program:a', 'critical', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'prefix', 'x', "not a valid boolean value: 'x'", PROGRAM_SUFFIX],
  ['program:a', 'process_name', 'a:b', "Invalid name: 'a:b' because of character: ':'", PROGRAM_SUFFIX],
  ['program:a', 'user', '54321', 'Invalid user id 54321', PROGRAM_SUFFIX],
  ['program:a', 'directory', '%(nope)s', "Format string '%(nope)s' for 'program:a.directory' contains names ('nope') which cannot be expanded."],
  ['program:a', 'numprocs', '10001', "numprocs 10001 is above tsinit's limit of 10000 processes per program", PROGRAM_SUFFIX],
  ['fcgi-program:f', 'socket_owner', 'nosuchuser', 'Invalid socket_owner value nosuchuser'],
  ['fcgi-program:f', 'socket_mode', '9', 'Invalid socket_mode value 9'],
  ['fcgi-program:f', 'socket_backlog', 'x', "invalid literal for int() with base 10: 'x'"],
  ['fcgi-program:f', 'socket', 'ftp://x', "('Bad socket format %s', 'ftp://x') in [fcgi-program:f] socket"],
  ['eventlistener:l', 'buffer_size', 'x', "invalid literal for int() with base 10: 'x'"],
  ['eventlistener:l', 'events', 'PROCESS_STATE,NOPE', 'Unknown event type NOPE in [eventlistener:l] events'],
  ['group:g', 'priority', 'x', "invalid literal for int() with base 10: 'x'"],
  ['unix_http_server', 'chmod', 'x', 'Invalid chmod value x'],
  ['unix_http_server', 'chown', 'nosuchuser', 'Invalid sockchown value nosuchuser'],
  ['unix_http_server', 'chown', 'root:nosuchgroup', 'Invalid sockchown value root:nosuchgroup'],
  ['inet_http_server', 'port', ':0', '0 is below lower bound (1)'],
  ['inet_http_server', 'port', 'host:', "no port number specified in ''"],
  ['inet_http_server', 'port', '-5', "not a valid port number: '-5' "],
  ['tsinit', 'log_format', 'xml', "invalid log_format value 'xml' (expected text or json)", TSINIT_SUFFIX],
  ['tsinit', 'prefix', 'x', "not a valid boolean value: 'x'", TSINIT_SUFFIX],
  ['tsinit', 'health', 'nope', "not a valid port number: 'nope' ", TSINIT_SUFFIX],
  ['tsinit', 'health', ':99999', '99999 is above upper bound (65535)', TSINIT_SUFFIX],
  ['tsinit', 'kill_grace_secs', 'x', "invalid literal for int() with base 10: 'x'", TSINIT_SUFFIX],
  ['tsinit', 'kill_grace_secs', '-1', 'kill_grace_secs must be >= 0, got -1', TSINIT_SUFFIX],
];

async function printConfig(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSINIT, '--print-config', '-c', file], { env: { PATH: '/usr/bin:/bin', HOME: '/root' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('each invalid value of each option: exit 2 with its own message and location', () => {
  it.concurrent.each(CASES.map((c, i) => [i, ...c] as const))('%i [%s] %s=%s', async (i, section, option, value, message, suffix) => {
    const text = PREFIX[section]! + `${option}=${value}\n`;
    const file = path.join(dir, `case${i}.conf`);
    writeFileSync(file, text);
    const line = text.split('\n').length - 1;
    const r = await printConfig(file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const expected = `${message}${suffix ? suffix(file) : ''} (at ${file} line ${line}, option '${option}')`;
    const got = r.stderr.replace(/^Error: /, '').replace(/\nFor help, use .* -h\n$/s, '');
    if (message.endsWith('cannot be expanded.')) expect(got.startsWith(message)).toBe(true);
    else expect(got).toBe(expected);
    expect(r.stderr).toMatch(/^Error: [^\n]+\nFor help, use .+ -h\n$/s);
  });
});
