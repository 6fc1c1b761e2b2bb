import { describe, expect, it } from 'vitest';
import { escapeLabel, formatValue, renderMetrics } from '../../../src/health/metrics.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { FakeControl, proc, SECRET_ENV } from './fake-control.js';

function fixture(): FakeControl {
  const c = new FakeControl()
    .add('web', [proc('web', 'web', ProcessState.RUNNING, { pid: 17, laststart: 1_700_000_001_500, spawnCount: 3 })])
    .add('jobs', [
      proc('jobs', 'job_00', ProcessState.EXITED, {
        laststart: 1_700_000_002_000,
        exitstatus: 0, // supervisord clears it after an exit before startsecs; lastExit keeps the code
        lastExit: { code: 3, signal: null },
        spawnCount: 1,
      }),
      proc('jobs', 'job_01', ProcessState.BACKOFF, { exitstatus: -1, lastExit: { code: null, signal: 9 }, backoff: 2 }),
    ]);
  c.counters = { orphansReaped: 5, eventsDropped: 1 };
  return c;
}

describe('renderMetrics', () => {
  it('renders the exact Prometheus text exposition', () => {
    const text = renderMetrics(fixture(), 1_700_000_012_345);
    expect(text).toBe(
      [
        '# HELP tsinit_uptime_seconds Seconds since tsinit started.',
        '# TYPE tsinit_uptime_seconds gauge',
        'tsinit_uptime_seconds 12.345',
        '# HELP tsinit_start_time_seconds Unix time tsinit started, in seconds.',
        '# TYPE tsinit_start_time_seconds gauge',
        'tsinit_start_time_seconds 1700000000',
        "# HELP tsinit_supervisor_state tsinit's supervisor state (supervisord's codes: 2 FATAL, 1 RUNNING, 0 RESTARTING, -1 SHUTDOWN).",
        '# TYPE tsinit_supervisor_state gauge',
        'tsinit_supervisor_state 1',
        '# HELP tsinit_processes Number of configured processes.',
        '# TYPE tsinit_processes gauge',
        'tsinit_processes 3',
        '# HELP tsinit_orphans_reaped_total Orphaned descendants reaped by tsinit as PID 1 or subreaper.',
        '# TYPE tsinit_orphans_reaped_total counter',
        'tsinit_orphans_reaped_total 5',
        '# HELP tsinit_events_dropped_total Events dropped because an event listener buffer overflowed.',
        '# TYPE tsinit_events_dropped_total counter',
        'tsinit_events_dropped_total 1',
        "# HELP tsinit_process_state Process state as supervisord's code (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).",
        '# TYPE tsinit_process_state gauge',
        'tsinit_process_state{group="web",name="web"} 20',
        'tsinit_process_state{group="jobs",name="job_00"} 100',
        'tsinit_process_state{group="jobs",name="job_01"} 30',
        '# HELP tsinit_process_up 1 when the process is RUNNING, else 0.',
        '# TYPE tsinit_process_up gauge',
        'tsinit_process_up{group="web",name="web"} 1',
        'tsinit_process_up{group="jobs",name="job_00"} 0',
        'tsinit_process_up{group="jobs",name="job_01"} 0',
        '# HELP tsinit_process_spawns_total Successful spawns since the process group was added.',
        '# TYPE tsinit_process_spawns_total counter',
        'tsinit_process_spawns_total{group="web",name="web"} 3',
        'tsinit_process_spawns_total{group="jobs",name="job_00"} 1',
        'tsinit_process_spawns_total{group="jobs",name="job_01"} 0',
        '# HELP tsinit_process_restarts_total Spawns after the first one since the process group was added.',
        '# TYPE tsinit_process_restarts_total counter',
        'tsinit_process_restarts_total{group="web",name="web"} 2',
        'tsinit_process_restarts_total{group="jobs",name="job_00"} 0',
        'tsinit_process_restarts_total{group="jobs",name="job_01"} 0',
        '# HELP tsinit_process_exit_status Exit code of the last exit, also of an exit before startsecs (-1 when killed by a signal, 0 when it never exited).',
        '# TYPE tsinit_process_exit_status gauge',
        'tsinit_process_exit_status{group="web",name="web"} 0',
        'tsinit_process_exit_status{group="jobs",name="job_00"} 3',
        'tsinit_process_exit_status{group="jobs",name="job_01"} -1',
        '# HELP tsinit_process_exit_signal Signal number that ended the process last, 0 when none.',
        '# TYPE tsinit_process_exit_signal gauge',
        'tsinit_process_exit_signal{group="web",name="web"} 0',
        'tsinit_process_exit_signal{group="jobs",name="job_00"} 0',
        'tsinit_process_exit_signal{group="jobs",name="job_01"} 9',
        '# HELP tsinit_process_start_time_seconds Unix time of the last start attempt, 0 when never started.',
        '# TYPE tsinit_process_start_time_seconds gauge',
        'tsinit_process_start_time_seconds{group="web",name="web"} 1700000001.5',
        'tsinit_process_start_time_seconds{group="jobs",name="job_00"} 1700000002',
        'tsinit_process_start_time_seconds{group="jobs",name="job_01"} 0',
        '# HELP tsinit_process_backoff Current count of consecutive failed starts.',
        '# TYPE tsinit_process_backoff gauge',
        'tsinit_process_backoff{group="web",name="web"} 0',
        'tsinit_process_backoff{group="jobs",name="job_00"} 0',
        'tsinit_process_backoff{group="jobs",name="job_01"} 2',
        '',
      ].join('\n'),
    );
  });

  it('follows the exposition grammar on every line', () => {
    const c = fixture();
    c.mood = SupervisorMood.SHUTDOWN;
    const text = renderMetrics(c, 1_700_000_000_001);
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/;
    for (const line of text.split('\n').slice(0, -1)) {
      if (line.startsWith('# ')) expect(line).toMatch(/^# (HELP|TYPE) tsinit_[a-z_]+ .+$/);
      else expect(line).toMatch(sample);
    }
    expect(text).toContain('tsinit_supervisor_state -1\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reveals no commands, environments, paths or spawn errors', () => {
    const text = renderMetrics(fixture(), Date.now());
    expect(text).not.toContain(SECRET_ENV);
    expect(text).not.toMatch(/secret|hunter2|ENOENT|\/opt|\/var/);
  });

  it('never reports a negative uptime when the clock stepped back', () => {
    const c = fixture();
    expect(renderMetrics(c, c.startedAt - 5000)).toContain('tsinit_uptime_seconds 0\n');
  });
});

describe('label and value formatting', () => {
  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const c = new FakeControl().add('g"x', [proc('g"x', 'n\\1', ProcessState.RUNNING)]);
    expect(renderMetrics(c, c.startedAt)).toContain('tsinit_process_state{group="g\\"x",name="n\\\\1"} 20\n');
  });

  it('formats integers plainly and fractions to milliseconds', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(-1)).toBe('-1');
    expect(formatValue(1.23456)).toBe('1.235');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
  });
});
