// Exact payload texts of every event type (spec §6.1) and the envelope written to a listener (§6.2).
//
// `len:` counts Unicode code points, as supervisord does (it measures the Python str before encoding it to
// UTF-8). That is what keeps real listeners working: `supervisor.childutils.listener.wait()` (and so
// superlance's crashmail/memmon/...) reads the payload with `sys.stdin.read(len)` on a *text* stream, i.e.
// it reads `len` characters. A byte count would make such a listener block waiting for characters that
// never come as soon as one payload holds non-ASCII text. For ASCII (nearly every payload) bytes and
// characters agree, so byte-counting shell listeners (`head -c $len`) also work.
import { isUtf8 } from 'node:buffer';
import { pyBytesRepr } from '../common/python-repr.js';
import { ProcessState, stateName } from '../supervision/states.js';
import { eventNameOf } from './event-types.js';
import type { EngineEvent } from './types.js';

/** A payload as sent: its UTF-8 bytes and its length as supervisord counts it (code points). */
export interface Payload {
  readonly bytes: Buffer;
  readonly length: number;
}

/** Number of code points in valid UTF-8 (every byte that is not a continuation byte starts one). */
function utf8CodePoints(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) n++;
  return n;
}

function textPayload(text: string): Payload {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, length: utf8CodePoints(bytes) };
}

/** `<head>` followed by program output: the raw bytes when valid UTF-8, else `Undecodable: b'...'`. */
function withData(head: string, data: Buffer): Payload {
  if (isUtf8(data)) {
    const headBytes = Buffer.from(head, 'utf8');
    return { bytes: Buffer.concat([headBytes, data]), length: utf8CodePoints(headBytes) + utf8CodePoints(data) };
  }
  return textPayload(head + 'Undecodable: ' + pyBytesRepr(data));
}

function processStatePayload(event: Extract<EngineEvent, { kind: 'process-state' }>): string {
  const fields: [string, string | number][] = [
    ['processname', event.process.name],
    ['groupname', event.process.group],
    ['from_state', stateName(event.from)],
  ];
  switch (event.to) {
    case ProcessState.STARTING:
    case ProcessState.BACKOFF:
      fields.push(['tries', event.tries]);
      break;
    case ProcessState.EXITED:
      fields.push(['expected', event.expected ? 1 : 0], ['pid', event.pid]);
      break;
    case ProcessState.RUNNING:
    case ProcessState.STOPPING:
    case ProcessState.STOPPED:
      fields.push(['pid', event.pid]);
      break;
    default:
      break; // FATAL, UNKNOWN: no extra values
  }
  return fields.map(([k, v]) => `${k}:${v}`).join(' ');
}

/** The payload supervisord sends for this event. */
export function payloadOf(event: EngineEvent): Payload {
  switch (event.kind) {
    case 'process-state':
      return textPayload(processStatePayload(event));
    case 'process-log':
      return withData(
        `processname:${event.process.name} groupname:${event.process.group} pid:${event.pid} channel:${event.channel}\n`,
        event.data,
      );
    case 'process-communication':
      return withData(`processname:${event.process.name} groupname:${event.process.group} pid:${event.pid}\n`, event.data);
    case 'supervisor-state':
      return textPayload('');
    case 'tick':
      return textPayload(`when:${event.when}`);
    case 'group':
      return textPayload(`groupname:${event.group}\n`);
    case 'remote-communication':
      return textPayload(`type:${event.type}\n${event.data}`);
  }
}

export interface EnvelopeFields {
  readonly identifier: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: string;
  readonly payload: Payload;
}

/** The bytes written to a listener's stdin: header line, `\n`, payload, nothing after. */
export function envelope(f: EnvelopeFields): Buffer {
  const header =
    `ver:3.0 server:${f.identifier} serial:${f.serial} pool:${f.pool} poolserial:${f.poolSerial} ` +
    `eventname:${f.eventName} len:${f.payload.length}\n`;
  return Buffer.concat([Buffer.from(header, 'utf8'), f.payload.bytes]);
}

/** Convenience: name + payload of an engine event. */
export function describeEvent(event: EngineEvent): { readonly name: string; readonly payload: Payload } {
  return { name: eventNameOf(event), payload: payloadOf(event) };
}
