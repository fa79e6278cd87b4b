/**
 * The Flink dashboard REST API, reached as an operator's automation reaches it on AWS: a presigned URL
 * from CreateApplicationPresignedUrl, cached while its session is valid and renewed on 401/403.
 */
import { CreateApplicationPresignedUrlCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import type { AwsClients } from '../aws/clients.js';
import { isFreshRead } from '../aws/shared-reads.js';
import type { ReadCache } from '../store/read-cache.js';

const SESSION_SECONDS = 1800;

interface CachedUrl {
  base: string;
  token: string;
  /** Wall time the session stops being useful (renewed a minute early). */
  expiresAt: number;
}

export class DashboardUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: string,
  ) {
    super(message);
  }
}

export class DashboardClient {
  private urls = new Map<string, CachedUrl>();
  private shared?: { cache: ReadCache; ttlMs: number };

  constructor(private clients: AwsClients) {}

  /** Replicas share what they read from the dashboard for a moment (the pollers read afresh). */
  shareReads(cache: ReadCache, ttlMs: number): void {
    this.shared = { cache, ttlMs };
  }

  private async url(app: string, renew = false): Promise<CachedUrl> {
    const cached = this.urls.get(app);
    if (cached && !renew && cached.expiresAt > Date.now()) return cached;
    try {
      const r = await this.clients.kinesisAnalytics.send(
        new CreateApplicationPresignedUrlCommand({
          ApplicationName: app,
          UrlType: 'FLINK_DASHBOARD_URL',
          SessionExpirationDurationInSeconds: SESSION_SECONDS,
        }),
      );
      const u = new URL(r.AuthorizedUrl!);
      const token = u.searchParams.get('authToken') ?? '';
      u.search = '';
      u.hash = '';
      const entry = {
        base: u.toString().replace(/\/$/, ''),
        token,
        expiresAt: Date.now() + (SESSION_SECONDS - 60) * 1000,
      };
      this.urls.set(app, entry);
      return entry;
    } catch (e) {
      this.urls.delete(app);
      const err = e as { name?: string; message?: string };
      if (err.name === 'ResourceInUseException') {
        const status = /in (\w+) status/.exec(err.message ?? '')?.[1];
        throw new DashboardUnavailable(
          `The Flink dashboard is unavailable while the application is ${status ?? 'not running'}.`,
          status,
        );
      }
      throw e;
    }
  }

  /** GET a dashboard path (e.g. `/jobs`) as JSON. */
  async get<T>(app: string, path: string): Promise<T> {
    if (!this.shared) return this.read<T>(app, path);
    const key = `flink:${app}:${path}`;
    if (!isFreshRead()) {
      const hit = await this.shared.cache.get(key).catch(() => undefined);
      if (hit !== undefined) return JSON.parse(hit) as T;
    }
    const value = await this.read<T>(app, path);
    const write = this.shared.cache.set(key, JSON.stringify(value), this.shared.ttlMs).catch(() => undefined);
    if (!isFreshRead()) await write;
    return value;
  }

  private async read<T>(app: string, path: string): Promise<T> {
    for (const renew of [false, true]) {
      const u = await this.url(app, renew);
      const sep = path.includes('?') ? '&' : '?';
      const res = await fetch(`${u.base}${path}${sep}authToken=${encodeURIComponent(u.token)}`, {
        signal: AbortSignal.timeout(5000),
      });
      if (res.status === 401 || res.status === 403) continue;
      if (res.status === 503) {
        const body = (await res.json().catch(() => ({}))) as { errors?: string[] };
        this.urls.delete(app);
        throw new DashboardUnavailable(body.errors?.[0] ?? 'The Flink dashboard is unavailable.');
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { errors?: string[] };
        throw new DashboardError(res.status, body.errors?.[0] ?? `HTTP ${res.status}`);
      }
      return (await res.json()) as T;
    }
    throw new DashboardUnavailable('The Flink dashboard refused the presigned session twice.');
  }

  forget(app: string): void {
    this.urls.delete(app);
  }
}

export class DashboardError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
