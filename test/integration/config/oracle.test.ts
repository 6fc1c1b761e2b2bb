// Oracle test: for real-world configs, `tsinit --print-config` must resolve exactly what supervisord
// 4.2's own parser (Debian's python3 supervisor package) resolves, field by field; invalid configs
// must exit 2 with supervisord's message (as a prefix: tsinit appends where it found the problem).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const tsinit = path.join(root, 'dist', 'tsinit.js');
const oracleScript = path.join(import.meta.dirname, 'oracle-dump.py');
const fixtures = path.join(root, 'test', 'fixtures', 'configs');
const PYTHON = '/usr/bin/python3';

const hasOracle = spawnSync(PYTHON, ['-c', 'import supervisor.options'], { stdio: 'ignore' }).status === 0;

const env = { ...process.env, HOSTNAME_FOR_TEST: 'h1', SHARED: 'from-env', TMPDIR: '/tmp' };
const cwd = mkdtempSync(path.join(tmpdir(), 'tsinit-oracle-'));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, cwd, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const oracle = (file: string): Promise<Result> => exec(PYTHON, [oracleScript, file]);
const ours = (file: string): Promise<Result> => exec(process.execPath, [tsinit, '--print-config', '-c', file]);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Field-by-field differences, ignoring tsinit-only fields and informational warnings. */
function diff(expected: Json, actual: Json, at = ''): string[] {
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    if (Array.isArray(expected) !== Array.isArray(actual)) return [`${at}: ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`];
    if (Array.isArray(expected) && Array.isArray(actual)) {
      if (expected.length !== actual.length) return [`${at}: length ${expected.length} != ${actual.length}`];
      return expected.flatMap((e, i) => diff(e, actual[i]!, `${at}[${i}]`));
    }
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    const out: string[] = [];
    for (const k of keys) {
      if (k === 'critical' || k === 'warnings') continue;
      if (!(k in e) || !(k in a)) out.push(`${at}.${k}: present only in ${k in e ? 'supervisord' : 'tsinit'}`);
      else out.push(...diff(e[k]!, a[k]!, `${at}.${k}`));
    }
    return out;
  }
  return expected === actual ? [] : [`${at}: supervisord ${JSON.stringify(expected)} != tsinit ${JSON.stringify(actual)}`];
}

const FIXTURES = [
  'nginx-php-fpm.conf',
  'app-worker-cron.conf',
  'celery-numprocs.conf',
  'includes/main.conf',
  'quoted-env.conf',
  'comment-traps.conf',
  'continuation.conf',
  'groups.conf',
  'eventlisteners.conf',
  'default-section.conf',
  'servers-fcgi.conf',
];

describe.skipIf(!hasOracle)('--print-config agrees with supervisord 4.2', () => {
  it.each(FIXTURES)('%s', async (name) => {
    const file = path.join(fixtures, name);
    const [py, ts] = await Promise.all([oracle(file), ours(file)]);
    expect(py.stderr).toBe('');
    expect(py.code).toBe(0);
    expect(ts.stderr).toBe('');
    expect(ts.code).toBe(0);
    const expected = JSON.parse(py.stdout) as Json;
    const actual = JSON.parse(ts.stdout) as { groups: { events?: string[] }[] } & Json;
    for (const g of actual.groups) if (g.events) g.events = [...g.events].sort();
    expect(diff(expected, actual as Json)).toEqual([]);
    // Every key of the documented shape is present even when null.
    expect(Object.keys(actual).sort()).toEqual(
      ['groups', 'processes', 'rpcinterfaces', 'serverurl', 'servers', 'supervisord', 'warnings'].sort(),
    );
  });
});

const HEADER = '[supervisord]\nlogfile=/tmp/tsinit-oracle-invalid.log\n';

