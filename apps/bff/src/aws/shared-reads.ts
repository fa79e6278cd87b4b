/**
 * Shares read-only SDK calls between replicas: an SDK middleware answers List*, Describe* and Get* calls
 * from the shared read cache when another replica made the same call moments ago, and stores what it
 * reads. The pollers read afresh (freshReads) and write through, so their leaders see changes at once and
 * the request path gets their answers. A change made through this BFF drops the service's cached reads.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { ReadCache } from '../store/read-cache.js';

const fresh = new AsyncLocalStorage<boolean>();

/** Runs `fn` with reads that skip the cache (and still write to it): the pollers' reads. */
export function freshReads<T>(fn: () => Promise<T>): Promise<T> {
  return fresh.run(true, fn);
}

export const isFreshRead = (): boolean => fresh.getStore() === true;

export const READ_OPERATION = /^(List|Describe|Get)\w*Command$/;

/** JSON that keeps Dates (the SDK's timestamps) through the cache. */
export function encodeOutput(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : v;
  });
}

export function decodeOutput(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$date') return new Date((v as { $date: number }).$date);
    }
    return v;
  });
}

/** A stable key: the same input in any key order gives the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return String(value.getTime());
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

type Handler = (args: { input: unknown }) => Promise<{ output: unknown; response?: unknown }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
/** Any AWS SDK v3 client (their middleware stacks differ only in their input and output types). */
interface SdkClient {
  middlewareStack: { add(...args: never[]): void };
}

export function shareReads(client: SdkClient, service: string, cache: ReadCache, ttlMs: number, log: Logger): void {
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as (
    middleware: Middleware,
    options: { step: 'initialize'; name: string },
  ) => void;
  add(
    (next, context) => async (args) => {
      const op = context.commandName ?? '';
      if (!READ_OPERATION.test(op)) {
        const out = await next(args);
        // A change through this BFF: the service's shared reads may be stale now.
        await cache
          .invalidate(`${service}:`)
          .catch((e: unknown) => log.debug({ err: e }, 'read cache invalidation failed'));
        return out;
      }
      const key = `${service}:${op}:${stableJson(args.input)}`;
      if (!isFreshRead()) {
        const hit = await cache.get(key).catch(() => undefined);
        if (hit !== undefined) return { output: decodeOutput(hit) };
      }
      const out = await next(args);
      const write = cache
        .set(key, encodeOutput(out.output), ttlMs)
        .catch((e: unknown) => log.debug({ err: e }, 'read cache write failed'));
      // A request waits for it (the next replica to ask finds it); a poller does not (its tick stays short).
      if (!isFreshRead()) await write;
      return out;
    },
    { step: 'initialize', name: 'mfcSharedReads' },
  );
}
