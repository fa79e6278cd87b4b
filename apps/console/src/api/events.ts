/**
 * The SSE connection to /api/events. One EventSource for the whole tab; it names the applications on
 * screen (`watch`) so the BFF sends their operation, snapshot and job events. When that set changes the
 * stream is reopened from the last event id, so nothing in between is lost; a `reset` event (the BFF no
 * longer has the events we missed) invalidates every query.
 */
import { ServerEvent } from '@mfc/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { toast } from '../components/Toaster';
import { applyServerEvent } from './cache';
import { loadSession } from './client';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

/** The BFF keeps at most this many watched applications per connection. */
export const MAX_WATCH = 20;
const CLOSED = 2;

export function eventsUrl(watch: readonly string[], lastEventId: string | undefined): string {
  const params = new URLSearchParams();
  if (watch.length > 0) params.set('watch', watch.join(','));
  if (lastEventId !== undefined) params.set('lastEventId', lastEventId);
  const q = params.toString();
  return `/api/events${q ? `?${q}` : ''}`;
}

export class EventStream {
  private source?: EventSourceLike;
  private lastId?: string;
  private watch: string[] = [];
  private retryTimer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private statusValue: StreamStatus = 'closed';
  private listeners = new Set<() => void>();

  constructor(
    private qc: QueryClient,
    private open: (url: string) => EventSourceLike = (url) => new EventSource(url),
  ) {}

  get status(): StreamStatus {
    return this.statusValue;
  }

  get watching(): readonly string[] {
    return this.watch;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = (): StreamStatus => this.statusValue;

  private setStatus(s: StreamStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    for (const l of this.listeners) l();
  }

  /** Starts the stream, or reopens it when the watched set changed. */
  setWatch(names: readonly string[]): void {
    const next = [...new Set(names)].slice(0, MAX_WATCH);
    const same = next.length === this.watch.length && next.every((n, i) => n === this.watch[i]);
    if (same && this.source) return;
    this.watch = next;
    this.connect();
  }

  connect(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    // A reopen for a new watch set is not an outage: only errors show "reconnecting".
    if (this.statusValue !== 'live') this.setStatus(this.failures > 0 ? 'reconnecting' : 'connecting');
    const source = this.open(eventsUrl(this.watch, this.lastId));
    this.source = source;
    source.onopen = () => {
      this.failures = 0;
      this.setStatus('live');
    };
    source.onmessage = (m) => this.handle(m);
    source.addEventListener('hello', (m) => this.remember(m));
    source.addEventListener('reset', (m) => {
      this.remember(m);
      void this.qc.invalidateQueries();
    });
    source.onerror = () => {
      if (this.source !== source) return;
      // The browser retries by itself unless the stream is closed for good (a 401, for example).
      if (source.readyState !== CLOSED) return this.setStatus('reconnecting');
      this.setStatus('reconnecting');
      const delay = Math.min(30_000, 1000 * 2 ** this.failures++);
      this.retryTimer = setTimeout(() => {
        void loadSession().then(() => this.connect());
      }, delay);
    };
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
    this.setStatus('closed');
  }

  private remember(m: MessageEvent): void {
    if (m.lastEventId) this.lastId = m.lastEventId;
  }

  /** One message: validated (a malformed event is dropped, not applied), then written into the cache. */
  handle(m: MessageEvent): void {
    this.remember(m);
    let data: unknown;
    try {
      data = JSON.parse(String(m.data));
    } catch {
      return;
    }
    const parsed = ServerEvent.safeParse(data);
    if (!parsed.success) return;
    applyServerEvent(this.qc, parsed.data);
    // An alarm that fires is news wherever the operator is (it stays until dismissed).
    if (parsed.data.type === 'alarm' && parsed.data.state === 'ALARM')
      toast(`Alarm ${parsed.data.alarm} is in ALARM`, 'error');
  }
}
