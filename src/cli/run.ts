// The run mode: config → PID-1 duties → main log → outputs → supervisor → RPC / health / listener pools →
// wait for the end → final sweep of leftover descendants → exit. Side subsystems are started inside
// try/catch: a failure there is logged and never stops supervision.
//
// Launch time (exec → first program running) is a target (BENCHMARKS.md §1), so the side subsystems are
// loaded with import() only when they are used, and after the first spawn where that keeps supervisord's
// behaviour: the control sockets are opened before any program starts (supervisord binds its servers first;
// one that cannot open means exit 2), but the HTTP/XML-RPC layer that answers on them is loaded right after
// the first spawn, as are the health server and the listener pools (unless eventlisteners need them first).
import { unlinkSync, writeFileSync } from 'node:fs';
import { bootInfo } from '../boot/info.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/model.js';
import { EventBus } from '../events/bus.js';
import type { ListenerPools } from '../events/pools.js';
import type { HealthServer } from '../health/server.js';
import { sharedFdSink } from '../log/fd-sink.js';
import { createMainLog, loadPino, resolveLogFormat, type PinoFactory, type PinoMainLog } from '../log/main-log.js';
import type { MainLog } from '../log/types.js';
import { nativeSocketCalls, type SocketCalls } from '../os/native.js';
import { installPid1, type Pid1Handle } from '../os/pid1.js';
import { installEpipeGuards } from '../os/signals.js';
import { applySupervisordUser } from '../os/privileges.js';
import { applyMinimumLimits, RlimitError } from '../os/rlimits.js';
import { NodeOsEdge } from '../os/spawn.js';
import { createOutputManager } from '../output/manager.js';
import type { RpcServer } from '../rpc/index.js';
import { bindListeners, type BoundListener } from '../rpc/listeners.js';
import { Supervisor } from '../supervision/supervisor.js';
import { usageErrorText } from './args.js';
import { configErrorExit, defaultCliIo, readCommandLine, type CliIo } from './command-line.js';
import { SwitchableMainLog, SwitchableOutputs } from './reloadable.js';
import { terminationLogPath, writeTerminationLog } from './termination.js';

/** Exit status after an uncaught exception or rejection (EX_SOFTWARE). */
export const INTERNAL_ERROR_EXIT = 70;

export type RunIo = CliIo;

const errorText = (err: unknown): string => (err instanceof Error ? (err.stack ?? err.message) : String(err));

/** Parse the command line and read the config; returns the config, or the exit status after printing why. */
function readConfigOrExit(argv: readonly string[], io: RunIo): { config: Config; read: () => Config } | number {
  const request = readCommandLine(argv, io);
  if (typeof request === 'number') return request;
  const { configPath, overrides } = request;
  const read = (): Config => loadConfig(configPath, { env: io.env, cwd: io.cwd, overrides });
  try {
    // the first read reuses the user db parsed for the command line; a reload reads /etc/passwd afresh
    return { config: loadConfig(configPath, { env: io.env, cwd: io.cwd, overrides, userDb: request.userDb }), read };
  } catch (err) {
    return configErrorExit(err, io);
  }
}

function openMainLog(config: Config, env: RunIo['env'], pino: Promise<PinoFactory>): PinoMainLog {
  const s = config.supervisord;
  return createMainLog({
    pino,
    logfile: s.logfile,
    maxbytes: s.logfileMaxbytes,
    backups: s.logfileBackups,
    level: s.loglevel,
    format: resolveLogFormat(config.tsinit.logFormat, env),
    // tsinit never daemonizes: it always runs in the foreground, so the log is echoed unless silent.
    nodaemon: true,
    silent: s.silent,
  });
}

/** Messages of the startup steps (uid, rlimits), logged once the main log is open. */
interface StartupNotes {
  readonly criticals: string[];
  readonly infos: string[];
}

