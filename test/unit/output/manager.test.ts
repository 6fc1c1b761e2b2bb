import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/events/types.js';
import { EventBus } from '../../../src/events/bus.js';
import type { SyslogWriter } from '../../../src/log/syslog.js';
import { createOutputManager, type OutputManagerOptions } from '../../../src/output/manager.js';
import { MemorySink } from '../log/memory-sink.js';
import { fakeChild, proc, recordingLog } from './helpers.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-out-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(over: Partial<OutputManagerOptions> & { level?: Parameters<typeof recordingLog>[0]; stripAnsi?: boolean; nocleanup?: boolean } = {}) {
  const dir = tmp();
  const mainLog = recordingLog(over.level ?? 'info');
  const events = new EventBus();
  const seen: EngineEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const sinks = new Map<number, MemorySink>();
  const sinkForFd = (fd: number) => {
    let s = sinks.get(fd);
    if (!s) sinks.set(fd, (s = new MemorySink()));
    return s;
  };
  const manager = createOutputManager({
    supervisord: { childlogdir: dir, identifier: 'supervisor', stripAnsi: over.stripAnsi ?? false, nocleanup: over.nocleanup ?? false },
    mainLog,
    events,
    sinkForFd,
    ...over,
  });
  return { dir, mainLog, events, seen, sinks, sinkForFd, manager };
}

async function run(out: ReturnType<ReturnType<typeof setup>['manager']['forProcess']>, stdout: (string | Buffer)[], stderr: (string | Buffer)[] = [], pid = 4242) {
  const child = fakeChild(pid, out.stderr.kind !== 'stdout');
  const done = out.attach(child);
  for (const c of stdout) child.out.write(c);
  for (const c of stderr) child.err.write(c);
  child.out.end();
  child.err.end();
  await done;
}

describe('AUTO logs', () => {
  it('creates empty files named like supervisord when the process output is created', () => {
    const { dir, manager } = setup();
    const out = manager.forProcess(proc('m1'));
    expect(out.stdout).toEqual({ kind: 'pipe' });
    expect(out.stderr).toEqual({ kind: 'pipe' });
    expect(path.dirname(out.stdoutLogfile!)).toBe(dir);
    expect(path.basename(out.stdoutLogfile!)).toMatch(/^m1-stdout---supervisor-[a-z0-9_]{8}\.log$/);
    expect(path.basename(out.stderrLogfile!)).toMatch(/^m1-stderr---supervisor-[a-z0-9_]{8}\.log$/);
    expect(fs.statSync(out.stdoutLogfile!).size).toBe(0);
  });

  it('cleanupAutoLogs deletes old AUTO logs (and their backups) unless nocleanup', () => {
    const a = setup();
    fs.writeFileSync(path.join(a.dir, 'x-stdout---supervisor-abcdefgh.log'), '');
    fs.writeFileSync(path.join(a.dir, 'x-stdout---supervisor-abcdefgh.log.1'), '');
    fs.writeFileSync(path.join(a.dir, 'keep.log'), '');
    fs.writeFileSync(path.join(a.dir, 'x-stdout---otherid-abcdefgh.log'), '');
    a.manager.cleanupAutoLogs();
    expect(fs.readdirSync(a.dir).sort()).toEqual(['keep.log', 'x-stdout---otherid-abcdefgh.log']);

    const b = setup({ nocleanup: true });
    fs.writeFileSync(path.join(b.dir, 'x-stdout---supervisor-abcdefgh.log'), '');
    b.manager.cleanupAutoLogs();
    expect(fs.readdirSync(b.dir)).toEqual(['x-stdout---supervisor-abcdefgh.log']);
  });

  it('warns when childlogdir cannot be read', () => {
    const a = setup();
    fs.rmSync(a.dir, { recursive: true });
    a.manager.cleanupAutoLogs();
    expect(a.mainLog.records).toContainEqual({ level: 'warn', msg: 'Could not clear childlog dir' });
  });
});

