/**
 * When each query last really fetched. react-query restarts a query's refetchInterval whenever its data
 * changes, and events patch the data constantly (a looping job emits subtask states every few seconds),
 * so under a stream of events the interval never fires. Counters the events do not carry (restarts,
 * records/s, the latest exception) are refreshed by a throttled invalidation instead (see cache.ts).
 */
const fetched = new Map<string, number>();

const id = (key: readonly unknown[]) => JSON.stringify(key);

export function markFetched(key: readonly unknown[]): void {
  fetched.set(id(key), Date.now());
}

export function fetchedWithin(key: readonly unknown[], ms: number): boolean {
  const at = fetched.get(id(key));
  return at !== undefined && Date.now() - at < ms;
}
