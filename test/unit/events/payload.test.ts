// Byte-exact payloads and envelopes against the listener captures of spec §6.1 (supervisord 4.2.5).
import { describe, expect, it } from 'vitest';
import { pyBytesRepr } from '../../../src/common/python-repr.js';
import { envelope, payloadOf } from '../../../src/events/payload.js';
import { eventNameOf } from '../../../src/events/event-types.js';
import type { EngineEvent } from '../../../src/events/types.js';
import { ProcessState } from '../../../src/supervision/states.js';

const talker = { name: 'talker', group: 'talker' };

function wire(event: EngineEvent, serial: number, poolSerial = serial, pool = 'lis', identifier = 'supervisor'): string {
  return envelope({ identifier, serial, pool, poolSerial, eventName: eventNameOf(event), payload: payloadOf(event) }).toString(
    'utf8',
  );
}

describe('envelopes captured from supervisord', () => {
  it('PROCESS_GROUP_ADDED', () => {
    expect(wire({ kind: 'group', action: 'added', group: 'lis' }, 0)).toBe(
      'ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:PROCESS_GROUP_ADDED len:14\ngroupname:lis\n',
    );
  });
  it('PROCESS_STATE_STARTING', () => {
    const e: EngineEvent = {
      kind: 'process-state',
      process: { name: 'lis', group: 'lis' },
      from: ProcessState.STOPPED,
      to: ProcessState.STARTING,
      tries: 0,
      expected: false,
      pid: 0,
    };
    expect(wire(e, 3)).toBe(
      'ver:3.0 server:supervisor serial:3 pool:lis poolserial:3 eventname:PROCESS_STATE_STARTING len:56\nprocessname:lis groupname:lis from_state:STOPPED tries:0',
    );
  });
  it('PROCESS_STATE_RUNNING', () => {
    const e: EngineEvent = {
      kind: 'process-state',
      process: talker,
      from: ProcessState.STARTING,
      to: ProcessState.RUNNING,
      tries: 0,
      expected: false,
      pid: 12124,
    };
    expect(wire(e, 6)).toBe(
      'ver:3.0 server:supervisor serial:6 pool:lis poolserial:6 eventname:PROCESS_STATE_RUNNING len:65\nprocessname:talker groupname:talker from_state:STARTING pid:12124',
    );
  });
  it('PROCESS_LOG_STDOUT', () => {
    const e: EngineEvent = { kind: 'process-log', process: talker, channel: 'stdout', pid: 12124, data: Buffer.from('out1\nbefore') };
    expect(wire(e, 8)).toBe(
      'ver:3.0 server:supervisor serial:8 pool:lis poolserial:8 eventname:PROCESS_LOG_STDOUT len:72\nprocessname:talker groupname:talker pid:12124 channel:stdout\nout1\nbefore',
    );
  });
  it('PROCESS_COMMUNICATION_STDOUT', () => {
    const e: EngineEvent = {
      kind: 'process-communication',
      process: talker,
      channel: 'stdout',
      pid: 12124,
      data: Buffer.from('captured data'),
    };
    expect(wire(e, 10)).toBe(
      'ver:3.0 server:supervisor serial:10 pool:lis poolserial:10 eventname:PROCESS_COMMUNICATION_STDOUT len:59\nprocessname:talker groupname:talker pid:12124\ncaptured data',
    );
  });
  it('PROCESS_STATE_EXITED', () => {
    const e: EngineEvent = {
      kind: 'process-state',
      process: talker,
      from: ProcessState.RUNNING,
      to: ProcessState.EXITED,
      tries: 0,
      expected: false,
      pid: 12124,
    };
    expect(wire(e, 12)).toBe(
      'ver:3.0 server:supervisor serial:12 pool:lis poolserial:12 eventname:PROCESS_STATE_EXITED len:75\nprocessname:talker groupname:talker from_state:RUNNING expected:0 pid:12124',
    );
  });
  it('TICK_5', () => {
    expect(wire({ kind: 'tick', period: 5, when: 1795512000 }, 13)).toBe(
      'ver:3.0 server:supervisor serial:13 pool:lis poolserial:13 eventname:TICK_5 len:15\nwhen:1795512000',
    );
  });
  it('REMOTE_COMMUNICATION', () => {
    expect(wire({ kind: 'remote-communication', type: 'mytype', data: 'my data' }, 14)).toBe(
      'ver:3.0 server:supervisor serial:14 pool:lis poolserial:14 eventname:REMOTE_COMMUNICATION len:19\ntype:mytype\nmy data',
    );
  });
  it('SUPERVISOR_STATE_CHANGE_RUNNING', () => {
    expect(wire({ kind: 'supervisor-state', state: 'RUNNING' }, 2)).toBe(
      'ver:3.0 server:supervisor serial:2 pool:lis poolserial:2 eventname:SUPERVISOR_STATE_CHANGE_RUNNING len:0\n',
    );
  });
  it('uses identifier, pool name and separate serials (test__eventEnvelope)', () => {
    const out = envelope({
      identifier: 'thesupervisorname',
      serial: 80,
      pool: 'thepoolname',
      poolSerial: 20,
      eventName: 'PROCESS_COMMUNICATION_STDOUT',
      payload: { bytes: Buffer.from('payload\n'), length: 8 },
    }).toString();
    expect(out).toBe(
      'ver:3.0 server:thesupervisorname serial:80 pool:thepoolname poolserial:20 eventname:PROCESS_COMMUNICATION_STDOUT len:8\npayload\n',
    );
  });
});

