// All listener pools of a running tsinit, wired to the event bus. A pool exists for each eventlistener
// group from the moment the group is added (its own PROCESS_GROUP_ADDED reaches it, as do those of every
// group added later) until it is removed (it does not see its own PROCESS_GROUP_REMOVED). Every engine
// event is offered to the pools in creation order; the first pool that accepts it gives it the next global
// serial. This module also owns the TICK_* timers, armed only while some pool subscribes to a TICK type.
import type { GroupConfig, ProcessConfig } from '../config/model.js';
import type { MainLog } from '../log/types.js';
import type { SupervisorControl } from '../supervision/control.js';
import { ProcessState } from '../supervision/states.js';
import type { EventBus } from './bus.js';
import { eventNameOf, tickPeriods } from './event-types.js';
import { ListenerPool, queuedEvent, type QueuedEvent } from './listener-pool.js';
import { payloadOf } from './payload.js';
import { TickTimer, type TimerApi } from './tick-timer.js';
import type { EngineEvent } from './types.js';

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

export interface ListenerPoolsOptions {
  readonly control: SupervisorControl;
  readonly bus: EventBus;
  readonly mainLog: MainLog;
  /** [supervisord] identifier (`server:` in envelopes). */
  readonly identifier: string;
  /** Clock and timers for TICK events (tests inject fakes). */
  readonly timers?: TimerApi;
  /** How dispatch is deferred (tests may run it synchronously). */
  readonly schedule?: (fn: () => void) => void;
}

export interface ListenerPools {
  /** The stdout tap for a process: defined for eventlistener processes only. */
  tapFor(proc: ProcessConfig): ((chunk: Buffer) => void) | undefined;
  /** Events discarded because a pool's buffer was full (for metrics). */
  droppedEvents(): number;
  /** The pool of a group, if any (diagnostics and tests). */
  pool(group: string): ListenerPool | undefined;
  /** Whether a TICK timer is armed right now. */
  readonly ticking: boolean;
  /** Unsubscribe from the bus, stop timers, drop every pool. */
  close(): void;
}

const MAX_SERIAL = Number.MAX_SAFE_INTEGER;

export function createListenerPools(opts: ListenerPoolsOptions): ListenerPools {
  const { control, bus, mainLog, identifier } = opts;
  const pools = new Map<string, ListenerPool>();
  const configs = new Map<string, GroupConfig>();
  let globalSerial = -1;
  let dropped = 0;
  let closed = false;

  const ticks = new TickTimer((period, when) => bus.publish({ kind: 'tick', period, when }), opts.timers);

  const nextSerial = (): number => {
    globalSerial = globalSerial >= MAX_SERIAL ? 0 : globalSerial + 1;
    return globalSerial;
  };

  const report = (what: string, err: unknown): void => {
    try {
      mainLog.error(`event listener ${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } catch {
      // nothing left to report to
    }
  };

  const groupConfig = (name: string): GroupConfig | undefined => {
    try {
      return control.group(name)?.config ?? control.config.groups.find((g) => g.name === name);
    } catch {
      return undefined;
    }
  };

  const initialState = (group: string, name: string): ProcessState => {
    try {
      return control.process(group, name)?.state ?? ProcessState.STOPPED;
    } catch {
      return ProcessState.STOPPED;
    }
  };

  const updateTicks = (): void => {
    if (closed) return ticks.stop();
    const wanted = tickPeriods.filter((p) => [...pools.values()].some((pool) => pool.wants(`TICK_${p}`)));
    ticks.setPeriods(wanted);
  };

  const removePool = (name: string): void => {
    const pool = pools.get(name);
    if (!pool) return;
    pool.close();
    pools.delete(name);
    configs.delete(name);
  };

  const addPool = (cfg: GroupConfig): void => {
    if (cfg.kind !== 'eventlistener' || !cfg.listener) return;
    if (configs.get(cfg.name) === cfg) return; // already have exactly this pool
    removePool(cfg.name);
    const listener = cfg.listener;
    if (listener.resultHandler !== DEFAULT_RESULT_HANDLER) {
      mainLog.warn(
        `pool ${cfg.name}: result_handler ${listener.resultHandler} is not supported, using ${DEFAULT_RESULT_HANDLER}`,
      );
    }
    const pool = new ListenerPool({
      name: cfg.name,
      processNames: cfg.processes.map((p) => p.name),
      events: listener.events,
      bufferSize: listener.bufferSize,
      identifier,
      log: mainLog,
      nextSerial,
      write: (processName, data) =>
        control.writeListenerStdin
          ? control.writeListenerStdin(cfg.name, processName, data)
          : control.writeStdin(cfg.name, processName, data),
      initialState: (processName) => initialState(cfg.name, processName),
      onDrop: () => {
        dropped++;
      },
      ...(opts.schedule ? { schedule: opts.schedule } : {}),
    });
    pools.set(cfg.name, pool);
    configs.set(cfg.name, cfg);
  };

  const distribute = (event: EngineEvent): void => {
    const name = eventNameOf(event);
    let record: QueuedEvent | undefined;
    for (const pool of [...pools.values()]) {
      if (!pool.wants(name)) continue;
      record ??= queuedEvent(name, payloadOf(event));
      pool.accept(record);
    }
  };

  const onEvent = (event: EngineEvent): void => {
    if (closed) return;
    try {
      if (event.kind === 'group') {
        if (event.action === 'added') {
          const cfg = groupConfig(event.group);
          if (cfg?.kind === 'eventlistener') addPool(cfg);
          else removePool(event.group);
        } else {
          removePool(event.group);
        }
        updateTicks();
      }
      distribute(event);
      if (event.kind === 'process-state') {
        pools.get(event.process.group)?.onProcessState(event.process.name, event.to);
      }
    } catch (err) {
      report('event handling', err);
    }
  };

  // Groups that already exist (pools created after the engine added its groups) get their pools now.
  try {
    for (const g of control.groups()) addPool(g.config);
  } catch {
    // the engine may still be constructing; pools then come with PROCESS_GROUP_ADDED
  }
  updateTicks();
  const unsubscribe = bus.subscribe(onEvent);

  return {
    tapFor(proc) {
      if (proc.kind !== 'eventlistener') return undefined;
      return (chunk: Buffer) => {
        if (closed) return;
        try {
          pools.get(proc.group)?.onStdout(proc.name, chunk);
        } catch (err) {
          report('stdout handling', err);
        }
      };
    },
    droppedEvents: () => dropped,
    pool: (group) => pools.get(group),
    get ticking() {
      return ticks.armed;
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      ticks.stop();
      for (const name of [...pools.keys()]) removePool(name);
    },
  };
}
