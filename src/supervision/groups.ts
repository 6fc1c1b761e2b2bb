// A process group as the engine holds it, and supervisord's orderings of groups and processes.
import type { GroupConfig } from '../config/model.js';
import type { SharedSocket } from '../os/edge.js';
import type { GroupView } from './control.js';
import type { ManagedProcess } from './managed-process.js';
import { STOPPED_STATES } from './states.js';

export class ManagedGroup implements GroupView {
  constructor(
    readonly config: GroupConfig,
    /** In group order (the config's order). */
    readonly processes: readonly ManagedProcess[],
    /** Position in the order groups were added (ties of priority keep it). */
    readonly addedSeq: number,
    /** fcgi-program groups: the listening socket every process gets as fd 0. */
    readonly socket: SharedSocket | null = null,
  ) {}

  get name(): string {
    return this.config.name;
  }

  process(name: string): ManagedProcess | undefined {
    return this.processes.find((p) => p.name === name);
  }

  unstopped(): ManagedProcess[] {
    return this.processes.filter((p) => !STOPPED_STATES.has(p.state));
  }
}

/** Groups ascending by priority, ties in the order they were added (supervisord's stable sort). */
export function groupsInStartOrder(groups: Iterable<ManagedGroup>): ManagedGroup[] {
  return [...groups].sort((a, b) => a.config.priority - b.config.priority || a.addedSeq - b.addedSeq);
}

/** A group's processes in stop order: descending priority, ties reversed (supervisord's sort + reverse). */
export function processesInStopOrder(group: ManagedGroup): ManagedProcess[] {
  const asc = group.processes
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.config.priority - b.p.config.priority || a.i - b.i)
    .map((x) => x.p);
  return asc.reverse();
}
