import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMainLog, resolveLogFormat } from '../../../src/log/main-log.js';
import pino from 'pino';
import { MemorySink } from './memory-sink.js';

/** The JSON lines a sink received, parsed. */
function jsonRecords(sink: MemorySink): { level: string; msg: string; time: number }[] {
  return sink
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string; time: number });
}

/** A JSON main log on a memory sink whose pino arrives when the test calls give(). */
function jsonLogAwaitingPino(): { log: ReturnType<typeof createMainLog>; sink: MemorySink; give: (f: typeof pino) => void } {
  let give!: (f: typeof pino) => void;
  const later = new Promise<typeof pino>((resolve) => (give = resolve));
  const sink = new MemorySink();
  const log = createMainLog({ pino: later, logfile: null, maxbytes: 0, backups: 0, level: 'info', format: 'json', stdoutSink: sink });
  return { log, sink, give };
}

const TEXT_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) .*$/;

const tmpdirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-mainlog-'));
  tmpdirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmpdirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('main log text format', () => {
  it('writes supervisord lines with 4-letter level tags, filtered by level', () => {
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: null, maxbytes: 0, backups: 0, level: 'info', format: 'text', stdoutSink: sink });
    log.info("spawned: 'web' with pid 12");
    log.critical('boom');
    log.error('err');
    log.warn('careful');
    log.debug('hidden');
    log.blather('hidden too');
    const lines = sink.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(TEXT_LINE);
    expect(lines[0]).toMatch(/ INFO spawned: 'web' with pid 12$/);
    expect(lines[1]).toMatch(/ CRIT boom$/);
    expect(lines[2]).toMatch(/ ERRO err$/);
    expect(lines[3]).toMatch(/ WARN careful$/);
    expect(log.enabled('debug')).toBe(false);
  });

  it('uses local time to the millisecond', () => {
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: null, maxbytes: 0, backups: 0, level: 'blather', format: 'text', stdoutSink: sink });
    const before = Date.now();
    log.trace('t');
    log.blather('b');
    const after = Date.now();
    const [l1, l2] = sink.text().split('\n');
    expect(l1).toMatch(/ TRAC t$/);
    expect(l2).toMatch(/ BLAT b$/);
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3})/.exec(l1!)!;
    const t = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
  });
});

describe('main log json format', () => {
  it('writes pino JSON lines with level labels and msg', () => {
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: null, maxbytes: 0, backups: 0, level: 'debug', format: 'json', stdoutSink: sink });
    log.info('hello');
    log.debug('dbg');
    log.critical('crit');
    log.trace('no');
    const recs = jsonRecords(sink);
    expect(recs.map((r) => [r.level, r.msg])).toEqual([
      ['info', 'hello'],
      ['debug', 'dbg'],
      ['critical', 'crit'],
    ]);
    expect(typeof recs[0]!.time).toBe('number');
  });
});

describe('main log destinations', () => {
  it('echoes to stdout and writes the file; silent suppresses the echo', () => {
    const dir = tmp();
    const file = path.join(dir, 'supervisord.log');
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: file, maxbytes: 0, backups: 0, level: 'info', format: 'text', stdoutSink: sink });
    log.info('both');
    expect(sink.text()).toMatch(/INFO both\n$/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/INFO both\n$/);
    expect(log.path).toBe(file);

    const sink2 = new MemorySink();
    const quiet = createMainLog({ pino, logfile: file, maxbytes: 0, backups: 0, level: 'info', format: 'text', silent: true, stdoutSink: sink2 });
    quiet.info('file only');
    expect(sink2.text()).toBe('');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/INFO file only\n$/);
  });

  it('a non-regular logfile (/dev/null) opens without error and says once that rotation does not apply', () => {
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: '/dev/null', maxbytes: 50 * 1024 * 1024, backups: 10, level: 'info', format: 'text', stdoutSink: sink });
    log.info('after start');
    const text = sink.text();
    expect(text).not.toMatch(/ERRO|could not open/);
    expect(text.match(/logfile \/dev\/null is not a regular file: logfile_maxbytes does not apply/g)).toHaveLength(1);
    expect(text).toMatch(/INFO after start\n$/);
  });

  it('logfile=/dev/stdout goes through the stdout sink once, never rotates and has no path', () => {
    const sink = new MemorySink();
    const log = createMainLog({ pino, logfile: '/dev/stdout', maxbytes: 50 * 1024 * 1024, backups: 10, level: 'info', format: 'text', stdoutSink: sink });
    for (let i = 0; i < 100; i++) log.info(`line ${i}`);
    const lines = sink.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(101);
    expect(lines[0]).toMatch(/ INFO logfile \/dev\/stdout is tsinit's own output: logfile_maxbytes does not apply \(never rotated\)$/);
    expect(lines.every((l) => TEXT_LINE.test(l) && !/ERRO|CRIT/.test(l))).toBe(true);
    expect(log.path).toBeNull();
  });

  it('rotates the file like supervisord (size checked after each record)', () => {
    const dir = tmp();
    const file = path.join(dir, 'main.log');
    const log = createMainLog({ pino, logfile: file, maxbytes: 200, backups: 2, level: 'info', format: 'text', silent: true });
    for (let i = 0; i < 30; i++) log.info(`message number ${i}`);
    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(fs.existsSync(`${file}.2`)).toBe(true);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect(fs.statSync(`${file}.1`).size).toBeGreaterThanOrEqual(200);
    expect(fs.statSync(file).size).toBeLessThan(200);
  });

  it('reopen() after an outside rename creates a new file', () => {
    const dir = tmp();
    const file = path.join(dir, 'main.log');
    const log = createMainLog({ pino, logfile: file, maxbytes: 0, backups: 0, level: 'info', format: 'text', silent: true });
    log.info('before');
    fs.renameSync(file, `${file}.old`);
    log.reopen();
    log.info('after');
    expect(fs.readFileSync(`${file}.old`, 'utf8')).toMatch(/before/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/INFO after\n$/);
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/before/);
  });
});