describe('file destinations', () => {
  it('writes raw bytes, appending at each spawn (content kept across restarts)', async () => {
    const { dir, manager } = setup();
    const file = path.join(dir, 'app.log');
    const out = manager.forProcess(proc('app', { stdout: { logfile: { kind: 'file', path: file } }, stderr: { logfile: { kind: 'none' } } }));
    expect(out.stderr).toEqual({ kind: 'ignore' });
    expect(out.stdoutLogfile).toBe(file);
    expect(out.stderrLogfile).toBeNull();
    await run(out, ['first ', 'run\n']);
    await run(out, ['second run\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe('first run\nsecond run\n');
  });

  it('rotates after the write that reaches maxbytes: .1 .. .N, oldest overwritten', async () => {
    const { dir, manager } = setup();
    const file = path.join(dir, 'r.log');
    const out = manager.forProcess(proc('r', { stdout: { logfile: { kind: 'file', path: file }, maxbytes: 100, backups: 2 } }));
    const child = fakeChild();
    const done = out.attach(child);
    for (let i = 0; i < 5; i++) {
      child.out.write(`${String(i).repeat(113)}\n`); // 114-byte chunks
      await new Promise((r) => setImmediate(r));
    }
    child.out.end();
    child.err.end();
    await done;
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe(`${'4'.repeat(113)}\n`);
    expect(fs.readFileSync(`${file}.2`, 'utf8')).toBe(`${'3'.repeat(113)}\n`);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
  });

  it('backups=0 truncates on rotation; maxbytes=0 never rotates', async () => {
    const { dir, manager } = setup();
    const t = path.join(dir, 't.log');
    const n = path.join(dir, 'n.log');
    const outT = manager.forProcess(proc('t', { stdout: { logfile: { kind: 'file', path: t }, maxbytes: 10, backups: 0 } }));
    const outN = manager.forProcess(proc('n', { stdout: { logfile: { kind: 'file', path: n }, maxbytes: 0, backups: 3 } }));
    for (const out of [outT, outN]) {
      const child = fakeChild();
      const done = out.attach(child);
      child.out.write('0123456789ab\n');
      await new Promise((r) => setImmediate(r));
      child.out.write('xyz\n');
      child.out.end();
      child.err.end();
      await done;
    }
    expect(fs.readFileSync(t, 'utf8')).toBe('xyz\n');
    expect(fs.existsSync(`${t}.1`)).toBe(false);
    expect(fs.readFileSync(n, 'utf8')).toBe('0123456789ab\nxyz\n');
    expect(fs.existsSync(`${n}.1`)).toBe(false);
  });

  it('reopen (SIGUSR2) after an outside rename writes a new file; clear deletes and reopens', async () => {
    const { dir, manager } = setup();
    const file = path.join(dir, 'a.log');
    const out = manager.forProcess(proc('a', { stdout: { logfile: { kind: 'file', path: file } } }));
    const child = fakeChild();
    const done = out.attach(child);
    child.out.write('one\n');
    await new Promise((r) => setImmediate(r));
    fs.renameSync(file, `${file}.rotated`);
    manager.reopenAll();
    child.out.write('two\n');
    await new Promise((r) => setImmediate(r));
    expect(fs.readFileSync(`${file}.rotated`, 'utf8')).toBe('one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('two\n');
    fs.writeFileSync(`${file}.1`, 'backup');
    out.clear();
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    child.out.write('three\n');
    child.out.end();
    child.err.end();
    await done;
    expect(fs.readFileSync(file, 'utf8')).toBe('three\n');
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe('backup');
  });

  it('a missing directory is reported once, the program keeps going, reopen recovers', async () => {
    const { dir, manager, mainLog } = setup();
    const file = path.join(dir, 'sub', 'x.log');
    const out = manager.forProcess(proc('x', { stdout: { logfile: { kind: 'file', path: file } } }));
    const child = fakeChild();
    const done = out.attach(child);
    for (let i = 0; i < 5; i++) child.out.write(`lost ${i}\n`);
    await new Promise((r) => setImmediate(r));
    const errors = mainLog.records.filter((r) => r.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/'x' stdout: could not open .*sub\/x\.log/);
    fs.mkdirSync(path.join(dir, 'sub'));
    out.reopen();
    child.out.write('kept\n');
    child.out.end();
    child.err.end();
    await done;
    expect(fs.readFileSync(file, 'utf8')).toBe('kept\n');
  });
});

describe('stdout/stderr destinations', () => {
  it('fast path: the child inherits tsinit fds; rotation is said not to apply, once', () => {
    const { manager, mainLog } = setup();
    const out = manager.forProcess(
      proc('web', { stdout: { logfile: { kind: 'file', path: '/dev/stdout' } }, stderr: { logfile: { kind: 'file', path: '/dev/stderr' }, maxbytes: 0 } }),
    );
    expect(out.stdout).toEqual({ kind: 'fd', fd: 1 });
    expect(out.stderr).toEqual({ kind: 'fd', fd: 2 });
    expect(out.stdoutLogfile).toBeNull();
    const notes = mainLog.records.filter((r) => /does not apply/.test(r.msg));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toEqual({ level: 'info', msg: "'web' stdout_logfile /dev/stdout is tsinit's own output: stdout_logfile_maxbytes does not apply (never rotated)" });
    expect(mainLog.records.filter((r) => r.level === 'error' || r.level === 'critical')).toEqual([]);
  });

  it('redirect_stderr: stderr goes into the stdout pipe', () => {
    const { manager } = setup();
    const out = manager.forProcess(proc('r', { redirectStderr: true, stderr: { logfile: { kind: 'none' } } }));
    expect(out.stderr).toEqual({ kind: 'stdout' });
    expect(out.stderrLogfile).toBeNull();
  });

  it('prefix mode relays whole prefixed lines and flushes the partial last line', async () => {
    const { manager, sinks } = setup();
    const out = manager.forProcess(proc('web', { prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } }, stderr: { logfile: { kind: 'file', path: '/dev/stderr' } } }));
    expect(out.stdout).toEqual({ kind: 'pipe' });
    await run(out, ['hello\nwor', 'ld\npartial'], ['oops\n']);
    expect(sinks.get(1)!.text()).toBe('web | hello\nweb | world\nweb | partial\n');
    expect(sinks.get(2)!.text()).toBe('web | oops\n');
  });

  it('backpressure: a stalled sink pauses the program pipe until it drains', async () => {
    const { manager, sinks, sinkForFd } = setup();
    const sink = sinkForFd(1) as MemorySink;
    sink.stalled = true;
    const out = manager.forProcess(proc('w', { prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } } }));
    const child = fakeChild();
    const done = out.attach(child);
    const line = `${'x'.repeat(1023)}\n`;
    let accepted = 0;
    // write until the PassThrough itself reports it is full: that only happens when the consumer paused
    while (child.out.write(line)) {
      accepted++;
      if (accepted % 64 === 0) await new Promise((r) => setImmediate(r));
      if (accepted > 100_000) break;
    }
    await new Promise((r) => setImmediate(r));
    expect(accepted).toBeLessThan(100_000);
    expect(child.out.isPaused()).toBe(true);
    const heldAtPause = sink.held;
    expect(heldAtPause).toBeLessThan((1 << 20) + 128 * 1024);
    sink.release();
    child.out.end();
    child.err.end();
    await done;
    expect(sinks.get(1)!.text().split('\n').filter(Boolean).every((l) => l === `w | ${'x'.repeat(1023)}`)).toBe(true);
  });

  it('/dev/stdout with strip_ansi relays stripped raw bytes (no prefix)', async () => {
    const { manager, sinks } = setup({ stripAnsi: true });
    const out = manager.forProcess(proc('c', { stdout: { logfile: { kind: 'file', path: '/dev/stdout' } } }));
    expect(out.stdout).toEqual({ kind: 'pipe' });
    await run(out, ['\x1b[31mred\x1b[0m\n']);
    expect(sinks.get(1)!.text()).toBe('red\n');
  });
});

