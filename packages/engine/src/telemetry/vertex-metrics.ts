/**
 * Metrics of one vertex's subtasks at a moment, computed on read from the job's data flow (Flink's
 * numRecordsIn/OutPerSecond, busy/idle/backpressured time per second, watermarks and IO counters).
 */
import type { JobState } from '../flink/cluster-state.js';
import { computeFlow, type JobFlow } from '../flink/flow.js';
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
  // The vertex's key is hashed once; each subtask's noise mixes it with integers. (A 64 × 256 job is
  // 16,384 subtasks read per dashboard view: hashing a string per value cost most of that view.)
  const vk = hash32(`${job.jid}:${vertex.id}`);
  const u = (kind: number, i: number, t: number) => noise3(vk ^ Math.imul(kind, 0x9e3779b1), i, t);
  // Records spread over subtasks with a little skew, stable for a given second.
  const weights = vertex.subtasks.map((_, i) => 0.85 + 0.3 * u(NOISE.weight, i, 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return vertex.subtasks.map((s, i) => {
    const running = s.state === 'RUNNING' && job.status === 'RUNNING';
    const share = weights[i]! / total;
    const inRate = running && vertex.inputs.length > 0 ? jitter(u(NOISE.in, i, second), f.inRate * share, 0.05) : 0;
    const outRate = running ? jitter(u(NOISE.out, i, second), f.outRate * share, 0.05) : 0;
    const busy = running ? Math.min(1000, jitter(u(NOISE.busy, i, second), f.busy * 1000, 0.08)) : 0;
    const backpressured = running ? Math.min(1000 - busy, f.backpressured * 1000) : 0;
    const ranFor = running ? Math.max(0, now - (s.timestamps.RUNNING ?? now)) / 1000 : 0;
    const recordsIn = Math.round((vertex.inputs.length > 0 ? f.inRate : 0) * share * ranFor);
    const recordsOut = Math.round(f.outRate * share * ranFor);
    return {
      numRecordsInPerSecond: inRate,
      numRecordsOutPerSecond: outRate,
      busyTimeMsPerSecond: busy,
      idleTimeMsPerSecond: running ? Math.max(0, 1000 - busy - backpressured) : 0,
      backPressuredTimeMsPerSecond: backpressured,
      currentInputWatermark: running
        ? now - job.lagMs - 5_000 - Math.round(u(NOISE.watermark, i, second) * 800)
        : Number.MIN_SAFE_INTEGER,
      numRecordsIn: recordsIn,
      numRecordsOut: recordsOut,
      numBytesIn: recordsIn * 220,
      numBytesOut: recordsOut * 240,
      accumulatedBusyTimeMs: Math.round(ranFor * f.busy * 1000),
      accumulatedIdleTimeMs: Math.round(ranFor * f.idle * 1000),
      accumulatedBackPressuredTimeMs: Math.round(ranFor * f.backpressured * 1000),
    };
  });
}
