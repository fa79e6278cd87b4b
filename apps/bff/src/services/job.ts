/** The job graph, subtasks, checkpoints and exceptions of a running application, from its dashboard. */
import type {
  CheckpointRow,
  CheckpointsView,
  ExceptionsView,
  ExecutionState,
  JobView,
  SubtasksView,
} from '@mfc/contracts';
import { DashboardError, DashboardUnavailable, type DashboardClient } from './dashboard.js';
import type {
  FlinkAggregatedMetrics,
  FlinkCheckpointConfig,
  FlinkCheckpoints,
  FlinkCheckpointStats,
  FlinkExceptions,
  FlinkJobDetails,
  FlinkJobsList,
  FlinkMetricValues,
  FlinkVertexDetails,
} from './flink-types.js';

const ACTIVE_JOB = new Set([
  'RUNNING',
  'RESTARTING',
  'CREATED',
  'INITIALIZING',
  'FAILING',
  'CANCELLING',
  'RECONCILING',
]);
const VERTEX_METRICS = 'backPressuredTimeMsPerSecond,busyTimeMsPerSecond,numRecordsInPerSecond,numRecordsOutPerSecond';

/** Flink's backpressure level from the ratio of backpressured time. */
const level = (ratio: number): 'ok' | 'low' | 'high' => (ratio <= 0.1 ? 'ok' : ratio <= 0.5 ? 'low' : 'high');

export class JobService {
  constructor(private dashboard: DashboardClient) {}

  /** The current job: the active one, else the newest. */
  async currentJobId(app: string): Promise<string | undefined> {
    const { jobs } = await this.dashboard.get<FlinkJobsList>(app, '/jobs');
    return (jobs.find((j) => ACTIVE_JOB.has(j.status)) ?? jobs.at(-1))?.id;
  }

  async job(app: string): Promise<JobView> {
    return unavailableAsView(async () => {
      const jid = await this.currentJobId(app);
      if (!jid) return { available: false, reason: 'The cluster has no job yet.' };
      const details = await this.dashboard.get<FlinkJobDetails>(app, `/jobs/${jid}`);
      const [vertices, restarts, exceptions] = await Promise.all([
        Promise.all(
          details.vertices.map(async (v) => {
            const [d, m] = await Promise.all([
              this.dashboard.get<FlinkVertexDetails>(app, `/jobs/${jid}/vertices/${v.id}`),
              this.dashboard.get<FlinkAggregatedMetrics>(
                app,
                `/jobs/${jid}/vertices/${v.id}/subtasks/metrics?get=${VERTEX_METRICS}`,
              ),
            ]);
            const metric = (id: string, pick: 'max' | 'sum') => m.find((x) => x.id === id)?.[pick] ?? 0;
            const ratio = metric('backPressuredTimeMsPerSecond', 'max') / 1000;
            return {
              id: v.id,
              name: v.name,
              parallelism: v.parallelism,
              status: v.status,
              subtaskStates: d.subtasks.map((s) => s.status as ExecutionState),
              backpressure: level(ratio),
              backpressureRatio: ratio,
              busyRatio: metric('busyTimeMsPerSecond', 'max') / 1000,
              recordsInPerSecond: metric('numRecordsInPerSecond', 'sum'),
              recordsOutPerSecond: metric('numRecordsOutPerSecond', 'sum'),
            };
          }),
        ),
        this.dashboard.get<FlinkMetricValues>(app, `/jobs/${jid}/metrics?get=numRestarts`),
        this.dashboard.get<FlinkExceptions>(app, `/jobs/${jid}/exceptions?maxExceptions=1`),
      ]);
      const latest = exceptions.exceptionHistory.entries[0];
      return {
        available: true,
        jid,
        name: details.name,
        state: details.state,
        startTime: details['start-time'],
        durationMs: details.duration,
        restarts: Number(restarts.find((r) => r.id === 'numRestarts')?.value ?? 0),
        vertices,
        edges: details.plan.nodes.flatMap((n) =>
          (n.inputs ?? []).map((i) => ({ source: i.id, target: n.id, shipStrategy: i.ship_strategy })),
        ),
        ...(latest
          ? {
              latestException: {
                exceptionName: latest.exceptionName,
                message: latest.stacktrace.split('\n')[0] ?? latest.exceptionName,
                stacktrace: latest.stacktrace,
                timestamp: latest.timestamp,
                taskName: latest.taskName,
                taskManagerId: latest.taskManagerId,
              },
            }
          : {}),
        fetchedAt: details.now,
      };
    });
  }

