import { describe, expect, it } from 'vitest';
import { autoLogPattern } from '../../../src/output/auto-logs.js';
import { BEGIN_TOKEN, CaptureFilter, END_TOKEN, prefixAtEnd } from '../../../src/output/capture.js';
import { PrefixLineWriter } from '../../../src/output/line-writer.js';
import { pyBytesRepr } from '../../../src/common/python-repr.js';
import { decideRoute, type RouteInput } from '../../../src/output/route.js';
import { stripAnsi } from '../../../src/output/strip-ansi.js';
import { MemorySink } from '../log/memory-sink.js';
import { channel } from './helpers.js';

describe('stripAnsi (supervisord stripEscapes)', () => {
  it('removes CSI sequences up to the first terminator', () => {
    expect(stripAnsi(Buffer.from('\x1b[1;31mred\x1b[0m plain\x1b[2K\n')).toString()).toBe('red plain\n');
    expect(stripAnsi(Buffer.from('a\x1b[10;20Hb')).toString()).toBe('ab');
  });
  it('leaves other bytes (and UTF-8) alone; an unterminated sequence runs to the end', () => {
    expect(stripAnsi(Buffer.from('héllo ✓\x1b[31')).toString()).toBe('héllo ✓');
    expect(stripAnsi(Buffer.from('\x1bX no csi')).toString()).toBe('\x1bX no csi');
  });
});

describe('pyBytesRepr', () => {
  it('matches Python repr(bytes)', () => {
    expect(pyBytesRepr(Buffer.from('READY\n'))).toBe("b'READY\\n'");
    expect(pyBytesRepr(Buffer.from([0xff, 0x00, 0x41]))).toBe("b'\\xff\\x00A'");
    expect(pyBytesRepr(Buffer.from("it's"))).toBe('b"it\'s"');
    expect(pyBytesRepr(Buffer.from('a\\b\t'))).toBe("b'a\\\\b\\t'");
  });
});

describe('AUTO log regex', () => {
  it('matches supervisord AUTO names and rotated backups only', () => {
    const re = autoLogPattern('supervisor');
    expect(re.test('m1-stdout---supervisor-zpgp20cg.log')).toBe(true);
    expect(re.test('m1-stdout---supervisor-zpgp20cg.log.3')).toBe(true);
    expect(re.test('m1-stdout---other-zpgp20cg.log')).toBe(false);
    expect(re.test('app.log')).toBe(false);
  });
});

describe('capture filter', () => {
  function run(maxbytes: number, chunks: string[]) {
    const logged: { data: string; capturing: boolean }[] = [];
    const comms: string[] = [];
    const f = new CaptureFilter(maxbytes, {
      data: (b, capturing) => logged.push({ data: b.toString(), capturing }),
      communication: (b) => comms.push(b.toString()),
    });
    for (const c of chunks) f.push(Buffer.from(c));
    return { f, logged, comms };
  }

  it('emits the bytes between the tokens as one communication', () => {
    const { logged, comms, f } = run(1000, [`before ${BEGIN_TOKEN}payload${END_TOKEN} after and more text\n`]);
    expect(comms).toEqual(['payload']);
    // like supervisord, a tail no longer than the begin token is held back until more output (or EOF) arrives
    expect(logged.filter((l) => !l.capturing).map((l) => l.data).join('')).toBe('before ');
    f.end();
    expect(logged.filter((l) => !l.capturing).map((l) => l.data).join('')).toBe('before  after and more text\n');
    expect(logged.filter((l) => l.capturing).map((l) => l.data).join('')).toBe('payload');
  });

  it('finds tokens split across chunks', () => {
    const all = `hello ${BEGIN_TOKEN}abc${END_TOKEN}bye-bye-bye-bye-bye-bye-bye\n`;
    const chunks: string[] = [];
    for (let i = 0; i < all.length; i += 5) chunks.push(all.slice(i, i + 5));
    const { logged, comms, f } = run(1000, chunks);
    f.end();
    expect(comms).toEqual(['abc']);
    expect(logged.filter((l) => !l.capturing).map((l) => l.data).join('')).toBe('hello bye-bye-bye-bye-bye-bye-bye\n');
  });

  it('bounds the capture buffer (oldest dropped) and flushes held-back bytes at end()', () => {
    // supervisord's BoundIO: a write that overflows drops as many leading bytes as it adds
    const { comms } = run(30, [BEGIN_TOKEN.toString(), 'A'.repeat(25), 'B'.repeat(25), `${END_TOKEN}x`]);
    expect(comms).toEqual(['B'.repeat(25)]);
    const r = run(1000, ['short']);
    expect(r.logged).toEqual([]);
    r.f.end();
    expect(r.logged).toEqual([{ data: 'short', capturing: false }]);
  });

  it('prefixAtEnd finds a partial token suffix', () => {
    expect(prefixAtEnd(Buffer.from('xx<!--XSUP'), BEGIN_TOKEN)).toBe(8);
    expect(prefixAtEnd(Buffer.from('xx'), BEGIN_TOKEN)).toBe(0);
  });
});

