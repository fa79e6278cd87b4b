/**
 * Rate limit on mutations, per session (fixed window). express-rate-limit does the counting flow; the
 * counters live in the shared store (one window per session across replicas), and the Retry-After header
 * uses the injected clock so tests stay consistent.
 */
import type { Request, RequestHandler } from 'express';
import {
  ipKeyGenerator,
  rateLimit,
  type ClientRateLimitInfo,
  type RateLimitInfo,
  type Store,
} from 'express-rate-limit';
import type { RateLimitRepo } from '../store/types.js';
import { isMutation } from './csrf.js';
import { sendError } from './errors.js';
import './express-types.js';

export interface MutationRateLimitOptions {
  windowMs: number;
  max: number;
  now: () => number;
  repo: RateLimitRepo;
}

/**
 * express-rate-limit's store over the shared store's fixed-window counters, so every replica counts the
 * same window. Reset times are handed on as "this long from now", measured on the store's clock.
 */
export class SharedRateStore implements Store {
  readonly localKeys = false;

  constructor(
    private readonly repo: RateLimitRepo,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  async get(): Promise<ClientRateLimitInfo | undefined> {
    return undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const c = await this.repo.hit(key, this.windowMs);
    return { totalHits: c.hits, resetTime: new Date(this.now() + (c.resetAt - c.now)) };
  }

  async decrement(key: string): Promise<void> {
    await this.repo.unhit(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.repo.reset(key);
  }
}

const INFO = 'mutationRateLimit';
const READ_ONLY_POST = /^\/api\/applications\/[^/]+\/preflight$/;

export function createMutationRateLimit(options: MutationRateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    store: new SharedRateStore(options.repo, options.windowMs, options.now),
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