/** supervisord's buffered startup messages: CRITs first, then WARNs, then INFOs (spec §4.1 step 5). */
function emitStartupMessages(log: MainLog, config: Config, notes: StartupNotes): void {
  for (const m of notes.criticals) log.critical(m);
  for (const m of config.messages) if (m.level === 'warn') log.warn(m.text);
  for (const m of config.messages) if (m.level === 'info') log.info(m.text);
  for (const m of notes.infos) log.info(m);
}

/** Spec §4.1 step 4 (first start only): minfds / minprocs. Returns the error text (→ exit 2) or null. */
function rlimitStep(config: Config, notes: StartupNotes): string | null {
  try {
    notes.infos.push(...applyMinimumLimits(config.supervisord.minfds, config.supervisord.minprocs));
    return null;
  } catch (err) {
    if (err instanceof RlimitError) return err.message;
    // Without the native addon the limits cannot be read or raised: say so, but keep supervising.
    notes.criticals.push(`could not apply minfds/minprocs: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** Spec §4.1 step 3: `[supervisord] user=`. Returns the notes, or the error text (→ exit 2). */
function uidStep(config: Config, notes: StartupNotes): string | null {
  const step = applySupervisordUser(config.supervisord.user);
  if (!step.ok) return step.error;
  if (step.critical) notes.criticals.push(step.critical);
  if (step.info) notes.infos.push(step.info);
  return null;
}

function writePidfile(log: MainLog, path: string): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`);
    return true;
  } catch {
    log.critical(`could not write pidfile ${path}`);
    return false;
  }
}