describe('bounded stdout', () => {
  it('drops lines while stdout is stalled and reports the count once it drains', async () => {
    const sink = new MemorySink(1 << 30);
    sink.stalled = true;
    const log = createMainLog({ pino, logfile: null, maxbytes: 0, backups: 0, level: 'info', format: 'text', stdoutSink: sink, maxBuffered: 1000 });
    for (let i = 0; i < 100; i++) log.info(`x${i}`.padEnd(50, '.'));
    const written = sink.text().split('\n').filter(Boolean).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(100);
    sink.release();
    await new Promise((r) => setImmediate(r));
    expect(sink.text()).toMatch(new RegExp(`WARN ${100 - written} log lines dropped while stdout was blocked\\n$`));
  });

  it('a broken stdout (EPIPE) never throws', () => {
    const sink = new MemorySink();
    sink.isBroken = true;
    const log = createMainLog({ pino, logfile: null, maxbytes: 0, backups: 0, level: 'info', format: 'json', stdoutSink: sink });
    expect(() => {
      for (let i = 0; i < 10; i++) log.error('still fine');
    }).not.toThrow();
  });
});

describe('resolveLogFormat', () => {
  it('TSINIT_LOG_FORMAT overrides the configured format; junk is ignored', () => {
    expect(resolveLogFormat('text', { TSINIT_LOG_FORMAT: 'json' })).toBe('json');
    expect(resolveLogFormat('json', { TSINIT_LOG_FORMAT: 'TEXT' })).toBe('text');
    expect(resolveLogFormat('json', { TSINIT_LOG_FORMAT: 'xml' })).toBe('json');
    expect(resolveLogFormat('text', {})).toBe('text');
  });
});

describe('main log while pino is loading', () => {
  it('keeps lines in order with the time they were logged at, and writes them once pino is in', async () => {
    const { log, sink, give } = jsonLogAwaitingPino();
    const t0 = Date.now();
    log.info('first');
    log.debug('below the level');
    log.warn('second');
    expect(sink.text()).toBe('');
    await new Promise((r) => setTimeout(r, 30));
    const t1 = Date.now();
    give(pino);
    await log.ready;
    log.error('third');
    const recs = jsonRecords(sink);
    expect(recs.map((r) => [r.level, r.msg])).toEqual([
      ['info', 'first'],
      ['warn', 'second'],
      ['error', 'third'],
    ]);
    // the waiting lines carry the time they were logged, not the time pino arrived
    expect(recs[0]!.time).toBeGreaterThanOrEqual(t0);
    expect(recs[1]!.time).toBeLessThan(t1);
    expect(recs[2]!.time).toBeGreaterThanOrEqual(t1);
  });

  it('still writes every line when pino cannot be loaded', async () => {
    const sink = new MemorySink();
    const log = createMainLog({
      pino: Promise.reject(new Error('no pino')),
      logfile: null,
      maxbytes: 0,
      backups: 0,
      level: 'info',
      format: 'text',
      stdoutSink: sink,
    });
    log.info('before');
    await log.ready;
    log.info('after');
    const lines = sink.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ INFO before$/);
    expect(lines[1]).toMatch(/ INFO after$/);
  });
});

describe('main log flushed before pino is in', () => {
  it('writes the waiting lines at once, in pino\'s JSON shape, and later lines through pino', async () => {
    const { log, sink, give } = jsonLogAwaitingPino();
    log.warn('before exit');
    expect(sink.text()).toBe('');
    log.flush();
    expect(jsonRecords(sink).map((r) => [r.level, r.msg])).toEqual([['warn', 'before exit']]);
    give(pino);
    await log.ready;
    log.info('after');
    const recs = jsonRecords(sink);
    expect(recs.map((r) => [r.level, r.msg])).toEqual([
      ['warn', 'before exit'],
      ['info', 'after'],
    ]);
    // both lines have the same keys as pino writes them
    expect(Object.keys(recs[0]!)).toEqual(Object.keys(recs[1]!));
  });
});
