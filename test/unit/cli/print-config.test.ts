// printConfig()/runPrintConfig(): the documented JSON shape, exit codes and error output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPrintConfig } from '../../../src/cli/print-config.js';
import { configSearchPaths, findDefaultConfig, noConfigFoundMessage } from '../../../src/config/search.js';

function runWith(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = runPrintConfig(argv, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: { HOME: '/root' },
    cwd,
    argv0: '/usr/local/bin/tsinit',
  });
  return { code, out, err };
}

describe('runPrintConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-pc-'));
  const file = path.join(dir, 'supervisord.conf');
  writeFileSync(
    file,
    '[supervisord]\nlogfile=%(here)s/sd.log\numask=7\n[program:web]\ncommand=/bin/web\nredirect_stderr=true\nuser=root\numask=27\nstopsignal=QUIT\n' +
      '[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\n',
  );

  it('prints every documented key with numbers as numbers', () => {
    const { code, out, err } = runWith(['--print-config', '-c', file], dir);
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc.supervisord).sort()).toEqual(
      ['nodaemon', 'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'childlogdir', 'minfds', 'minprocs', 'umask', 'user', 'directory', 'identifier', 'silent', 'nocleanup', 'strip_ansi', 'environment'].sort(),
    );
    expect(doc.supervisord.umask).toBe('007');
    expect(doc.supervisord.logfile).toBe(path.join(dir, 'sd.log'));
    expect(doc.supervisord.logfile_maxbytes).toBe(52428800);
    expect(doc.groups).toEqual([
      { name: 'l', type: 'eventlistener', priority: -1, processes: ['l'], events: ['TICK_5'], buffer_size: 10 },
      { name: 'web', type: 'program', priority: 999, processes: ['web'] },
    ]);
    const web = doc.processes.find((p: { name: string }) => p.name === 'web');
    expect(web).toMatchObject({ uid: 0, user: 'root', umask: '027', stopsignal: 'QUIT', stderr_logfile: 'NONE', stdout_logfile: 'AUTO', serverurl: null, critical: false });
    expect(Object.keys(web)).toHaveLength(29);
    expect(doc.serverurl).toBeNull();
    expect(doc.servers).toEqual([]);
    expect(doc.rpcinterfaces).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('finds supervisord.conf in the working directory when -c is missing', () => {
    const { code, out } = runWith(['--print-config'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(out).processes).toHaveLength(2);
  });

  it('bad config: Error + For help, exit 2', () => {
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, '[supervisord]\nloglevel=chatty\n');
    const { code, out, err } = runWith(['--print-config', '-c', bad], dir);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`Error: bad logging level name 'chatty' (at ${bad} line 2, option 'loglevel')\nFor help, use /usr/local/bin/tsinit -h\n`);
  });

  it('bad arguments and missing files', () => {
    expect(runWith(['--print-config', '--bogus'], dir)).toMatchObject({ code: 2, err: 'Error: option --bogus not recognized\nFor help, use /usr/local/bin/tsinit -h\n' });
    expect(runWith(['--print-config', '-c', '/nonexistent.conf'], dir)).toMatchObject({ code: 2, err: 'Error: could not find config file /nonexistent.conf\nFor help, use /usr/local/bin/tsinit -h\n' });
    const empty = mkdtempSync(path.join(tmpdir(), 'tsinit-pc-'));
    const r = runWith(['--print-config'], empty);
    if (findDefaultConfig('/usr/local/bin/tsinit', empty) === null) {
      expect(r.code).toBe(2);
      expect(r.err).toContain(noConfigFoundMessage('/usr/local/bin/tsinit'));
    }
  });
});

describe('config search order (spec §1.4)', () => {
  it('lists the six supervisord paths', () => {
    expect(configSearchPaths('/usr/bin/supervisord')).toEqual([
      '/usr/etc/supervisord.conf',
      '/usr/supervisord.conf',
      'supervisord.conf',
      'etc/supervisord.conf',
      '/etc/supervisord.conf',
      '/etc/supervisor/supervisord.conf',
    ]);
    expect(noConfigFoundMessage('/usr/bin/supervisord')).toBe(
      'No config file found at default paths (/usr/etc/supervisord.conf, /usr/supervisord.conf, supervisord.conf, etc/supervisord.conf, /etc/supervisord.conf, /etc/supervisor/supervisord.conf); use the -c option to specify a config file at a different path',
    );
  });

  it('first existing wins; relative candidates resolve against cwd', () => {
    const seen: string[] = [];
    const found = findDefaultConfig('/opt/x/bin/tsinit', '/work', (p) => {
      seen.push(p);
      return p === '/work/etc/supervisord.conf' || p === '/etc/supervisord.conf';
    });
    expect(found).toBe('etc/supervisord.conf');
    expect(seen).toEqual(['/opt/x/etc/supervisord.conf', '/opt/x/supervisord.conf', '/work/supervisord.conf', '/work/etc/supervisord.conf']);
  });
});