/** Invalid configs: [label, file text, expected message when tsinit deliberately words it differently]. */
const INVALID: [string, string, string?][] = [
  ['no delimiter', HEADER + '[program:a]\ncommand=/bin/a\nthis line has no delimiter\n  x\nanother bad\n'],
  ['no section header', 'foo=bar\n[supervisord]\n'],
  ['no supervisord section', '[program:a]\ncommand=/bin/a\n'],
  ['include without files', HEADER + '[include]\nfoo=bar\n'],
  ['bad boolean', HEADER + '[program:a]\ncommand=/bin/a\nautostart=maybe\n'],
  ['bad integer', HEADER + '[program:a]\ncommand=/bin/a\nstartsecs=abc\n'],
  ['no command', HEADER + '[program:a]\npriority=1\n'],
  ['bad program name', HEADER + '[program:a b]\ncommand=/bin/a\n'],
  ['bad name char in process_name', HEADER + '[program:a]\ncommand=/bin/a\nprocess_name=a/b\n'],
  ['numprocs without process_num', HEADER + '[program:a]\ncommand=/bin/a\nnumprocs=2\n'],
  ['bad signal name', HEADER + '[program:a]\ncommand=/bin/a\nstopsignal=FOO\n'],
  ['bad signal number', HEADER + '[program:a]\ncommand=/bin/a\nstopsignal=40\n'],
  ['bad exitcodes', HEADER + '[program:a]\ncommand=/bin/a\nexitcodes=0,256\n'],
  ['bad autorestart', HEADER + '[program:a]\ncommand=/bin/a\nautorestart=Sometimes\n'],
  ['bad umask', HEADER + '[program:a]\ncommand=/bin/a\numask=089\n'],
  ['bad user', HEADER + '[program:a]\ncommand=/bin/a\nuser=nosuchuser\n'],
  ['bad uid', HEADER + '[program:a]\ncommand=/bin/a\nuser=54321\n'],
  ['env no closing quote', HEADER + '[program:a]\ncommand=/bin/a\nenvironment=A="abc\n'],
  ['env unexpected end', HEADER + '[program:a]\ncommand=/bin/a\nenvironment=A=1,B\n'],
  ['supervisord env bad', '[supervisord]\nenvironment=A=1,B\n'],
  ['incomplete format', HEADER + '[program:a]\ncommand=/bin/echo 100%\n'],
  ['unsupported format char', HEADER + '[program:a]\ncommand=/bin/echo %z\n'],
  ['unknown expansion', HEADER + '[program:a]\ncommand=/bin/echo %(nope)s\n'],
  ['host_node_name in supervisord env', '[supervisord]\nenvironment=A=%(host_node_name)s\n'],
  ['process_num in fcgi socket', HEADER + '[fcgi-program:f]\ncommand=/bin/f\nsocket=unix:///tmp/%(process_num)s.sock\n'],
  ['stopasgroup without killasgroup', HEADER + '[program:a]\ncommand=/bin/a\nstopasgroup=true\nkillasgroup=false\n'],
  ['group names unknown program', HEADER + '[group:g]\nprograms=a,b\n[program:a]\ncommand=/bin/a\n'],
  ['group first item unknown', HEADER + '[group:g]\nprograms=zz\n'],
  ['listener without events', HEADER + '[eventlistener:l]\ncommand=/bin/l\n'],
  ['listener unknown event', HEADER + '[eventlistener:l]\ncommand=/bin/l\nevents=FOO\n'],
  ['listener buffer_size 0', HEADER + '[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\nbuffer_size=0\n'],
  ['listener redirect_stderr', HEADER + '[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\nredirect_stderr=true\n'],
  ['bad loglevel', '[supervisord]\nloglevel=chatty\n'],
  ['logfile dir missing', '[supervisord]\nlogfile=/nonexistent/dir/sd.log\n'],
  ['child logfile dir missing', HEADER + '[program:a]\ncommand=/bin/a\nstdout_logfile=/nonexistent/x.log\n'],
  ['childlogdir missing', '[supervisord]\nchildlogdir=/nonexistent\n'],
  ['bad chmod', HEADER + '[unix_http_server]\nfile=/tmp/x.sock\nchmod=999\n'],
  ['incomplete auth', HEADER + '[unix_http_server]\nfile=/tmp/x.sock\nusername=u\n'],
  ['port above bound', HEADER + '[inet_http_server]\nport=99999\n'],
  ['port not a number', HEADER + '[inet_http_server]\nport=abc\n'],
  ['inet without port', HEADER + '[inet_http_server]\nusername=a\npassword=b\n'],
  ['unix without file', HEADER + '[unix_http_server]\nchmod=0700\n'],
  ['rpcinterface without factory', HEADER + '[rpcinterface:x]\nfoo=bar\n'],
  ['fcgi without socket', HEADER + '[fcgi-program:f]\ncommand=/bin/f\n'],
  ['fcgi relative unix socket', HEADER + '[fcgi-program:f]\ncommand=/bin/f\nsocket=unix://rel.sock\n'],
  ['fcgi bad backlog', HEADER + '[fcgi-program:f]\ncommand=/bin/f\nsocket=tcp://localhost:9000\nsocket_backlog=0\n'],
  ['supervisord user', '[supervisord]\nuser=nosuchuser\n'],
  ['bad byte size', HEADER + '[program:a]\ncommand=/bin/a\nstdout_logfile_maxbytes=1TB\n'],
  ['bare %s rejected', HEADER + '[program:a]\ncommand=/bin/echo %s\n', "Format string '/bin/echo %s' for 'program:a.command' is badly formatted: format requires a mapping"],
  [
    'unknown result handler',
    HEADER + '[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\nresult_handler=foo.bar:baz\n',
    'foo.bar:baz cannot be resolved within [eventlistener:l]',
  ],
  [
    'unknown rpcinterface factory',
    HEADER + '[rpcinterface:x]\nsupervisor.rpcinterface_factory=my.mod:make\n',
    'my.mod:make cannot be resolved within [rpcinterface:x]',
  ],
];

const invalidDir = mkdtempSync(path.join(tmpdir(), 'tsinit-invalid-'));

describe('invalid configs exit 2 with a message naming the problem', () => {
  it.each(INVALID.map((c, i) => [i, ...c] as const))('%i %s', async (i, _label, text, ourText) => {
    const file = path.join(invalidDir, `c${i}.conf`);
    writeFileSync(file, text);
    const ts = await ours(file);
    expect(ts.code).toBe(2);
    expect(ts.stdout).toBe('');
    expect(ts.stderr).not.toMatch(/\n\s+at .*\(|Traceback/);
    expect(ts.stderr).toMatch(new RegExp(`\\nFor help, use ${tsinit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -h\\n$`));
    const message = ts.stderr.replace(/^Error: /, '').replace(/\nFor help, use .*\n$/s, '');
    if (ourText !== undefined) {
      expect(message.startsWith(ourText)).toBe(true);
      return;
    }
    if (!hasOracle) return;
    const py = await oracle(file);
    expect(py.code).toBe(2);
    const pyMessage = py.stderr.replace(/^Error: /, '').replace(/\nFor help, use .*\n$/s, '');
    expect(pyMessage.length).toBeGreaterThan(0);
    expect(message.slice(0, pyMessage.length)).toBe(pyMessage);
  });
});
