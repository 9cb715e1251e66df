import type { StudioEvent } from '../../src-shared/generation';
import { log } from './log';

export type EventListener = (event: StudioEvent) => void;

/** Progress of long work, one stream for all of it: IPC and server-sent events forward it as is. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StudioEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error('Event listener failed', error);
      }
    }
  }
}