function removePidfile(path: string | null): void {
  if (!path) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Run tsinit as the supervisor. Resolves with the exit status (the caller exits with it). */
export async function runMode(argv: readonly string[], io: RunIo = defaultCliIo()): Promise<number> {
  const read = readConfigOrExit(argv, io);
  if (typeof read === 'number') return read;
  let { config } = read;

  // PID-1 duties first: signals that arrive before the supervisor exists are queued.
  let supervisor: Supervisor | null = null;
  let log: MainLog | null = null;
  let fatalCode = 0;
  const queuedSignals: number[] = [];
  const logLine = (level: 'debug' | 'info' | 'warn' | 'error' | 'critical', msg: string): void => {
    try {
      if (log) log[level](msg);
      else if (level !== 'debug') io.stderr(`${msg}\n`);
    } catch {
      /* never let logging take PID 1 down */
    }
  };
  let pid1: Pid1Handle | null = null;
  try {
    pid1 = installPid1({
      onSignal: (_name, num) => {
        if (supervisor) supervisor.onSignal(num);
        else queuedSignals.push(num);
      },
      onOrphan: (o) => logLine('info', `reaped unknown pid ${o.pid} (${o.message})`),
      fatal: (err, origin) => {
        logLine('critical', `${origin}: ${errorText(err)}; shutting down`);
        if (fatalCode === 0) fatalCode = INTERNAL_ERROR_EXIT;
        supervisor?.shutdown(origin, INTERNAL_ERROR_EXIT);
      },
      log: (level, msg) => logLine(level, msg),
    });
  } catch (err) {
    // Without the native addon tsinit still supervises, but cannot reap orphans: say so loudly.
    logLine('critical', `could not install PID-1 duties (orphans will not be reaped): ${errorText(err)}`);
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) {
      process.on(sig, () => {
        const num = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 }[sig];
        if (supervisor) supervisor.onSignal(num);
        else queuedSignals.push(num);
      });
    }
    installEpipeGuards();
  }

  // supervisord's order: uid, then rlimits (first start only), then the main log (opened as the new user).
  const notes: StartupNotes = { criticals: [], infos: [] };
  const uidError = uidStep(config, notes);
  if (uidError !== null) {
    io.stderr(usageErrorText(uidError, io.argv0));
    return 2;
  }

  const rlimitError = rlimitStep(config, notes);
  if (rlimitError !== null) {
    io.stderr(usageErrorText(rlimitError, io.argv0));
    return 2;
  }

  // pino is loaded right after the first spawn (launch time); until then the main log keeps its lines.
  let loadLogger!: () => void;
  const pino = new Promise<PinoFactory>((resolve) => {
    loadLogger = () => resolve(loadPino());
  });
  const firstLog = openMainLog(config, io.env, pino);
  // Stable handles: a reload swaps the main log and the output manager behind them (spec §4.5).
  const mainLog = new SwitchableMainLog(firstLog);
  log = mainLog;
  emitStartupMessages(mainLog, config, notes);
  if (!pid1) mainLog.critical('tsinit runs without its native reaper: orphaned processes will stay zombies');

  const bus = new EventBus((err) => logLine('error', `event subscriber failed: ${errorText(err)}`));
  const outputs = new SwitchableOutputs(createOutputManager({ supervisord: config.supervisord, mainLog, events: bus }));
  const cleanupAutoLogs = (): void => {
    try {
      outputs.cleanupAutoLogs();
    } catch (err) {
      mainLog.warn(`Could not clear childlog dir: ${errorText(err)}`);
    }
  };
  cleanupAutoLogs();

  let pools: ListenerPools | null = null;
  let rpc: RpcServer | null = null;
  let health: HealthServer | null = null;
  let pidfile: string | null = null;

  /** With `listeners`: serve on sockets opened already (first start); else open the config's servers (reload). */
  const startRpc = async (sup: Supervisor, listeners?: readonly BoundListener[]): Promise<void> => {
    if (listeners ? listeners.length === 0 : sup.config.httpServers.length === 0) return;
    try {
      const { createRpcServer } = await import('../rpc/index.js');
      rpc = createRpcServer(sup, mainLog, listeners ? { listeners } : {});
      await rpc.start();
    } catch (err) {
      mainLog.critical(`could not start the RPC interface: ${err instanceof Error ? err.message : String(err)}`);
      rpc = null;
      await Promise.all((listeners ?? []).map((l) => l.close()));
    }
  };
  const stopRpc = async (): Promise<void> => {
    const r = rpc;
    rpc = null;
    try {
      await r?.close();
    } catch (err) {
      mainLog.error(`closing the RPC interface failed: ${errorText(err)}`);
    }
  };

  const startHealth = async (sup: Supervisor): Promise<void> => {
    const listen = sup.config.tsinit.healthListen;
    if (!listen) return;
    try {
      const { createHealthServer } = await import('../health/server.js');
      const h = createHealthServer(sup, listen, mainLog);
      health = h;
      void h.start().catch((err: unknown) => mainLog.error(`health server failed: ${errorText(err)}`));
    } catch (err) {
      mainLog.error(`health server failed to start: ${errorText(err)}`);
      health = null;
    }
  };
  const stopHealth = async (): Promise<void> => {
    const h = health;
    health = null;
    try {
      await h?.close();
    } catch (err) {
      mainLog.error(`closing the health server failed: ${errorText(err)}`);
    }
  };
  // Starts and stops of the RPC and health servers run one after another: a reload (or the exit) while the
  // first start is still loading its module waits for it, so a socket is never opened twice.
  let rpcSteps: Promise<void> = Promise.resolve();
  let healthSteps: Promise<void> = Promise.resolve();
  let poolsFactory: typeof import('../events/pools.js').createListenerPools | null = null;
  const makePools = (sup: Supervisor, identifier: string): ListenerPools | null => {
    try {
      return poolsFactory ? poolsFactory({ control: sup, bus, mainLog, identifier }) : null;
    } catch (err) {
      mainLog.error(`event listener pools failed to start: ${errorText(err)}`);
      return null;
    }
  };
  const startPools = async (sup: Supervisor, identifier: string): Promise<ListenerPools | null> => {
    try {
      poolsFactory ??= (await import('../events/pools.js')).createListenerPools;
    } catch (err) {
      mainLog.error(`event listener pools failed to start: ${errorText(err)}`);
      return null;
    }
    return makePools(sup, identifier);
  };

  const closePools = (p: ListenerPools | null): void => {
    try {
      p?.close();
    } catch (err) {
      mainLog.error(`closing event listener pools failed: ${errorText(err)}`);
    }
  };

  /**
   * A reload re-initialises what supervisord's main() sets up (spec §4.1, §4.5), in its order: uid, a new main
   * log (with the startup messages), AUTO log cleanup and a new output manager, then (after the groups) the
   * HTTP servers, the pidfile and `supervisord started`. Rlimits are not re-applied (first start only).
   */
  const reinitialise = (sup: Supervisor, next: Config): void => {
    const reloadNotes: StartupNotes = { criticals: [], infos: [] };
    const uidError = uidStep(next, reloadNotes); // already done by prepareReload: now only its messages
    if (uidError !== null) reloadNotes.criticals.push(uidError);
    const previousIdentifier = config.supervisord.identifier;
    config = next;
    try {
      mainLog.replace(openMainLog(next, io.env, pino));
    } catch (err) {
      logLine('error', `could not open the new main log, keeping the old one: ${errorText(err)}`);
    }
    emitStartupMessages(mainLog, next, reloadNotes);
    try {
      outputs.replace(createOutputManager({ supervisord: next.supervisord, mainLog, events: bus }));
    } catch (err) {
      mainLog.error(`could not set up program output with the new settings: ${errorText(err)}`);
    }
    cleanupAutoLogs();
    if (next.supervisord.identifier !== previousIdentifier) {
      // the pools stamp `server:<identifier>` on every envelope: new pools for the new identifier
      closePools(pools);
      pools = null;
      if (poolsFactory) pools = makePools(sup, next.supervisord.identifier);
      // else: the first pools are still loading; they are created with config's identifier when they are in

    }
    rpcSteps = rpcSteps.then(stopRpc).then(() => startRpc(sup));
    healthSteps = healthSteps.then(stopHealth).then(() => startHealth(sup));
    const previous = pidfile;
    pidfile = writePidfile(mainLog, next.supervisord.pidfile) ? next.supervisord.pidfile : null;
    if (previous !== null && previous !== pidfile) removePidfile(previous);
    mainLog.info(`supervisord started with pid ${process.pid}`);
  };

  const sup = new Supervisor({
    config,
    os: new NodeOsEdge({ native: pid1?.nativeSpawner ?? null }),
    outputs,
    log: mainLog,
    bus,
    listenerTap: (proc) => pools?.tapFor(proc),
    readConfig: read.read,
    // supervisord exits 2 when the new config asks for a user it cannot switch to; tsinit keeps the running
    // config instead, as for any broken config.
    prepareReload: (next) => {
      const error = uidStep(next, { criticals: [], infos: [] });
      if (error !== null) throw new Error(error);
    },
    onReload: (next) => reinitialise(sup, next),
    onCritical: (exit) => {
      writeTerminationLog(exit.summary, terminationLogPath(io.env));
    },
    counters: () => ({ orphansReaped: pid1?.orphansReaped ?? 0, eventsDropped: pools?.droppedEvents() ?? 0 }),
  });

  // The pools tap the listeners' stdout: with [eventlistener:x] groups they must exist before those start.
  // Without any, nothing can reach them before the first spawn, so they are loaded right after it.
  const needPoolsFirst = config.groups.some((g) => g.kind === 'eventlistener');
  if (needPoolsFirst) pools = await startPools(sup, config.supervisord.identifier);

  // As supervisord: the HTTP servers open before any program starts, and a server that cannot open (address
  // in use, another supervisor on the socket, bad socket directory) is a startup error: exit 2, nothing runs.
  let listeners: BoundListener[] = [];
  if (config.httpServers.length > 0) {
    try {
      listeners = await bindListeners(config.httpServers, {
        stderr: io.stderr,
        log: mainLog,
        rpcinterfaces: config.rpcinterfaces,
        sockets: nativeSocketsOrNull(),
      });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      mainLog.critical(`could not start the RPC interface: ${msg}`);
      io.stderr(usageErrorText(msg, io.argv0));
      pools?.close();
      loadLogger();
      await firstLog.ready;
      mainLog.flush();
      return 2;
    }
  }

  if (writePidfile(mainLog, config.supervisord.pidfile)) pidfile = config.supervisord.pidfile;
  mainLog.info(`supervisord started with pid ${process.pid}`);

  supervisor = sup;
  if (fatalCode !== 0) sup.shutdown('uncaught error during startup', fatalCode);
  sup.start();
  codeCacheStep(sup, mainLog);
  loadLogger();
  for (const num of queuedSignals.splice(0)) sup.onSignal(num);
  // After the first spawn (sup.start() spawned synchronously what autostarts): the side subsystems.
  let latePools: Promise<void> = Promise.resolve();
  if (!needPoolsFirst) {
    const identifier = config.supervisord.identifier;
    latePools = startPools(sup, identifier).then((p) => {
      if (config.supervisord.identifier === identifier) pools = p;
      else {
        // a reload changed the identifier while the module was loading
        closePools(p);
        pools = makePools(sup, config.supervisord.identifier);
      }
    });
  }
  rpcSteps = startRpc(sup, listeners);
  healthSteps = startHealth(sup);

  const outcome = await sup.done;

  // Everything is stopped: close the side subsystems, then make sure nothing of the container outlives us.
  await latePools;
  closePools(pools);
  await (rpcSteps = rpcSteps.then(stopRpc));
  await (healthSteps = healthSteps.then(stopHealth));
  if (pid1) {
    try {
      const swept = await pid1.killAllDescendants(config.tsinit.killGraceSecs * 1000);
      if (swept.terminated > 0) {
        mainLog.info(`terminated ${swept.terminated} leftover process(es)${swept.killed > 0 ? `, ${swept.killed} with SIGKILL` : ''}`);
      }
      pid1.reapNow();
    } catch (err) {
      mainLog.error(`final sweep failed: ${errorText(err)}`);
    }
  }
  sup.closeOutputs();
  removePidfile(pidfile);
  const code = outcome.exitCode !== 0 ? outcome.exitCode : fatalCode;
  await firstLog.ready;
  try {
    mainLog.flush();
  } catch {
    /* nothing more to do */
  }
  await drainStdio(STDIO_DRAIN_MS);
  return code;
}

