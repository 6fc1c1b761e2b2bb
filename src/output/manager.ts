// The output layer's entry point: decides, for each program and channel, how the child's fd is wired at
// spawn (fast path / pipe / ignore) and runs the piped channels (files with rotation, relay to tsinit's
// stdout/stderr with optional `name | ` prefix, syslog, capture and PROCESS_LOG events, debug echo).
import fs from 'node:fs';
import type { OutputChannelConfig, ProcessConfig, SupervisordSection } from '../config/model.js';
import type { EventBus } from '../events/bus.js';
import type { ChildHandle, ChildOutput } from '../os/edge.js';
import { sharedFdSink, type ByteSink } from '../log/fd-sink.js';
import { RotatingFile } from '../log/rotating-file.js';
import { sharedSyslogWriter, type SyslogWriter } from '../log/syslog.js';
import type { MainLog } from '../log/types.js';
import { cleanupAutoLogs, createAutoLog } from './auto-logs.js';
import { consumeChannel } from './channel.js';
import { decideRoute, type ChannelRoute } from './route.js';
import type { OutputManager, OutputOptions, ProcessOutput } from './types.js';

export interface OutputManagerOptions {
  readonly supervisord: Pick<SupervisordSection, 'childlogdir' | 'identifier' | 'stripAnsi' | 'nocleanup'>;
  readonly mainLog: MainLog;
  readonly events: EventBus;
  /** tsinit's stdout/stderr fds (default 1 and 2). */
  readonly stdoutFd?: number;
  readonly stderrFd?: number;
  /** Test hooks: sinks to use instead of the process-wide shared fd sinks. */
  readonly sinkForFd?: (fd: number) => ByteSink;
  readonly syslog?: SyslogWriter;
}

type ChannelName = 'stdout' | 'stderr';

