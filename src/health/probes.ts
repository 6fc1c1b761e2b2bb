// Liveness and readiness rules, computed from SupervisorControl on each request (no timers, no state).
// They reveal process names and states only: never commands, environments, paths or spawn errors.
import type { SupervisorControl, ProcessView } from '../supervision/control.js';
import { ProcessState, SupervisorMood, stateName } from '../supervision/states.js';

export interface ProbeResult {
  readonly ok: boolean;
  /** Plain-text body, one fact per line, ending with a newline. */
  readonly body: string;
}

function allProcesses(control: SupervisorControl): ProcessView[] {
  const out: ProcessView[] = [];
  for (const g of control.groups()) for (const p of g.processes) out.push(p);
  return out;
}

/**
 * Liveness (`/healthz`): fails (503) while tsinit shuts down, when the supervisor itself is FATAL, and when
 * a program marked `critical=true` is FATAL. Anything else (even every program FATAL) is alive: restarting
 * the container would not help a non-critical program, and the orchestrator would lose its logs.
 */
export function liveness(control: SupervisorControl): ProbeResult {
  const mood = control.mood;
  if (mood === SupervisorMood.SHUTDOWN) return { ok: false, body: 'shutting down\n' };
  if (mood === SupervisorMood.FATAL) return { ok: false, body: 'supervisor FATAL\n' };
  const dead = allProcesses(control).filter((p) => p.config.critical && p.state === ProcessState.FATAL);
  if (dead.length > 0) {
    return { ok: false, body: dead.map((p) => `critical ${p.group}:${p.name} FATAL\n`).join('') };
  }
  return { ok: true, body: 'ok\n' };
}

/**
 * Whether one process counts as ready. Programs with autostart=false are not waited for. An autostart
 * program is ready when RUNNING, or when it is a finished one-shot: EXITED with an expected exit code
 * (exitcodes=) and autorestart != true, i.e. supervisord will not start it again by itself.
 */
export function processReady(p: ProcessView): boolean {
  if (!p.config.autostart) return true;
  if (p.state === ProcessState.RUNNING) return true;
  if (p.state === ProcessState.EXITED && p.config.autorestart !== 'true') {
    const exit = p.lastExit;
    return exit !== null && exit.code !== null && p.config.exitcodes.includes(exit.code);
  }
  return false;
}

/**
 * Readiness (`/readyz`): ready (200) when tsinit is RUNNING (not starting up, reloading or shutting down)
 * and every process is ready by processReady(). The body lists `<group>:<name> <STATE>` for every process,
 * in start order; a not-ready process is marked with ` (not ready)`.
 */
export function readiness(control: SupervisorControl): ProbeResult {
  const procs = allProcesses(control);
  let ok = control.mood === SupervisorMood.RUNNING;
  const lines: string[] = [];
  if (!ok) lines.push(`supervisor ${SupervisorMood[control.mood] ?? String(control.mood)}\n`);
  for (const p of procs) {
    const ready = processReady(p);
    if (!ready) ok = false;
    lines.push(`${p.group}:${p.name} ${stateName(p.state)}${ready ? '' : ' (not ready)'}\n`);
  }
  return { ok, body: lines.join('') };
}
