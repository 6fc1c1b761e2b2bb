// Process-tree inspection through /proc: used for the final sweep (no process of the container may outlive
// tsinit) and by tests (zombie counts). Works on every kernel (no CONFIG_PROC_CHILDREN needed).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** One-letter state: R S D Z T ... */
  readonly state: string;
  readonly comm: string;
}

/** Parses /proc/<pid>/stat text (comm may contain spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, ppid, pgrp, state: rest[0] ?? '?', comm: text.slice(open + 1, close) };
}

/** Every process visible in /proc (processes that vanish while reading are skipped). */
export function listProcesses(procRoot = '/proc'): ProcStat[] {
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = parseProcStat(readFileSync(`${procRoot}/${name}/stat`, 'utf8'));
      if (st) out.push(st);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** All descendants of `root` (children, recursively), excluding root itself. */
export function descendantsOf(root: number, processes: readonly ProcStat[] = listProcesses()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcStat[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}
