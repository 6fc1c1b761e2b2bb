// The getProcessInfo struct (spec §7.5): member order as supervisord sends it, and its `description`.
import type { ProcessView } from '../../supervision/control.js';
import { ProcessState, stateName } from '../../supervision/states.js';
import { cappedInt, type XmlRpcStruct } from '../xmlrpc-values.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Python timedelta str() of whole seconds: `0:00:05`, `1 day, 0:00:05`, `2 days, 3:04:05`. */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.trunc(seconds));
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return days === 0 ? hms : `${days} day${days === 1 ? '' : 's'}, ${hms}`;
}

/** strftime('%b %d %I:%M %p') in local time, C locale. */
export function formatStopTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${two(d.getDate())} ${two(h12)}:${two(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

export interface InfoFields {
  readonly name: string;
  readonly state: ProcessState;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly pid: number;
  readonly spawnerr: string;
}

export function describe(info: InfoFields): string {
  switch (info.state) {
    case ProcessState.RUNNING:
      return `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
    case ProcessState.FATAL:
    case ProcessState.BACKOFF:
      return info.spawnerr || `unknown error (try "tail ${info.name}")`;
    case ProcessState.STOPPED:
    case ProcessState.EXITED:
      return info.start ? formatStopTime(info.stop) : 'Not started';
    default:
      return '';
  }
}

/** The log file path of a channel as supervisord reports it ('' for none). */
export function channelLogfile(view: ProcessView, channel: 'stdout' | 'stderr'): string | null {
  const actual = channel === 'stdout' ? view.stdoutLogfile : view.stderrLogfile;
  if (actual) return actual;
  const dest = view.config[channel].logfile;
  return dest.kind === 'file' ? dest.path : null;
}

export function processInfo(view: ProcessView, nowMs: number): XmlRpcStruct {
  const start = cappedInt(Math.trunc(view.laststart / 1000));
  const stop = cappedInt(Math.trunc(view.laststop / 1000));
  const now = cappedInt(Math.trunc(nowMs / 1000));
  const spawnerr = view.spawnerr ?? '';
  const stdout = channelLogfile(view, 'stdout') ?? '';
  const stderr = channelLogfile(view, 'stderr') ?? '';
  return {
    name: view.name,
    group: view.group,
    start,
    stop,
    now,
    state: view.state,
    statename: stateName(view.state),
    spawnerr,
    exitstatus: view.exitstatus || 0,
    logfile: stdout,
    stdout_logfile: stdout,
    stderr_logfile: stderr,
    pid: view.pid,
    description: describe({ name: view.name, state: view.state, start, stop, now, pid: view.pid, spawnerr }),
  };
}