/** How long tsinit waits at exit for its stdout/stderr readers to take the last log lines. */
const STDIO_DRAIN_MS = 3000;

/** Wait until the queued bytes on fds 1 and 2 reached the kernel, at most `ms` (a stalled reader must not keep PID 1 alive). */
async function drainStdio(ms: number): Promise<void> {
  const waits = [1, 2].map(
    (fd) =>
      new Promise<void>((resolve) => {
        try {
          sharedFdSink(fd).onDrain(resolve);
        } catch {
          resolve();
        }
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(waits), cap]);
  clearTimeout(timer);
}

/**
 * The loader's V8 code cache (src/boot/entry.ts), right after the first spawn: report whether it was used; in a
 * warm-up run (TSINIT_CODE_CACHE_WRITE) write it now, when it holds every function a start compiles, and stop.
 */
function codeCacheStep(sup: Supervisor, log: MainLog): void {
  const boot = bootInfo();
  const cache = boot?.codeCache;
  if (cache?.state === 'rejected') {
    log.info(`code cache ${cache.path} not used: made by another Node version or with other V8 flags (rebuild it)`);
  } else if (cache) log.debug(`code cache ${cache.path}: ${cache.state}`);
  if (!boot?.writeCodeCache) return;
  try {
    const written = boot.writeCodeCache();
    log.info(`code cache written to ${written.path} (${written.bytes} bytes); warm-up run done`);
    sup.shutdown('');
  } catch (err) {
    log.error(`could not write the code cache: ${errorText(err)}`);
    sup.shutdown('', 1);
  }
}

/** The addon's socket calls for binding the control sockets natively, or null (no addon, or an old one): net binds them. */
function nativeSocketsOrNull(): SocketCalls | null {
  try {
    return nativeSocketCalls();
  } catch {
    return null;
  }
}