describe('events, capture, echo, tap, syslog', () => {
  it('events_enabled publishes process-log per chunk; NONE still feeds events', async () => {
    const { manager, seen } = setup();
    const out = manager.forProcess(proc('e', { stdout: { logfile: { kind: 'none' }, eventsEnabled: true }, stderr: { logfile: { kind: 'none' }, eventsEnabled: true } }));
    expect(out.stdout).toEqual({ kind: 'pipe' });
    await run(out, ['abc'], ['def'], 77);
    const logs = seen.filter((e) => e.kind === 'process-log');
    expect(logs.map((e) => e.kind === 'process-log' && [e.channel, e.pid, e.data.toString(), e.process.name, e.process.group])).toEqual([
      ['stdout', 77, 'abc', 'e', 'e'],
      ['stderr', 77, 'def', 'e', 'e'],
    ]);
  });

  it('capture mode publishes process-communication and keeps captured bytes out of the file', async () => {
    const { dir, manager, seen, mainLog } = setup({ level: 'debug' });
    const file = path.join(dir, 'c.log');
    const out = manager.forProcess(proc('cap', { stdout: { logfile: { kind: 'file', path: file }, captureMaxbytes: 1000 } }));
    await run(out, ['start <!--XSUPERVISOR:BEGIN-->the payload<!--XSUPERVISOR:END--> the end of output\n']);
    const comms = seen.filter((e) => e.kind === 'process-communication');
    expect(comms).toHaveLength(1);
    expect(comms[0]!.kind === 'process-communication' && comms[0]!.data.toString()).toBe('the payload');
    expect(fs.readFileSync(file, 'utf8')).toBe('start  the end of output\n');
    expect(mainLog.records).toContainEqual({ level: 'debug', msg: "'cap' stdout emitted a comm event" });
  });

  it('strip_ansi applies to files and events', async () => {
    const { dir, manager, seen } = setup({ stripAnsi: true });
    const file = path.join(dir, 's.log');
    const out = manager.forProcess(proc('s', { stdout: { logfile: { kind: 'file', path: file }, eventsEnabled: true } }));
    await run(out, ['\x1b[1;32mgreen\x1b[0m\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe('green\n');
    const ev = seen.find((e) => e.kind === 'process-log');
    expect(ev && ev.kind === 'process-log' && ev.data.toString()).toBe('green\n');
  });

  it('echoes output into the main log at debug level only', async () => {
    const dbg = setup({ level: 'debug' });
    const out = dbg.manager.forProcess(proc('p', { stdout: { logfile: { kind: 'none' } }, stderr: { logfile: { kind: 'none' } } }));
    expect(out.stdout).toEqual({ kind: 'pipe' });
    await run(out, ['hi\n'], [Buffer.from([0xff, 0x0a])]);
    expect(dbg.mainLog.records).toContainEqual({ level: 'debug', msg: "'p' stdout output:\nhi\n" });
    expect(dbg.mainLog.records).toContainEqual({ level: 'debug', msg: "'p' stderr output:\nUndecodable: b'\\xff\\n'" });

    const info = setup({ level: 'info' });
    const out2 = info.manager.forProcess(proc('p', { stdout: { logfile: { kind: 'none' } } }));
    expect(out2.stdout).toEqual({ kind: 'ignore' });
  });

  it('listener stdout is echoed as a bytes repr and passed to the tap', async () => {
    const { manager, mainLog } = setup({ level: 'debug' });
    const tapped: string[] = [];
    const out = manager.forProcess(proc('lis', { kind: 'eventlistener', stdout: { logfile: { kind: 'none' } } }), { stdoutTap: (c) => tapped.push(c.toString()) });
    await run(out, ['READY\n']);
    expect(tapped).toEqual(['READY\n']);
    expect(mainLog.records).toContainEqual({ level: 'debug', msg: "'lis' stdout output:\nb'READY\\n'" });
  });

  it('the tap forces a pipe even for /dev/stdout and still relays the bytes', async () => {
    const { manager, sinks } = setup();
    const tapped: string[] = [];
    const out = manager.forProcess(proc('l', { stdout: { logfile: { kind: 'file', path: '/dev/stdout' } } }), { stdoutTap: (c) => tapped.push(c.toString()) });
    expect(out.stdout).toEqual({ kind: 'pipe' });
    await run(out, ['READY\n']);
    expect(tapped).toEqual(['READY\n']);
    expect(sinks.get(1)!.text()).toBe('READY\n');
  });

  it('a throwing tap does not break the channel', async () => {
    const { dir, manager, mainLog } = setup();
    const file = path.join(dir, 'l.log');
    const out = manager.forProcess(proc('l', { stdout: { logfile: { kind: 'file', path: file } } }), {
      stdoutTap: () => {
        throw new Error('listener bug');
      },
    });
    await run(out, ['a\n', 'b\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe('a\nb\n');
    expect(mainLog.records.some((r) => r.level === 'error' && /listener bug/.test(r.msg))).toBe(true);
  });

  it('syslog sends each line of a chunk as `<name> <line>`', async () => {
    const lines: string[] = [];
    const syslog: SyslogWriter = { log: (m) => lines.push(m) };
    const { manager } = setup({ syslog });
    const out = manager.forProcess(proc('sl', { stdout: { logfile: { kind: 'none' }, syslog: true } }));
    await run(out, ['one\ntwo\n']);
    expect(lines).toEqual(['sl one', 'sl two']);
  });
});
