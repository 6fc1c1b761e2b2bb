// Real processes through the real OutputManager/MainLog (bundled harness): line atomicity of prefix mode,
// backpressure with bounded RSS, closed and stalled stdout, the /dev/stdout fast path, both log formats.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness } from './build-harness.js';

let harness: { file: string; dir: string };
beforeAll(async () => {
  harness = await buildHarness();
});
afterAll(() => {
  fs.rmSync(harness.dir, { recursive: true, force: true });
});

function script(name: string, body: string): string {
  const file = path.join(harness.dir, name);
  fs.writeFileSync(file, body, { mode: 0o755 });
  return file;
}

/** How the harness's stdout is connected: Node's default (a socketpair) or a pipe/FIFO as in docker/containerd. */
type StdoutKind = 'socketpair' | 'fifo';
let fifoSeq = 0;

function start(
  spec: object,
  kind: StdoutKind = 'socketpair',
): { child: ChildProcess; stdout: Readable; summary: Promise<{ results: { name: string; code: number; wiring: string[] }[]; logLinesMs: number }> } {
  let stdoutFd: number | 'pipe' = 'pipe';
  let fifoReader: Readable | null = null;
  if (kind === 'fifo') {
    const fifo = path.join(harness.dir, `stdout-${process.pid}-${fifoSeq++}`);
    execFileSync('mkfifo', [fifo]);
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    stdoutFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    fifoReader = new net.Socket({ fd: readFd, readable: true, writable: false });
  }
  const child = spawn(process.execPath, [harness.file, JSON.stringify(spec)], { stdio: ['ignore', stdoutFd, 'pipe', 'pipe'] });
  if (typeof stdoutFd === 'number') fs.closeSync(stdoutFd);
  const stdout: Readable = fifoReader ?? child.stdout!;
  const fd3 = child.stdio[3] as Readable;
  let text = '';
  let errText = '';
  child.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
  const summary = new Promise<ReturnType<typeof JSON.parse>>((resolve, reject) => {
    // the summary is one line, written before the harness waits for its stdout to drain
    fd3.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.endsWith('\n')) resolve(JSON.parse(text));
    });
    fd3.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error(`no summary; stderr: ${errText}`));
      }
    });
  });
  return { child, stdout, summary };
}

function collect(r: Readable): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    r.on('data', (d: Buffer) => parts.push(d));
    r.on('end', () => resolve(Buffer.concat(parts).toString()));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))));
}

describe.each(['socketpair', 'fifo'] as const)('prefix mode (stdout: %s)', (kind) => {
  it('lines of two programs writing long lines concurrently are whole and correctly prefixed', async () => {
    // each program writes 2000 lines of 10 KiB (longer than PIPE_BUF) in odd-sized writes
    const writer = script(
      'writer.js',
      `const fs = require('fs'); const tag = process.argv[2];
       let buf = '';
       for (let i = 0; i < 2000; i++) buf += tag + ':' + i + ':' + tag.repeat(10240) + '\\n';
       const b = Buffer.from(buf); let off = 0;
       // odd-sized writes; the pipe may be non-blocking, so wait on EAGAIN (backpressure from tsinit)
       const nap = new Int32Array(new SharedArrayBuffer(4));
       while (off < b.length) {
         const n = Math.min(7001, b.length - off);
         try { off += fs.writeSync(1, b.subarray(off, off + n)); }
         catch (e) { if (e.code !== 'EAGAIN') throw e; Atomics.wait(nap, 0, 0, 2); }
       }
       process.stdout.write('tail-without-newline-' + tag);`,
    );
    const { stdout, summary } = start({
      programs: [
        { name: 'alpha', argv: [process.execPath, writer, 'A'], prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } }, stderr: { logfile: { kind: 'file', path: '/dev/stderr' } } },
        { name: 'beta', argv: [process.execPath, writer, 'B'], prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } }, stderr: { logfile: { kind: 'file', path: '/dev/stderr' } } },
      ],
    }, kind);
    const out = await collect(stdout);
    const s = await summary;
    expect(s.results.map((r) => r.code)).toEqual([0, 0]);
    expect(s.results.map((r) => r.wiring)).toEqual([
      ['pipe', 'pipe'],
      ['pipe', 'pipe'],
    ]);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    const prog = lines.filter((l) => l.startsWith('alpha | ') || l.startsWith('beta | '));
    const counts = { A: 0, B: 0 };
    for (const l of prog) {
      const m = /^(alpha|beta) \| (?:([AB]):(\d+):([AB]+)|tail-without-newline-([AB]))$/.exec(l);
      expect(m, `malformed line: ${l.slice(0, 80)}...`).not.toBeNull();
      const tag = m![1] === 'alpha' ? 'A' : 'B';
      if (m![5]) {
        expect(m![5]).toBe(tag);
        continue;
      }
      expect(m![2]).toBe(tag);
      expect(Number(m![3])).toBe(counts[tag]);
      expect(m![4]).toBe(tag.repeat(10240));
      counts[tag]++;
    }
    expect(counts).toEqual({ A: 2000, B: 2000 });
    expect(prog).toContain('alpha | tail-without-newline-A');
    expect(prog).toContain('beta | tail-without-newline-B');
    // the rest are main-log lines, whole too
    for (const l of lines.filter((l) => !prog.includes(l))) expect(l).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} /);
  });
});

