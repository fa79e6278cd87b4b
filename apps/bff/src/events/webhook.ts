/**
 * Forwards alarm state changes to a webhook URL from the configuration: a bounded queue drained in the
 * background (a slow or dead receiver never delays a request or the pollers), each POST with a timeout,
 * retried with exponential backoff, then dropped with a log line. The body follows the fields of the
 * CloudWatch alarm notification that SNS delivers, so a receiver written for those reads it unchanged.
 */
import type { Logger } from 'pino';
import type { AlarmChange } from './alarm-watcher.js';

export interface WebhookOptions {
  url: string;
  timeoutMs: number;
  /** Attempts per change, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  backoffMs: number;
  /** Changes waiting at most; the oldest is dropped past it. */
  maxQueue: number;
  region: string;
}

export interface WebhookStats {
  delivered: number;
  failed: number;
  dropped: number;
  queued: number;
}

export function notificationBody(c: AlarmChange, region: string): Record<string, unknown> {
  return {
    AlarmName: c.alarm,
    AlarmArn: c.arn,
    Region: region,
    NewStateValue: c.state,
    OldStateValue: c.previous ?? null,
    NewStateReason: c.reason,
    StateChangeTime: new Date(c.at).toISOString(),
    Applications: c.applications,
    Source: 'managed-flink-console',
  };
}

export class AlarmWebhook {
  private queue: AlarmChange[] = [];
  private draining = false;
  private closed = false;
  private wake?: () => void;
  readonly stats: WebhookStats = { delivered: 0, failed: 0, dropped: 0, queued: 0 };

  constructor(
    private opts: WebhookOptions,
    private log: Logger,
  ) {}

  /** Queues a change; returns at once. */
  push(change: AlarmChange): void {
    if (this.closed) return;
    this.queue.push(change);
    if (this.queue.length > this.opts.maxQueue) {
      const lost = this.queue.shift()!;
      this.stats.dropped++;
      this.log.warn({ alarm: lost.alarm, state: lost.state }, 'alarm webhook queue full: dropped the oldest change');
    }
    this.stats.queued = this.queue.length;
    if (!this.draining) void this.drain();
  }

  /** Stops retrying; what is queued is not sent. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Resolves when the queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.draining || this.queue.length > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const change = this.queue.shift()!;
        this.stats.queued = this.queue.length;
        await this.deliver(change);
      }
    } finally {
      this.draining = false;
    }
  }

  private async deliver(change: AlarmChange): Promise<void> {
    const body = JSON.stringify(notificationBody(change, this.opts.region));
    let delay = this.opts.backoffMs;
    for (let attempt = 1; attempt <= this.opts.attempts && !this.closed; attempt++) {
      let problem: string;
      try {
        const res = await fetch(this.opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'managed-flink-console' },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          redirect: 'error',
        });
        // The body is not needed; reading it frees the connection.
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.delivered++;
          return;
        }
        problem = `HTTP ${res.status}`;
        // A 4xx other than 408/429 will not get better by retrying.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) attempt = Infinity;
      } catch (e) {
        problem = (e as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : String(e);
      }
      if (attempt >= this.opts.attempts) {
        this.stats.failed++;
        this.log.warn({ alarm: change.alarm, state: change.state, problem }, 'alarm webhook: gave up on a change');
        return;
      }
      this.log.debug({ alarm: change.alarm, attempt, problem }, 'alarm webhook: retrying');
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        t.unref();
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      delay *= 2;
    }
  }
}
