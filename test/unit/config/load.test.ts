// loadConfig(): sections, defaults, expansions, includes, groups and messages. Cases ported from
// supervisor/tests/test_options.py (ServerOptionsTests) where they apply, plus tsinit's own rules.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadOptions } from '../../../src/config/load.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/model.js';
import { parseGroup, parsePasswd } from '../../../src/config/users.js';

const userDb = {
  users: parsePasswd('root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n'),
  groups: parseGroup('root:x:0:\nwww-data:x:33:\n'),
};

let n = 0;
function write(text: string, dir?: string, name?: string): string {
  const d = dir ?? mkdtempSync(path.join(tmpdir(), 'tsinit-load-'));
  const file = path.join(d, name ?? `c${n++}.conf`);
  writeFileSync(file, text);
  return file;
}

function load(text: string, opts: LoadOptions = {}): Config {
  const file = write(text);
  return loadConfig(file, { env: { HOME: '/root' }, cwd: path.dirname(file), hostname: 'box', userDb, ...opts });
}

const SD = '[supervisord]\n';
const procs = (c: Config) => c.groups.flatMap((g) => g.processes);
const proc = (c: Config, name: string) => procs(c).find((p) => p.name === name)!;

describe('[supervisord]', () => {
  it('defaults (test_options)', () => {
    const c = load(SD, { cwd: '/tmp', env: {} });
    expect(c.supervisord).toEqual({
      nodaemon: false,
      logfile: '/tmp/supervisord.log',
      logfileMaxbytes: 50 * 1024 * 1024,
      logfileBackups: 10,
      loglevel: 'info',
      pidfile: '/tmp/supervisord.pid',
      childlogdir: '/tmp',
      minfds: 1024,
      minprocs: 200,
      umask: 0o22,
      user: null,
      directory: null,
      identifier: 'supervisor',
      silent: false,
      nocleanup: false,
      stripAnsi: false,
      environment: {},
    });
    expect(c.tsinit).toEqual({ logFormat: 'text', prefix: false, healthListen: null, killGraceSecs: 5 });
    expect(c.groups).toEqual([]);
    expect(c.serverurl).toBeNull();
    expect(c.supervisorctl.serverurl).toBe('http://localhost:9001');
  });

  it('expands %(here)s and ENV_ (test_options_supervisord_section_expands_here)', () => {
    const file = write('[supervisord]\nchildlogdir=%(here)s\nlogfile=%(here)s/x.log\nidentifier=%(ENV_ID)s\n');
    const c = loadConfig(file, { env: { ID: 'abc' }, cwd: '/', userDb });
    expect(c.supervisord.childlogdir).toBe(path.dirname(file));
    expect(c.supervisord.logfile).toBe(path.join(path.dirname(file), 'x.log'));
    expect(c.supervisord.identifier).toBe('abc');
  });

  it('environment is expanded twice; host_node_name is not available in the first pass', () => {
    expect(load('[supervisord]\nenvironment=P="100%%%%",H="%(here)s"\n').supervisord.environment.P).toBe('100%');
    expect(() => load('[supervisord]\nenvironment=A=%(host_node_name)s\n')).toThrow(
      /^Format string 'A=%\(host_node_name\)s' for 'supervisord.environment' contains names \('host_node_name'\)/,
    );
  });

  it('CLI overrides win; relative logfile/pidfile become absolute against cwd', () => {
    const c = load('[supervisord]\nloglevel=debug\nidentifier=cfg\n', {
      cwd: '/srv',
      overrides: { loglevel: 'warn', logfile: 'rel.log', nodaemon: true, logFormat: 'json' },
    });
    expect(c.supervisord.loglevel).toBe('warn');
    expect(c.supervisord.logfile).toBe('/srv/rel.log');
    expect(c.supervisord.pidfile).toBe('/srv/supervisord.pid');
    expect(c.supervisord.identifier).toBe('cfg');
    expect(c.supervisord.nodaemon).toBe(true);
    expect(c.tsinit.logFormat).toBe('json');
  });

  it('logfile=syslog is kept as is; user must exist', () => {
    expect(load('[supervisord]\nlogfile=syslog\n').supervisord.logfile).toBe('syslog');
    expect(() => load('[supervisord]\nuser=nosuchuser\n')).toThrow('Invalid user name nosuchuser');
  });

  it('missing section, missing file', () => {
    expect(() => load('[program:a]\ncommand=x\n')).toThrow('.ini file does not include supervisord section');
    expect(() => loadConfig('/nonexistent/x.conf', { userDb })).toThrow('could not find config file /nonexistent/x.conf');
    const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-load-'));
    expect(() => loadConfig(dir, { userDb })).toThrow(`could not read config file ${dir}`);
  });
});

