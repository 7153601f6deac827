import type { EventChannel, EventPayload } from '../../../shared/contract.js';

/** One event as it travels to every face (IPC, SSE, `guardia watch`). */
export type CoreEvent = { [E in EventChannel]: { channel: E; payload: EventPayload<E> } }[EventChannel];

export type EventListener = (event: CoreEvent) => void;

/**
 * Core's single event stream. Faces subscribe and must unsubscribe when their window or socket goes
 * away; a throwing listener is isolated so one broken client cannot starve the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    const event = { channel, payload } as CoreEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
