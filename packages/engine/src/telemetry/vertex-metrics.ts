/**
 * Metrics of one vertex's subtasks at a moment, computed on read from the job's data flow (Flink's
 * numRecordsIn/OutPerSecond, busy/idle/backpressured time per second, watermarks and IO counters).
 */
import type { JobState, SubtaskState, VertexState } from '../flink/cluster-state.js';
import { computeFlow, type JobFlow, type VertexFlow } from '../flink/flow.js';
import { hash32 } from '../util/random.js';
import { jitter, noise3 } from './noise.js';

/** Which value a noise draw is for: each gets its own stream. */
const NOISE = { weight: 1, in: 2, out: 3, busy: 4, watermark: 5 } as const;

export interface SubtaskMetrics {
  numRecordsInPerSecond: number;
  numRecordsOutPerSecond: number;
  busyTimeMsPerSecond: number;
  idleTimeMsPerSecond: number;
  backPressuredTimeMsPerSecond: number;
  currentInputWatermark: number;
  numRecordsIn: number;
  numRecordsOut: number;
  numBytesIn: number;
  numBytesOut: number;
  accumulatedBusyTimeMs: number;
  accumulatedIdleTimeMs: number;
  accumulatedBackPressuredTimeMs: number;
}

/** Per-subtask metrics of vertex `v` at `now`; a subtask that is not RUNNING reports zero rates. */
export function vertexSubtaskMetrics(
  job: JobState,
  v: number,
  now: number,
  flow: JobFlow = computeFlow(job),
): SubtaskMetrics[] {
  const vertex = job.vertices[v]!;
  const f = flow.vertices.get(vertex.id)!;
  const second = Math.floor(now / 1000);
  const u = vertexNoise(job, vertex);
  const shares = subtaskShares(job, vertex);
  return vertex.subtasks.map((s, i) => {
    const running = s.state === 'RUNNING' && job.status === 'RUNNING';
    const share = shares[i]!;
    const inRate = running && vertex.inputs.length > 0 ? jitter(u(NOISE.in, i, second), f.inRate * share, 0.05) : 0;
    const outRate = running ? jitter(u(NOISE.out, i, second), f.outRate * share, 0.05) : 0;
    const busy = running ? Math.min(1000, jitter(u(NOISE.busy, i, second), f.busy * 1000, 0.08)) : 0;
    const backpressured = running ? Math.min(1000 - busy, f.backpressured * 1000) : 0;
    const c = counters(job, vertex, f, s, share, now);
    return {
      numRecordsInPerSecond: inRate,
      numRecordsOutPerSecond: outRate,
      busyTimeMsPerSecond: busy,
      idleTimeMsPerSecond: running ? Math.max(0, 1000 - busy - backpressured) : 0,
      backPressuredTimeMsPerSecond: backpressured,
      currentInputWatermark: running
        ? now - job.lagMs - 5_000 - Math.round(u(NOISE.watermark, i, second) * 800)
        : Number.MIN_SAFE_INTEGER,
      numRecordsIn: c.recordsIn,
      numRecordsOut: c.recordsOut,
      numBytesIn: c.recordsIn * BYTES_PER_RECORD_IN,
      numBytesOut: c.recordsOut * BYTES_PER_RECORD_OUT,
      accumulatedBusyTimeMs: c.busyMs,
      accumulatedIdleTimeMs: c.idleMs,
      accumulatedBackPressuredTimeMs: c.backPressuredMs,
    };
  });
}

/** The IO counters of vertex `v`'s subtasks at `indices` (all of them by default), summed. */
export type IoTotals = Pick<
  SubtaskMetrics,
  | 'numRecordsIn'
  | 'numRecordsOut'
  | 'numBytesIn'
  | 'numBytesOut'
  | 'accumulatedBusyTimeMs'
  | 'accumulatedIdleTimeMs'
  | 'accumulatedBackPressuredTimeMs'
>;

/**
 * The sums of vertexSubtaskMetrics' counters without its rates, watermarks and an object per subtask: the
 * job details sum every vertex's counters on each poll (16,384 subtasks in a 64 × 256 job).
 */
export function vertexIoTotals(
  job: JobState,
  v: number,
  now: number,
  flow: JobFlow = computeFlow(job),
  indices?: readonly number[],
): IoTotals {
  const vertex = job.vertices[v]!;
  const f = flow.vertices.get(vertex.id)!;
  const shares = subtaskShares(job, vertex);
  const t: IoTotals = {
    numRecordsIn: 0,
    numRecordsOut: 0,
    numBytesIn: 0,
    numBytesOut: 0,
    accumulatedBusyTimeMs: 0,
    accumulatedIdleTimeMs: 0,
    accumulatedBackPressuredTimeMs: 0,
  };
  const count = indices ? indices.length : vertex.subtasks.length;
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k]! : k;
    const s = vertex.subtasks[i];
    if (!s) continue;
    const c = counters(job, vertex, f, s, shares[i]!, now);
    t.numRecordsIn += c.recordsIn;
    t.numRecordsOut += c.recordsOut;
    t.numBytesIn += c.recordsIn * BYTES_PER_RECORD_IN;
    t.numBytesOut += c.recordsOut * BYTES_PER_RECORD_OUT;
    t.accumulatedBusyTimeMs += c.busyMs;
    t.accumulatedIdleTimeMs += c.idleMs;
    t.accumulatedBackPressuredTimeMs += c.backPressuredMs;
  }
  return t;
}

const BYTES_PER_RECORD_IN = 220;
const BYTES_PER_RECORD_OUT = 240;

/**
 * Records spread over subtasks with a little skew, the same at every moment: each subtask's share of 1.
 * Kept per vertex object while its job and parallelism hold (the job details read them on every poll).
 */
function subtaskShares(job: JobState, vertex: VertexState): readonly number[] {
  const kept = SHARES.get(vertex);
  if (kept && kept.jid === job.jid && kept.shares.length === vertex.subtasks.length) return kept.shares;
  const u = vertexNoise(job, vertex);
  const weights = vertex.subtasks.map((_, i) => 0.85 + 0.3 * u(NOISE.weight, i, 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / total);
  SHARES.set(vertex, { jid: job.jid, shares });
  return shares;
}
const SHARES = new WeakMap<VertexState, { jid: string; shares: readonly number[] }>();

/**
 * The vertex's noise: its key is hashed once and each draw mixes it with integers. (A 64 × 256 job is
 * 16,384 subtasks read per dashboard view: hashing a string per value cost most of that view.)
 */
function vertexNoise(job: JobState, vertex: VertexState): (kind: number, i: number, t: number) => number {
  const vk = hash32(`${job.jid}:${vertex.id}`);
  return (kind, i, t) => noise3(vk ^ Math.imul(kind, 0x9e3779b1), i, t);
}

/** One subtask's counters since its attempt started RUNNING: the flow's rates × its share × time run. */
function counters(job: JobState, vertex: VertexState, f: VertexFlow, s: SubtaskState, share: number, now: number) {
  const running = s.state === 'RUNNING' && job.status === 'RUNNING';
  const ranFor = running ? Math.max(0, now - (s.timestamps.RUNNING ?? now)) / 1000 : 0;
  return {
    recordsIn: Math.round((vertex.inputs.length > 0 ? f.inRate : 0) * share * ranFor),
    recordsOut: Math.round(f.outRate * share * ranFor),
    busyMs: Math.round(ranFor * f.busy * 1000),
    idleMs: Math.round(ranFor * f.idle * 1000),
    backPressuredMs: Math.round(ranFor * f.backpressured * 1000),
  };
}
