/**
 * Application metrics as Managed Service for Apache Flink publishes them to CloudWatch
 * (namespace AWS/KinesisAnalytics, dimension Application): sampled every virtual minute while the
 * application runs, 24 hours kept per application in fixed-size ring buffers.
 */
import type { ClusterState, JobState } from '../flink/cluster-state.js';
import { jobStatics } from '../flink/job-statics.js';
import { hash32 } from '../util/random.js';
import { jitter3 } from './noise.js';

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
  /** 32-bit floats: plenty for rates, sizes and durations, and half the memory of 64-bit ones. */
  values: Float32Array[];
}

/** Metrics that are points in time: stored relative to their sample's time so 32 bits keep them exact. */
const TIME_VALUED = new Set<number>([APP_METRICS.indexOf('currentInputWatermark')]);

export interface MetricPoint {
  timestamp: number;
  value: number;
}

function valueAt(s: Series, index: number, slot: number): number {
  const v = s.values[index]![slot]!;
  return TIME_VALUED.has(index) ? v + s.minutes[slot]! * MINUTE : v;
}

export class MetricsStore {
  private series = new Map<string, Series>();

  record(appKey: string, at: number, values: number[]): void {
    let s = this.series.get(appKey);
    if (!s) {
      s = { minutes: new Float64Array(SLOTS).fill(-1), values: APP_METRICS.map(() => new Float32Array(SLOTS)) };
      this.series.set(appKey, s);
    }
    const minute = Math.floor(at / MINUTE);
    const slot = minute % SLOTS;
    s.minutes[slot] = minute;
    const base = minute * MINUTE;
    for (let i = 0; i < values.length; i++) s.values[i]![slot] = TIME_VALUED.has(i) ? values[i]! - base : values[i]!;
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
      if (s.minutes[slot] === m) out.push({ timestamp: m * MINUTE, value: valueAt(s, index, slot) });
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
  const st = jobStatics(job);
  const factor = processing ? st.throughputFactor : 0;
  job.lagMs = factor < 1 ? job.lagMs + (1 - factor) * MINUTE : Math.max(0, job.lagMs - 0.3 * MINUTE);
  const app = hash32(cluster.appKey);
  const minute = Math.floor(now / MINUTE);
  const cp = job.checkpoints;
  const busy = processing ? st.maxBusy : 0;
  const backpressured = processing ? st.maxBackpressured : 0;
  // In APP_METRICS order.
  return [
    job.numRestarts,
    job.numRestarts,
    processing ? now - job.processingSince! : 0,
    job.outageSince !== undefined ? now - job.outageSince : 0,
    cp.latestCompleted?.endToEndDuration ?? 0,
    cp.latestCompleted?.checkpointedSize ?? 0,
    cp.counts.failed,
    cp.counts.completed,
    kpus,
    processing ? jitter3(app, minute, 1, st.sourceRate, 0.04) : 0,
    processing ? jitter3(app, minute, 2, st.sinkRate, 0.04) : 0,
    backpressured * 1000,
    busy * 1000,
    processing ? Math.max(0, 1000 - busy * 1000 - backpressured * 1000) : 1000,
    now - job.lagMs - 5_000,
    job.lagMs,
    jitter3(app, minute, 3, processing ? Math.min(99, 8 + 80 * busy) : 3, 0.1),
    jitter3(app, minute, 4, 35 + (processing ? 20 : 0), 0.15),
  ];
}
