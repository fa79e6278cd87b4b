/**
 * What the advisor reads about one application, with the calls the service offers (so it works against
 * AWS and the emulator alike): DescribeApplication for the configuration, the Flink dashboard through its
 * presigned URL for the job, its vertices' backpressure and the checkpoint statistics (down to the newest
 * checkpoint's per-vertex alignment, start delay and sync/async phases), CloudWatch for an hour of
 * restarts and checkpoint sizes, and the operation history. What could not be read is said, not guessed.
 */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { AdviceResponse, ApplicationStatus, OperationView } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';
import type { ApplicationsService } from '../services/applications.js';
import { DashboardError, DashboardUnavailable, type DashboardClient } from '../services/dashboard.js';
import type {
  FlinkCheckpointConfig,
  FlinkCheckpoints,
  FlinkJobDetails,
  FlinkJobsOverview,
} from '../services/flink-types.js';
import type { OperationsService } from '../services/operations.js';
import { metric, pointsOf } from '../services/metrics.js';

export type Unread = AdviceResponse['unread'][number];
export interface Point {
  t: number;
  v: number;
}

export interface VertexFacts {
  id: string;
  name: string;
  parallelism: number;
  /** Highest backpressured ratio among its subtasks (0..1). */
  backpressured: number;
  /** Highest busy ratio among its subtasks (0..1). */
  busy: number;
}

export interface CheckpointFacts {
  timeoutMs?: number;
  intervalMs?: number;
  /** The job runs with unaligned checkpoints (the dashboard's checkpoint configuration says so). */
  unaligned?: boolean;
  /** Newest first, as the dashboard lists them. */
  history: { id: number; status: string; type: string; durationMs: number; at: number; failure?: string }[];
  /** The newest completed (else failed) checkpoint's phases, the slowest vertex of each. */
  latest?: {
    id: number;
    status: string;
    durationMs: number;
    startDelayMs: number;
    alignmentMs: number;
    syncMs: number;
    asyncMs: number;
    persistedBytes: number;
  };
}

export interface AdvisorFacts {
  app: string;
  now: number;
  status: ApplicationStatus;
  versionId: number;
  config?: {
    parallelism: number;
    parallelismPerKpu: number;
    autoScaling: boolean;
    properties: { groupId: string; properties: Record<string, string> }[];
  };
  job?: { jid: string; state: string; vertices: VertexFacts[] } | null;
  checkpoints?: CheckpointFacts | null;
  metrics?: { window: { from: number; to: number }; restarts: Point[]; checkpointSize: Point[] };
  operations?: OperationView[];
  unread: Unread[];
}

/** The window the metrics are read over. */
export const ADVICE_WINDOW_MS = 60 * 60_000;
/** Vertices whose backpressure and checkpoint phases are read (a bound on requests per advice). */
const MAX_VERTICES = 32;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface AdvisorSources {
  clients: AwsClients;
  apps: ApplicationsService;
  operations: OperationsService;
  dashboard: DashboardClient;
}

export async function readAdvisorFacts(src: AdvisorSources, app: string, now: number): Promise<AdvisorFacts> {
  const unread: Unread[] = [];
  const detail = await src.apps.describe(app);
  const status = detail.ApplicationStatus as ApplicationStatus;
  const flink = detail.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription;
  const p = flink?.ParallelismConfigurationDescription;
  const facts: AdvisorFacts = {
    app,
    now,
    status,
    versionId: detail.ApplicationVersionId!,
    config: {
      parallelism: p?.Parallelism ?? p?.CurrentParallelism ?? 1,
      parallelismPerKpu: p?.ParallelismPerKPU ?? 1,
      autoScaling: p?.AutoScalingEnabled ?? false,
      properties: (
        detail.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? []
      ).map((g) => ({ groupId: g.PropertyGroupId!, properties: { ...(g.PropertyMap ?? {}) } })),
    },
    unread,
  };
  const [ops, metrics] = await Promise.all([
    src.operations.views(app, 5).catch((e: unknown) => {
      unread.push({ facts: 'operations', reason: `The operation history could not be read: ${message(e)}` });
      return undefined;
    }),
    readMetrics(src.clients, app, now).catch((e: unknown) => {
      unread.push({ facts: 'metrics', reason: `CloudWatch metrics could not be read: ${message(e)}` });
      return undefined;
    }),
  ]);
  if (ops) facts.operations = ops;
  if (metrics) facts.metrics = metrics;
  if (status === 'RUNNING') await readJob(src.dashboard, facts);
  return facts;
}

async function readMetrics(clients: AwsClients, app: string, now: number): Promise<AdvisorFacts['metrics']> {
  const from = now - ADVICE_WINDOW_MS;
  const r = await clients.cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(from),
      EndTime: new Date(now + 60_000),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'restarts', MetricStat: metric(app, 'fullRestarts') },
        { Id: 'size', MetricStat: metric(app, 'lastCheckpointSize') },
      ],
    }),
  );
  return { window: { from, to: now }, restarts: pointsOf(r, 'restarts'), checkpointSize: pointsOf(r, 'size') };
}

