// Prometheus text exposition (format 0.0.4) of the supervisor's state, rendered on request.
// Labels carry group and process names only (never commands, environments, paths or spawn errors).
import type { ProcessView, SupervisorControl } from '../supervision/control.js';
import { ProcessState, SupervisorMood } from '../supervision/states.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Escapes a label value as the exposition format requires: backslash, double quote, newline. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Formats a sample value: integers as such, other numbers with up to millisecond precision. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 1000) / 1000);
}

interface Family {
  readonly name: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly samples: { readonly labels: string; readonly value: number }[];
}

function family(name: string, type: Family['type'], help: string): Family {
  return { name, type, help, samples: [] };
}

function render(families: readonly Family[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) out += `${f.name}${s.labels} ${formatValue(s.value)}\n`;
  }
  return out;
}

/** Code of the last exit: the exit code, -1 when a signal ended it, 0 when it never exited. */
export function lastExitCode(p: ProcessView): number {
  const e = p.lastExit;
  if (e === null) return 0;
  if (e.code !== null) return e.code;
  return -1;
}

/** The whole /metrics body. `now` is epoch milliseconds. */
export function renderMetrics(control: SupervisorControl, now: number): string {
  const uptime = family('tsinit_uptime_seconds', 'gauge', 'Seconds since tsinit started.');
  const started = family('tsinit_start_time_seconds', 'gauge', 'Unix time tsinit started, in seconds.');
  const mood = family(
    'tsinit_supervisor_state',
    'gauge',
    "tsinit's supervisor state (supervisord's codes: 2 FATAL, 1 RUNNING, 0 RESTARTING, -1 SHUTDOWN).",
  );
  const count = family('tsinit_processes', 'gauge', 'Number of configured processes.');
  const orphans = family('tsinit_orphans_reaped_total', 'counter', 'Orphaned descendants reaped by tsinit as PID 1 or subreaper.');
  const dropped = family('tsinit_events_dropped_total', 'counter', 'Events dropped because an event listener buffer overflowed.');
  const state = family(
    'tsinit_process_state',
    'gauge',
    'Process state as supervisord\'s code (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).',
  );
  const up = family('tsinit_process_up', 'gauge', '1 when the process is RUNNING, else 0.');
  const spawns = family('tsinit_process_spawns_total', 'counter', 'Successful spawns since the process group was added.');
  const restarts = family('tsinit_process_restarts_total', 'counter', 'Spawns after the first one since the process group was added.');
  const exitStatus = family(
    'tsinit_process_exit_status',
    'gauge',
    'Exit code of the last exit, also of an exit before startsecs (-1 when killed by a signal, 0 when it never exited).',
  );
  const exitSignal = family('tsinit_process_exit_signal', 'gauge', 'Signal number that ended the process last, 0 when none.');
  const startTime = family('tsinit_process_start_time_seconds', 'gauge', 'Unix time of the last start attempt, 0 when never started.');
  const backoff = family('tsinit_process_backoff', 'gauge', 'Current count of consecutive failed starts.');

  uptime.samples.push({ labels: '', value: Math.max(0, (now - control.startedAt) / 1000) });
  started.samples.push({ labels: '', value: control.startedAt / 1000 });
  mood.samples.push({ labels: '', value: control.mood as SupervisorMood });
  orphans.samples.push({ labels: '', value: control.counters.orphansReaped });
  dropped.samples.push({ labels: '', value: control.counters.eventsDropped });

  let n = 0;
  for (const g of control.groups()) {
    for (const p of g.processes) {
      n++;
      const labels = `{group="${escapeLabel(p.group)}",name="${escapeLabel(p.name)}"}`;
      state.samples.push({ labels, value: p.state });
      up.samples.push({ labels, value: p.state === ProcessState.RUNNING ? 1 : 0 });
      spawns.samples.push({ labels, value: p.spawnCount });
      restarts.samples.push({ labels, value: Math.max(0, p.spawnCount - 1) });
      // lastExit, not exitstatus: supervisord clears exitstatus when a process exits before startsecs,
      // which is exactly the case (BACKOFF/FATAL) a dashboard wants the code of.
      exitStatus.samples.push({ labels, value: lastExitCode(p) });
      exitSignal.samples.push({ labels, value: p.lastExit?.signal ?? 0 });
      startTime.samples.push({ labels, value: p.laststart / 1000 });
      backoff.samples.push({ labels, value: p.backoff });
    }
  }
  count.samples.push({ labels: '', value: n });

  return render([uptime, started, mood, count, orphans, dropped, state, up, spawns, restarts, exitStatus, exitSignal, startTime, backoff]);
}
