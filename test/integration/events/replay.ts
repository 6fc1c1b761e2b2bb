// Turns what a listener recorded under supervisord back into the engine events that produced it, so the
// same sequence can be replayed through tsinit's pools. Independent of src/events/payload.ts on purpose.
import type { EngineEvent } from '../../../src/events/types.js';
import { ProcessState } from '../../../src/supervision/states.js';
import type { ListenerRecord } from './scripts.js';

function fields(line: string): Record<string, string> {
  return Object.fromEntries(line.trim().split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf(':')), kv.slice(kv.indexOf(':') + 1)]));
}

/** Python bytes literal b'...' → bytes (the escapes Python's repr produces). */
function pyBytes(lit: string): Buffer {
  const body = lit.slice(2, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const e = body[++i]!;
    if (e === 'x') {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push({ n: 10, t: 9, r: 13 }[e as 'n' | 't' | 'r'] ?? e.charCodeAt(0));
  }
  return Buffer.from(out);
}

export function toEngineEvent(rec: ListenerRecord): EngineEvent {
  const name = rec.headers['eventname']!;
  if (name.startsWith('PROCESS_STATE_')) {
    const f = fields(rec.payload);
    return {
      kind: 'process-state',
      process: { name: f['processname']!, group: f['groupname']! },
      from: ProcessState[f['from_state'] as keyof typeof ProcessState],
      to: ProcessState[name.slice('PROCESS_STATE_'.length) as keyof typeof ProcessState],
      tries: Number(f['tries'] ?? 0),
      expected: f['expected'] === '1',
      pid: Number(f['pid'] ?? 0),
    };
  }
  if (name.startsWith('PROCESS_LOG_')) {
    const nl = rec.payload.indexOf('\n');
    const f = fields(rec.payload.slice(0, nl));
    const text = rec.payload.slice(nl + 1);
    const data = text.startsWith('Undecodable: ') ? pyBytes(text.slice('Undecodable: '.length)) : Buffer.from(text, 'utf8');
    return {
      kind: 'process-log',
      process: { name: f['processname']!, group: f['groupname']! },
      channel: f['channel'] as 'stdout' | 'stderr',
      pid: Number(f['pid']),
      data,
    };
  }
  if (name.startsWith('SUPERVISOR_STATE_CHANGE_')) {
    return { kind: 'supervisor-state', state: name.slice('SUPERVISOR_STATE_CHANGE_'.length) as 'RUNNING' | 'STOPPING' };
  }
  if (name.startsWith('PROCESS_GROUP_')) {
    return { kind: 'group', action: name.endsWith('ADDED') ? 'added' : 'removed', group: fields(rec.payload)['groupname']! };
  }
  throw new Error(`cannot replay ${name}`);
}
