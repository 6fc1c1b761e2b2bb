import { describe, expect, it } from 'vitest';
import { createListenerPools } from '../../../src/events/pools.js';
import { ProcessState } from '../../../src/supervision/states.js';
import { FakeControl, ManualTimers, listenerGroup, proc, programGroup, recordingLog } from './fakes.js';

function setup(startMs = 1_795_511_993_000) {
  const control = new FakeControl();
  const log = recordingLog();
  const timers = new ManualTimers(startMs);
  const tasks: (() => void)[] = [];
  const pools = createListenerPools({
    control: control.asControl(),
    bus: control.events,
    mainLog: log,
    identifier: 'supervisor',
    timers,
    schedule: (fn) => tasks.push(fn),
  });
  const flush = () => {
    while (tasks.length) tasks.shift()!();
  };
  const header = (i: number) => control.writes[i]!.data.split('\n')[0];
  return { control, log, timers, pools, flush, header };
}

function start(s: ReturnType<typeof setup>, group: string, name = group) {
  s.control.setState(group, name, ProcessState.STARTING);
  s.control.setState(group, name, ProcessState.RUNNING);
  s.pools.tapFor(proc(name, group))!(Buffer.from('READY\n'));
  s.flush();
}

describe('createListenerPools', () => {
  it('taps only eventlistener processes', () => {
    const { pools } = setup();
    expect(pools.tapFor(proc('web', 'web', 'program'))).toBeUndefined();
    expect(typeof pools.tapFor(proc('lis', 'lis'))).toBe('function');
  });

  it('a pool sees its own PROCESS_GROUP_ADDED and those of later groups, not its own removal', () => {
    const s = setup();
    s.control.add(listenerGroup('lis', ['PROCESS_GROUP']));
    s.control.add(programGroup('web'));
    start(s, 'lis');
    s.pools.tapFor(proc('lis', 'lis'))!(Buffer.from('RESULT 2\nOKREADY\n'));
    s.flush();
    expect(s.control.writes.map((w) => w.data)).toEqual([
      'ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:PROCESS_GROUP_ADDED len:14\ngroupname:lis\n',
      'ver:3.0 server:supervisor serial:1 pool:lis poolserial:1 eventname:PROCESS_GROUP_ADDED len:14\ngroupname:web\n',
    ]);
    s.control.remove('web');
    s.control.remove('lis');
    expect(s.pools.pool('lis')).toBeUndefined();
    expect(s.pools.pool('lis2')).toBeUndefined();
  });

  it('events before a pool exists are not delivered to it; serials are global and assigned only when accepted', () => {
    const s = setup();
    s.control.add(programGroup('web')); // nobody listens: no serial consumed
    s.control.add(listenerGroup('a', ['PROCESS_STATE']));
    s.control.add(listenerGroup('b', ['PROCESS_STATE_RUNNING', 'PROCESS_GROUP']));
    s.control.setState('web', 'web', ProcessState.STARTING); // a only: serial 0
    s.control.setState('web', 'web', ProcessState.RUNNING); // a and b: serial 1
    const a = s.pools.pool('a')!.buffered;
    const b = s.pools.pool('b')!.buffered;
    // b's own PROCESS_GROUP_ADDED took serial 0 (a does not subscribe to PROCESS_GROUP)
    expect(b.map((e) => [e.name, e.serial, e.poolSerials.get('b')])).toEqual([
      ['PROCESS_GROUP_ADDED', 0, 0],
      ['PROCESS_STATE_RUNNING', 2, 1],
    ]);
    expect(a.map((e) => [e.name, e.serial, e.poolSerials.get('a')])).toEqual([
      ['PROCESS_STATE_STARTING', 1, 0],
      ['PROCESS_STATE_RUNNING', 2, 1],
    ]);
    expect(a[1]).toBe(b[1]); // one shared event record
    expect(b[0]!.payload.bytes.toString()).toBe('groupname:b\n');
  });

  it('subscribing to a base type and one of its subtypes delivers the event once', () => {
    const s = setup();
    s.control.add(listenerGroup('a', ['PROCESS_STATE', 'PROCESS_STATE_RUNNING']));
    s.control.setState('x', 'x', ProcessState.RUNNING);
    expect(s.pools.pool('a')!.buffered).toHaveLength(1);
  });

  it('the listener is dispatched to only once RUNNING and READY', () => {
    const s = setup();
    s.control.add(listenerGroup('lis', ['PROCESS_STATE']));
    s.control.setState('lis', 'lis', ProcessState.STARTING);
    s.pools.tapFor(proc('lis', 'lis'))!(Buffer.from('READY\n'));
    s.flush();
    expect(s.control.writes).toEqual([]);
    s.control.setState('lis', 'lis', ProcessState.RUNNING);
    s.flush();
    expect(s.control.writes.map((w) => w.data.split('\n')[1])).toEqual([
      'processname:lis groupname:lis from_state:STOPPED tries:0',
    ]);
  });

  it('a listener that dies mid-event gets the event again after restart; its spawn resets the protocol', () => {
    const s = setup();
    s.control.add(listenerGroup('lis', ['REMOTE_COMMUNICATION']));
    start(s, 'lis');
    s.control.events.publish({ kind: 'remote-communication', type: 't', data: 'one' });
    s.flush();
    expect(s.control.writes).toHaveLength(1);
    s.control.setState('lis', 'lis', ProcessState.EXITED);
    expect(s.pools.pool('lis')!.buffered.map((e) => e.serial)).toEqual([0]);
    start(s, 'lis');
    expect(s.control.writes).toHaveLength(2);
    expect(s.control.writes[1]!.data).toBe(s.control.writes[0]!.data);
  });

  it('delivers through writeListenerStdin (no SHUTDOWN_STATE gate) when the engine offers it', () => {
    const s = setup();
    const control = s.control.asControl() as unknown as Record<string, unknown>;
    const viaListener: string[] = [];
    control['writeStdin'] = () => {
      throw new Error('SHUTDOWN_STATE');
    };
    control['writeListenerStdin'] = (_g: string, _n: string, data: Buffer) => viaListener.push(data.toString());
    const tasks: (() => void)[] = [];
    const pools = createListenerPools({
      control: control as never,
      bus: s.control.events,
      mainLog: recordingLog(),
      identifier: 'x',
      schedule: (f) => tasks.push(f),
    });
    s.control.add(listenerGroup('lis', ['SUPERVISOR_STATE_CHANGE']));
    s.control.setState('lis', 'lis', ProcessState.STARTING);
    s.control.setState('lis', 'lis', ProcessState.RUNNING);
    pools.tapFor(proc('lis', 'lis'))!(Buffer.from('READY\n'));
    s.control.events.publish({ kind: 'supervisor-state', state: 'STOPPING' });
    while (tasks.length) tasks.shift()!();
    expect(viaListener).toEqual(['ver:3.0 server:x serial:0 pool:lis poolserial:0 eventname:SUPERVISOR_STATE_CHANGE_STOPPING len:0\n']);
    pools.close();
  });

  it('counts dropped events across pools', () => {
    const s = setup();
    s.control.add(listenerGroup('a', ['REMOTE_COMMUNICATION'], { bufferSize: 2 }));
    s.control.add(listenerGroup('b', ['REMOTE_COMMUNICATION'], { bufferSize: 1 }));
    for (let i = 0; i < 4; i++) s.control.events.publish({ kind: 'remote-communication', type: 't', data: String(i) });
    expect(s.pools.droppedEvents()).toBe(2 + 3);
    expect(s.log.lines).toContain('ERRO pool a event buffer overflowed, discarding event 0');
    expect(s.log.lines).toContain('ERRO pool b event buffer overflowed, discarding event 2');
  });

  it('a throwing engine call never escapes into the publisher', () => {
    const s = setup();
    const control = s.control.asControl();
    (control as { writeStdin: unknown }).writeStdin = () => {
      throw new Error('NOT_RUNNING');
    };
    const log = recordingLog();
    const tasks: (() => void)[] = [];
    const pools = createListenerPools({ control, bus: s.control.events, mainLog: log, identifier: 'x', schedule: (f) => tasks.push(f) });
    s.control.add(listenerGroup('lis', ['EVENT']));
    s.control.setState('lis', 'lis', ProcessState.STARTING);
    s.control.setState('lis', 'lis', ProcessState.RUNNING);
    pools.tapFor(proc('lis', 'lis'))!(Buffer.from('READY\n'));
    while (tasks.length) tasks.shift()!();
    expect(log.lines.some((l) => l.startsWith('DEBG epipe occurred while sending event'))).toBe(true);
    pools.close();
    s.pools.close();
  });

  describe('TICK timers', () => {
    it('no timer without a TICK subscription (EVENT counts as one)', () => {
      const s = setup();
      expect(s.pools.ticking).toBe(false);
      s.control.add(listenerGroup('a', ['PROCESS_STATE']));
      expect(s.pools.ticking).toBe(false);
      expect(s.timers.pending.size).toBe(0);
      s.control.add(listenerGroup('b', ['EVENT']));
      expect(s.pools.ticking).toBe(true);
      s.control.remove('b');
      expect(s.pools.ticking).toBe(false);
      expect(s.timers.pending.size).toBe(0);
    });

    it('fires at multiples of the period since the epoch, not on start, with when:<boundary>', () => {
      const s = setup(1_795_511_993_500); // 1795511993.5 s
      s.control.add(listenerGroup('lis', ['TICK_5']));
      start(s, 'lis');
      expect(s.control.writes).toHaveLength(0);
      s.timers.advance(1_400); // 1795511994.9: same slice
      s.flush();
      expect(s.control.writes).toHaveLength(0);
      s.timers.advance(100); // 1795511995.0: boundary
      s.flush();
      expect(s.control.writes.map((w) => w.data)).toEqual([
        'ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:TICK_5 len:15\nwhen:1795511995',
      ]);
      s.pools.tapFor(proc('lis', 'lis'))!(Buffer.from('RESULT 2\nOKREADY\n'));
      s.timers.advance(5_000);
      s.flush();
      expect(s.control.writes[1]!.data.split('\n')[1]).toBe('when:1795512000');
    });

    it('TICK base type gets 5, 60 and 3600 in that order at an hour boundary', () => {
      const s = setup(3600 * 498_753 * 1000 - 2_000); // 2 s before an hour boundary
      s.control.add(listenerGroup('lis', ['TICK'], { bufferSize: 10 }));
      s.timers.advance(2_000);
      const names = s.pools.pool('lis')!.buffered.map((e) => `${e.name} ${e.payload.bytes.toString()}`);
      const hour = 3600 * 498_753;
      expect(names).toEqual([`TICK_5 when:${hour}`, `TICK_60 when:${hour}`, `TICK_3600 when:${hour}`]);
    });

    it('only TICK_3600 subscribed: the timer is armed for the next hour, not every 5 s', () => {
      const s = setup(3600 * 1000 * 500_000 + 10_000);
      s.control.add(listenerGroup('lis', ['TICK_3600']));
      const dues = [...s.timers.pending.values()].map((p) => p.due);
      expect(dues).toEqual([3600 * 1000 * 500_001]);
    });

    it('close() disarms everything', () => {
      const s = setup();
      s.control.add(listenerGroup('lis', ['TICK_60']));
      s.pools.close();
      expect(s.timers.pending.size).toBe(0);
      s.control.events.publish({ kind: 'remote-communication', type: 't', data: '' });
    });
  });
});
