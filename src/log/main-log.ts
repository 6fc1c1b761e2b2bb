// tsinit's own log ("main log") through pino, with supervisord's level names and either supervisord's exact
// text lines (`2026-11-24 09:13:34,472 INFO spawned: 'web' with pid 12`) or pino's JSON lines.
//
// Where lines go (container-friendly default):
// * stdout echo: whenever tsinit runs in the foreground (nodaemon, which is how a PID-1 init always runs)
//   unless `silent`, exactly like supervisord's nodaemon echo. This is what `docker logs` shows.
// * `logfile=` a path: additionally written there, rotating per logfile_maxbytes/backups (§4.6). When the path
//   is the container's stdout/stderr (/dev/stdout, /dev/fd/1, /proc/self/fd/1, ...) it is written through the
//   same shared stdout/stderr sink (never twice, never rotated, never "Illegal seek"). Any other non-regular
//   file (a FIFO, /dev/console) is written but never rotated.
// * `logfile=syslog`: to syslog instead of a file (one message per line).
// Writes to stdout are bounded: a stalled or closed stdout never blocks PID 1. Lines that do not fit in the
// buffer are dropped and counted; once stdout drains a WARN `<n> log lines dropped while stdout was blocked`
// is written. EPIPE (reader gone) silently discards.
//
// pino itself is handed in (`options.pino`), or a promise of it: the run mode loads it right after the first
// spawn (launch time, BENCHMARKS.md §1). Until it is there, lines wait in order, with the time they were
// logged at, and are written as soon as it is.
import type { Logger } from 'pino';
import type { LogFormat, LogLevel } from '../config/model.js';
import { sharedFdSink, type ByteSink } from './fd-sink.js';
import { LEVEL_VALUES, LOG_LEVELS, levelPasses } from './levels.js';
import { RotatingFile } from './rotating-file.js';
import { sharedSyslogWriter, type SyslogWriter } from './syslog.js';
import { formatTextLine } from './text-format.js';
import type { MainLog } from './types.js';

export interface MainLogOptions {
  /** Path, 'syslog', or null for no file. */
  readonly logfile: string | null;
  readonly maxbytes: number;
  readonly backups: number;
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Foreground (default true: tsinit as PID 1 always is). */
  readonly nodaemon?: boolean;
  /** With nodaemon: no stdout echo. */
  readonly silent?: boolean;
  /** tsinit's stdout fd for the echo (default 1). */
  readonly stdoutFd?: number;
  /** tsinit's stderr fd (default 2), used when logfile is /dev/stderr. */
  readonly stderrFd?: number;
  /** Bytes that may wait for a slow stdout before lines are dropped (default 4 MiB). */
  readonly maxBuffered?: number;
  /** Test hooks: explicit sinks instead of the shared fd sinks. */
  readonly stdoutSink?: ByteSink;
  readonly stderrSink?: ByteSink;
  readonly syslog?: SyslogWriter;
  /** pino (`loadPino()`), or a promise of it; lines logged before it settles wait and keep their time. */
  readonly pino: PinoFactory | Promise<PinoFactory>;
}

export type PinoFactory = typeof import('pino').default;

/** pino, loaded on demand (in the bundle, its modules are initialised only when this is called). */
export async function loadPino(): Promise<PinoFactory> {
  return (await import('pino')).default;
}

/** A main log that may still be waiting for pino. */
export interface PinoMainLog extends MainLog {
  /** Settles once pino is in and every waiting line is written (or, if pino failed to load, written without it). */
  readonly ready: Promise<void>;
}

/** Lines kept while pino loads; beyond this the oldest are dropped (counted in a WARN once it is in). */
const MAX_WAITING_LINES = 10_000;

/** `/dev/stdout` → 1, `/dev/fd/2` → 2, `/proc/self/fd/N` → N; null for other paths. */
export function stdioFdOfPath(path: string): number | null {
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : null;
}

const DEFAULT_MAX_BUFFERED = 4 << 20;

/**
 * The log format: `TSINIT_LOG_FORMAT=json|text` in the environment wins over the configured value
 * (`--log-format` / `[tsinit] log_format`, resolved by the CLI). Unknown env values are ignored.
 */
export function resolveLogFormat(configured: LogFormat, env: Readonly<Record<string, string | undefined>> = process.env): LogFormat {
  const v = env.TSINIT_LOG_FORMAT?.trim().toLowerCase();
  return v === 'json' || v === 'text' ? v : configured;
}

class BoundedEcho {
  private dropped = 0;
  private waiting = false;

  constructor(
    private readonly sink: ByteSink,
    private readonly maxBuffered: number,
    private readonly reportDrops: (n: number) => void,
  ) {}

  write(line: string): void {
    if (this.sink.broken) return;
    if (this.sink.buffered + line.length > this.maxBuffered) {
      this.dropped++;
      if (!this.waiting) {
        this.waiting = true;
        this.sink.onDrain(() => {
          this.waiting = false;
          const n = this.dropped;
          this.dropped = 0;
          if (n > 0 && !this.sink.broken) this.reportDrops(n);
        });
      }
      return;
    }
    this.sink.write(line);
  }
}

type Pending = { level: LogLevel; msg: string; time: number };