describe('process state payloads (TestSerializations)', () => {
  const p = { name: 'process1', group: 'process1' };
  const st = (to: ProcessState, extra: Partial<{ tries: number; expected: boolean; pid: number }> = {}) =>
    payloadOf({ kind: 'process-state', process: p, from: ProcessState.STARTING, to, tries: 0, expected: true, pid: 1, ...extra })
      .bytes.toString();
  it('FATAL and UNKNOWN have no extra values', () => {
    expect(st(ProcessState.FATAL)).toBe('processname:process1 groupname:process1 from_state:STARTING');
    expect(st(ProcessState.UNKNOWN)).toBe('processname:process1 groupname:process1 from_state:STARTING');
  });
  it('RUNNING, STOPPED, STOPPING carry pid', () => {
    for (const s of [ProcessState.RUNNING, ProcessState.STOPPED, ProcessState.STOPPING]) {
      expect(st(s)).toBe('processname:process1 groupname:process1 from_state:STARTING pid:1');
    }
  });
  it('STARTING and BACKOFF carry tries', () => {
    expect(st(ProcessState.STARTING, { tries: 2 })).toBe('processname:process1 groupname:process1 from_state:STARTING tries:2');
    expect(st(ProcessState.BACKOFF, { tries: 1 })).toBe('processname:process1 groupname:process1 from_state:STARTING tries:1');
  });
  it('EXITED carries expected then pid', () => {
    expect(st(ProcessState.EXITED, { expected: true })).toBe(
      'processname:process1 groupname:process1 from_state:STARTING expected:1 pid:1',
    );
    expect(st(ProcessState.EXITED, { expected: false })).toBe(
      'processname:process1 groupname:process1 from_state:STARTING expected:0 pid:1',
    );
  });
  it('group removed and stderr log/communication', () => {
    expect(payloadOf({ kind: 'group', action: 'removed', group: 'foo' }).bytes.toString()).toBe('groupname:foo\n');
    expect(payloadOf({ kind: 'process-log', process: p, channel: 'stderr', pid: 1, data: Buffer.from('yo') }).bytes.toString()).toBe(
      'processname:process1 groupname:process1 pid:1 channel:stderr\nyo',
    );
    expect(
      payloadOf({ kind: 'process-communication', process: p, channel: 'stderr', pid: 1, data: Buffer.from('yo') }).bytes.toString(),
    ).toBe('processname:process1 groupname:process1 pid:1\nyo');
  });
});

describe('undecodable data and len', () => {
  it("renders invalid UTF-8 as Undecodable: b'...' (issue 638)", () => {
    const p = payloadOf({ kind: 'process-log', process: talker, channel: 'stdout', pid: 5, data: Buffer.from([0x88, 0x0a]) });
    expect(p.bytes.toString()).toBe("processname:talker groupname:talker pid:5 channel:stdout\nUndecodable: b'\\x88\\n'");
    expect(p.length).toBe(p.bytes.length);
  });
  it('matches Python bytes repr quoting and escapes', () => {
    expect(pyBytesRepr(Buffer.from([0x88, 0x27, 0x0a, 0x5c]))).toBe(`b"\\x88'\\n\\\\"`);
    expect(pyBytesRepr(Buffer.from(`a'"`))).toBe(`b'a\\'"'`);
    expect(pyBytesRepr(Buffer.from([0x00, 0x09, 0x0d, 0x7f, 0x7e, 0x20]))).toBe("b'\\x00\\t\\r\\x7f~ '");
  });
  it('treats encoded surrogates and overlong forms as undecodable, like Python', () => {
    const surrogate = payloadOf({ kind: 'process-log', process: talker, channel: 'stdout', pid: 5, data: Buffer.from([0xed, 0xa0, 0x80]) });
    expect(surrogate.bytes.toString()).toContain("Undecodable: b'\\xed\\xa0\\x80'");
  });
  it('len counts code points (as supervisord), bytes are UTF-8', () => {
    const data = Buffer.from('héllo €', 'utf8');
    const p = payloadOf({ kind: 'process-communication', process: talker, channel: 'stdout', pid: 5, data });
    const head = 'processname:talker groupname:talker pid:5\n';
    expect(p.bytes.equals(Buffer.concat([Buffer.from(head), data]))).toBe(true);
    expect(p.length).toBe(head.length + 'héllo €'.length);
    const r = payloadOf({ kind: 'remote-communication', type: 't', data: 'ß😀' });
    expect(r.length).toBe('type:t\n'.length + 2);
    expect(r.bytes.toString('utf8')).toBe('type:t\nß😀');
  });
});
