// Event type names accepted in [eventlistener:x] events= (supervisor.events.EventTypes, spec §6.1).
import { EVENT_TYPE_PARENT } from '../common/event-type-names.js';

export const EVENT_TYPE_NAMES: ReadonlySet<string> = new Set(Object.keys(EVENT_TYPE_PARENT));

/** The only result_handler tsinit implements (supervisord's default). */
export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