export function createMainLog(options: MainLogOptions): PinoMainLog {
  const { level: threshold, format } = options;
  const maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  const stdoutFd = options.stdoutFd ?? 1;
  const stderrFd = options.stderrFd ?? 2;
  const echoOn = (options.nodaemon ?? true) && !options.silent;

  const sinkFor = (fd: number): ByteSink => {
    if (fd === stdoutFd && options.stdoutSink) return options.stdoutSink;
    if (fd === stderrFd && options.stderrSink) return options.stderrSink;
    if (fd === 1 && options.stdoutSink) return options.stdoutSink;
    if (fd === 2 && options.stderrSink) return options.stderrSink;
    return sharedFdSink(fd);
  };

  const echoes = new Map<number, BoundedEcho>();
  let file: RotatingFile | null = null;
  let syslog: SyslogWriter | null = null;
  let filePath: string | null = null;

  // Filled below; BoundedEcho reports drops through the logger itself.
  let log: (level: LogLevel, msg: string) => void = () => {};

  const addEcho = (fd: number): void => {
    if (echoes.has(fd)) return;
    echoes.set(
      fd,
      new BoundedEcho(sinkFor(fd), maxBuffered, (n) => log('warn', `${n} log lines dropped while stdout was blocked`)),
    );
  };

  if (echoOn) addEcho(stdoutFd);
  const problemToStdio = (msg: string): void => {
    const line = formatTextLine(Date.now(), 'error', msg);
    const target = echoes.get(stdoutFd) ?? new BoundedEcho(sinkFor(stderrFd), maxBuffered, () => {});
    target.write(line);
  };

  // Said once at start, after the logger exists: where rotation settings are ignored.
  const notices: string[] = [];
  if (options.logfile === 'syslog') {
    syslog =
      options.syslog ??
      sharedSyslogWriter((reason) => problemToStdio(`syslog is not available (${reason}); main log lines are dropped`));
  } else if (options.logfile) {
    const fd = stdioFdOfPath(options.logfile);
    if (fd === 1 || fd === 2 || fd === stdoutFd || fd === stderrFd) {
      addEcho(fd);
    } else {
      filePath = options.logfile;
      file = new RotatingFile({
        path: options.logfile,
        maxbytes: options.maxbytes,
        backups: options.backups,
        onProblem: (msg) => problemToStdio(msg),
        onNotRotatable: () =>
          notices.push(`logfile ${options.logfile} is not a regular file: logfile_maxbytes does not apply (never rotated)`),
      });
      file.open();
    }
  }

  if (options.logfile && options.logfile !== 'syslog' && options.maxbytes > 0 && !file) {
    notices.push(`logfile ${options.logfile} is tsinit's own output: logfile_maxbytes does not apply (never rotated)`);
  }

  let pending: Pending | null = null;
  const destination = {
    write(s: string): void {
      const p = pending;
      pending = null;
      let line: string;
      if (format === 'text' && p) line = formatTextLine(p.time, p.level, p.msg);
      else line = s;
      for (const echo of echoes.values()) echo.write(line);
      file?.write(line);
      if (syslog && p) {
        const text = formatTextLine(p.time, p.level, p.msg).slice(0, -1);
        for (const l of text.replace(/\n+$/, '').split('\n')) syslog.log(l);
      }
    },
  };

  let logger: Logger<LogLevel, true> | null = null;
  let withoutPino = false;
  const waiting: Pending[] = [];
  let droppedWhileWaiting = 0;

  const emit = (p: Pending): void => {
    pending = p;
    try {
      if (logger) logger[p.level](p.msg);
      else destination.write(`${JSON.stringify({ level: p.level, time: p.time, msg: p.msg })}\n`);
    } catch {
      // never let logging break the caller
    } finally {
      pending = null;
    }
  };

  const start = (factory: PinoFactory): void => {
    logger = factory<LogLevel, true>(
      {
        level: threshold,
        customLevels: { ...LEVEL_VALUES } as Record<LogLevel, number>,
        useOnlyCustomLevels: true,
        base: null,
        messageKey: 'msg',
        // the time the line was logged at, also for lines that waited for pino
        timestamp: () => `,"time":${pending?.time ?? Date.now()}`,
        formatters: { level: (label: string) => ({ level: label }) },
      },
      destination,
    );
  };

  const writeWaiting = (): void => {
    for (const p of waiting.splice(0)) emit(p);
    if (droppedWhileWaiting > 0) {
      emit({ level: 'warn', msg: `${droppedWhileWaiting} log lines dropped while the logger was loading`, time: Date.now() });
      droppedWhileWaiting = 0;
    }
  };

  log = (level: LogLevel, msg: string): void => {
    if (!levelPasses(level, threshold)) return;
    const p: Pending = { level, msg, time: Date.now() };
    if (logger || withoutPino) {
      emit(p);
      return;
    }
    if (waiting.length >= MAX_WAITING_LINES) {
      waiting.shift();
      droppedWhileWaiting++;
    }
    waiting.push(p);
  };

  let ready: Promise<void>;
  if (typeof options.pino === 'function') {
    start(options.pino);
    ready = Promise.resolve();
  } else {
    ready = options.pino.then(
      (factory) => {
        try {
          start(factory);
        } catch {
          withoutPino = true;
        }
        writeWaiting();
      },
      () => {
        // pino could not be loaded: the lines still go out (JSON as pino would write them, or text)
        withoutPino = true;
        writeWaiting();
      },
    );
  }

  for (const n of notices.splice(0)) log('info', n);

  const mainLog: PinoMainLog = {
    ready,
    critical: (m) => log('critical', m),
    error: (m) => log('error', m),
    warn: (m) => log('warn', m),
    info: (m) => log('info', m),
    debug: (m) => log('debug', m),
    trace: (m) => log('trace', m),
    blather: (m) => log('blather', m),
    enabled: (level) => levelPasses(level, threshold),
    reopen: () => file?.reopen(),
    path: filePath,
    flush: () => {
      // Lines still waiting for pino are written now, without it (an exit or a reload must not lose them;
      // the text format is the same either way, JSON has pino's shape). Files are written synchronously;
      // stdout is best effort (never block PID 1).
      if (!logger) writeWaiting();
    },
    close: () => file?.close(),
  };
  return mainLog;
}

export { LOG_LEVELS };
