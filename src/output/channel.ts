// One piped output channel (stdout or stderr) of one program: the per-chunk pipeline of spec §5.1
// (capture → strip_ansi → file/syslog/relay → main-log debug echo → PROCESS_LOG events), with backpressure:
// when the relay sink is over its high-water mark the child's pipe is paused until the sink drains, so a
// slow consumer slows the program instead of growing tsinit's memory. Files are written synchronously.
import type { Readable } from 'node:stream';
import type { ProcessConfig } from '../config/model.js';
import type { EventBus } from '../events/bus.js';
import type { ByteSink } from '../log/fd-sink.js';
import type { RotatingFile } from '../log/rotating-file.js';
import type { SyslogWriter } from '../log/syslog.js';
import type { MainLog } from '../log/types.js';
import { CaptureFilter } from './capture.js';
import { PrefixLineWriter } from './line-writer.js';
import { pyBytesRepr } from '../common/python-repr.js';
import { stripAnsi } from './strip-ansi.js';

export interface ChannelDeps {
  readonly proc: ProcessConfig;
  readonly channel: 'stdout' | 'stderr';
  readonly file: RotatingFile | null;
  /** Shared sink of tsinit's fd the bytes are relayed to, or null. */
  readonly relay: ByteSink | null;
  readonly prefix: boolean;
  readonly syslog: SyslogWriter | null;
  readonly stripAnsi: boolean;
  readonly captureMaxbytes: number;
  readonly eventsEnabled: boolean;
  readonly tap: ((chunk: Buffer) => void) | null;
  readonly mainLog: MainLog;
  readonly events: EventBus;
  /** Listener stdout: echoed as a bytes repr, no capture/events (supervisord's listener dispatcher). */
  readonly listenerProtocol: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeForEcho(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    return `Undecodable: ${pyBytesRepr(data)}`;
  }
}

/** Consume `readable` until EOF; resolves after everything was handed on. Never rejects. */
export function consumeChannel(deps: ChannelDeps, readable: Readable, pid: number): Promise<void> {
  const { proc, channel, mainLog, events } = deps;
  const ref = { name: proc.name, group: proc.group };
  const lineWriter = deps.relay && deps.prefix ? new PrefixLineWriter(deps.relay, proc.name) : null;
  let ok = true;

  const report = (what: string, err: unknown): void => {
    try {
      mainLog.error(`output of '${proc.name}' ${channel}: ${what}: ${(err as Error)?.message ?? String(err)}`);
    } catch {
      // ignore
    }
  };

  const log = (raw: Buffer, capturing: boolean): void => {
    if (raw.length === 0) return;
    const data = deps.stripAnsi ? stripAnsi(raw) : raw;
    if (!capturing) {
      deps.file?.write(data);
      if (deps.syslog && data.length) {
        const text = data.toString('utf8').replace(/\n+$/, '');
        for (const line of text.split('\n')) deps.syslog.log(`${proc.name} ${line}`);
      }
      if (deps.relay) {
        const accepted = lineWriter ? lineWriter.push(data) : deps.relay.write(data);
        ok = ok && accepted;
      }
    }
    if (mainLog.enabled('debug')) {
      const text = deps.listenerProtocol ? pyBytesRepr(raw) : decodeForEcho(data);
      mainLog.debug(`'${proc.name}' ${channel} output:\n${text}`);
    }
    if (deps.eventsEnabled && !deps.listenerProtocol) {
      events.publish({ kind: 'process-log', process: ref, channel, pid, data });
    }
  };

  const capture =
    deps.captureMaxbytes > 0 && !deps.listenerProtocol
      ? new CaptureFilter(deps.captureMaxbytes, {
          data: log,
          communication: (captured) => {
            events.publish({ kind: 'process-communication', process: ref, channel, pid, data: captured });
            mainLog.debug(`'${proc.name}' ${channel} emitted a comm event`);
          },
        })
      : null;

  return new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      try {
        capture?.end();
        lineWriter?.end();
      } catch (e) {
        report('flushing failed', e);
      }
      resolve();
    };

    readable.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      ok = true;
      try {
        if (deps.tap) {
          try {
            deps.tap(buf);
          } catch (e) {
            report('stdout tap failed', e);
          }
        }
        if (capture) capture.push(buf);
        else log(buf, false);
      } catch (e) {
        report('writing failed', e);
      }
      if (!ok && deps.relay) {
        readable.pause();
        deps.relay.onDrain(() => readable.resume());
      }
    });
    readable.once('end', finish);
    readable.once('close', finish);
    readable.once('error', () => finish());
  });
}
