// supervisorctl's output formats (spec §8.3): the status table, per-process result lines, avail lines,
// reread changes.
import { Faults } from '../rpc/faults.js';
import { makeNamespec } from '../rpc/methods/names.js';
import type { XmlRpcStruct } from '../rpc/xmlrpc-values.js';

export interface ResultStruct {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

export function asResult(s: XmlRpcStruct): ResultStruct {
  return {
    name: String(s['name'] ?? ''),
    group: String(s['group'] ?? ''),
    status: Number(s['status'] ?? 0),
    description: String(s['description'] ?? ''),
  };
}

function ljust(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** `namespec` padded to max(30, longest)+3, state padded to 10, then the description. */
export function statusLines(infos: readonly XmlRpcStruct[]): string[] {
  const specs = infos.map((i) => makeNamespec(String(i['group']), String(i['name'])));
  const width = Math.max(30, ...specs.map((s) => s.length)) + 3;
  return infos.map((info, i) => `${ljust(specs[i]!, width)}${ljust(String(info['statename']), 10)}${String(info['description'])}`);
}

export class UnknownResult extends Error {
  override readonly name = 'UnknownResult';
}

export function startResult(r: ResultStruct): string {
  const name = makeNamespec(r.group, r.name);
  const errors: Record<number, string> = {
    [Faults.BAD_NAME]: 'no such process',
    [Faults.NO_FILE]: 'no such file',
    [Faults.NOT_EXECUTABLE]: 'file is not executable',
    [Faults.ALREADY_STARTED]: 'already started',
    [Faults.SPAWN_ERROR]: 'spawn error',
    [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
  };
  if (r.status === Faults.SUCCESS) return `${name}: started`;
  const why = errors[r.status];
  if (why) return `${name}: ERROR (${why})`;
  throw new UnknownResult(`Unknown result code ${r.status} for ${name}`);
}

export function signalResult(r: ResultStruct, success = 'signalled'): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.BAD_SIGNAL:
      return `${name}: ERROR (bad signal name)`;
    case Faults.NOT_RUNNING:
      return `${name}: ERROR (not running)`;
    case Faults.SUCCESS:
      return `${name}: ${success}`;
    case Faults.FAILED:
      return r.description;
    default:
      throw new UnknownResult(`Unknown result code ${r.status} for ${name}`);
  }
}

export function stopResult(r: ResultStruct): string {
  return signalResult(r, 'stopped');
}

export function clearResult(r: ResultStruct): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.FAILED:
      return `${name}: ERROR (failed)`;
    case Faults.SUCCESS:
      return `${name}: cleared`;
    default:
      throw new UnknownResult(`Unknown result code ${r.status} for ${name}`);
  }
}

/** '%-32s %-9s %-9s %s' of namespec, in use/avail, auto/manual, group_prio:process_prio. */
export function availLine(info: XmlRpcStruct): string {
  const name = makeNamespec(String(info['group']), String(info['name']));
  const inuse = info['inuse'] ? 'in use' : 'avail';
  const auto = info['autostart'] ? 'auto' : 'manual';
  return `${ljust(name, 32)} ${ljust(inuse, 9)} ${ljust(auto, 9)} ${String(info['group_prio'])}:${String(info['process_prio'])}`;
}

export function changeLines(added: readonly string[], changed: readonly string[], removed: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const n of added) byName.set(n, 'available');
  for (const n of changed) byName.set(n, 'changed');
  for (const n of removed) byName.set(n, 'disappeared');
  if (byName.size === 0) return ['No config updates to processes'];
  return [...byName.keys()].sort().map((n) => `${n}: ${byName.get(n)}`);
}