async function readJob(dashboard: DashboardClient, facts: AdvisorFacts): Promise<void> {
  const { app, unread } = facts;
  let jid: string | undefined;
  try {
    const overview = await dashboard.get<FlinkJobsOverview>(app, '/jobs/overview');
    const job = overview.jobs.find((j) => !['FINISHED', 'CANCELED', 'FAILED'].includes(j.state)) ?? overview.jobs[0];
    if (!job) {
      facts.job = null;
      facts.checkpoints = null;
      return;
    }
    jid = job.jid;
    const details = await dashboard.get<FlinkJobDetails>(app, `/jobs/${jid}`);
    const vertices = await Promise.all(
      details.vertices.slice(0, MAX_VERTICES).map(async (v): Promise<VertexFacts> => {
        const bp = await dashboard
          .get<{ subtasks?: { ratio: number; busyRatio?: number }[] }>(
            app,
            `/jobs/${jid}/vertices/${v.id}/backpressure`,
          )
          .catch(() => ({ subtasks: [] }));
        const subtasks = bp.subtasks ?? [];
        return {
          id: v.id,
          name: v.name,
          parallelism: v.parallelism,
          backpressured: Math.max(0, ...subtasks.map((s) => s.ratio)),
          busy: Math.max(0, ...subtasks.map((s) => s.busyRatio ?? 0)),
        };
      }),
    );
    facts.job = { jid, state: job.state, vertices };
  } catch (e) {
    unread.push({ facts: 'job', reason: dashboardReason(e) });
    return;
  }
  try {
    facts.checkpoints = await readCheckpoints(dashboard, app, jid, facts.job.vertices);
  } catch (e) {
    // Checkpointing off: the dashboard answers 404 for the statistics.
    if (e instanceof DashboardError && e.status === 404) facts.checkpoints = null;
    else unread.push({ facts: 'checkpoints', reason: dashboardReason(e) });
  }
}

async function readCheckpoints(
  dashboard: DashboardClient,
  app: string,
  jid: string,
  vertices: VertexFacts[],
): Promise<CheckpointFacts> {
  const [stats, config] = await Promise.all([
    dashboard.get<FlinkCheckpoints & { history: { persisted_data?: number }[] }>(app, `/jobs/${jid}/checkpoints`),
    dashboard
      .get<FlinkCheckpointConfig & { unaligned_checkpoints?: boolean }>(app, `/jobs/${jid}/checkpoints/config`)
      .catch(() => undefined),
  ]);
  const history = stats.history.map((c) => ({
    id: c.id,
    status: c.status,
    type: c.checkpoint_type,
    durationMs: c.end_to_end_duration,
    at: c.latest_ack_timestamp ?? c.failure_timestamp ?? c.trigger_timestamp,
    ...(c.failure_message ? { failure: c.failure_message } : {}),
  }));
  const out: CheckpointFacts = {
    history,
    ...(config ? { timeoutMs: config.timeout, intervalMs: config.interval } : {}),
    ...(config?.unaligned_checkpoints !== undefined ? { unaligned: config.unaligned_checkpoints } : {}),
  };
  const newest =
    stats.history.find((c) => c.status === 'COMPLETED') ?? stats.history.find((c) => c.status === 'FAILED');
  if (!newest) return out;
  type Summary = { max?: number };
  const phases = await Promise.all(
    vertices.map((v) =>
      dashboard
        .get<{
          summary?: {
            start_delay?: Summary;
            alignment?: { duration?: Summary; persisted?: Summary };
            checkpoint_duration?: { sync?: Summary; async?: Summary };
          };
        }>(app, `/jobs/${jid}/checkpoints/details/${newest.id}/subtasks/${v.id}`)
        .catch(() => undefined),
    ),
  );
  const max = (f: (s: NonNullable<(typeof phases)[number]>['summary']) => number | undefined) =>
    Math.max(0, ...phases.map((p) => (p?.summary ? (f(p.summary) ?? 0) : 0)));
  out.latest = {
    id: newest.id,
    status: newest.status,
    durationMs: newest.end_to_end_duration,
    startDelayMs: max((s) => s?.start_delay?.max),
    alignmentMs: max((s) => s?.alignment?.duration?.max),
    syncMs: max((s) => s?.checkpoint_duration?.sync?.max),
    asyncMs: max((s) => s?.checkpoint_duration?.async?.max),
    persistedBytes: (stats.history.find((c) => c.id === newest.id) as { persisted_data?: number }).persisted_data ?? 0,
  };
  return out;
}

function dashboardReason(e: unknown): string {
  if (e instanceof DashboardUnavailable) return e.message;
  return `The Flink dashboard could not be read: ${message(e)}`;
}
