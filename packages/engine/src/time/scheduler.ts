/**
 * Discrete-event scheduler over virtual time. Events are plain data (type + payload), never closures,
 * so the queue can be persisted and a restarted emulator resumes in-flight operations.
 * Ties are broken by insertion sequence, which keeps every run with the same calls identical.
 */
export interface ScheduledEvent<P = unknown> {
  id: string;
  at: number;
  seq: number;
  type: string;
  payload: P;
}

export interface SchedulerListener {
  scheduled(event: ScheduledEvent): void;
  removed(event: ScheduledEvent): void;
}

export class Scheduler {
  private heap: ScheduledEvent[] = [];
  private live = new Map<string, ScheduledEvent>();
  private seq = 0;
  listener?: SchedulerListener;

  get size(): number {
    return this.live.size;
  }

  get nextSeq(): number {
    return this.seq;
  }

  schedule<P>(at: number, type: string, payload: P): ScheduledEvent<P> {
    const seq = this.seq++;
    const event: ScheduledEvent<P> = { id: `e${seq}`, at, seq, type, payload };
    this.insert(event);
    this.listener?.scheduled(event);
    return event;
  }

  /** Re-inserts events loaded from storage; keeps their ids and order. */
  load(events: ScheduledEvent[], nextSeq: number): void {
    for (const e of events) this.insert(e);
    this.seq = Math.max(nextSeq, ...events.map((e) => e.seq + 1), this.seq);
  }

  cancel(id: string | undefined): void {
    if (id === undefined) return;
    const e = this.live.get(id);
    if (!e) return;
    this.live.delete(id);
    this.listener?.removed(e);
  }

  has(id: string | undefined): boolean {
    return id !== undefined && this.live.has(id);
  }

  get(id: string): ScheduledEvent | undefined {
    return this.live.get(id);
  }

  /** Time of the earliest live event, if any. */
  peekTime(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.at;
  }

  /** Removes and returns the earliest live event due at or before `t`. */
  popDue(t: number): ScheduledEvent | undefined {
    this.dropCancelledHead();
    const head = this.heap[0];
    if (!head || head.at > t) return undefined;
    this.popHead();
    this.live.delete(head.id);
    this.listener?.removed(head);
    return head;
  }

  events(): ScheduledEvent[] {
    return [...this.live.values()].sort(compare);
  }

  private insert(e: ScheduledEvent): void {
    this.live.set(e.id, e);
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(h[i]!, h[p]!) >= 0) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.id) !== this.heap[0]) this.popHead();
  }

  private popHead(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && compare(h[l]!, h[m]!) < 0) m = l;
      if (r < h.length && compare(h[r]!, h[m]!) < 0) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function compare(a: ScheduledEvent, b: ScheduledEvent): number {
  return a.at - b.at || a.seq - b.seq;
}
