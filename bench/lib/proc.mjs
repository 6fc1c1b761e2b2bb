// Reading /proc for a supervisor's cost: CPU ticks and context switches of every thread, memory,
// children. All sync reads of tiny files; a vanished pid yields null, never a throw.
import { readFileSync, readdirSync } from 'node:fs';

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** utime+stime (clock ticks) from a stat line; the comm may contain spaces and parentheses. */
function ticksOf(stat) {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime 15.
  return { utime: Number(rest[11]), stime: Number(rest[12]), state: rest[0] };
}

function statusField(status, name) {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
  return m ? Number(m[1]) : null;
}

/** Process-wide CPU ticks (/proc/pid/stat counts every thread, also dead ones). */
export function cpuTicks(pid) {
  const s = read(`/proc/${pid}/stat`);
  if (!s) return null;
  const t = ticksOf(s);
  return t.utime + t.stime;
}

/** Per-thread ticks and context switches (/proc/pid/task/<tid>/stat and status). */
export function threadStats(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const threads = [];
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    const status = read(`/proc/${pid}/task/${tid}/status`);
    if (!stat || !status) continue;
    const t = ticksOf(stat);
    threads.push({
      tid: Number(tid),
      name: (/^Name:\s+(.*)$/m.exec(status) ?? [])[1] ?? '?',
      ticks: t.utime + t.stime,
      voluntary: statusField(status, 'voluntary_ctxt_switches') ?? 0,
      nonvoluntary: statusField(status, 'nonvoluntary_ctxt_switches') ?? 0,
    });
  }
  return threads;
}

/** Sums over threads, plus which threads changed between two samples. */
export function threadDelta(before, after) {
  const byTid = new Map(before.map((t) => [t.tid, t]));
  const sum = { ticks: 0, voluntary: 0, nonvoluntary: 0, threads: after.length, woke: [] };
  for (const t of after) {
    const b = byTid.get(t.tid) ?? { ticks: 0, voluntary: 0, nonvoluntary: 0 };
    const d = { ticks: t.ticks - b.ticks, voluntary: t.voluntary - b.voluntary, nonvoluntary: t.nonvoluntary - b.nonvoluntary };
    sum.ticks += d.ticks;
    sum.voluntary += d.voluntary;
    sum.nonvoluntary += d.nonvoluntary;
    if (d.ticks || d.voluntary || d.nonvoluntary) sum.woke.push(`${t.name}:${d.voluntary}+${d.nonvoluntary}`);
  }
  return sum;
}

/** Memory in KiB: VmRSS, RssAnon, RssFile, VmHWM, threads. */
export function memory(pid) {
  const s = read(`/proc/${pid}/status`);
  if (!s) return null;
  return {
    rssKb: statusField(s, 'VmRSS'),
    anonKb: statusField(s, 'RssAnon'),
    fileKb: statusField(s, 'RssFile'),
    hwmKb: statusField(s, 'VmHWM'),
    threads: statusField(s, 'Threads'),
  };
}

/** Direct children of pid (every thread's children list). */
export function childrenOf(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out = [];
  for (const tid of tids) {
    const c = read(`/proc/${pid}/task/${tid}/children`);
    if (c) for (const p of c.trim().split(/\s+/)) if (p) out.push(Number(p));
  }
  return out;
}

/** Descendants of pid whose comm is `comm`. */
export function descendantsNamed(pid, comm) {
  const out = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    for (const c of childrenOf(p)) {
      const s = read(`/proc/${c}/comm`);
      if (s && s.trim() === comm) out.push(c);
      stack.push(c);
    }
  }
  return out;
}

export function loadavg() {
  return (read('/proc/loadavg') ?? '').split(' ').slice(0, 3).map(Number);
}