function fdIsOpen(fd: number): boolean {
  try {
    fs.fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

function describe(route: ChannelRoute): string {
  return route.kind;
}

export function createOutputManager(options: OutputManagerOptions): OutputManager {
  const { supervisord, mainLog, events } = options;
  const live = new Set<ProcessOutputImpl>();
  const stdoutFd = options.stdoutFd ?? 1;
  const stderrFd = options.stderrFd ?? 2;
  const sinkForFd = (fd: number): ByteSink => {
    if (options.sinkForFd) return options.sinkForFd(fd);
    // /dev/stdout in a program's config means tsinit's stdout, whichever fd that is
    return sharedFdSink(fd === 1 ? stdoutFd : fd === 2 ? stderrFd : fd);
  };
  let syslog: SyslogWriter | null = options.syslog ?? null;
  const getSyslog = (): SyslogWriter => {
    if (!syslog) {
      syslog = sharedSyslogWriter((reason) =>
        mainLog.warn(`syslog is not available (${reason}); program output for syslog is dropped`),
      );
    }
    return syslog;
  };

  class ProcessOutputImpl implements ProcessOutput {
    readonly stdout: ChildOutput;
    readonly stderr: ChildOutput | { readonly kind: 'stdout' };
    readonly stdoutLogfile: string | null;
    readonly stderrLogfile: string | null;
    private readonly routes: Record<ChannelName, ChannelRoute | null>;
    private readonly files: Record<ChannelName, RotatingFile | null> = { stdout: null, stderr: null };

    constructor(
      private readonly proc: ProcessConfig,
      private readonly opts: OutputOptions,
    ) {
      const stdoutRoute = this.route('stdout', proc.stdout);
      this.routes = { stdout: stdoutRoute, stderr: proc.redirectStderr ? null : this.route('stderr', proc.stderr) };
      this.stdout = this.wiring(stdoutRoute);
      this.stderr = this.routes.stderr ? this.wiring(this.routes.stderr) : { kind: 'stdout' };
      this.files.stdout = this.fileFor('stdout', stdoutRoute, proc.stdout);
      this.files.stderr = this.routes.stderr ? this.fileFor('stderr', this.routes.stderr, proc.stderr) : null;
      this.stdoutLogfile = this.files.stdout?.path ?? null;
      this.stderrLogfile = this.files.stderr?.path ?? null;
      if (mainLog.enabled('trace')) {
        mainLog.trace(
          `output of '${proc.name}': stdout ${describe(stdoutRoute)}, stderr ${this.routes.stderr ? describe(this.routes.stderr) : 'redirected'}`,
        );
      }
    }

    private route(channel: ChannelName, cfg: OutputChannelConfig): ChannelRoute {
      let autoPath: string | null = null;
      if (cfg.logfile.kind === 'auto') {
        try {
          autoPath = createAutoLog(supervisord.childlogdir, this.proc.name, channel, supervisord.identifier);
        } catch (e) {
          mainLog.error(`could not create AUTO ${channel} log for '${this.proc.name}' in ${supervisord.childlogdir}: ${(e as Error).message}`);
        }
      }
      const route = decideRoute({
        channel: cfg,
        autoPath,
        prefix: this.proc.prefix,
        stripAnsi: supervisord.stripAnsi,
        tap: channel === 'stdout' && !!this.opts.stdoutTap,
        mainLogDebug: mainLog.enabled('debug'),
        fdIsOpen,
      });
      if ((route.kind === 'fd' || (route.kind === 'pipe' && route.relayFd !== null)) && cfg.maxbytes > 0 && cfg.logfile.kind === 'file') {
        mainLog.info(
          `'${this.proc.name}' ${channel}_logfile ${cfg.logfile.path} is tsinit's own output: ${channel}_logfile_maxbytes does not apply (never rotated)`,
        );
      }
      return route;
    }

    private wiring(route: ChannelRoute): ChildOutput {
      if (route.kind === 'fd') return { kind: 'fd', fd: route.fd === 1 ? stdoutFd : route.fd === 2 ? stderrFd : route.fd };
      if (route.kind === 'ignore') return { kind: 'ignore' };
      return { kind: 'pipe' };
    }

    private fileFor(channel: ChannelName, route: ChannelRoute, cfg: OutputChannelConfig): RotatingFile | null {
      if (route.kind !== 'pipe' || route.file === null) return null;
      const name = this.proc.name;
      return new RotatingFile({
        path: route.file,
        maxbytes: cfg.maxbytes,
        backups: cfg.backups,
        onProblem: (msg) => mainLog.error(`'${name}' ${channel}: ${msg}`),
        onNotRotatable: () =>
          mainLog.info(`'${name}' ${channel}_logfile ${route.file} is not a regular file: ${channel}_logfile_maxbytes does not apply (never rotated)`),
      });
    }

    attach(child: ChildHandle): Promise<void> {
      const work: Promise<void>[] = [];
      try {
        for (const channel of ['stdout', 'stderr'] as const) {
          const route = this.routes[channel];
          const readable = channel === 'stdout' ? child.stdout : child.stderr;
          if (!route || route.kind !== 'pipe' || !readable) continue;
          const cfg = channel === 'stdout' ? this.proc.stdout : this.proc.stderr;
          const file = this.files[channel];
          file?.open(); // append mode at each spawn
          work.push(
            consumeChannel(
              {
                proc: this.proc,
                channel,
                file,
                relay: route.relayFd !== null ? sinkForFd(route.relayFd) : null,
                prefix: route.prefix,
                syslog: cfg.syslog ? getSyslog() : null,
                stripAnsi: supervisord.stripAnsi,
                captureMaxbytes: cfg.captureMaxbytes,
                eventsEnabled: cfg.eventsEnabled,
                tap: channel === 'stdout' ? (this.opts.stdoutTap ?? null) : null,
                mainLog,
                events,
                listenerProtocol: channel === 'stdout' && this.proc.kind === 'eventlistener',
              },
              readable,
              child.pid,
            ),
          );
        }
      } catch (e) {
        mainLog.error(`output of '${this.proc.name}' could not be attached: ${(e as Error).message}`);
      }
      return Promise.all(work).then(
        () => undefined,
        () => undefined,
      );
    }

    clear(): void {
      this.files.stdout?.clear();
      this.files.stderr?.clear();
    }

    reopen(): void {
      this.files.stdout?.reopen();
      this.files.stderr?.reopen();
    }

    close(): void {
      this.files.stdout?.close();
      this.files.stderr?.close();
      live.delete(this);
    }
  }

  return {
    forProcess(proc: ProcessConfig, opts: OutputOptions = {}): ProcessOutput {
      const out = new ProcessOutputImpl(proc, opts);
      live.add(out);
      return out;
    },
    reopenAll(): void {
      for (const out of live) {
        try {
          out.reopen();
        } catch (e) {
          mainLog.error(`reopening logs failed: ${(e as Error).message}`);
        }
      }
    },
    cleanupAutoLogs(): void {
      if (supervisord.nocleanup) return;
      cleanupAutoLogs(supervisord.childlogdir, supervisord.identifier, (m) => mainLog.warn(m));
    },
  };
}
