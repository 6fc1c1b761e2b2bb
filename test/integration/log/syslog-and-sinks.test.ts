import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFdSink } from '../../../src/log/fd-sink.js';
import { createMainLog } from '../../../src/log/main-log.js';
import pino from 'pino';
import { RotatingFile } from '../../../src/log/rotating-file.js';
import { createSyslogWriter } from '../../../src/log/syslog.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-sink-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('syslog writer', () => {
  it('sends RFC 3164 USER.INFO messages over a stream socket', async () => {
    const sock = path.join(tmp(), 'log');
    let got = '';
    const server = net.createServer((c) => c.on('data', (d) => (got += d.toString())));
    await new Promise<void>((r) => server.listen(sock, r));
    const w = createSyslogWriter({ socketPath: sock, ident: 'tsinit' });
    w.log('web hello');
    w.log('web world');
    await until(() => got.split('\0').length >= 3, 'two messages');
    server.close();
    const msgs = got.split('\0').filter(Boolean);
    expect(msgs[0]).toMatch(new RegExp(`^<14>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d tsinit\\[${process.pid}\\]: web hello$`));
    expect(msgs[1]).toMatch(/: web world$/);
  });

  it('falls back to the logger helper for a datagram /dev/log', async () => {
    const dir = tmp();
    const sock = path.join(dir, 'log');
    const out = path.join(dir, 'received');
    // a tiny datagram syslog receiver
    const py = spawn('python3', [
      '-c',
      `import socket,sys\ns=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nopen(sys.argv[1]+'.ready','w').close()\nf=open(sys.argv[2],'ab',0)\nwhile True:\n  f.write(s.recv(65536)+b'\\n')`,
      sock,
      out,
    ]);
    try {
      await until(() => fs.existsSync(`${sock}.ready`), 'receiver');
      const w = createSyslogWriter({ socketPath: sock, ident: 'tsinit' });
      w.log('prog line one');
      await until(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('prog line one'), 'datagram');
      expect(fs.readFileSync(out, 'utf8')).toMatch(/^<14>.*tsinit.*: prog line one/m);
    } finally {
      py.kill();
    }
  });

  it('warns once and drops when /dev/log is absent', async () => {
    const reasons: string[] = [];
    const w = createSyslogWriter({ socketPath: path.join(tmp(), 'nope'), onUnavailable: (r) => reasons.push(r) });
    w.log('a');
    w.log('b');
    await new Promise((r) => setTimeout(r, 20));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/does not exist/);
  });

  it('main log with logfile=syslog sends text lines per line, no file', () => {
    const lines: string[] = [];
    const log = createMainLog({ pino, logfile: 'syslog', maxbytes: 0, backups: 0, level: 'info', format: 'text', silent: true, syslog: { log: (m) => lines.push(m) } });
    log.info('one\ntwo');
    expect(log.path).toBeNull();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO one$/);
    expect(lines[1]).toBe('two');
  });
});

describe('fd sinks', () => {
  it('a pipe whose reader is gone breaks the sink without throwing (EPIPE)', async () => {
    // use a FIFO, which behaves like the pipe behind a container's stdout
    const fifo = path.join(tmp(), 'fifo');
    await new Promise((res) => spawn('mkfifo', [fifo]).on('exit', res));
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    let brokenWith: Error | null = null;
    const sink = openFdSink(writeFd, { onBroken: (e) => (brokenWith = e) });
    expect(sink.write('hello\n')).toBe(true);
    await new Promise((res) => sink.onDrain(() => res(null)));
    const buf = Buffer.alloc(100);
    expect(fs.readSync(readFd, buf)).toBe(6);
    fs.closeSync(readFd);
    expect(() => {
      for (let i = 0; i < 100; i++) sink.write('more\n');
    }).not.toThrow();
    await until(() => sink.broken, 'broken');
    expect((brokenWith as NodeJS.ErrnoException | null)?.code).toBe('EPIPE');
    expect(sink.write('discarded\n')).toBe(true);
    sink.close();
    fs.closeSync(writeFd);
  });

  it('a stalled FIFO reports backpressure and drains when read', async () => {
    const fifo = path.join(tmp(), 'fifo2');
    await new Promise((res) => spawn('mkfifo', [fifo]).on('exit', res));
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    const sink = openFdSink(writeFd, { highWaterMark: 64 * 1024 });
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let n = 0;
    while (sink.write(chunk)) n++;
    expect(n).toBeLessThan(64); // the kernel pipe (64 KiB) + our 64 KiB mark
    let drained = false;
    sink.onDrain(() => (drained = true));
    const buf = Buffer.alloc(1 << 16);
    let total = 0;
    const expected = (n + 1) * chunk.length;
    while (total < expected) {
      try {
        total += fs.readSync(readFd, buf);
      } catch {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await until(() => drained, 'drain');
    expect(total).toBe(expected);
    sink.close();
    fs.closeSync(readFd);
    fs.closeSync(writeFd);
  });
});

describe('fd sinks, ordering', () => {
  it('a pipe keeps the byte order across its switch from direct writes to the stream (first full pipe)', async () => {
    const fifo = path.join(tmp(), 'fifo3');
    await new Promise((res) => spawn('mkfifo', [fifo]).on('exit', res));
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    const sink = openFdSink(writeFd, { highWaterMark: 1 << 22 });
    // ~200 KiB of numbered lines: the first ~64 KiB go straight into the pipe, the rest through the stream.
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`);
    for (const l of lines) sink.write(l);
    const buf = Buffer.alloc(1 << 16);
    let got = '';
    const expected = lines.join('');
    while (got.length < expected.length) {
      try {
        got += buf.toString('latin1', 0, fs.readSync(readFd, buf));
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    expect(got === expected).toBe(true);
    sink.close();
    fs.closeSync(readFd);
    fs.closeSync(writeFd);
  });
});

describe('rotating file on a non-regular destination', () => {
  it('never rotates a FIFO and says so once', async () => {
    const fifo = path.join(tmp(), 'fifo3');
    await new Promise((res) => spawn('mkfifo', [fifo]).on('exit', res));
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const notes: string[] = [];
    const problems: string[] = [];
    const f = new RotatingFile({ path: fifo, maxbytes: 10, backups: 3, onNotRotatable: () => notes.push('x'), onProblem: (m) => problems.push(m) });
    f.open();
    for (let i = 0; i < 5; i++) f.write('0123456789abcdef\n');
    f.reopen();
    f.write('z\n');
    expect(notes).toEqual(['x']);
    expect(problems).toEqual([]);
    expect(fs.existsSync(`${fifo}.1`)).toBe(false);
    const buf = Buffer.alloc(1000);
    expect(fs.readSync(readFd, buf)).toBe(5 * 17 + 2);
    f.close();
    fs.closeSync(readFd);
  });
});
