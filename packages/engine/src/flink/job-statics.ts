/**
 * Numbers about a job that do not change while it runs (until a restart restores new state): per-vertex
 * nominal and restored state, source and sink rates, the busiest and most backpressured vertex. Hot paths
 * (a checkpoint every minute, a metric sample every minute, for every application) read these instead of
 * walking the job graph each time.
 */
import type { JobState } from './cluster-state.js';
import { computeFlow } from './flow.js';

const MB = 1024 * 1024;

export interface JobStatics {
  /** Per vertex, in vertex order. */
  nominalBytes: number[];
  restoredBytes: number[];
  parallelism: number[];
  vertexIds: string[];
  totalSubtasks: number;
  sourceRate: number;
  sinkRate: number;
  throughputFactor: number;
  maxBusy: number;
  maxBackpressured: number;
}

const cache = new WeakMap<JobState, JobStatics>();

export function jobStatics(job: JobState): JobStatics {
  let s = cache.get(job);
  if (!s) cache.set(job, (s = compute(job)));
  return s;
}

/** After a restart restores other state, the restored sizes change. */
export function forgetStatics(job: JobState): void {
  cache.delete(job);
}

function compute(job: JobState): JobStatics {
  const flow = computeFlow(job);
  const vs = job.vertices;
  const consumed = new Set(vs.flatMap((v) => v.inputs.map((i) => i.id)));
  let sourceRate = 0;
  let sinkRate = 0;
  for (const v of vs) {
    const f = flow.vertices.get(v.id)!;
    if (v.inputs.length === 0) sourceRate += f.inRate;
    if (!consumed.has(v.id)) sinkRate += f.inRate;
  }
  return {
    nominalBytes: vs.map((v) =>
      v.operators.reduce((sum, op) => sum + (op.stateMbPerSubtask ?? 0) * MB * v.parallelism, 0),
    ),
    restoredBytes: vs.map((v) => v.operators.reduce((sum, op) => sum + (job.restoredState[op.uid] ?? 0), 0)),
    parallelism: vs.map((v) => v.parallelism),
    vertexIds: vs.map((v) => v.id),
    totalSubtasks: vs.reduce((n, v) => n + v.parallelism, 0),
    sourceRate,
    sinkRate,
    throughputFactor: flow.throughputFactor,
    maxBusy: flow.maxBusy,
    maxBackpressured: flow.maxBackpressured,
  };
}

/** State grows from a quarter of its nominal size to all of it over the first 30 minutes of processing. */
export function stateGrowth(job: JobState, now: number): number {
  const uptime = job.processingSince !== undefined ? now - job.processingSince : 0;
  return Math.min(1, 0.25 + uptime / 1_800_000);
}

/** Bytes of state of vertex `i` at `now`. */
export function vertexStateBytes(s: JobStatics, i: number, growth: number): number {
  return Math.round(Math.max(s.restoredBytes[i]!, s.nominalBytes[i]! * growth));
}