function vmHWM(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
function wchar(pid: number): number {
  try {
    const m = /wchar: (\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return -1;
  }
}

describe.each(['socketpair', 'fifo'] as const)('backpressure (stdout: %s)', (kind) => {
  it('a program writing 1 GiB into a slow consumer is throttled and tsinit RSS stays bounded', async () => {
    const pidFile = path.join(harness.dir, 'bp-pids.json');
    const { child, stdout, summary } = start({
      pidFile,
      programs: [{ name: 'gig', argv: ['/bin/sh', '-c', `exec head -c 1073741824 /dev/zero`], prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } } }],
    }, kind);
    stdout.pause();
    // wait for the producer pid
    while (!fs.existsSync(pidFile)) await new Promise((r) => setTimeout(r, 20));
    const [producerPid] = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as number[];
    // slow phase: read ~64 KiB per 10 ms for a while and check the producer stays close to what was consumed
    let consumed = 0;
    for (let i = 0; i < 150; i++) {
      await new Promise((r) => setTimeout(r, 10));
      let chunk: Buffer | null;
      let got = 0;
      while (got < 64 * 1024 && (chunk = stdout.read() as Buffer | null) !== null) got += chunk.length;
      consumed += got;
      const produced = wchar(producerPid!);
      // bounded buffering between producer and consumer: harness sink hwm (1 MiB) + pipes + read buffers
      expect(produced).toBeLessThanOrEqual(consumed + 8 * 1024 * 1024 + stdout.readableLength);
    }
    expect(wchar(producerPid!)).toBeLessThan(512 * 1024 * 1024);
    // fast phase: drain everything; all 1 GiB arrives and RSS stayed bounded throughout
    const peakProbe = setInterval(() => {
      try {
        peak = Math.max(peak, vmHWM(child.pid!));
      } catch {
        // exited
      }
    }, 20);
    let peak = vmHWM(child.pid!);
    let total = consumed;
    stdout.on('data', (d: Buffer) => (total += d.length));
    const ended = new Promise((r) => stdout.on('end', r));
    stdout.resume();
    const s = await summary;
    await ended;
    clearInterval(peakProbe);
    await exited(child);
    expect(s.results[0]!.code).toBe(0);
    // 1 GiB of NUL bytes (no newline): split into 64 KiB lines, each with "gig | " and "\n"; nothing lost
    expect(total).toBeGreaterThanOrEqual(1073741824 + (1073741824 / 65536) * 7);
    expect(peak).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});

describe.each(['socketpair', 'fifo'] as const)('closed and stalled stdout (stdout: %s)', (kind) => {
  it('a closed stdout (EPIPE) does not kill or block tsinit; programs keep being supervised', async () => {
    const spammer = script('spam.js', `for (let i = 0; i < 20000; i++) process.stdout.write('line ' + i + '\\n');`);
    const { child, stdout, summary } = start({
      logLines: 10,
      programs: [{ name: 'spam', argv: [process.execPath, spammer], prefix: true, stdout: { logfile: { kind: 'file', path: '/dev/stdout' } } }],
    }, kind);
    stdout.destroy(); // the reader goes away
    const s = await summary;
    expect(s.results[0]!.code).toBe(0);
    expect(await exited(child)).toBe(0);
  });

  it('a stalled stdout never blocks the log; dropped lines are counted and reported once it drains', async () => {
    const { stdout, summary } = start({ logLines: 20000, maxBuffered: 256 * 1024, programs: [] }, kind);
    stdout.pause();
    await summary; // arrives while stdout is still stalled: logging did not block
    const out = await collect(stdout.resume());
    const m = /(\d+) log lines dropped while stdout was blocked/.exec(out);
    expect(m, out.split('\n').filter((l) => !/ INFO log line \d+ /.test(l)).join('\n') + ` (${out.length} bytes)`).not.toBeNull();
    // 20000 log lines + 'harness done': each one either written whole or counted as dropped
    const written = out.split('\n').filter((l) => / INFO (log line \d+ |harness done$)/.test(l)).length;
    expect(written + Number(m![1])).toBe(20001);
    expect(written).toBeLessThan(20000);
  });
});

describe.each(['socketpair', 'fifo'] as const)('/dev/stdout (stdout: %s)', (kind) => {
  it('fast path with the default maxbytes: the program writes straight to stdout, no error lines', async () => {
    const printer = script('print.sh', '#!/bin/sh\ni=0\nwhile [ $i -lt 500 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done\n');
    const { stdout, summary } = start({
      programs: [{ name: 'p', argv: [printer], stdout: { logfile: { kind: 'file', path: '/dev/stdout' } }, stderr: { logfile: { kind: 'file', path: '/dev/stderr' } } }],
    }, kind);
    const [out, s] = await Promise.all([collect(stdout), summary]);
    expect(s.results[0]!.wiring).toEqual(['fd', 'fd']);
    const lines = out.split('\n').filter(Boolean);
    expect(lines.filter((l) => /^out \d+$/.test(l))).toHaveLength(500);
    expect(lines.filter((l) => / (ERRO|CRIT) /.test(l) || /Illegal seek/.test(l))).toEqual([]);
    expect(out).toMatch(/INFO 'p' stdout_logfile \/dev\/stdout is tsinit's own output: stdout_logfile_maxbytes does not apply/);
  });
});

describe('main log formats end to end', () => {
  it('json format writes parseable pino lines to stdout', async () => {
    const { stdout } = start({ format: 'json', logLines: 3, programs: [] });
    const out = await collect(stdout);
    const recs = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(recs.map((r) => r.level)).toEqual(['info', 'info', 'info', 'info']);
    expect(recs.at(-1)!.msg).toBe('harness done');
  });
});
