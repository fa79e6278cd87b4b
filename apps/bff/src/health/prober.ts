/**
 * Reads the job of every RUNNING application from its Flink dashboard, watched by a browser or not, with
 * the calls a real JobManager serves: GET /jobs/overview (state and subtask counts), /jobs/{jid}/exceptions
 * (again only when the job moved) and /jobs/{jid}/checkpoints (every 30 s at most; its /checkpoints/config
 * once per job). Reads are cached a few seconds, served a while longer as stale while read again, and
 * bounded in number at once, so the fleet never waits on a hundred dashboards: a cold fleet gets its jobs
 * read in the background.
 */
import pLimit from 'p-limit';
import type { UnreadFacts } from '@mfc/contracts';
import type { ServiceClock } from '../services/clock.js';
import { DashboardError, DashboardUnavailable, type DashboardClient } from '../services/dashboard.js';
import type {
  FlinkCheckpointConfig,
  FlinkCheckpoints,
  FlinkCheckpointStats,
  FlinkExceptions,
  FlinkJobsOverview,
} from '../services/flink-types.js';
import type { JobProbe, ProbedCheckpoints, ProbedJob } from './facts.js';

/** A read this young is used as is. */
export const PROBE_TTL_MS = 5_000;
/** Up to this old, a read is served while it is read again; older, it says nothing about now. */
export const PROBE_MAX_STALE_MS = 60_000;
/** Applications whose dashboards are read at once (as the fleet's detail reads, DETAIL_READ_CONCURRENCY). */
export const PROBE_CONCURRENCY = 8;
/** Past this many unread jobs, the fleet answers them pending and reads them in the background. */
export const INLINE_PROBES = 8;
/** Exceptions asked for: Flink's own default. */
const MAX_EXCEPTIONS = 20;
/**
 * A job's checkpoint statistics are read again at most this often: staleness is judged in minutes and
 * failures over 5, and a fleet of a hundred running jobs then costs about one request per job and TTL.
 */
export const CHECKPOINTS_TTL_MS = 30_000;

const ACTIVE_JOB = new Set([
  'RUNNING',
  'RESTARTING',
  'CREATED',
  'INITIALIZING',
  'FAILING',
  'CANCELLING',
  'RECONCILING',
]);

interface Entry {
  probe: JobProbe;
  /** Wall time of the read: freshness is about load on the dashboards, not service time. */
  at: number;
  /**
   * The job, its state and its last modification when its exceptions were read: a failure changes a
   * subtask's state and so the last modification (Flink's JobDetails), so the history is only read again
   * when that moved.
   */
  exceptionsOf?: string;
  /** Wall time the checkpoint statistics were read. */
  checkpointsAt?: number;
}

export class JobProber {
  private cache = new Map<string, Entry>();
  private inflight = new Map<string, Promise<JobProbe>>();
  /** The checkpoint interval of each application's current job (a job's configuration never changes). */
  private intervals = new Map<string, { jid: string; intervalMs?: number }>();
  private limit = pLimit(PROBE_CONCURRENCY);
  /** The background read of pending jobs, while one runs. */
  private filling?: Promise<void>;
  /** Told which applications' pending jobs a background read completed (the server publishes a fleet event). */
  onProbed?: (names: string[]) => void;

  constructor(
    private dashboard: DashboardClient,
    private clock: ServiceClock,
    private wallNow: () => number = Date.now,
  ) {}

  /** One application's job: the cached read while fresh, else read now. */
  async current(app: string): Promise<JobProbe> {
    const e = this.cache.get(app);
    if (e && this.wallNow() - e.at < PROBE_TTL_MS) return e.probe;
    return this.read(app);
  }

