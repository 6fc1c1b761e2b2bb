// Spawn failures of every kind end in supervisord's BACKOFF → FATAL path with the reason logged, while
// tsinit (PID 1) and a healthy neighbour keep running: command not found (ENOENT), not executable
// (EACCES), a directory, not a loadable executable (ENOEXEC), a bad working directory, an unparsable or
// empty command, and running out of file descriptors (EMFILE under a low RLIMIT_NOFILE). An unknown
// user= is a config error: exit 2 before anything starts.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pid1Run, TSINIT, processInfo, startTsinit, tempDir, waitFor, waitState, type Tsinit } from '../helpers.js';

let t: Tsinit | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

describe('spawn failures end in FATAL with the reason, PID 1 keeps supervising', () => {
  it('ENOENT, EACCES, directory, ENOEXEC, bad cwd, bad quoting, empty command', async () => {
    const dir = tempDir('spawn');
    const noexec = path.join(dir, 'noexec.sh');
    writeFileSync(noexec, '#!/bin/sh\necho hi\n');
    chmodSync(noexec, 0o644);
    const badexec = path.join(dir, 'badexec');
    writeFileSync(badexec, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x01, 0x02, 0x03, 0x00, 0xff]));
    chmodSync(badexec, 0o755);
    // A well-formed 64-bit little-endian ELF header for another architecture (arm64 on x86-64, or
    // x86-64 elsewhere): the kernel refuses it with ENOEXEC; it must not end up interpreted by /bin/sh.
    const foreign = path.join(dir, 'foreign-arch');
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2; // ELFCLASS64
    elf[5] = 1; // little endian
    elf[6] = 1; // EV_CURRENT
    elf.writeUInt16LE(2, 16); // ET_EXEC
    elf.writeUInt16LE(process.arch === 'arm64' ? 62 : 183, 18);
    writeFileSync(foreign, elf);
    chmodSync(foreign, 0o755);
    const prog = (name: string, command: string, extra = '') =>
      `[program:${name}]\ncommand=${command}\nstartretries=1\nstderr_logfile=$DIR/${name}.err\nstdout_logfile=$DIR/${name}.out\n${extra}`;
    t = await startTsinit(
      'spawn',
      [
        prog('enoent', '/nonexistent/prog'),
        prog('eacces', noexec),
        prog('isdir', '/tmp'),
        prog('enoexec', badexec),
        prog('foreign', foreign),
        prog('badcwd', '/bin/sleep 1000', 'directory=/nonexistent/dir\n'),
        prog('badquote', '/bin/sh -c "unterminated'),
        prog('empty', ''),
        prog('healthy', '/bin/sleep 1000000'),
      ].join(''),
      { dir },
    );
    const healthy = await waitState(t, 'healthy', 'RUNNING');

    const expectations: [string, RegExp][] = [
      ['enoent', /spawnerr: can't find command '\/nonexistent\/prog'/],
      ['eacces', new RegExp(`spawnerr: command at '${noexec}' is not executable`)],
      ['isdir', /spawnerr: command at '\/tmp' is a directory/],
      ['badquote', /spawnerr: can't parse command '\/bin\/sh -c "unterminated': No closing quotation/],
      ['empty', /spawnerr: command is empty/],
      ['enoexec', /exited: enoexec \(exit status 127; not expected\)/],
      ['foreign', /exited: foreign \(exit status 127; not expected\)/],
      ['badcwd', /exited: badcwd \(exit status 127; not expected\)/],
    ];
    for (const [name, line] of expectations) {
      await waitState(t, name, 'FATAL');
      expect(t.log()).toMatch(line);
      expect(t.log()).toContain(`gave up: ${name} entered FATAL state, too many start retries too quickly`);
    }
    // The child-side failures are explained on the program's stderr, in supervisord's words.
    expect(readFileSync(path.join(dir, 'enoexec.err'), 'utf8')).toContain(`supervisor: couldn't exec ${badexec}: ENOEXEC`);
    expect(readFileSync(path.join(dir, 'foreign.err'), 'utf8')).toContain(`supervisor: couldn't exec ${foreign}: ENOEXEC`);
    expect(readFileSync(path.join(dir, 'badcwd.err'), 'utf8')).toContain("supervisor: couldn't chdir to /nonexistent/dir: ENOENT");
    // FATAL descriptions carry the spawn error, as supervisorctl status shows it.
    expect((await processInfo(t, 'enoent')).description).toBe("can't find command '/nonexistent/prog'");

    const after = await processInfo(t, 'healthy');
    expect(after.statename).toBe('RUNNING');
    expect(after.pid).toBe(healthy.pid);
    expect(t.run.exited).toBeNull();
    t.run.signal('SIGTERM');
    expect((await t.run.waitForExit()).code).toBe(0);
  });

  it('EMFILE under a low RLIMIT_NOFILE: "too many open files to spawn <name>", then FATAL; the rest run', async () => {
    const programs = Array.from({ length: 30 }, (_, i) => `[program:p${i}]\ncommand=/bin/sleep 1000000\nstartretries=1\n`).join('');
    // No control socket: every descriptor counts. prlimit execs node, so node is still PID 1.
    t = await startTsinit('emfile', programs, { noSocket: true, supervisord: 'minfds=16\n', wrap: ['prlimit', '--nofile=64:64'] });
    await t.run.waitForLine(/spawnerr: too many open files to spawn 'p\d+'/);
    // Every program ends either RUNNING or FATAL, none is lost in between.
    const settled = (): boolean => {
      const running = new Set(t!.run.lines(/success: p\d+ entered RUNNING state/).map((l) => /p\d+/.exec(l.split('success: ')[1]!)![0]));
      const fatal = new Set(t!.run.lines(/gave up: p\d+ entered FATAL state/).map((l) => /p\d+/.exec(l.split('gave up: ')[1]!)![0]));
      return running.size + fatal.size === 30 && [...running].every((p) => !fatal.has(p));
    };
    await waitFor(settled, 60_000, 'all 30 programs RUNNING or FATAL');
    expect(t.run.lines(/gave up: p\d+ entered FATAL state/).length).toBeGreaterThan(0);
    expect(t.run.lines(/success: p\d+ entered RUNNING state/).length).toBeGreaterThan(0);
    expect(t.run.output).not.toMatch(/too many open files to spawn '\/bin\/sleep'/);
    expect(t.run.output).not.toMatch(/uncaught|unhandled|EMFILE.*\n\s+at /i);
    expect(t.run.exited).toBeNull();
    t.run.signal('SIGTERM');
    expect((await t.run.waitForExit(60_000)).code).toBe(0);
  });

  it('unknown user= is a config error: exit 2 before anything starts', async () => {
    const dir = tempDir('baduser');
    const marker = path.join(dir, 'started');
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${dir}/main.log\n[program:touch]\ncommand=/bin/touch ${marker}\n[program:bad]\ncommand=/bin/true\nuser=nosuchuser_tsinit\n`);
    const run = await Pid1Run.start([process.execPath, TSINIT, '-c', conf], { cwd: dir });
    try {
      const { code } = await run.waitForExit();
      expect(code).toBe(2);
      expect(run.stderr).toBe(
        `Error: Invalid user name nosuchuser_tsinit in section 'program:bad' (file: '${conf}') (at ${conf} line 7, option 'user')\nFor help, use ${TSINIT} -h\n`,
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      await run.dispose();
    }
  });
});
