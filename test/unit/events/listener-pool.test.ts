// Ports supervisord's tests/test_process.py EventListenerPoolTests that apply, plus overflow counting,
// FAIL / death re-queueing and dispatch order.
import { describe, expect, it } from 'vitest';
import { ListenerPool, queuedEvent, type ListenerPoolOptions, type QueuedEvent } from '../../../src/events/listener-pool.js';
import { ListenerState } from '../../../src/events/listener-protocol.js';
import { ProcessState } from '../../../src/supervision/states.js';

function ev(text = 'dummy event', name = 'PROCESS_STATE_RUNNING'): QueuedEvent {
  return queuedEvent(name, { bytes: Buffer.from(text), length: text.length });
}

function setup(over: Partial<ListenerPoolOptions> = {}) {
  const logs: string[] = [];
  const writes: { proc: string; data: string }[] = [];
  let serial = -1;
  let drops = 0;
  const broken = new Set<string>();
  const tasks: (() => void)[] = [];
  const pool = new ListenerPool({
    name: 'whatever',
    processNames: ['process1', 'process2'],
    events: ['EVENT'],
    bufferSize: 10,
    identifier: 'supervisor',
    log: {
      debug: (m) => logs.push(`DEBG ${m}`),
      warn: (m) => logs.push(`WARN ${m}`),
      error: (m) => logs.push(`ERRO ${m}`),
    },
    nextSerial: () => ++serial,
    write: (proc, data) => {
      if (broken.has(proc)) throw new Error('EPIPE');
      writes.push({ proc, data: data.toString() });
    },
    onDrop: () => drops++,
    schedule: (fn) => tasks.push(fn),
    ...over,
  });
  const flush = () => {
    while (tasks.length) tasks.shift()!();
  };
  const running = (proc: string) => {
    pool.onProcessState(proc, ProcessState.STARTING);
    pool.onProcessState(proc, ProcessState.RUNNING);
  };
  return { pool, logs, writes, broken, flush, running, drops: () => drops };
}

