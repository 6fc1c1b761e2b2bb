// Test doubles for the events unit tests: a minimal SupervisorControl with groups and a stdin recorder,
// a recording MainLog and a manual clock/timer.
import type { GroupConfig, ProcessConfig } from '../../../src/config/model.js';
import type { TimerApi } from '../../../src/events/tick-timer.js';
import { EventBus } from '../../../src/events/bus.js';
import type { GroupView, ProcessView, SupervisorControl } from '../../../src/supervision/control.js';
import { ProcessState } from '../../../src/supervision/states.js';
import { processConfig } from '../../helpers/config-model.js';
import { RecordingLog } from '../../helpers/recording-log.js';

export function proc(name: string, group: string, kind: ProcessConfig['kind'] = 'eventlistener'): ProcessConfig {
  return processConfig(name, { group, kind, section: `${kind}:${group}` });
}

export function listenerGroup(name: string, events: string[], opts: { bufferSize?: number; procs?: string[] } = {}): GroupConfig {
  return {
    name,
    kind: 'eventlistener',
    priority: -1,
    processes: (opts.procs ?? [name]).map((p) => proc(p, name)),
    listener: { events, bufferSize: opts.bufferSize ?? 10, resultHandler: 'supervisor.dispatchers:default_handler' },
    fcgiSocket: null,
  };
}

export function programGroup(name: string): GroupConfig {
  return { name, kind: 'program', priority: 999, processes: [proc(name, name, 'program')], listener: null, fcgiSocket: null };
}

export function recordingLog(): RecordingLog {
  return new RecordingLog();
}

export class FakeControl {
  readonly events = new EventBus((err) => {
    throw err;
  });
  readonly groupsByName = new Map<string, GroupConfig>();
  readonly writes: { group: string; name: string; data: string }[] = [];
  readonly states = new Map<string, ProcessState>();

  add(cfg: GroupConfig): void {
    this.groupsByName.set(cfg.name, cfg);
    this.events.publish({ kind: 'group', action: 'added', group: cfg.name });
  }
  remove(name: string): void {
    this.groupsByName.delete(name);
    this.events.publish({ kind: 'group', action: 'removed', group: name });
  }
  setState(group: string, name: string, to: ProcessState, pid = 100): void {
    const from = this.states.get(`${group}:${name}`) ?? ProcessState.STOPPED;
    this.states.set(`${group}:${name}`, to);
    this.events.publish({ kind: 'process-state', process: { group, name }, from, to, tries: 0, expected: false, pid });
  }

  private view(cfg: GroupConfig): GroupView {
    return {
      config: cfg,
      name: cfg.name,
      processes: cfg.processes.map(
        (p) => ({ config: p, name: p.name, group: cfg.name, state: this.states.get(`${cfg.name}:${p.name}`) ?? 0 }) as unknown as ProcessView,
      ),
    };
  }

  asControl(): SupervisorControl {
    return {
      events: this.events,
      config: { groups: [...this.groupsByName.values()] },
      groups: () => [...this.groupsByName.values()].map((g) => this.view(g)),
      group: (n: string) => {
        const g = this.groupsByName.get(n);
        return g ? this.view(g) : undefined;
      },
      process: (g: string, n: string) => this.view(this.groupsByName.get(g)!).processes.find((p) => p.name === n),
      writeStdin: (group: string, name: string, data: Buffer) => {
        this.writes.push({ group, name, data: data.toString() });
      },
    } as unknown as SupervisorControl;
  }
}

/** A manual clock: timers fire only when advance() passes their due time. */
export class ManualTimers implements TimerApi {
  private t: number;
  private seq = 0;
  readonly pending = new Map<number, { due: number; fn: () => void }>();
  constructor(startMs: number) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { due: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].due <= end && (!next || entry[1].due < next[1].due)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = Math.max(this.t, next[1].due);
      next[1].fn();
    }
    this.t = end;
  }
}
