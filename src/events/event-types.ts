// supervisord's event type hierarchy (spec §6.1): the names used in `events=` and in the envelope's
// `eventname:`, which names are abstract, and how an EngineEvent maps to its concrete name.
import { stateName } from '../supervision/states.js';
import { EVENT_TYPE_PARENT as PARENT } from '../common/event-type-names.js';
import type { EngineEvent } from './types.js';

/**
 * Every valid event type name (upper case), in supervisord's order. The config reader validates
 * `events=` against this list (`Unknown event type FOO in [eventlistener:x] events`).
 */
export const eventTypeNames: readonly string[] = Object.freeze(Object.keys(PARENT));

/** Abstract types: never emitted themselves, subscribing to one delivers all its subtypes. */
export const abstractEventTypeNames: readonly string[] = Object.freeze([
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_COMMUNICATION',
  'PROCESS_LOG',
  'SUPERVISOR_STATE_CHANGE',
  'TICK',
  'PROCESS_GROUP',
]);

/** Whether `name` (any case) is a known event type name. */
export function isEventTypeName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PARENT, name.toUpperCase());
}

/** True when `name` is `base` or one of its (transitive) subtypes. Unknown names are subtypes of nothing. */
export function isSubtypeOf(name: string, base: string): boolean {
  let current: string | null | undefined = name;
  while (current != null) {
    if (current === base) return true;
    current = Object.prototype.hasOwnProperty.call(PARENT, current) ? PARENT[current] : undefined;
  }
  return false;
}

/** The periods of the TICK_* types, in the order supervisord fires them within one tick. */
export const tickPeriods = [5, 60, 3600] as const;
export type TickPeriod = (typeof tickPeriods)[number];

/** The concrete event type name of an engine event (what goes into `eventname:`). */
export function eventNameOf(event: EngineEvent): string {
  switch (event.kind) {
    case 'process-state':
      return `PROCESS_STATE_${stateName(event.to)}`;
    case 'process-log':
      return event.channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR';
    case 'process-communication':
      return event.channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR';
    case 'supervisor-state':
      return `SUPERVISOR_STATE_CHANGE_${event.state}`;
    case 'tick':
      return `TICK_${event.period}`;
    case 'group':
      return event.action === 'added' ? 'PROCESS_GROUP_ADDED' : 'PROCESS_GROUP_REMOVED';
    case 'remote-communication':
      return 'REMOTE_COMMUNICATION';
  }
}

/** Whether a subscription list (names as in `events=`, any case) covers the concrete event `name`. */
export function subscriptionMatches(subscriptions: readonly string[], name: string): boolean {
  return subscriptions.some((base) => isSubtypeOf(name, base.toUpperCase()));
}
