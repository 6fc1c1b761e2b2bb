// supervisord's state codes (spec §3.1). Shared by the engine, RPC, events and health.

export enum ProcessState {
  STOPPED = 0,
  STARTING = 10,
  RUNNING = 20,
  BACKOFF = 30,
  STOPPING = 40,
  EXITED = 100,
  FATAL = 200,
  UNKNOWN = 1000,
}

export const STOPPED_STATES: ReadonlySet<ProcessState> = new Set([
  ProcessState.STOPPED,
  ProcessState.EXITED,
  ProcessState.FATAL,
  ProcessState.UNKNOWN,
]);

export const RUNNING_STATES: ReadonlySet<ProcessState> = new Set([
  ProcessState.RUNNING,
  ProcessState.BACKOFF,
  ProcessState.STARTING,
]);

export const SIGNALLABLE_STATES: ReadonlySet<ProcessState> = new Set([
  ProcessState.RUNNING,
  ProcessState.STARTING,
  ProcessState.STOPPING,
]);

export function stateName(s: ProcessState): string {
  return ProcessState[s] ?? 'UNKNOWN';
}

/** supervisord's "mood" (SupervisorStates). */
export enum SupervisorMood {
  FATAL = 2,
  RUNNING = 1,
  RESTARTING = 0,
  SHUTDOWN = -1,
}
