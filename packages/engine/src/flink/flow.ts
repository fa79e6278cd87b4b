/**
 * Steady-state data flow through a job: records in/out per vertex, and how busy, idle or backpressured
 * each vertex is. A slow operator (a `slow-sink`/`backpressure` fault, or an operator's
 * maxRecordsPerSecond) throttles everything upstream of it, the way Flink's credit-based flow control does.
 * A slow fault with `scalesWithParallelism` has a capacity per subtask: its `capacityFactor` holds at its
 * `referenceParallelism`, and more subtasks keep up with proportionally more (the fix Flink's documentation
 * gives for a bottleneck: more parallelism for it).
 */
import { faultOf } from './manifest.js';
import type { JobState, VertexState } from './cluster-state.js';

export interface VertexFlow {
  /** Records per second into / out of the whole vertex. */
  inRate: number;
  outRate: number;
  /** Fractions of each second, summing to at most 1. */
  busy: number;
  backpressured: number;
  idle: number;
}

export interface JobFlow {
  vertices: Map<string, VertexFlow>;
  /** The highest backpressured ratio of any vertex. */
  maxBackpressured: number;
  maxBusy: number;
  /** Fraction of the source demand the job keeps up with (1 = no backpressure). */
  throughputFactor: number;
  /** Index of the bottleneck vertex, if any. */
  bottleneck?: number;
}

const DEFAULT_SOURCE_RATE = 1000;

/** Vertices in an order where every vertex comes after its inputs. */
export function topologicalOrder(vertices: VertexState[]): number[] {
  const index = new Map(vertices.map((v, i) => [v.id, i]));
  const indegree = vertices.map((v) => v.inputs.length);
  const out: number[] = [];
  const ready = vertices.map((_, i) => i).filter((i) => indegree[i] === 0);
  while (ready.length > 0) {
    const i = ready.shift()!;
    out.push(i);
    vertices.forEach((v, j) => {
      if (v.inputs.some((inp) => index.get(inp.id) === i) && --indegree[j]! === 0) ready.push(j);
    });
  }
  return out;
}

/** A job's flow depends only on its graph and faults, fixed for the job's life: computed once per job. */
const flowCache = new WeakMap<JobState, JobFlow>();

export function computeFlow(job: JobState): JobFlow {
  let flow = flowCache.get(job);
  if (!flow) flowCache.set(job, (flow = computeFlowUncached(job)));
  return flow;
}

function computeFlowUncached(job: JobState): JobFlow {
  const vs = job.vertices;
  const order = topologicalOrder(vs);
  const index = new Map(vs.map((v, i) => [v.id, i]));
  const demandIn = new Array<number>(vs.length).fill(0);
  const demandOut = new Array<number>(vs.length).fill(0);
  const capacity = new Array<number>(vs.length).fill(Infinity);
  /** Vertices whose capacity is per subtask: their busy time follows their utilization. */
  const perSubtask = new Array<boolean>(vs.length).fill(false);
  const slow = faultOf(job.manifest, 'slow-sink') ?? faultOf(job.manifest, 'backpressure');
  const scales = slow?.scalesWithParallelism === true;

  for (const i of order) {
    const v = vs[i]!;
    const head = v.operators[0]!;
    demandIn[i] =
      v.inputs.length === 0
        ? (head.recordsPerSecond ?? DEFAULT_SOURCE_RATE)
        : v.inputs.reduce((sum, inp) => sum + demandOut[index.get(inp.id)!]!, 0);
    demandOut[i] = v.operators.reduce((rate, op) => rate * (op.selectivity ?? 1), demandIn[i]!);
    for (const op of v.operators) {
      if (op.maxRecordsPerSecond !== undefined) capacity[i] = Math.min(capacity[i]!, op.maxRecordsPerSecond);
      if (slow && (slow.operator === op.uid || (!slow.operator && v.inputs.length > 0 && isSink(vs, i)))) {
        const subtasks = scales ? v.parallelism / (slow.referenceParallelism ?? 1) : 1;
        capacity[i] = Math.min(capacity[i]!, demandIn[i]! * (slow.capacityFactor ?? 0.4) * subtasks);
        if (scales) perSubtask[i] = true;
      }
    }
  }

  let factor = 1;
  let bottleneck: number | undefined;
  vs.forEach((_, i) => {
    const f = demandIn[i]! > 0 ? capacity[i]! / demandIn[i]! : 1;
    if (f < factor) {
      factor = f;
      bottleneck = i;
    }
  });

  const upstreamOfBottleneck = new Set<number>();
  if (bottleneck !== undefined) {
    const stack = [bottleneck];
    while (stack.length > 0) {
      for (const inp of vs[stack.pop()!]!.inputs) {
        const j = index.get(inp.id)!;
        if (!upstreamOfBottleneck.has(j)) {
          upstreamOfBottleneck.add(j);
          stack.push(j);
        }
      }
    }
  }

  const vertices = new Map<string, VertexFlow>();
  vs.forEach((v, i) => {
    const inRate = demandIn[i]! * factor;
    const outRate = demandOut[i]! * factor;
    let busy = Math.min(0.6, 0.04 + (0.3 * inRate) / v.parallelism / 2000);
    let backpressured = 0;
    if (i === bottleneck) busy = 0.98;
    else if (perSubtask[i] && capacity[i]! > 0) busy = Math.max(busy, Math.min(0.98, inRate / capacity[i]!));
    if (i !== bottleneck && upstreamOfBottleneck.has(i)) {
      backpressured = Math.min(0.95, (1 - factor) * 0.95);
      busy = Math.min(busy, 1 - backpressured);
    }
    vertices.set(v.id, { inRate, outRate, busy, backpressured, idle: Math.max(0, 1 - busy - backpressured) });
  });
  const all = [...vertices.values()];
  return {
    vertices,
    throughputFactor: factor,
    bottleneck,
    maxBackpressured: Math.max(0, ...all.map((f) => f.backpressured)),
    maxBusy: Math.max(0, ...all.map((f) => f.busy)),
  };
}

function isSink(vs: VertexState[], i: number): boolean {
  const id = vs[i]!.id;
  return !vs.some((v) => v.inputs.some((inp) => inp.id === id));
}

/** Flink's backpressure level from the ratio of backpressured time. */
export function backpressureLevel(ratio: number): 'ok' | 'low' | 'high' {
  return ratio <= 0.1 ? 'ok' : ratio <= 0.5 ? 'low' : 'high';
}
