// Ports supervisord's tests/test_dispatchers.py PEventListenerDispatcherTests (the protocol part).
import { describe, expect, it } from 'vitest';
import { ListenerProtocol, ListenerState } from '../../../src/events/listener-protocol.js';

const UNKNOWN_WARN =
  'process1: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol';

function make(state: ListenerState = ListenerState.ACKNOWLEDGED, event: string | null = null) {
  const lines: string[] = [];
  const log = { debug: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  const p = new ListenerProtocol<string>('process1', log);
  if (state === ListenerState.BUSY) p.markBusy(event ?? 'ev');
  else if (state !== ListenerState.ACKNOWLEDGED) {
    p.feed(Buffer.from('READY\n'));
    if (state === ListenerState.UNKNOWN) p.feed(Buffer.from('x'));
  }
  lines.length = 0;
  return { p, lines };
}

describe('listener protocol state machine', () => {
  it('starts ACKNOWLEDGED', () => {
    expect(make().p.state).toBe(ListenerState.ACKNOWLEDGED);
  });

  it('from UNKNOWN: ignores everything, logs nothing', () => {
    const { p, lines } = make(ListenerState.UNKNOWN);
    expect(p.feed(Buffer.from('whatever'))).toEqual([]);
    expect(p.feed(Buffer.from('READY\n'))).toEqual([]);
    expect(lines).toEqual([]);
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('ACKNOWLEDGED -> READY', () => {
    const { p, lines } = make();
    expect(p.feed(Buffer.from('READY\n'))).toEqual([{ kind: 'ready' }]);
    expect(lines).toEqual(['process1: ACKNOWLEDGED -> READY']);
    expect(p.state).toBe(ListenerState.READY);
  });

  it('ACKNOWLEDGED gobbles: READY then garbage -> UNKNOWN', () => {
    const { p, lines } = make();
    p.feed(Buffer.from('READY\ngarbage\n'));
    expect(lines[0]).toBe('process1: ACKNOWLEDGED -> READY');
    expect(lines[1]).toBe('process1: READY -> UNKNOWN');
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('ACKNOWLEDGED with insufficient data waits (also split READY token)', () => {
    const { p, lines } = make();
    expect(p.feed(Buffer.from('RE'))).toEqual([]);
    expect(lines).toEqual([]);
    expect(p.state).toBe(ListenerState.ACKNOWLEDGED);
    expect(p.feed(Buffer.from('ADY\n'))).toEqual([{ kind: 'ready' }]);
    expect(p.state).toBe(ListenerState.READY);
  });

  it('ACKNOWLEDGED -> UNKNOWN on bogus data', () => {
    const { p, lines } = make();
    p.feed(Buffer.from('bogus data yo'));
    expect(lines).toEqual(['process1: ACKNOWLEDGED -> UNKNOWN', UNKNOWN_WARN]);
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('READY -> UNKNOWN on spurious data', () => {
    const { p, lines } = make(ListenerState.READY);
    p.feed(Buffer.from('bogus data yo'));
    expect(lines).toEqual(['process1: READY -> UNKNOWN', UNKNOWN_WARN]);
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('BUSY waits for a complete result line', () => {
    const { p, lines } = make(ListenerState.BUSY);
    expect(p.feed(Buffer.from('bogus data yo'))).toEqual([]);
    expect(p.state).toBe(ListenerState.BUSY);
    expect(lines).toEqual([]);
  });

  it('BUSY -> ACKNOWLEDGED when processed (RESULT 2\\nOK), leftovers kept', () => {
    const { p, lines } = make(ListenerState.BUSY, 'E1');
    expect(p.feed(Buffer.from('RESULT 2\nOKabc'))).toEqual([{ kind: 'processed', event: 'E1' }]);
    expect(lines).toEqual(['process1: event was processed', 'process1: BUSY -> ACKNOWLEDGED']);
    expect(p.state).toBe(ListenerState.ACKNOWLEDGED);
    expect(p.event).toBe(null);
    // 'abc' is still buffered (3 < 6): three more bytes make it 'abcdef', not READY -> UNKNOWN
    p.feed(Buffer.from('def'));
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('BUSY -> ACKNOWLEDGED when rejected (RESULT 4\\nFAIL): WARN and the event comes back', () => {
    const { p, lines } = make(ListenerState.BUSY, 'E1');
    expect(p.feed(Buffer.from('RESULT 4\nFAILabc'))).toEqual([{ kind: 'rejected', event: 'E1' }]);
    expect(lines).toEqual(['process1: event was rejected', 'process1: BUSY -> ACKNOWLEDGED']);
    expect(p.state).toBe(ListenerState.ACKNOWLEDGED);
  });

  it('BUSY -> UNKNOWN on a bad result line; the event comes back', () => {
    const { p, lines } = make(ListenerState.BUSY, 'E1');
    expect(p.feed(Buffer.from('bogus data\n'))).toEqual([{ kind: 'rejected', event: 'E1' }]);
    expect(lines).toEqual(["process1: bad result line: 'bogus data'", 'process1: BUSY -> UNKNOWN', UNKNOWN_WARN]);
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('bad result line text: RESULT abc (captured) and undecodable bytes', () => {
    const a = make(ListenerState.BUSY);
    a.p.feed(Buffer.from('RESULT abc\n'));
    expect(a.lines[0]).toBe("process1: bad result line: 'RESULT abc'");
    const b = make(ListenerState.BUSY);
    b.p.feed(Buffer.from([0x52, 0xff, 0x0a]));
    expect(b.lines[0]).toBe("process1: bad result line: 'Undecodable: b'R\\xff''");
  });

  it('BUSY gobbles: processed then garbage -> UNKNOWN', () => {
    const { p, lines } = make(ListenerState.BUSY);
    p.feed(Buffer.from('RESULT 2\nOKbogus data\n'));
    expect(lines).toEqual([
      'process1: event was processed',
      'process1: BUSY -> ACKNOWLEDGED',
      'process1: ACKNOWLEDGED -> UNKNOWN',
      UNKNOWN_WARN,
    ]);
    expect(p.state).toBe(ListenerState.UNKNOWN);
  });

  it('OKREADY in one chunk (issue 663) goes BUSY -> ACKNOWLEDGED -> READY', () => {
    const { p, lines } = make(ListenerState.BUSY, 'E1');
    expect(p.feed(Buffer.from('RESULT 2\nOKREADY\n'))).toEqual([{ kind: 'processed', event: 'E1' }, { kind: 'ready' }]);
    expect(lines).toEqual(['process1: event was processed', 'process1: BUSY -> ACKNOWLEDGED', 'process1: ACKNOWLEDGED -> READY']);
    expect(p.state).toBe(ListenerState.READY);
  });

  it('result split over many chunks, byte by byte', () => {
    const { p } = make(ListenerState.BUSY, 'E1');
    const outs = [...Buffer.from('RESULT 4\nFAILREADY\n')].flatMap((b) => p.feed(Buffer.from([b])));
    expect(outs).toEqual([{ kind: 'rejected', event: 'E1' }, { kind: 'ready' }]);
  });

  it('accepts Python int() forms in the length (whitespace, +, underscores)', () => {
    const { p } = make(ListenerState.BUSY, 'E1');
    expect(p.feed(Buffer.from('RESULT  +0_2 \nOK'))).toEqual([{ kind: 'processed', event: 'E1' }]);
  });

  it('a custom result handler that throws puts the listener into UNKNOWN (event caused an error)', () => {
    const lines: string[] = [];
    const p = new ListenerProtocol<string>('process1', { debug: (m) => lines.push(m), warn: (m) => lines.push(m) }, () => {
      throw new Error('boom');
    });
    p.markBusy('E');
    expect(p.feed(Buffer.from('RESULT 3\nfoo'))).toEqual([{ kind: 'rejected', event: 'E' }]);
    expect(lines.slice(0, 2)).toEqual(['process1: event caused an error', 'process1: BUSY -> UNKNOWN']);
  });

  it('reset() starts over in ACKNOWLEDGED with an empty buffer', () => {
    const { p } = make(ListenerState.UNKNOWN);
    p.reset();
    expect(p.state).toBe(ListenerState.ACKNOWLEDGED);
    expect(p.feed(Buffer.from('READY\n'))).toEqual([{ kind: 'ready' }]);
  });
});
