/**
 * Rate limit on mutations, per session (fixed window). express-rate-limit does the counting flow; the store
 * and the Retry-After header use the injected clock so tests (and the demo clock) stay consistent.
 */
import type { Request, RequestHandler } from 'express';
import {
  ipKeyGenerator,
  rateLimit,
  type ClientRateLimitInfo,
  type RateLimitInfo,
  type Store,
} from 'express-rate-limit';
import { isMutation } from './csrf.js';
import { sendError } from './errors.js';
import './express-types.js';

export interface MutationRateLimitOptions {
  windowMs: number;
  max: number;
  now: () => number;
}

/** A fixed-window counter per key on an injectable clock. */
export class ClockStore implements Store {
  readonly localKeys = true;
  private readonly hits = new Map<string, { totalHits: number; resetAt: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): ClientRateLimitInfo | undefined {
    const entry = this.live(key);
    return entry && { totalHits: entry.totalHits, resetTime: new Date(entry.resetAt) };
  }

  increment(key: string): ClientRateLimitInfo {
    const now = this.now();
    if (this.hits.size > 10_000) for (const [k, e] of this.hits) if (e.resetAt <= now) this.hits.delete(k);
    const entry = this.live(key) ?? { totalHits: 0, resetAt: now + this.windowMs };
    entry.totalHits += 1;
    this.hits.set(key, entry);
    return { totalHits: entry.totalHits, resetTime: new Date(entry.resetAt) };
  }

  decrement(key: string): void {
    const entry = this.live(key);
    if (entry && entry.totalHits > 0) entry.totalHits -= 1;
  }

  resetKey(key: string): void {
    this.hits.delete(key);
  }

  resetAll(): void {
    this.hits.clear();
  }

  private live(key: string) {
    const entry = this.hits.get(key);
    if (entry && entry.resetAt <= this.now()) {
      this.hits.delete(key);
      return undefined;
    }
    return entry;
  }
}

const INFO = 'mutationRateLimit';
const READ_ONLY_POST = /^\/api\/applications\/[^/]+\/preflight$/;

export function createMutationRateLimit(options: MutationRateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    store: new ClockStore(options.windowMs, options.now),
    requestPropertyName: INFO,
    // Headers are set by the handler below from the injected clock; the library's would use Date.now().
    standardHeaders: false,
    legacyHeaders: false,
    // Pre-flight is a POST that changes nothing; dialogs ask it as the operator edits, so it is not counted.
    skip: (req) => !isMutation(req) || READ_ONLY_POST.test(req.originalUrl.split('?')[0] ?? ''),
    // Per session; before authentication (should it be mounted there) fall back to the client address.
    keyGenerator: (req) => (req.sessionId ? `session:${req.sessionId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
    handler: (req, res) => {
      const info = (req as Request & Record<typeof INFO, RateLimitInfo | undefined>)[INFO];
      const resetAt = info?.resetTime?.getTime() ?? options.now() + options.windowMs;
      const seconds = Math.max(1, Math.ceil((resetAt - options.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      sendError(
        res,
        429,
        'TooManyRequests',
        `Too many actions: at most ${options.max} per ${Math.round(options.windowMs / 1000)} s per session; try again in ${seconds} s.`,
      );
    },
  });
}
