/**
 * The event stream behind GET /api/events: numbered events kept in a ring buffer so a reconnecting
 * browser resumes from Last-Event-ID, fleet events to everyone, application events to the browsers
 * watching that application. Events go out through the coordinator, which numbers them and hands them
 * to every replica's bus (this one's included), so the ids are the same on every replica.
 */
import type { ServerEvent } from '@mfc/contracts';
import type { Coordinator } from '../coordination/coordinator.js';

const BUFFER = 2000;

export interface StoredEvent {
  /** Absent on a hint: a local event a reconnecting browser need not replay. */
  id?: number;
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
  private readonly watchListeners: (() => void)[] = [];
  private readonly deliveryListeners: ((event: ServerEvent) => void)[] = [];

  constructor(private readonly coordinator?: Coordinator) {
    coordinator?.onEvent((id, event) => this.deliver(id, event));
  }

  /** Called when the set of watched applications changes (to start or stop pollers). */
  onWatchChange(listener: () => void): void {
    this.watchListeners.push(listener);
  }

  /** Called for every event this replica delivers (its own and other replicas'). */
  onDeliver(listener: (event: ServerEvent) => void): void {
    this.deliveryListeners.push(listener);
  }

  /** Sends an event to every replica's browsers (with no coordinator, to this one's at once). */
  publish(event: ServerEvent): void {
    if (!this.coordinator) {
      this.deliver(this.seq + 1, event);
      return;
    }
    this.coordinator.publish(event).catch(() => {
      // The store is unreachable: this replica's browsers still hear it, and refetch when it returns.
      this.deliver(this.seq + 1, event);
    });
  }

  /**
   * Tells only this replica's browsers (no id, not kept): for what only this replica knows, such as its
   * own caches having filled in (the browsers refetch and get the rows this replica can now answer).
   */
  hint(event: ServerEvent): void {
    for (const s of this.subscribers) if (wants(s, event)) s.send({ event });
  }

  /** Hands a numbered event to this replica's browsers and keeps it for those that reconnect. */
  deliver(id: number, event: ServerEvent): StoredEvent {
    const stored = { id, event };
    this.seq = Math.max(this.seq, id);
    this.buffer.push(stored);
    if (this.buffer.length > BUFFER) this.buffer.splice(0, this.buffer.length - BUFFER);
    for (const s of this.subscribers) if (wants(s, event)) s.send(stored);
    for (const l of this.deliveryListeners) l(event);
    return stored;
  }

  /** Events after `lastId` the subscriber would have received, or undefined when they are no longer kept. */
  since(lastId: number, watches: Set<string>): StoredEvent[] | undefined {
    if (lastId >= this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.id! > lastId + 1) return undefined;
    return this.buffer.filter((e) => e.id! > lastId && wants({ watches, send: () => {} }, e.event));
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    for (const l of this.watchListeners) l();
    return () => {
      this.subscribers.delete(s);
      for (const l of this.watchListeners) l();
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
