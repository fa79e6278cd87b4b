/**
 * The event stream behind GET /api/events: numbered events kept in a ring buffer so a reconnecting
 * browser resumes from Last-Event-ID, fleet events to everyone, application events to the browsers
 * watching that application.
 */
import type { ServerEvent } from '@mfc/contracts';

const BUFFER = 2000;

export interface StoredEvent {
  id: number;
  event: ServerEvent;
}

export interface Subscriber {
  watches: Set<string>;
  send(e: StoredEvent): void;
}

export class EventBus {
  private seq = 0;
  private buffer: StoredEvent[] = [];
  private subscribers = new Set<Subscriber>();
  /** Called when the set of watched applications changes (to start or stop pollers). */
  onWatchChange?: () => void;

  publish(event: ServerEvent): StoredEvent {
    const stored = { id: ++this.seq, event };
    this.buffer.push(stored);
    if (this.buffer.length > BUFFER) this.buffer.splice(0, this.buffer.length - BUFFER);
    for (const s of this.subscribers) if (wants(s, event)) s.send(stored);
    return stored;
  }

  /** Events after `lastId` the subscriber would have received, or undefined when they are no longer kept. */
  since(lastId: number, watches: Set<string>): StoredEvent[] | undefined {
    if (lastId >= this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.id > lastId + 1) return undefined;
    return this.buffer.filter((e) => e.id > lastId && wants({ watches, send: () => {} }, e.event));
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    this.onWatchChange?.();
    return () => {
      this.subscribers.delete(s);
      this.onWatchChange?.();
    };
  }

  get lastId(): number {
    return this.seq;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Applications at least one browser watches. */
  watched(): Set<string> {
    const out = new Set<string>();
    for (const s of this.subscribers) for (const w of s.watches) out.add(w);
    return out;
  }
}

function wants(s: Subscriber, e: ServerEvent): boolean {
  return e.type === 'application' || e.type === 'fleet' || e.type === 'alarm' || s.watches.has(e.application);
}
