import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { EventStream, eventsUrl, type EventSourceLike } from '../src/api/events';
import { WatchRegistry } from '../src/api/watch';
import { qk } from '../src/api/keys';
import { fleetApp } from './fixtures';

class FakeSource implements EventSourceLike {
  readyState = 1;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  listeners = new Map<string, (ev: MessageEvent) => void>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  emit(data: unknown, id: string) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(data), lastEventId: id }));
  }
}

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  const sources: FakeSource[] = [];
  const stream = new EventStream(qc, (url) => {
    const s = new FakeSource(url);
    sources.push(s);
    return s;
  });
  return { qc, sources, stream };
}

describe('eventsUrl', () => {
  it('names the watched applications and where to resume', () => {
    expect(eventsUrl([], undefined)).toBe('/api/events');
    expect(eventsUrl(['a', 'b.c'], undefined)).toBe('/api/events?watch=a%2Cb.c');
    expect(eventsUrl(['a'], '42')).toBe('/api/events?watch=a&lastEventId=42');
  });
});

describe('EventStream', () => {
  it('applies valid events to the cache and drops malformed ones', () => {
    const { qc, sources, stream } = setup();
    qc.setQueryData(qk.fleet, { generatedAt: 0, applications: [fleetApp('a')] });
    stream.setWatch(['a']);
    const s = sources[0]!;
    s.onopen?.(new Event('open'));
    expect(stream.status).toBe('live');
    s.emit({ type: 'application', application: 'a', status: 'UPDATING' }, '5');
    expect(qc.getQueryData<{ applications: { status: string }[] }>(qk.fleet)!.applications[0]!.status).toBe('UPDATING');
    s.emit({ type: 'application', application: 'a', status: 'NOT_A_STATUS' }, '6');
    s.onmessage?.(new MessageEvent('message', { data: 'not json', lastEventId: '7' }));
    expect(qc.getQueryData<{ applications: { status: string }[] }>(qk.fleet)!.applications[0]!.status).toBe('UPDATING');
  });

  it('reopens from the last event id when the watched set changes, and not otherwise', () => {
    const { sources, stream } = setup();
    stream.setWatch(['a']);
    sources[0]!.emit({ type: 'fleet', changed: [] }, '9');
    stream.setWatch(['a']);
    expect(sources).toHaveLength(1);
    stream.setWatch(['a', 'b']);
    expect(sources).toHaveLength(2);
    expect(sources[0]!.closed).toBe(true);
    expect(sources[1]!.url).toBe('/api/events?watch=a%2Cb&lastEventId=9');
  });

  it('invalidates every query on a reset event', () => {
    const { qc, sources, stream } = setup();
    qc.setQueryData(qk.keys, { keys: [] });
    stream.setWatch([]);
    sources[0]!.listeners.get('reset')!(new MessageEvent('reset', { data: '{}', lastEventId: '100' }));
    expect(qc.getQueryState(qk.keys)?.isInvalidated).toBe(true);
  });

  it('watches at most 20 applications', () => {
    const { sources, stream } = setup();
    stream.setWatch(Array.from({ length: 30 }, (_, i) => `app${i}`));
    expect(new URL(sources[0]!.url, 'http://x').searchParams.get('watch')!.split(',')).toHaveLength(20);
  });
});

describe('WatchRegistry', () => {
  it('puts the application page first, dedupes, caps and debounces', () => {
    vi.useFakeTimers();
    const seen: string[][] = [];
    const r = new WatchRegistry((names) => seen.push(names), 100);
    const offFleet = r.register(
      Array.from({ length: 25 }, (_, i) => `f${i}`),
      0,
    );
    r.register(['page-app', 'f1'], 10);
    vi.advanceTimersByTime(99);
    expect(seen).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe('page-app');
    expect(seen[0]!).toHaveLength(20);
    expect(new Set(seen[0]).size).toBe(20);
    offFleet();
    vi.advanceTimersByTime(100);
    expect(seen.at(-1)).toEqual(['page-app', 'f1']);
    vi.useRealTimers();
  });
});
