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

/** Values in a sample: one per metric. */
export const METRIC_WIDTH = APP_METRICS.length;
const WIDTH = METRIC_WIDTH;

/**
 * Series are stored by groups of GROUP applications, minute-major: for each slot, the rows of the group's
 * applications side by side. The minute's sample of a thousand applications then writes a few dozen
 * contiguous blocks instead of a thousand rows a hundred kilobytes apart (each its own cache and TLB
 * miss); a query of one application's day reads one row per slot, which is rare by comparison.
 * 32-bit floats: plenty for rates, sizes and durations, and half the memory of 64-bit ones.
 */
const GROUP = 16;

interface Group {
  /** [slot][member]: minute number (epoch ms / 60000) held, or -1. */
  minutes: Int32Array;
  /** [slot][member][metric]. */
  values: Float32Array;
  /** [member]: slot of the newest sample, or -1. */
  newest: Int32Array;
}

function newGroup(): Group {
  return {
    minutes: new Int32Array(SLOTS * GROUP).fill(-1),
    values: new Float32Array(SLOTS * GROUP * WIDTH),
    newest: new Int32Array(GROUP).fill(-1),
  };
}

/** Metrics that are points in time: stored relative to their sample's time so 32 bits keep them exact. */
const WATERMARK = APP_METRICS.indexOf('currentInputWatermark');

export interface MetricPoint {
  timestamp: number;
  value: number;
}

/**
 * Told of every sample as stored (a point-in-time metric relative to its minute, see `storedValue`), so an
 * archive outside the engine can keep it: the ring below holds 24 hours and lives in memory only.
 */
export interface MetricsListener {
  sample(appKey: string, minute: number, stored: Float32Array): void;
  deleted(appKey: string): void;
}

/** The stored form of a metric's value: point-in-time metrics relative to their minute (exact in 32 bits). */
export function storedValue(index: number, minute: number, value: number): number {
  return index === WATERMARK ? value - minute * MINUTE : value;
}

/** A metric's value from its stored form. */
export function valueOf(index: number, minute: number, stored: number): number {
  return index === WATERMARK ? stored + minute * MINUTE : stored;
}

export class MetricsStore {
  /** Application key → its place: group × GROUP + member. */
  private places = new Map<string, number>();
  private groups: Group[] = [];
  /** Places of deleted applications, cleared, for the next new ones. */
  private free: number[] = [];
  /** Places ever handed out. */
  private used = 0;
  /** Set by whoever archives the samples (the emulator's telemetry store). */
  listener?: MetricsListener;

  /** Stores one minute's sample (values in APP_METRICS order). */
  record(appKey: string, at: number, values: ArrayLike<number>): void {
    const { g, row, minute } = this.cellFor(appKey, Math.floor(at / MINUTE));
    const base = minute * MINUTE;
    for (let i = 0; i < WIDTH; i++) g.values[row + i] = i === WATERMARK ? values[i]! - base : values[i]!;
    this.listener?.sample(appKey, minute, g.values.subarray(row, row + WIDTH));
  }

  /** Puts back a sample in its stored form (from an archive), without telling the listener. */
  restore(appKey: string, minute: number, stored: ArrayLike<number>): void {
    const { g, row } = this.cellFor(appKey, minute);
    for (let i = 0; i < WIDTH; i++) g.values[row + i] = stored[i]!;
  }

  /** The ring cell of an application's minute, claimed for it (its place is handed out on first use). */
  private cellFor(appKey: string, minute: number): { g: Group; row: number; minute: number } {
    let place = this.places.get(appKey);
    if (place === undefined) {
      place = this.free.pop() ?? this.used++;
      if (place >= this.groups.length * GROUP) this.groups.push(newGroup());
      this.places.set(appKey, place);
    }
    const g = this.groups[(place / GROUP) | 0]!;
    const member = place % GROUP;
    const slot = minute % SLOTS;
    const cell = slot * GROUP + member;
    g.minutes[cell] = minute;
    const newest = g.newest[member]!;
    if (newest < 0 || minute >= g.minutes[newest * GROUP + member]!) g.newest[member] = slot;
    return { g, row: cell * WIDTH, minute };
  }

  /** Keys of the applications with samples. */
  keys(): IterableIterator<string> {
    return this.places.keys();
  }