  /**
   * The fleet's jobs without waiting on many reads: cached reads as they are (stale ones read again in the
   * background); missing ones read now when few, else answered 'pending' and read in the background.
   */
  async fleet(apps: string[]): Promise<Map<string, JobProbe | 'pending'>> {
    const out = new Map<string, JobProbe | 'pending'>();
    const missing: string[] = [];
    const stale: string[] = [];
    for (const app of apps) {
      const e = this.cache.get(app);
      const age = e ? this.wallNow() - e.at : Infinity;
      if (!e || age >= PROBE_MAX_STALE_MS) missing.push(app);
      else {
        out.set(app, e.probe);
        if (age >= PROBE_TTL_MS) stale.push(app);
      }
    }
    if (missing.length <= INLINE_PROBES) {
      await Promise.all(missing.map(async (app) => out.set(app, await this.read(app))));
      for (const app of stale) void this.read(app).catch(() => undefined);
    } else {
      for (const app of missing) out.set(app, 'pending');
      this.readInBackground(missing, stale);
    }
    return out;
  }

  /** Reads again those whose read is older than the TTL (the fleet watcher's loop); resolves with them. */
  async refresh(apps: string[]): Promise<string[]> {
    const due = apps.filter((app) => {
      const e = this.cache.get(app);
      return !e || this.wallNow() - e.at >= PROBE_TTL_MS;
    });
    await Promise.all(due.map((app) => this.read(app)));
    return due;
  }

  /** The cached read, whatever its age (for comparisons; undefined when never read or forgotten). */
  cached(app: string): JobProbe | undefined {
    return this.cache.get(app)?.probe;
  }

  forget(app: string): void {
    this.cache.delete(app);
    this.intervals.delete(app);
  }

  forgetAll(): void {
    this.cache.clear();
    this.intervals.clear();
  }

  private readInBackground(pending: string[], stale: string[]): void {
    if (this.filling) return;
    this.filling = Promise.all([...pending, ...stale].map((app) => this.read(app)))
      .then(() => this.onProbed?.(pending))
      .catch(() => undefined) // a probe records its own failures; nothing else is expected to throw
      .finally(() => (this.filling = undefined));
  }

  /** One read per application at a time; every read goes through the shared bound. */
  private read(app: string): Promise<JobProbe> {
    let p = this.inflight.get(app);
    if (!p) {
      p = this.limit(() => this.probe(app, this.cache.get(app)))
        .then((entry) => {
          this.cache.set(app, entry);
          return entry.probe;
        })
        .finally(() => this.inflight.delete(app));
      this.inflight.set(app, p);
    }
    return p;
  }

  /** Reads the job; what cannot have changed since the previous read (`before`) is kept from it. */
  private async probe(app: string, before: Entry | undefined): Promise<Entry> {
    const readAt = this.clock.now();
    const at = this.wallNow();
    let overview: FlinkJobsOverview;
    try {
      overview = await this.dashboard.get<FlinkJobsOverview>(app, '/jobs/overview');
    } catch (e) {
      return { at, probe: { readAt, unread: [{ facts: 'job', reason: reasonOf(e) }] } };
    }
    const current = currentJob(overview.jobs);
    if (!current) return { at, probe: { readAt, job: null, unread: [] } };
    const t = current.tasks;
    const job: ProbedJob = {
      jid: current.jid,
      state: current.state,
      startTime: current['start-time'],
      subtasks: { total: t.total ?? 0, running: t.running ?? 0, failed: t.failed ?? 0, canceled: t.canceled ?? 0 },
    };
    const exceptionsOf = `${current.jid}/${current.state}/${current['last-modification']}`;
    const keptExceptions = before?.exceptionsOf === exceptionsOf ? before.probe.exceptions : undefined;
    const keptCheckpoints =
      before?.probe.job?.jid === current.jid &&
      before.probe.checkpoints !== undefined &&
      at - (before.checkpointsAt ?? -Infinity) < CHECKPOINTS_TTL_MS
        ? before.probe.checkpoints
        : undefined;
    const [exceptions, checkpoints] = await Promise.allSettled([
      keptExceptions ?? this.exceptions(app, current.jid),
      keptCheckpoints !== undefined ? keptCheckpoints : this.checkpoints(app, current.jid),
    ]);
    const unread: UnreadFacts[] = [];
    if (exceptions.status === 'rejected') unread.push({ facts: 'exceptions', reason: reasonOf(exceptions.reason) });
    if (checkpoints.status === 'rejected') unread.push({ facts: 'checkpoints', reason: reasonOf(checkpoints.reason) });
    return {
      at,
      ...(exceptions.status === 'fulfilled' ? { exceptionsOf } : {}),
      ...(checkpoints.status === 'fulfilled'
        ? { checkpointsAt: keptCheckpoints !== undefined ? before!.checkpointsAt! : at }
        : {}),
      probe: {
        readAt,
        job,
        ...(exceptions.status === 'fulfilled' ? { exceptions: exceptions.value } : {}),
        ...(checkpoints.status === 'fulfilled' ? { checkpoints: checkpoints.value } : {}),
        unread,
      },
    };
  }

