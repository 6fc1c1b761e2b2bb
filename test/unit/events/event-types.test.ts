import { describe, expect, it } from 'vitest';
import {
  eventNameOf,
  eventTypeNames,
  isEventTypeName,
  isSubtypeOf,
  subscriptionMatches,
} from '../../../src/events/event-types.js';
import { ProcessState } from '../../../src/supervision/states.js';

describe('event type hierarchy', () => {
  it('lists exactly supervisord EventTypes names', () => {
    expect([...eventTypeNames].sort()).toEqual(
      [
        'EVENT',
        'PROCESS_STATE',
        'PROCESS_STATE_STOPPED',
        'PROCESS_STATE_EXITED',
        'PROCESS_STATE_STARTING',
        'PROCESS_STATE_STOPPING',
        'PROCESS_STATE_BACKOFF',
        'PROCESS_STATE_FATAL',
        'PROCESS_STATE_RUNNING',
        'PROCESS_STATE_UNKNOWN',
        'PROCESS_COMMUNICATION',
        'PROCESS_COMMUNICATION_STDOUT',
        'PROCESS_COMMUNICATION_STDERR',
        'PROCESS_LOG',
        'PROCESS_LOG_STDOUT',
        'PROCESS_LOG_STDERR',
        'REMOTE_COMMUNICATION',
        'SUPERVISOR_STATE_CHANGE',
        'SUPERVISOR_STATE_CHANGE_RUNNING',
        'SUPERVISOR_STATE_CHANGE_STOPPING',
        'TICK',
        'TICK_5',
        'TICK_60',
        'TICK_3600',
        'PROCESS_GROUP',
        'PROCESS_GROUP_ADDED',
        'PROCESS_GROUP_REMOVED',
      ].sort(),
    );
    expect(isEventTypeName('tick_5')).toBe(true);
    expect(isEventTypeName('FOO')).toBe(false);
    expect(isEventTypeName('toString')).toBe(false);
  });

  it('base types include their subtypes (and EVENT includes everything)', () => {
    expect(isSubtypeOf('PROCESS_STATE_RUNNING', 'PROCESS_STATE')).toBe(true);
    expect(isSubtypeOf('PROCESS_STATE_RUNNING', 'EVENT')).toBe(true);
    expect(isSubtypeOf('TICK_60', 'TICK')).toBe(true);
    expect(isSubtypeOf('TICK_60', 'TICK_5')).toBe(false);
    expect(isSubtypeOf('PROCESS_LOG_STDOUT', 'PROCESS_COMMUNICATION')).toBe(false);
    expect(isSubtypeOf('PROCESS_GROUP_ADDED', 'PROCESS_STATE')).toBe(false);
    expect(isSubtypeOf('NOPE', 'EVENT')).toBe(false);
    expect(subscriptionMatches(['process_state', 'TICK_60'], 'PROCESS_STATE_FATAL')).toBe(true);
    expect(subscriptionMatches(['PROCESS_STATE', 'TICK_60'], 'TICK_5')).toBe(false);
  });

  it('maps engine events to concrete names', () => {
    const process = { name: 'a', group: 'a' };
    expect(
      eventNameOf({ kind: 'process-state', process, from: ProcessState.BACKOFF, to: ProcessState.FATAL, tries: 0, expected: false, pid: 0 }),
    ).toBe('PROCESS_STATE_FATAL');
    expect(eventNameOf({ kind: 'process-log', process, channel: 'stderr', pid: 1, data: Buffer.from('') })).toBe(
      'PROCESS_LOG_STDERR',
    );
    expect(eventNameOf({ kind: 'process-communication', process, channel: 'stdout', pid: 1, data: Buffer.from('') })).toBe(
      'PROCESS_COMMUNICATION_STDOUT',
    );
    expect(eventNameOf({ kind: 'supervisor-state', state: 'STOPPING' })).toBe('SUPERVISOR_STATE_CHANGE_STOPPING');
    expect(eventNameOf({ kind: 'tick', period: 3600, when: 0 })).toBe('TICK_3600');
    expect(eventNameOf({ kind: 'group', action: 'removed', group: 'g' })).toBe('PROCESS_GROUP_REMOVED');
    expect(eventNameOf({ kind: 'remote-communication', type: 't', data: 'd' })).toBe('REMOTE_COMMUNICATION');
  });
});
