/**
 * Numbers about a job that do not change while it runs (until a restart restores new state): per-vertex
 * nominal and restored state, source and sink rates, the busiest and most backpressured vertex. Hot paths
 * (a checkpoint every minute, a metric sample every minute, for every application) read these instead of
 * walking the job graph each time.
 */
import type { JobState } from './cluster-state.js';
import { computeFlow, type JobFlow } from './flow.js';

const MB = 1024 * 1024;
const VERTEX_FIELDS = 3;

/** Flink's network stack defaults: 32 KiB buffers, 2 exclusive per input channel, 8 floating per gate. */
const BUFFER_BYTES = 32 * 1024;
const EXCLUSIVE_BUFFERS = 2;
const FLOATING_BUFFERS = 8;
/** How full the buffers of a channel that is not backpressured are, on average. */
const IDLE_FILL = 0.02;

export interface JobStatics {
  /**
   * Per vertex, in vertex order: nominal state bytes, restored state bytes and parallelism, packed
   * (VERTEX_FIELDS numbers a vertex) so a checkpoint reads one array rather than three. A plain array of
   * doubles: a small typed array would cost an off-heap buffer per job.
   */
  vertexNumbers: number[];
  vertexIds: string[];
  totalSubtasks: number;
  sourceRate: number;
  sinkRate: number;
  throughputFactor: number;
  maxBusy: number;
  maxBackpressured: number;
  /**
   * Per vertex, in vertex order: bytes in flight in the network buffers in front of it (its input gates and
   * its producers' output buffers for it), as full as backpressure makes them. What an unaligned checkpoint
   * persists, before buffer debloating shrinks the buffers. Sources have none.
   */
  inFlightBytes: number[];
  inFlightTotal: number;
  /** Per vertex, in vertex order: state bytes a state-leak fault adds per millisecond of processing. */
  leakBytesPerMs: number[];
  /** Filled in on first use by the cluster running the job: its application key's hash (metric noise). */
  appHash?: number;
  /** ... and `s3://managed-flink-state/<cluster id>/<job id>/chk-`, for the cluster id it was built for. */
  pathPrefix?: string;
  pathClusterId?: string;
}

/**
 * Kept on the job itself under a non-enumerable symbol: invisible to JSON (what is stored), to spreads
 * and to Object.entries, and one pointer away from the job, where a WeakMap lookup would cost a hash
 * probe (and its cache misses) twice per application per simulated minute.
 */
const STATICS = Symbol('jobStatics');
type WithStatics = JobState & { [STATICS]?: JobStatics };

export function jobStatics(job: JobState): JobStatics {
  const s = (job as WithStatics)[STATICS];
  if (s) return s;
  const computed = compute(job);
  if (Object.prototype.hasOwnProperty.call(job, STATICS)) (job as WithStatics)[STATICS] = computed;
  else Object.defineProperty(job, STATICS, { value: computed, writable: true, enumerable: false });
  return computed;
}

/** After a restart restores other state, the restored sizes change. */
export function forgetStatics(job: JobState): void {
  if ((job as WithStatics)[STATICS]) (job as WithStatics)[STATICS] = undefined;
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
  const vertexNumbers = vs.flatMap((v) => [
    v.operators.reduce((sum, op) => sum + (op.stateMbPerSubtask ?? 0) * MB * v.parallelism, 0),
    v.operators.reduce((sum, op) => sum + (job.restoredState[op.uid] ?? 0), 0),
    v.parallelism,
  ]);
  const inFlightBytes = inFlight(job, flow);
  const leaks = (job.manifest.faults ?? []).filter((f) => f.kind === 'state-leak');
  const leakBytesPerMs = vs.map(
    (v) =>
      leaks
        .filter((f) => v.operators.some((op) => op.uid === f.operator))
        .reduce((sum, f) => sum + (f.mbPerHour ?? 0) * MB * v.parallelism, 0) / 3_600_000,
  );
  return {
    leakBytesPerMs,
    vertexNumbers,
    vertexIds: vs.map((v) => v.id),
    totalSubtasks: vs.reduce((n, v) => n + v.parallelism, 0),
    sourceRate,
    sinkRate,
    throughputFactor: flow.throughputFactor,
    maxBusy: flow.maxBusy,
    maxBackpressured: flow.maxBackpressured,
    inFlightBytes,
    inFlightTotal: inFlightBytes.reduce((a, b) => a + b, 0),
  };
}

/**
 * In-flight bytes per vertex: every input edge holds the consumer's input buffers (exclusive ones per
 * channel, floating ones per gate) and as much again in the producer's output buffers, filled as far as
 * the producer is backpressured (a backpressured producer has full buffers waiting for credit).
 */
function inFlight(job: JobState, flow: JobFlow): number[] {
  const byId = new Map(job.vertices.map((v) => [v.id, v]));
  return job.vertices.map((v) =>
    v.inputs.reduce((sum, input) => {
      const up = byId.get(input.id);
      if (!up) return sum;
      const channels = input.ship === 'FORWARD' ? 1 : up.parallelism;
      const capacity = 2 * v.parallelism * (EXCLUSIVE_BUFFERS * channels + FLOATING_BUFFERS) * BUFFER_BYTES;
      const fill = Math.max(IDLE_FILL, flow.vertices.get(up.id)?.backpressured ?? 0);
      return sum + Math.round(capacity * fill);
    }, 0),
  );
}

/** State grows from a quarter of its nominal size to all of it over the first 30 minutes of processing. */
export function stateGrowth(job: JobState, now: number): number {
  const uptime = job.processingSince !== undefined ? now - job.processingSince : 0;
  return Math.min(1, 0.25 + uptime / 1_800_000);
}

/** Bytes of state of vertex `i` at `now`; a leaking operator adds its leak for every ms of processing. */
export function vertexStateBytes(s: JobStatics, i: number, growth: number, processingMs = 0): number {
  const n = s.vertexNumbers;
  const leak = s.leakBytesPerMs[i]! * processingMs;
  return Math.round(Math.max(n[i * VERTEX_FIELDS + 1]!, n[i * VERTEX_FIELDS]! * growth) + leak);
}

/** How long the job has processed since its last (re)start. */
export const processingMs = (job: JobState, now: number) =>
  job.processingSince !== undefined ? Math.max(0, now - job.processingSince) : 0;

export function vertexParallelism(s: JobStatics, i: number): number {
  return s.vertexNumbers[i * VERTEX_FIELDS + 2]!;
}