describe('[program:x]', () => {
  it('defaults (test_processes_from_section)', () => {
    const p = proc(load(SD + '[program:foo]\ncommand=/bin/cat\n'), 'foo');
    expect(p).toMatchObject({
      name: 'foo', group: 'foo', programName: 'foo', section: 'program:foo', kind: 'program', processNum: 0,
      command: '/bin/cat', priority: 999, autostart: true, autorestart: 'unexpected', startsecs: 1,
      startretries: 3, exitcodes: [0], stopsignal: 15, stopsignalName: 'TERM', stopwaitsecs: 10,
      stopasgroup: false, killasgroup: false, user: null, directory: null, umask: null, environment: {},
      redirectStderr: false, serverurl: null, critical: false, prefix: false,
    });
    expect(p.stdout).toEqual({ logfile: { kind: 'auto' }, maxbytes: 52428800, backups: 10, captureMaxbytes: 0, eventsEnabled: false, syslog: false });
  });

  it('reads every option', () => {
    const p = proc(
      load(
        SD +
          '[program:foo]\ncommand=/bin/cat\npriority=1\nautostart=false\nautorestart=true\nstartsecs=100\n' +
          'startretries=100\nuser=www-data\nexitcodes=0,2\nstopsignal=KILL\nstopwaitsecs=100\nstopasgroup=true\n' +
          'umask=002\ndirectory=/tmp\nstdout_logfile=/tmp/out.log\nstdout_logfile_maxbytes=100MB\n' +
          'stdout_logfile_backups=5\nstdout_capture_maxbytes=1KB\nstdout_events_enabled=true\nstderr_logfile=NONE\n' +
          'stderr_syslog=true\nserverurl=http://127.0.0.1:9001\ncritical=true\nprefix=yes\n',
      ),
      'foo',
    );
    expect(p).toMatchObject({
      priority: 1, autostart: false, autorestart: 'true', startsecs: 100, startretries: 100,
      user: { name: 'www-data', uid: 33, gid: 33 }, exitcodes: [0, 2], stopsignal: 9, stopsignalName: 'KILL',
      stopwaitsecs: 100, stopasgroup: true, killasgroup: true, umask: 0o2, directory: '/tmp',
      serverurl: 'http://127.0.0.1:9001', critical: true, prefix: true,
    });
    expect(p.stdout).toEqual({ logfile: { kind: 'file', path: '/tmp/out.log' }, maxbytes: 100 * 1024 * 1024, backups: 5, captureMaxbytes: 1024, eventsEnabled: true, syslog: false });
    expect(p.stderr.logfile).toEqual({ kind: 'none' });
    expect(p.stderr.syslog).toBe(true);
  });

  it('accepts a number for stopsignal; serverurl=AUTO is null', () => {
    const p = proc(load(SD + '[program:foo]\ncommand=x\nstopsignal=2\nserverurl=auto\n'), 'foo');
    expect(p.stopsignalName).toBe('INT');
    expect(p.serverurl).toBeNull();
  });

  it('no command / bad names (test_processes_from_section_no_command, bad_program_name_*)', () => {
    const file = write(SD + '[program:a]\npriority=1\n');
    expect(() => loadConfig(file, { userDb })).toThrow(`program section program:a does not specify a command in section 'program:a' (file: '${file}')`);
    expect(() => load(SD + '[program:a b]\ncommand=x\n')).toThrow(/^Invalid name: 'a b' because of character: ' '$/);
    expect(() => load(SD + '[program:a:b]\ncommand=x\n')).toThrow("Invalid name: 'a:b' because of character: ':'");
    expect(() => load(SD + '[program:a]\ncommand=x\nprocess_name=a b\n')).toThrow(/Invalid name: 'a b' because of character: ' ' in section 'program:a'/);
  });

  it('errors name section and file, then line and option', () => {
    const file = write(SD + '[program:a]\ncommand=x\n\nautostart=maybe\n');
    expect(() => loadConfig(file, { userDb })).toThrow(
      `not a valid boolean value: 'maybe' in section 'program:a' (file: '${file}') (at ${file} line 5, option 'autostart')`,
    );
  });

  it('numprocs: process_name must contain process_num; lexical name order; numprocs_start', () => {
    expect(() => load(SD + '[program:w]\ncommand=x\nnumprocs=2\n')).toThrow(
      /^%\(process_num\) must be present within process_name when numprocs > 1 in section 'program:w'/,
    );
    const c = load(SD + '[program:w]\ncommand=x %(process_num)d %(numprocs)d\nprocess_name=w%(process_num)s\nnumprocs=11\n');
    expect(c.groups[0]!.processes.map((p) => p.name)).toEqual(['w0', 'w1', 'w10', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
    expect(proc(c, 'w10').command).toBe('x 10 11');
    const s = load(SD + '[program:w]\ncommand=x\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=2\nnumprocs_start=9\n');
    expect(s.groups[0]!.processes.map((p) => p.name)).toEqual(['w_09', 'w_10']);
  });

  it('numprocs=0 gives a group without processes', () => {
    const c = load(SD + '[program:w]\ncommand=x\nnumprocs=0\n');
    expect(c.groups).toHaveLength(1);
    expect(c.groups[0]!.processes).toEqual([]);
  });

  it('stopasgroup implies killasgroup; the opposite is an error', () => {
    expect(proc(load(SD + '[program:a]\ncommand=x\nstopasgroup=true\n'), 'a').killasgroup).toBe(true);
    expect(() => load(SD + '[program:a]\ncommand=x\nstopasgroup=true\nkillasgroup=false\n')).toThrow(
      /^Cannot set stopasgroup=true and killasgroup=false in section 'program:a'/,
    );
  });

  it('expansions: here, program_name, group_name, host_node_name, process_num, ENV_', () => {
    const c = load(
      SD +
        '[program:a]\ncommand=/bin/%(program_name)s %(group_name)s %(host_node_name)s %(process_num)d %(ENV_HOME)s\n' +
        'directory=%(here)s\n',
    );
    const p = proc(c, 'a');
    expect(p.command).toBe('/bin/a a box 0 /root');
    expect(p.directory).toBe(path.dirname(c.configFile));
  });

  it('[supervisord] environment is visible as ENV_ to programs and merged under program env (issue 1170a)', () => {
    const c = load('[supervisord]\nenvironment=FOO=global,BAR=global\n[program:a]\ncommand=/bin/%(ENV_FOO)s\nenvironment=BAR=local\n');
    const p = proc(c, 'a');
    expect(p.command).toBe('/bin/global');
    expect(p.environment).toEqual({ FOO: 'global', BAR: 'local' });
  });

  it('program environment is expanded per process and visible to per-process options', () => {
    const c = load(
      SD + '[program:a]\ncommand=/bin/%(ENV_X)s\nenvironment=X="n%(process_num)d",Y=%(ENV_HOME)s\nprocess_name=a%(process_num)d\nnumprocs=2\n',
    );
    expect(proc(c, 'a1').command).toBe('/bin/n1');
    expect(proc(c, 'a1').environment).toEqual({ X: 'n1', Y: '/root' });
    // but not to once-per-section options
    expect(() => load(SD + '[program:a]\ncommand=x\nenvironment=X=1\npriority=%(ENV_X)s\n')).toThrow(/contains names \('ENV_X'\)/);
  });

  it('stdout_logfile is expanded twice', () => {
    const c = load(SD + '[program:a]\ncommand=x\nstdout_logfile=/tmp/%%(program_name)s.log\n');
    expect(proc(c, 'a').stdout.logfile).toEqual({ kind: 'file', path: '/tmp/a.log' });
  });

  it('warnings: AUTO without rollover, syslog rewrite, redirect_stderr with a filename', () => {
    const c = load(
      SD +
        '[program:autolog]\ncommand=x\nstdout_logfile_maxbytes=0\n' +
        '[program:sl]\ncommand=x\nstdout_logfile=syslog\nstderr_logfile=SYSLOG\n' +
        '[program:rd]\ncommand=x\nredirect_stderr=true\nstderr_logfile=/tmp/e.log\n',
    );
    const warns = c.messages.filter((m) => m.level === 'warn').map((m) => m.text);
    expect(warns).toContain(
      'For [program:autolog], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
    );
    expect(warns).toContain(
      'For [program:sl], stdout_logfile=syslog but this is deprecated and will be removed.  Use stdout_syslog=true to enable syslog instead.',
    );
    expect(warns).toContain(
      'For [program:rd], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored',
    );
    expect(proc(c, 'sl').stdout).toMatchObject({ logfile: { kind: 'none' }, syslog: true });
    expect(proc(c, 'rd').stderr.logfile).toEqual({ kind: 'none' });
  });

  it('redirect_stderr with AUTO stderr gives no warning and stderr NONE', () => {
    const c = load(SD + '[program:rd]\ncommand=x\nredirect_stderr=true\n');
    expect(c.messages).toEqual([]);
    expect(proc(c, 'rd').stderr.logfile).toEqual({ kind: 'none' });
  });

  it('bad process_name expansion (test_processes_from_section_missing_replacement_in_process_name)', () => {
    expect(() => load(SD + '[program:a]\ncommand=x\nprocess_name=%(not_there)s\n')).toThrow(
      /^Format string '%\(not_there\)s' for 'process_name' contains names \('not_there'\)/,
    );
    expect(() => load(SD + '[program:a]\ncommand=x\nprocess_name=%(program_name)\n')).toThrow(/for 'process_name' is badly formatted/);
  });

  it('unknown keys and sections are ignored', () => {
    const c = load(SD + '[program:a]\ncommand=x\nautostrat=false\n[whatever]\nx=1\n[Program:b]\ncommand=y\n');
    expect(procs(c).map((p) => p.name)).toEqual(['a']);
    expect(proc(c, 'a').autostart).toBe(true);
  });
});

describe('[DEFAULT]', () => {
  it('is a fallback for program-like sections only', () => {
    const c = load('[DEFAULT]\nstartsecs=7\nidentifier=fromdefault\n[supervisord]\n[program:a]\ncommand=x\n[program:b]\ncommand=y\nstartsecs=2\n');
    expect(proc(c, 'a').startsecs).toBe(7);
    expect(proc(c, 'b').startsecs).toBe(2);
    expect(c.supervisord.identifier).toBe('supervisor');
  });
});

describe('groups', () => {
  it('homogeneous and heterogeneous groups, ordering (test_mixed_process_groups_from_parser)', () => {
    const c = load(
      SD +
        '[group:g]\nprograms=b,a\npriority=5\n' +
        '[program:a]\ncommand=x %(group_name)s\npriority=1\n[program:b]\ncommand=y\npriority=2\n' +
        '[program:c]\ncommand=z %(group_name)s\n[program:d]\ncommand=z\npriority=5\n[eventlistener:l]\ncommand=l\nevents=TICK_5\n',
    );
    expect(c.groups.map((g) => [g.name, g.kind, g.priority])).toEqual([
      ['l', 'eventlistener', -1],
      ['d', 'program', 5],
      ['g', 'group', 5],
      ['c', 'program', 999],
    ]);
    const g = c.groups.find((x) => x.name === 'g')!;
    expect(g.processes.map((p) => p.name)).toEqual(['b', 'a']);
    expect(proc(c, 'a').command).toBe('x g');
    expect(proc(c, 'a').group).toBe('g');
    expect(proc(c, 'c').command).toBe('z c');
  });

  it('unknown and ambiguous members (with supervisord\'s section-name quirk)', () => {
    expect(() => load(SD + '[group:g]\nprograms=zz\n')).toThrow(/^\[group:g\] names unknown program or fcgi-program zz/);
    expect(() => load(SD + '[group:g]\nprograms=a,b\n[program:a]\ncommand=x\n')).toThrow(
      /^\[program:a\] names unknown program or fcgi-program b/,
    );
    expect(() => load(SD + '[group:g]\nprograms=a\n[program:a]\ncommand=x\n[fcgi-program:a]\ncommand=x\nsocket=tcp://h:1\n')).toThrow(
      /^\[group:g\] name a is ambiguous \(exists as program and fcgi-program\)/,
    );
  });

  it('empty programs= gives an empty group; duplicate group names are rejected', () => {
    expect(load(SD + '[group:g]\n').groups[0]!.processes).toEqual([]);
    expect(() => load(SD + '[program:x]\ncommand=a\n[eventlistener:x]\ncommand=b\nevents=TICK_5\n')).toThrow(
      "Duplicate group name 'x'",
    );
  });
});

describe('[eventlistener:x]', () => {
  it('pool options and defaults', () => {
    const c = load(SD + '[eventlistener:l]\ncommand=l %(here)s\nevents=process_state, TICK_5,TICK_5\nbuffer_size=3\n');
    const g = c.groups[0]!;
    expect(g.kind).toBe('eventlistener');
    expect(g.priority).toBe(-1);
    expect(g.listener).toEqual({ events: ['PROCESS_STATE', 'TICK_5'], bufferSize: 3, resultHandler: 'supervisor.dispatchers:default_handler' });
    expect(g.processes[0]!.kind).toBe('eventlistener');
  });

  it('errors (test_event_listener_pool_*)', () => {
    expect(() => load(SD + '[eventlistener:l]\ncommand=l\n')).toThrow('[eventlistener:l] section requires an "events" line');
    expect(() => load(SD + '[eventlistener:l]\ncommand=l\nevents=FOO\n')).toThrow('Unknown event type FOO in [eventlistener:l] events');
    expect(() => load(SD + '[eventlistener:l]\ncommand=l\nevents=TICK_5\nbuffer_size=0\n')).toThrow(
      '[eventlistener:l] section sets invalid buffer_size (0)',
    );
    expect(() => load(SD + '[eventlistener:l]\ncommand=l\nevents=TICK_5\nredirect_stderr=true\n')).toThrow(
      '[eventlistener:l] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol',
    );
    expect(() => load(SD + '[eventlistener:l]\ncommand=l\nevents=TICK_5\nresult_handler=a.b:c\n')).toThrow(
      /^a\.b:c cannot be resolved within \[eventlistener:l\]/,
    );
  });
});

describe('[fcgi-program:x]', () => {
  it('unix and tcp sockets', () => {
    const c = load(SD + '[fcgi-program:f]\ncommand=f\nsocket=unix:///tmp/%(program_name)s.sock\nsocket_mode=0666\n[fcgi-program:t]\ncommand=t\nsocket=tcp://Host:9000\nsocket_backlog=10\n');
    const f = c.groups.find((g) => g.name === 'f')!;
    expect(f.fcgiSocket).toEqual({ url: 'unix:///tmp/f.sock', backlog: 0, owner: null, mode: 0o666 });
    expect(c.groups.find((g) => g.name === 't')!.fcgiSocket).toMatchObject({ url: 'tcp://host:9000', backlog: 10 });
  });

  it('errors', () => {
    expect(() => load(SD + '[fcgi-program:f]\ncommand=f\n')).toThrow('[fcgi-program:f] section requires a "socket" line');
    expect(() => load(SD + '[fcgi-program:f]\ncommand=f\nsocket=unix:///tmp/%(process_num)s.sock\n')).toThrow(/contains names \('process_num'\)/);
    expect(() => load(SD + '[fcgi-program:f]\ncommand=f\nsocket=tcp://h:1\nsocket_mode=0700\n')).toThrow(
      'socket_owner and socket_mode params should only be used with a Unix domain socket in [fcgi-program:f] socket',
    );
    expect(() => load(SD + '[fcgi-program:f]\ncommand=f\nsocket=bogus\n')).toThrow("('Bad socket format %s', 'bogus') in [fcgi-program:f] socket");
    expect(() => load(SD + '[fcgi-program:f]\ncommand=f\nsocket=tcp://h:1\nsocket_backlog=70000\n')).toThrow('Invalid socket_backlog value 70000');
  });
});

describe('http servers, rpcinterface, supervisorctl', () => {
  it('unix server: %(here)s, chmod, chown; serverurl prefers unix', () => {
    const c = load(SD + '[inet_http_server]\nport=127.0.0.1:9001\n[unix_http_server]\nfile=%(here)s/s.sock\nchmod=0770\nchown=www-data:root\nusername=u\npassword=p\n');
    const dir = path.dirname(c.configFile);
    expect(c.httpServers).toEqual([
      { kind: 'inet', section: 'inet_http_server', host: '127.0.0.1', port: 9001, credentials: null },
      { kind: 'unix', section: 'unix_http_server', file: `${dir}/s.sock`, chmod: 0o770, chown: { uid: 33, gid: 0 }, credentials: { username: 'u', password: 'p' } },
    ]);
    expect(c.serverurl).toBe(`unix://${dir}/s.sock`);
  });

  it('inet-only serverurl uses localhost for all interfaces; extra servers by prefix', () => {
    const c = load(SD + '[inet_http_server]\nport=*:9001\n[inet_http_server:2]\nport=9002\n');
    expect(c.serverurl).toBe('http://localhost:9001');
    expect(c.httpServers.map((s) => s.section)).toEqual(['inet_http_server', 'inet_http_server:2']);
  });

  it('server errors', () => {
    expect(() => load(SD + '[unix_http_server]\nfile=/tmp/x\nchmod=999\n')).toThrow(/^Invalid chmod value 999/);
    expect(() => load(SD + '[unix_http_server]\nfile=/tmp/x\nchown=nobody1\n')).toThrow(/^Invalid sockchown value nobody1/);
    expect(() => load(SD + '[unix_http_server]\nfile=/tmp/x\npassword=p\n')).toThrow(
      'Section [unix_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified',
    );
    expect(() => load(SD + '[inet_http_server]\nport=127.0.0.1:99999\n')).toThrow('99999 is above upper bound (65535)');
    expect(() => load(SD + '[inet_http_server]\nport=99999\n')).toThrow("not a valid port number: '99999' ");
    expect(() => load(SD + '[inet_http_server]\n')).toThrow('section [inet_http_server] has no port value');
    expect(() => load(SD + '[unix_http_server]\n')).toThrow('section [unix_http_server] has no file value');
  });

  it('rpcinterface: standard factory only', () => {
    const ok = load(SD + '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n');
    expect(ok.rpcinterfaces).toEqual(['supervisor']);
    expect(() => load(SD + '[rpcinterface:x]\nfoo=bar\n')).toThrow('section [rpcinterface:x] does not specify a supervisor.rpcinterface_factory');
    expect(() => load(SD + '[rpcinterface:x]\nsupervisor.rpcinterface_factory=my.mod:f\n')).toThrow(/^my\.mod:f cannot be resolved within \[rpcinterface:x\]/);
  });

  it('supervisorctl: unix serverurl normalized, %(here)s', () => {
    const c = load(SD + '[supervisorctl]\nserverurl=unix://%(here)s/../s.sock\nusername=u\nprompt=p\n');
    expect(c.supervisorctl).toEqual({
      serverurl: `unix://${path.dirname(path.dirname(c.configFile))}/s.sock`,
      username: 'u',
      password: null,
      prompt: 'p',
    });
  });
});

describe('[tsinit]', () => {
  it('reads its options; prefix is the default of every program', () => {
    const c = load('[tsinit]\nlog_format=JSON\nprefix=true\nhealth=127.0.0.1:9002\nkill_grace_secs=2\n' + SD + '[program:a]\ncommand=x\n[program:b]\ncommand=y\nprefix=false\n');
    expect(c.tsinit).toEqual({ logFormat: 'json', prefix: true, healthListen: { host: '127.0.0.1', port: 9002 }, killGraceSecs: 2 });
    expect(proc(c, 'a').prefix).toBe(true);
    expect(proc(c, 'b').prefix).toBe(false);
    expect(load('[tsinit]\nhealth=9002\n' + SD).tsinit.healthListen).toEqual({ host: '0.0.0.0', port: 9002 });
  });

  it('errors name the section', () => {
    expect(() => load('[tsinit]\nlog_format=xml\n' + SD)).toThrow(/^invalid log_format value 'xml' \(expected text or json\) in section 'tsinit'/);
    expect(() => load('[tsinit]\nkill_grace_secs=-1\n' + SD)).toThrow(/kill_grace_secs must be >= 0/);
  });
});

describe('[include]', () => {
  function tree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-inc-'));
    mkdirSync(path.join(dir, 'conf.d'));
    write('[program:b]\ncommand=b %(here)s\n', path.join(dir, 'conf.d'), 'b.conf');
    write('[program:a]\ncommand=a\n[program:main]\npriority=5\n', path.join(dir, 'conf.d'), 'a.conf');
    write('[program:hidden]\ncommand=h\n', path.join(dir, 'conf.d'), '.hidden.conf');
    write('[include]\nfiles=nothing\n[program:nested]\ncommand=n\n', path.join(dir, 'conf.d'), 'c.conf');
    return dir;
  }

  it('reads sorted matches relative to the main file, %(here)s per file, merges sections (test_read_config_include_*)', () => {
    const dir = tree();
    const main = write(SD + '[include]\nfiles=conf.d/*.conf none/*.x\n[program:main]\ncommand=m %(here)s\n', dir, 'main.conf');
    const c = loadConfig(main, { env: {}, cwd: '/', hostname: 'box', userDb });
    expect(c.files).toEqual([main, `${dir}/conf.d/a.conf`, `${dir}/conf.d/b.conf`, `${dir}/conf.d/c.conf`]);
    expect(procs(c).map((p) => p.name).sort()).toEqual(['a', 'b', 'main', 'nested']);
    expect(proc(c, 'b').command).toBe(`b ${dir}/conf.d`);
    expect(proc(c, 'main').command).toBe(`m ${dir}`);
    expect(proc(c, 'main').priority).toBe(5);
    expect(proc(c, 'b').file).toBe(`${dir}/conf.d/b.conf`);
    expect(c.messages).toEqual([
      { level: 'info', text: `Included extra file "${dir}/conf.d/a.conf" during parsing` },
      { level: 'info', text: `Included extra file "${dir}/conf.d/b.conf" during parsing` },
      { level: 'info', text: `Included extra file "${dir}/conf.d/c.conf" during parsing` },
      { level: 'warn', text: `No file matches via include "${dir}/none/*.x"` },
    ]);
  });

  it('host_node_name in files=, missing files=, errors name the included file', () => {
    const dir = tree();
    write('[program:h]\ncommand=h\n', dir, 'box.conf');
    const main = write(SD + '[include]\nfiles=%(host_node_name)s.conf\n', dir, 'main.conf');
    expect(procs(loadConfig(main, { env: {}, hostname: 'box', userDb })).map((p) => p.name)).toEqual(['h']);
    expect(() => load(SD + '[include]\nx=1\n')).toThrow('.ini file has [include] section, but no files setting');
    write('[program:bad]\ncommand=x\nautostart=maybe\n', dir, 'bad.conf');
    const m2 = write(SD + '[include]\nfiles=bad.conf\n', dir, 'm2.conf');
    expect(() => loadConfig(m2, { env: {}, userDb })).toThrow(`in section 'program:bad' (file: '${dir}/bad.conf')`);
    write('[program:bad2]\nthis is bad\n', dir, 'bad2.conf');
    const m3 = write(SD + '[include]\nfiles=bad2.conf\n', dir, 'm3.conf');
    expect(() => loadConfig(m3, { env: {}, userDb })).toThrow(`Source contains parsing errors: '${dir}/bad2.conf'`);
  });
});

describe('immutability', () => {
  it('the model is frozen', () => {
    const c = load(SD + '[program:a]\ncommand=x\n');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.groups[0]!.processes[0]!.environment)).toBe(true);
  });
});
