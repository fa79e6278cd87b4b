/**
 * Answers of read-only calls, kept until the state changes. Consoles and automation poll Describe and
 * List far more often than anything changes; between two committed changes the same request has the same
 * answer, so it is built (validated, computed, serialized) once. Every change the engine journals (the
 * rows persistence commits) starts a new generation and drops the answers of the previous one.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from '@mfc/engine';
import type { WireResponse } from './json-rpc.js';

/** Operations whose answer depends only on the stored state and the request. */
const READ_ONLY = new Set(
  [
    'DescribeApplication',
    'ListApplications',
    'DescribeApplicationSnapshot',
    'ListApplicationSnapshots',
    'DescribeApplicationVersion',
    'ListApplicationVersions',
    'DescribeApplicationOperation',
    'ListApplicationOperations',
    'ListTagsForResource',
  ].map((op) => `KinesisAnalytics_20180523.${op}`),
);

/**
 * Tables no cached answer reads: the Flink cluster (job, checkpoints: they change every few seconds for
 * every running application), the scheduler's queue, presigned dashboard sessions and the engine's clock
 * and counters. A change to them alone keeps the answers (and the generation). The verify mode, on in every
 * emulator test, recomputes each kept answer to prove it.
 */
const NOT_READ = new Set(['clusters', 'events', 'sessions', 'meta']);

const MAX_ENTRIES = 4096;

interface Entry {
  status: number;
  contentType: string;
  body: Buffer;
}

export class ReadCache {
  private entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;
  /** Counted by the emulator's verify mode (tests): a kept answer that differs from a fresh one. */
  mismatches = 0;

  /** This process's id, so that a restarted emulator never repeats a generation a client has seen. */
  private readonly epoch = randomUUID().slice(0, 8);
  private changes = 0;

  /** Committed changes: drops the kept answers if any of them touches what the answers read. */
  invalidateFor(changes: readonly { table: string }[]): void {
    if (changes.some((c) => !NOT_READ.has(c.table))) this.invalidate();
  }

  /** The state changed: every answer kept so far may be wrong now. */
  invalidate(): void {
    this.changes++;
    if (this.entries.size > 0) this.entries = new Map();
  }

  /** Equal generations give equal answers to every read-only call (a poller's cheap "anything new?"). */
  get generation(): string {
    return `${this.epoch}-${this.changes}`;
  }

  /** The key of a cacheable request, or undefined when it must be computed every time. */
  keyOf(target: string, body: string, ctx: CallContext): string | undefined {
    if (!READ_ONLY.has(target)) return undefined;
    // The job plan comes from the running cluster, which is not journaled: computed every time.
    if (body.includes('IncludeAdditionalDetails')) return undefined;
    return `${target}\u0000${ctx.account}\u0000${ctx.region}\u0000${ctx.principal}\u0000${body}`;
  }

  get(key: string): WireResponse | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Each answer still gets its own request id.
    return {
      status: e.status,
      headers: { 'content-type': e.contentType, 'x-amzn-requestid': randomUUID() },
      body: e.body,
    };
  }

  /** Keeps a successful answer (errors are cheap and carry their own ids). */
  put(key: string, out: WireResponse): void {
    if (out.status !== 200) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries = new Map();
    // Kept as bytes: later answers skip the string encoding too.
    const body = typeof out.body === 'string' ? Buffer.from(out.body) : out.body;
    this.entries.set(key, { status: out.status, contentType: out.headers['content-type'] ?? '', body });
  }

  get size(): number {
    return this.entries.size;
  }
}
