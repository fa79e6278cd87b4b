/**
 * Application metrics as Managed Service for Apache Flink publishes them to CloudWatch
 * (namespace AWS/KinesisAnalytics, dimension Application): sampled every virtual minute while the
 * application runs, 24 hours kept per application in fixed-size ring buffers.
 */
import type { ClusterState, JobState } from '../flink/cluster-state.js';
import { computeFlow } from '../flink/flow.js';
import { jitterBy } from './noise.js';

export const APP_METRICS = [
  'fullRestarts',
  'numRestarts',
  'uptime',
  'downtime',
  'lastCheckpointDuration',
  'lastCheckpointSize',
  'numberOfFailedCheckpoints',
  'numberOfCompletedCheckpoints',
  'KPUs',
  'numRecordsInPerSecond',
  'numRecordsOutPerSecond',
  'backPressuredTimeMsPerSecond',
  'busyTimeMsPerSecond',
  'idleTimeMsPerSecond',
  'currentInputWatermark',
  'millisBehindLatest',
  'cpuUtilization',
  'heapMemoryUtilization',
] as const;
export type AppMetric = (typeof APP_METRICS)[number];

export const MINUTE = 60_000;
/** 24 hours at 1-minute resolution. */
export const SLOTS = 1440;

interface Series {
  /** Minute number (epoch ms / 60000) each slot holds, or -1. */
  minutes: Float64Array;
  values: Float64Array[];
}

export interface MetricPoint {
  timestamp: number;
  value: number;
}

export class MetricsStore {
  private series = new Map<string, Series>();

  record(appKey: string, at: number, values: number[]): void {
    let s = this.series.get(appKey);
    if (!s) {
      s = { minutes: new Float64Array(SLOTS).fill(-1), values: APP_METRICS.map(() => new Float64Array(SLOTS)) };
      this.series.set(appKey, s);
    }
    const minute = Math.floor(at / MINUTE);
    const slot = minute % SLOTS;
    s.minutes[slot] = minute;
    for (let i = 0; i < values.length; i++) s.values[i]![slot] = values[i]!;
  }

  /** Points of one metric in [from, to], oldest first. */
  query(appKey: string, metric: AppMetric, from: number, to: number): MetricPoint[] {
    const s = this.series.get(appKey);
    const index = APP_METRICS.indexOf(metric);
    if (!s || index < 0) return [];
    const out: MetricPoint[] = [];
    const first = Math.ceil(from / MINUTE);
    const last = Math.floor(to / MINUTE);
    for (let m = Math.max(first, last - SLOTS + 1); m <= last; m++) {
      const slot = m % SLOTS;
      if (s.minutes[slot] === m) out.push({ timestamp: m * MINUTE, value: s.values[index]![slot]! });
    }
    return out;
  }

  latest(appKey: string, metric: AppMetric): MetricPoint | undefined {
    const s = this.series.get(appKey);
    if (!s) return undefined;
    let best = -1;
    for (let slot = 0; slot < SLOTS; slot++) if (s.minutes[slot]! > (best < 0 ? -1 : s.minutes[best]!)) best = slot;
    return best < 0
      ? undefined
      : { timestamp: s.minutes[best]! * MINUTE, value: s.values[APP_METRICS.indexOf(metric)]![best]! };
  }

  has(appKey: string): boolean {
    return this.series.has(appKey);
  }

  delete(appKey: string): void {
    this.series.delete(appKey);
  }

  get size(): number {
    return this.series.size;
  }
}

/**
 * One minute's values for a running job. Advances the job's source lag: it grows while the job does not
 * keep up (backpressure, restarts) and shrinks with the catch-up headroom when it does.
 */
export function sampleJob(cluster: ClusterState, job: JobState, now: number, kpus: number): number[] {
  const processing = job.status === 'RUNNING' && job.pendingSubtasks === 0 && job.processingSince !== undefined;
  const flow = computeFlow(job);
  const factor = processing ? flow.throughputFactor : 0;
  job.lagMs = factor < 1 ? job.lagMs + (1 - factor) * MINUTE : Math.max(0, job.lagMs - 0.3 * MINUTE);
  const vertexFlows = [...flow.vertices.values()];
  const sources = job.vertices.map((v, i) => (v.inputs.length === 0 ? i : -1)).filter((i) => i >= 0);
  const sinks = job.vertices
    .map((v, i) => (job.vertices.some((w) => w.inputs.some((inp) => inp.id === v.id)) ? -1 : i))
    .filter((i) => i >= 0);
  const key = `${cluster.appKey}:${Math.floor(now / MINUTE)}`;
  const rate = (indices: number[], pick: 'inRate' | 'outRate') =>
    processing
      ? jitterBy(
          `${key}:${pick}`,
          indices.reduce((s, i) => s + flow.vertices.get(job.vertices[i]!.id)![pick], 0),
          0.04,
        )
      : 0;
  const maxOf = (pick: 'busy' | 'backpressured' | 'idle') =>
    processing ? Math.max(0, ...vertexFlows.map((f) => f[pick])) * 1000 : pick === 'idle' ? 1000 : 0;
  const cp = job.checkpoints;
  const cpu = processing ? Math.min(99, 8 + 80 * Math.max(0, ...vertexFlows.map((f) => f.busy))) : 3;
  const values: Record<AppMetric, number> = {
    fullRestarts: job.numRestarts,
    numRestarts: job.numRestarts,
    uptime: processing ? now - job.processingSince! : 0,
    downtime: job.outageSince !== undefined ? now - job.outageSince : 0,
    lastCheckpointDuration: cp.latestCompleted?.endToEndDuration ?? 0,
    lastCheckpointSize: cp.latestCompleted?.checkpointedSize ?? 0,
    numberOfFailedCheckpoints: cp.counts.failed,
    numberOfCompletedCheckpoints: cp.counts.completed,
    KPUs: kpus,
    numRecordsInPerSecond: rate(sources, 'inRate'),
    numRecordsOutPerSecond: rate(sinks, 'inRate'),
    backPressuredTimeMsPerSecond: maxOf('backpressured'),
    busyTimeMsPerSecond: maxOf('busy'),
    idleTimeMsPerSecond: maxOf('idle'),
    currentInputWatermark: now - job.lagMs - 5_000,
    millisBehindLatest: job.lagMs,
    cpuUtilization: jitterBy(`${key}:cpu`, cpu, 0.1),
    heapMemoryUtilization: jitterBy(`${key}:heap`, 35 + (processing ? 20 : 0), 0.15),
  };
  return APP_METRICS.map((m) => values[m]);
}