  private async exceptions(app: string, jid: string): Promise<NonNullable<JobProbe['exceptions']>> {
    const r = await this.dashboard.get<FlinkExceptions>(app, `/jobs/${jid}/exceptions?maxExceptions=${MAX_EXCEPTIONS}`);
    return {
      truncated: r.exceptionHistory.truncated,
      entries: r.exceptionHistory.entries
        .map((x) => ({
          timestamp: x.timestamp,
          name: x.exceptionName,
          message: x.stacktrace.split('\n')[0] || x.exceptionName,
          ...(x.taskName ? { taskName: x.taskName } : {}),
        }))
        .sort((a, b) => b.timestamp - a.timestamp),
    };
  }

  /** null when checkpointing is off: Flink answers 404 for the job's checkpoints then. */
  private async checkpoints(app: string, jid: string): Promise<ProbedCheckpoints | null> {
    let stats: FlinkCheckpoints;
    try {
      stats = await this.dashboard.get<FlinkCheckpoints>(app, `/jobs/${jid}/checkpoints`);
    } catch (e) {
      if (e instanceof DashboardError && e.status === 404) return null;
      throw e;
    }
    const failed = new Map<number, FlinkCheckpointStats>();
    for (const c of [...stats.history, ...(stats.latest.failed ? [stats.latest.failed] : [])])
      if (c.status === 'FAILED') failed.set(c.id, c);
    const completed = stats.latest.completed;
    const intervalMs = await this.interval(app, jid);
    return {
      ...(completed ? { latestCompletedAt: completed.latest_ack_timestamp ?? endOf(completed) } : {}),
      failures: [...failed.values()].map((c) => ({
        id: c.id,
        at: c.failure_timestamp ?? endOf(c),
        ...(c.failure_message ? { message: c.failure_message } : {}),
      })),
      ...(intervalMs !== undefined ? { intervalMs } : {}),
    };
  }

  /** The job's checkpoint interval, read once per job; unknown when its read fails (it is asked again). */
  private async interval(app: string, jid: string): Promise<number | undefined> {
    const known = this.intervals.get(app);
    if (known?.jid === jid) return known.intervalMs;
    const config = await this.dashboard
      .get<FlinkCheckpointConfig>(app, `/jobs/${jid}/checkpoints/config`)
      .catch(() => undefined);
    if (config) this.intervals.set(app, { jid, intervalMs: config.interval });
    return config?.interval;
  }
}

const endOf = (c: FlinkCheckpointStats) => c.trigger_timestamp + Math.max(0, c.end_to_end_duration);

/** The current job: the newest active one, else the newest. */
function currentJob(jobs: FlinkJobsOverview['jobs']): FlinkJobsOverview['jobs'][number] | undefined {
  const newest = (list: FlinkJobsOverview['jobs']) =>
    list.reduce<FlinkJobsOverview['jobs'][number] | undefined>(
      (best, j) => (!best || j['start-time'] > best['start-time'] ? j : best),
      undefined,
    );
  return newest(jobs.filter((j) => ACTIVE_JOB.has(j.state))) ?? newest(jobs);
}

/** Why a read failed, in words an operator can act on. */
export function reasonOf(e: unknown): string {
  if (e instanceof DashboardUnavailable) return e.message;
  if (e instanceof DashboardError) return `The Flink dashboard answered HTTP ${e.status} (${e.message}).`;
  const err = e as { name?: string; message?: string };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'The Flink dashboard did not answer within 5 s.';
  if (err.name === 'TypeError') return `The Flink dashboard could not be reached (${err.message ?? 'fetch failed'}).`;
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}
