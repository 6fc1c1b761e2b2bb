// Name resolution for `name` parameters (spec §7.3): `group:process`, `group:` / `group:*` (whole group),
// or a bare `name` meaning group `name`, process `name`.
import type { GroupView, ProcessView, SupervisorControl } from '../../supervision/control.js';
import { RpcFault } from '../faults.js';

export interface SplitName {
  readonly group: string;
  /** null = the whole group. */
  readonly process: string | null;
}

export function splitNamespec(namespec: string): SplitName {
  const colon = namespec.indexOf(':');
  if (colon === -1) return { group: namespec, process: namespec };
  const group = namespec.slice(0, colon);
  const process = namespec.slice(colon + 1);
  return { group, process: process === '' || process === '*' ? null : process };
}

export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}

/** Resolve to a group and (unless a group spec) a process; BAD_NAME with the given name otherwise. */
export function resolveName(
  control: SupervisorControl,
  namespec: string,
): { group: GroupView; process: ProcessView | null } {
  const { group: groupName, process: processName } = splitNamespec(namespec);
  const group = control.group(groupName);
  if (!group) throw new RpcFault('BAD_NAME', namespec);
  if (processName === null) return { group, process: null };
  const process = group.processes.find((p) => p.name === processName);
  if (!process) throw new RpcFault('BAD_NAME', namespec);
  return { group, process };
}

/** Resolve to one process; group specs are BAD_NAME here. */
export function resolveProcess(control: SupervisorControl, namespec: string): ProcessView {
  const { process } = resolveName(control, namespec);
  if (!process) throw new RpcFault('BAD_NAME', namespec);
  return process;
}

/** A group's processes in priority order (ties keep config order). */
export function byPriority(processes: readonly ProcessView[]): ProcessView[] {
  return processes
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.config.priority - b.p.config.priority || a.i - b.i)
    .map(({ p }) => p);
}

/** All active processes: groups by priority, then processes by priority (supervisord's non-lexical order). */
export function allByPriority(control: SupervisorControl): ProcessView[] {
  const groups = control
    .groups()
    .map((g, i) => ({ g, i }))
    .sort((a, b) => a.g.config.priority - b.g.config.priority || a.i - b.i);
  return groups.flatMap(({ g }) => byPriority(g.processes));
}

/** All active processes sorted by group name then process name (getAllProcessInfo order). */
export function allLexical(control: SupervisorControl): ProcessView[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...control.groups()]
    .sort((a, b) => cmp(a.name, b.name))
    .flatMap((g) => [...g.processes].sort((a, b) => cmp(a.name, b.name)));
}