  async subtasks(app: string, vertexId: string): Promise<SubtasksView> {
    const jid = await this.currentJobId(app);
    if (!jid) throw new DashboardUnavailable('The cluster has no job yet.');
    const d = await this.dashboard.get<FlinkVertexDetails>(
      app,
      `/jobs/${jid}/vertices/${encodeURIComponent(vertexId)}`,
    );
    return {
      vertexId: d.id,
      name: d.name,
      subtasks: d.subtasks.map((s) => ({
        index: s.subtask,
        state: s.status as ExecutionState,
        attempt: s.attempt,
        taskManagerId: s['taskmanager-id'],
        endpoint: s.endpoint,
        startTime: s['start-time'],
        durationMs: s.duration,
        recordsIn: s.metrics['read-records'],
        recordsOut: s.metrics['write-records'],
      })),
    };
  }

  async checkpoints(app: string): Promise<CheckpointsView> {
    return unavailableAsView(async () => {
      const jid = await this.currentJobId(app);
      if (!jid) return { available: false, reason: 'The cluster has no job yet.' };
      let stats: FlinkCheckpoints;
      let config: FlinkCheckpointConfig;
      try {
        [stats, config] = await Promise.all([
          this.dashboard.get<FlinkCheckpoints>(app, `/jobs/${jid}/checkpoints`),
          this.dashboard.get<FlinkCheckpointConfig>(app, `/jobs/${jid}/checkpoints/config`),
        ]);
      } catch (e) {
        // Flink answers 404 for both when checkpointing is off.
        if (e instanceof DashboardError && e.status === 404)
          return { available: false, reason: 'Checkpointing is disabled for this application.' };
        throw e;
      }
      return {
        available: true,
        config: {
          mode: config.mode,
          intervalMs: config.interval,
          minPauseMs: config.min_pause,
          timeoutMs: config.timeout,
          enabled: true,
        },
        counts: {
          completed: stats.counts.completed,
          failed: stats.counts.failed,
          inProgress: stats.counts.in_progress,
          restored: stats.counts.restored,
          total: stats.counts.total,
        },
        history: stats.history.map(row),
        ...(stats.latest.completed ? { latestCompleted: row(stats.latest.completed) } : {}),
        ...(stats.latest.failed ? { latestFailed: row(stats.latest.failed) } : {}),
      };
    });
  }

  async exceptions(app: string, max = 20): Promise<ExceptionsView> {
    const jid = await this.currentJobId(app);
    if (!jid) return { entries: [], truncated: false };
    const r = await this.dashboard.get<FlinkExceptions>(app, `/jobs/${jid}/exceptions?maxExceptions=${max}`);
    return {
      truncated: r.exceptionHistory.truncated,
      entries: r.exceptionHistory.entries.map((x) => ({
        exceptionName: x.exceptionName,
        message: x.stacktrace.split('\n')[0] ?? x.exceptionName,
        stacktrace: x.stacktrace,
        timestamp: x.timestamp,
        taskName: x.taskName,
        taskManagerId: x.taskManagerId,
      })),
    };
  }
}

function row(c: FlinkCheckpointStats): CheckpointRow {
  return {
    id: c.id,
    status: c.status,
    type: c.checkpoint_type,
    triggerTimestamp: c.trigger_timestamp,
    endToEndDurationMs: c.end_to_end_duration,
    stateSize: c.state_size,
    checkpointedSize: c.checkpointed_size,
    ...(c.failure_message ? { failureMessage: c.failure_message } : {}),
  };
}

/** While the dashboard is unavailable (the application is not RUNNING) the view says so instead of failing. */
async function unavailableAsView<T>(
  fn: () => Promise<T>,
): Promise<T | { available: false; reason: string; status?: string }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DashboardUnavailable)
      return { available: false, reason: e.message, ...(e.status ? { status: e.status } : {}) };
    throw e;
  }
}
