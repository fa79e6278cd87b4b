/**
 * Which applications are on screen: pages register the names they show, and the union (the current
 * application first, then visible fleet rows) becomes the stream's `watch` set, debounced so scrolling
 * the fleet does not reopen the stream on every frame.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { EventStream, MAX_WATCH, type StreamStatus } from './events';

export class WatchRegistry {
  private entries = new Map<number, { names: readonly string[]; priority: number }>();
  private nextId = 1;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private onChange: (names: string[]) => void,
    private debounceMs = 400,
  ) {}

  register(names: readonly string[], priority: number): () => void {
    const id = this.nextId++;
    this.entries.set(id, { names, priority });
    this.schedule();
    return () => {
      this.entries.delete(id);
      this.schedule();
    };
  }

  /** Highest priority first, each name once, at most MAX_WATCH. */
  names(): string[] {
    const sorted = [...this.entries.values()].sort((a, b) => b.priority - a.priority);
    const out: string[] = [];
    for (const e of sorted) for (const n of e.names) if (!out.includes(n) && out.length < MAX_WATCH) out.push(n);
    return out;
  }

  flush(): void {
    clearTimeout(this.timer);
    this.onChange(this.names());
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(this.names()), this.debounceMs);
  }
}

interface Live {
  stream: EventStream;
  registry: WatchRegistry;
}

const LiveContext = createContext<Live | undefined>(undefined);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const live = useMemo(() => {
    const stream = new EventStream(qc);
    const registry = new WatchRegistry((names) => stream.setWatch(names));
    return { stream, registry };
  }, [qc]);
  useEffect(() => {
    live.registry.flush();
    return () => live.stream.close();
  }, [live]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

/** Watch these applications while the component is mounted (priority: the application page wins). */
export function useWatch(names: readonly string[], priority = 0): void {
  const live = useContext(LiveContext);
  const key = names.join(',');
  useEffect(() => {
    if (!live) return;
    return live.registry.register(key ? key.split(',') : [], priority);
  }, [live, key, priority]);
}

export function useStreamStatus(): StreamStatus {
  const live = useContext(LiveContext);
  return useSyncExternalStore(
    live?.stream.subscribe ?? noopSubscribe,
    live?.stream.getStatus ?? closedStatus,
    closedStatus,
  );
}

const noopSubscribe = () => () => {};
const closedStatus = (): StreamStatus => 'closed';