  /** Points of one metric in [from, to], oldest first. */
  query(appKey: string, metric: AppMetric, from: number, to: number): MetricPoint[] {
    const place = this.places.get(appKey);
    const index = APP_METRICS.indexOf(metric);
    if (place === undefined || index < 0) return [];
    const g = this.groups[(place / GROUP) | 0]!;
    const member = place % GROUP;
    const out: MetricPoint[] = [];
    const first = Math.ceil(from / MINUTE);
    const last = Math.floor(to / MINUTE);
    for (let m = Math.max(first, last - SLOTS + 1); m <= last; m++) {
      const cell = (m % SLOTS) * GROUP + member;
      if (g.minutes[cell] !== m) continue;
      out.push({ timestamp: m * MINUTE, value: valueOf(index, m, g.values[cell * WIDTH + index]!) });
    }
    return out;
  }

  latest(appKey: string, metric: AppMetric): MetricPoint | undefined {
    const place = this.places.get(appKey);
    if (place === undefined) return undefined;
    const g = this.groups[(place / GROUP) | 0]!;
    const member = place % GROUP;
    const slot = g.newest[member]!;
    if (slot < 0) return undefined;
    const cell = slot * GROUP + member;
    // As stored (a watermark relative to its minute), as it always was for the newest point.
    return {
      timestamp: g.minutes[cell]! * MINUTE,
      value: g.values[cell * WIDTH + APP_METRICS.indexOf(metric)]!,
    };
  }

  has(appKey: string): boolean {
    return this.places.has(appKey);
  }

  delete(appKey: string): void {
    this.listener?.deleted(appKey);
    const place = this.places.get(appKey);
    if (place === undefined) return;
    this.places.delete(appKey);
    const g = this.groups[(place / GROUP) | 0]!;
    const member = place % GROUP;
    for (let slot = 0; slot < SLOTS; slot++) g.minutes[slot * GROUP + member] = -1;
    g.newest[member] = -1;
    this.free.push(place);
  }

  get size(): number {
    return this.places.size;
  }
}

/**
 * One minute's values for a running job, written into `out` in APP_METRICS order (a reused buffer: no
 * array per application per minute). Advances the job's source lag: it grows while the job does not
 * keep up (backpressure, restarts) and shrinks with the catch-up headroom when it does.
 */
export function sampleJob(
  cluster: ClusterState,
  job: JobState,
  now: number,
  kpus: number,
  out: number[] | Float64Array = new Float64Array(APP_METRICS.length),
): number[] | Float64Array {
  const processing = job.status === 'RUNNING' && job.pendingSubtasks === 0 && job.processingSince !== undefined;
  const st = jobStatics(job);
  const factor = processing ? st.throughputFactor : 0;
  job.lagMs = factor < 1 ? job.lagMs + (1 - factor) * MINUTE : Math.max(0, job.lagMs - 0.3 * MINUTE);
  // The noise seed: the application key's hash, kept with the job (a string hash per sample is waste).
  const app = (st.appHash ??= hash32(cluster.appKey));
  const minute = Math.floor(now / MINUTE);
  const cp = job.checkpoints;
  const busy = processing ? st.maxBusy : 0;
  const backpressured = processing ? st.maxBackpressured : 0;
  // In APP_METRICS order.
  out[0] = job.numRestarts;
  out[1] = job.numRestarts;
  out[2] = processing ? now - job.processingSince! : 0;
  out[3] = job.outageSince !== undefined ? now - job.outageSince : 0;
  out[4] = cp.latestCompleted?.endToEndDuration ?? 0;
  out[5] = cp.latestCompleted?.checkpointedSize ?? 0;
  out[6] = cp.counts.failed;
  out[7] = cp.counts.completed;
  out[8] = kpus;
  out[9] = processing ? jitter3(app, minute, 1, st.sourceRate, 0.04) : 0;
  out[10] = processing ? jitter3(app, minute, 2, st.sinkRate, 0.04) : 0;
  out[11] = backpressured * 1000;
  out[12] = busy * 1000;
  out[13] = processing ? Math.max(0, 1000 - busy * 1000 - backpressured * 1000) : 1000;
  out[14] = now - job.lagMs - 5_000;
  out[15] = job.lagMs;
  out[16] = jitter3(app, minute, 3, processing ? Math.min(99, 8 + 80 * busy) : 3, 0.1);
  out[17] = jitter3(app, minute, 4, 35 + (processing ? 20 : 0), 0.15);
  return out;
}