describe('ListenerPool', () => {
  it('assigns global serial and pool serial on first accept (test__acceptEvent_attaches_pool_serial_and_serial)', () => {
    const { pool } = setup();
    const e = ev();
    pool.accept(e);
    expect(e.serial).toBe(0);
    expect(e.poolSerials.get('whatever')).toBe(0);
    const e2 = ev();
    pool.accept(e2);
    expect(e2.serial).toBe(1);
    expect(e2.poolSerials.get('whatever')).toBe(1);
  });

  it('does not dispatch to a STARTING listener even if READY (test_transition_event_proc_not_running)', () => {
    const { pool, writes, flush } = setup();
    pool.onProcessState('process1', ProcessState.STARTING);
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev());
    flush();
    expect(writes).toEqual([]);
    expect(pool.buffered.length).toBe(1);
    expect(pool.listenerState('process1')).toBe(ListenerState.READY);
  });

  it('dispatches to a RUNNING+READY listener and marks it BUSY (test_transition_event_proc_running)', () => {
    const { pool, writes, flush, running, logs } = setup();
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev());
    flush();
    expect(pool.buffered).toEqual([]);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.proc).toBe('process1');
    expect(writes[0]!.data).toBe(
      'ver:3.0 server:supervisor serial:0 pool:whatever poolserial:0 eventname:PROCESS_STATE_RUNNING len:11\ndummy event',
    );
    expect(pool.listenerState('process1')).toBe(ListenerState.BUSY);
    expect(logs).toContain('DEBG event 0 sent to listener process1');
  });

  it('dispatch is triggered by READY and by RUNNING, not only by new events', () => {
    const { pool, writes, flush } = setup();
    pool.accept(ev('a'));
    pool.onProcessState('process1', ProcessState.STARTING);
    pool.onStdout('process1', Buffer.from('READY\n'));
    flush();
    expect(writes).toHaveLength(0);
    pool.onProcessState('process1', ProcessState.RUNNING);
    flush();
    expect(writes).toHaveLength(1);
  });

  it('sends to the first RUNNING+READY listener in config order, one event per listener', () => {
    const { pool, writes, flush, running } = setup();
    running('process1');
    running('process2');
    pool.onStdout('process2', Buffer.from('READY\n'));
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev('a'));
    pool.accept(ev('b'));
    pool.accept(ev('c'));
    flush();
    expect(writes.map((w) => w.proc)).toEqual(['process1', 'process2']);
    expect(pool.buffered.map((e) => e.serial)).toEqual([2]);
    // process1 acknowledges and is ready again in one write: it gets the third event
    pool.onStdout('process1', Buffer.from('RESULT 2\nOKREADY\n'));
    flush();
    expect(writes.map((w) => w.proc)).toEqual(['process1', 'process2', 'process1']);
    expect(writes[2]!.data).toContain('serial:2 pool:whatever poolserial:2');
  });

  it('EPIPE on write: DEBUG line, tries the next listener (test_dispatch_pipe_error)', () => {
    const { pool, writes, flush, running, broken, logs } = setup();
    running('process1');
    running('process2');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.onStdout('process2', Buffer.from('READY\n'));
    broken.add('process1');
    pool.accept(ev());
    flush();
    expect(logs).toContain('DEBG epipe occurred while sending event 0 to listener process1, listener state unchanged');
    expect(writes.map((w) => w.proc)).toEqual(['process2']);
    expect(pool.listenerState('process1')).toBe(ListenerState.READY);
  });

  it('EPIPE with nobody else: event rebuffered, no dispatch spin', () => {
    const { pool, flush, running, broken, logs } = setup();
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    broken.add('process1');
    const e = ev();
    pool.accept(e);
    flush();
    expect(pool.buffered).toEqual([e]);
    expect(logs).toContain('DEBG rebuffering event 0 for pool whatever (buf size=0, max=10)');
  });

  it('overflow discards the oldest, logs ERRO and counts', () => {
    const { pool, logs, drops } = setup({ bufferSize: 2 });
    pool.accept(ev('a'));
    pool.accept(ev('b'));
    pool.accept(ev('c'));
    pool.accept(ev('d'));
    expect(pool.buffered.map((e) => e.serial)).toEqual([2, 3]);
    expect(logs.filter((l) => l.startsWith('ERRO'))).toEqual([
      'ERRO pool whatever event buffer overflowed, discarding event 0',
      'ERRO pool whatever event buffer overflowed, discarding event 1',
    ]);
    expect(drops()).toBe(2);
  });

  it('re-queue at head with a full buffer discards the oldest (test_handle_rejected_event_buffer_overflowed)', () => {
    const { pool, logs, flush, running, writes } = setup({ bufferSize: 3, processNames: ['process1'] });
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    const rejected = ev('r');
    pool.accept(rejected); // serial 0, sent to process1
    flush();
    expect(writes).toHaveLength(1);
    pool.accept(ev('a'));
    pool.accept(ev('b'));
    pool.accept(ev('c'));
    pool.onStdout('process1', Buffer.from('RESULT 4\nFAIL'));
    expect(pool.buffered.map((e) => e.serial)).toEqual([0, 2, 3]);
    expect(logs).toContain('ERRO pool whatever event buffer overflowed, discarding event 1');
    expect(logs).toContain('WARN process1: event was rejected');
  });

  it('FAIL: the same event (same serials) is sent again when the listener is READY again', () => {
    const { pool, writes, flush, running, logs } = setup({ processNames: ['process1'] });
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev('x'));
    pool.accept(ev('y'));
    flush();
    pool.onStdout('process1', Buffer.from('RESULT 4\nFAILREADY\n'));
    flush();
    expect(writes.map((w) => w.data.split(' ').slice(2, 4).join(' '))).toEqual([
      'serial:0 pool:whatever',
      'serial:0 pool:whatever',
    ]);
    expect(writes[1]!.data).toBe(writes[0]!.data);
    expect(logs).toContain('DEBG rebuffering event 0 for pool whatever (buf size=1, max=10)');
    expect(pool.buffered.map((e) => e.serial)).toEqual([1]);
  });

  it('listener death while BUSY re-queues its event at the head; the restarted listener gets it', () => {
    const { pool, writes, flush, running } = setup({ processNames: ['process1'] });
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev('x'));
    pool.accept(ev('y'));
    flush();
    expect(writes).toHaveLength(1);
    pool.onProcessState('process1', ProcessState.EXITED);
    expect(pool.buffered.map((e) => e.serial)).toEqual([0, 1]);
    running('process1');
    expect(pool.listenerState('process1')).toBe(ListenerState.ACKNOWLEDGED);
    flush();
    expect(writes).toHaveLength(1);
    pool.onStdout('process1', Buffer.from('READY\n'));
    flush();
    expect(writes).toHaveLength(2);
    expect(writes[1]!.data).toBe(writes[0]!.data);
  });

  it('a bad result line puts the listener in UNKNOWN and the event goes to another listener', () => {
    const { pool, writes, flush, running, logs } = setup();
    running('process1');
    running('process2');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.accept(ev('x'));
    flush();
    pool.onStdout('process2', Buffer.from('READY\n'));
    pool.onStdout('process1', Buffer.from('RESULT abc\n'));
    flush();
    expect(logs).toContain("WARN process1: bad result line: 'RESULT abc'");
    expect(writes.map((w) => w.proc)).toEqual(['process1', 'process2']);
    expect(pool.listenerState('process1')).toBe(ListenerState.UNKNOWN);
  });

  it('a closed pool neither accepts nor dispatches', () => {
    const { pool, writes, flush, running } = setup();
    running('process1');
    pool.onStdout('process1', Buffer.from('READY\n'));
    pool.close();
    pool.accept(ev());
    flush();
    expect(writes).toEqual([]);
    expect(pool.buffered).toEqual([]);
  });
});