describe('prefix line writer', () => {
  it('writes only whole prefixed lines and flushes a partial last line at end', () => {
    const sink = new MemorySink();
    const w = new PrefixLineWriter(sink, 'web');
    w.push(Buffer.from('one\ntw'));
    w.push(Buffer.from('o\nthr'));
    w.end();
    expect(sink.chunks.map((c) => c.toString())).toEqual(['web | one\n', 'web | two\n', 'web | thr\n']);
  });

  it('splits very long lines at the bound', () => {
    const sink = new MemorySink();
    const w = new PrefixLineWriter(sink, 'p', 10);
    w.push(Buffer.from('a'.repeat(25)));
    w.push(Buffer.from('b\n'));
    expect(sink.text()).toBe(`p | ${'a'.repeat(10)}\np | ${'a'.repeat(10)}\np | aaaaab\n`);
  });

  it('reports backpressure from the sink', () => {
    const sink = new MemorySink(5);
    sink.stalled = true;
    const w = new PrefixLineWriter(sink, 'x');
    expect(w.push(Buffer.from('0123456789\n'))).toBe(false);
  });
});

describe('decideRoute', () => {
  const base = (over: Partial<RouteInput> = {}): RouteInput => ({
    channel: channel({ logfile: { kind: 'file', path: '/dev/stdout' } }),
    autoPath: null,
    prefix: false,
    stripAnsi: false,
    tap: false,
    mainLogDebug: false,
    fdIsOpen: () => false,
    ...over,
  });

  it('fast path for /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N without transformation', () => {
    expect(decideRoute(base())).toEqual({ kind: 'fd', fd: 1 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/stderr' } }) }))).toEqual({ kind: 'fd', fd: 2 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/proc/self/fd/2' } }) }))).toEqual({ kind: 'fd', fd: 2 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/fd/7' } }), fdIsOpen: (fd) => fd === 7 }))).toEqual({ kind: 'fd', fd: 7 });
    // /dev/fd/N not open in tsinit: opened like a path
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/fd/7' } }) }))).toEqual({ kind: 'pipe', file: '/dev/fd/7', relayFd: null, prefix: false });
  });

  it('relays through tsinit when a transformation is needed', () => {
    expect(decideRoute(base({ prefix: true }))).toEqual({ kind: 'pipe', file: null, relayFd: 1, prefix: true });
    expect(decideRoute(base({ stripAnsi: true }))).toEqual({ kind: 'pipe', file: null, relayFd: 1, prefix: false });
    expect(decideRoute(base({ tap: true }))).toMatchObject({ kind: 'pipe', relayFd: 1 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/stdout' }, eventsEnabled: true }) }))).toMatchObject({ kind: 'pipe', relayFd: 1 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/stdout' }, captureMaxbytes: 10 }) }))).toMatchObject({ kind: 'pipe', relayFd: 1 });
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/dev/stdout' }, syslog: true }) }))).toMatchObject({ kind: 'pipe', relayFd: 1 });
  });

  it('NONE is ignored unless something consumes the bytes', () => {
    const none = channel({ logfile: { kind: 'none' } });
    expect(decideRoute(base({ channel: none }))).toEqual({ kind: 'ignore' });
    expect(decideRoute(base({ channel: none, mainLogDebug: true }))).toEqual({ kind: 'pipe', file: null, relayFd: null, prefix: false });
    expect(decideRoute(base({ channel: { ...none, eventsEnabled: true } }))).toMatchObject({ kind: 'pipe', file: null });
  });

  it('files and AUTO are piped into the file', () => {
    expect(decideRoute(base({ channel: channel({ logfile: { kind: 'file', path: '/var/log/a.log' } }) }))).toEqual({ kind: 'pipe', file: '/var/log/a.log', relayFd: null, prefix: false });
    expect(decideRoute(base({ channel: channel(), autoPath: '/tmp/x.log' }))).toEqual({ kind: 'pipe', file: '/tmp/x.log', relayFd: null, prefix: false });
  });
});

describe('PrefixLineWriter against a plain-string model', () => {
  /**
   * The documented behaviour, chunk by chunk: complete lines go out whole (a held partial first); what is
   * left is held, and whenever the held part reaches maxLine bytes it goes out as a line of its own; at the
   * end a partial last line is completed. Every line gets `name | `.
   */
  function model(chunks: readonly string[], name: string, maxLine: number): string {
    let out = '';
    let held = '';
    for (const chunk of chunks) {
      let s = chunk;
      for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n')) {
        out += `${name} | ${held}${s.slice(0, nl + 1)}`;
        held = '';
        s = s.slice(nl + 1);
      }
      while (held.length + s.length >= maxLine) {
        const take = maxLine - held.length;
        out += `${name} | ${held}${s.slice(0, take)}\n`;
        held = '';
        s = s.slice(take);
      }
      held += s;
    }
    if (held) out += `${name} | ${held}\n`;
    return out;
  }

  it('writes the same bytes for random line lengths and random chunking', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const maxLine = 1 + rand(40);
      let input = '';
      const target = rand(3000);
      while (input.length < target) {
        const kind = rand(10);
        // mostly short lines, some empty ones, some longer than maxLine, some without a newline yet
        const len = kind === 0 ? 0 : kind === 1 ? maxLine + rand(3 * maxLine) : rand(maxLine);
        input += 'x'.repeat(len) + (rand(8) === 0 ? '' : '\n');
      }
      const chunks: string[] = [];
      for (let i = 0; i < input.length; ) {
        const n = rand(5) === 0 ? 1 + rand(400) : 1 + rand(20);
        chunks.push(input.slice(i, i + n));
        i += n;
      }
      const sink = new MemorySink();
      const w = new PrefixLineWriter(sink, 'prog', maxLine);
      for (const c of chunks) w.push(Buffer.from(c));
      w.end();
      expect(sink.text()).toBe(model(chunks, 'prog', maxLine));
    }
  });
});
