// A tiny synchronous publish/subscribe bus. A throwing subscriber is isolated: it is reported through
// onSubscriberError and never breaks the publisher (a bug in a side subsystem must not stop supervision).
import type { EngineEvent } from './types.js';

export type EventHandler = (event: EngineEvent) => void;

export class EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly onSubscriberError: (err: unknown) => void = () => {}) {}

  /** Returns the unsubscribe function. */
  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  publish(event: EngineEvent): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(event);
      } catch (err) {
        this.onSubscriberError(err);
      }
    }
  }

  get size(): number {
    return this.handlers.size;
  }
}
