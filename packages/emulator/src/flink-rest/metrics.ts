/**
 * Metric endpoints in their wire form, which is not the spec's: bare arrays `[{"id","value"}]` with values
 * as strings, and `[{"id","min","max","avg","sum","skew"}]` for the aggregation over subtasks. Without
 * `?get=` they list the metric ids only. Unknown ids are left out, as Flink does.
 */
import { noise, type JobState, type SubtaskMetrics } from '@mfc/engine';
import { requireJob, requireSubtask, requireVertex, type JobView, type RestContext } from './context.js';
import { badRequest } from './errors.js';
import { metricAggregate, type MetricAggregate } from './stats.js';

// ---- wire types ------------------------------------------------------------------------------------

export interface MetricId {
  id: string;
}

export interface MetricValue {
  id: string;
  value: string;
}

export type AggregatedMetric = MetricId & Partial<MetricAggregate>;

/** Flink's Long.MIN_VALUE: the watermark of a subtask that has none yet. */
export const NO_WATERMARK = '-9223372036854775808';

type MetricMap = Map<string, number | string>;

// ---- metric values ---------------------------------------------------------------------------------

/** The task metrics of one subtask (Flink's names), numbers except where Flink reports text. */
export function taskMetrics(view: JobView, vertexIndex: number, i: number): MetricMap {
  const m: SubtaskMetrics = view.subtaskMetrics(vertexIndex)[i]!;
  const s = view.job.vertices[vertexIndex]!.subtasks[i]!;
  const running = s.state === 'RUNNING' && view.job.status === 'RUNNING';
  const backPressured = m.backPressuredTimeMsPerSecond / 1000;
  return new Map<string, number | string>([
    ['numRecordsIn', m.numRecordsIn],
    ['numRecordsOut', m.numRecordsOut],
    ['numRecordsInPerSecond', m.numRecordsInPerSecond],
    ['numRecordsOutPerSecond', m.numRecordsOutPerSecond],
    ['numBytesIn', m.numBytesIn],
    ['numBytesOut', m.numBytesOut],
    ['numBytesInPerSecond', m.numRecordsInPerSecond * 220],
    ['numBytesOutPerSecond', m.numRecordsOutPerSecond * 240],
    ['busyTimeMsPerSecond', m.busyTimeMsPerSecond],
    ['idleTimeMsPerSecond', m.idleTimeMsPerSecond],
    ['backPressuredTimeMsPerSecond', m.backPressuredTimeMsPerSecond],
    ['accumulatedBusyTimeMs', m.accumulatedBusyTimeMs],
    ['accumulatedIdleTimeMs', m.accumulatedIdleTimeMs],
    ['accumulatedBackPressuredTimeMs', m.accumulatedBackPressuredTimeMs],
    ['isBackPressured', String(backPressured > 0.1)],
    // Output buffers fill up behind a back-pressured downstream; input buffers behind a busy task.
    ['buffers.outPoolUsage', running ? Math.min(1, backPressured * 1.05) : 0],
    ['buffers.inPoolUsage', running ? Math.min(1, Math.max(0, m.busyTimeMsPerSecond / 1000 - 0.3) * 1.4) : 0],
    ['currentInputWatermark', running ? m.currentInputWatermark : NO_WATERMARK],
  ]);
}

/** Job metrics of the JobManager's job group. */
export function jobMetrics(job: JobState, now: number): MetricMap {
  const terminal = job.status === 'FINISHED' || job.status === 'CANCELED' || job.status === 'FAILED';
  const since = (status: keyof JobState['statusTimestamps']) => now - (job.statusTimestamps[status] ?? now);
  const restartingTs = job.statusTimestamps.RESTARTING;
  const runningTs = job.statusTimestamps.RUNNING;
  const restartingTime =
    job.status === 'RESTARTING'
      ? since('RESTARTING')
      : restartingTs !== undefined && runningTs !== undefined && runningTs >= restartingTs
        ? runningTs - restartingTs
        : 0;
  const cp = job.checkpoints;
  const last = cp.latestCompleted;
  return new Map<string, number | string>([
    ['numRestarts', job.numRestarts],
    ['fullRestarts', job.numRestarts],
    ['uptime', job.status === 'RUNNING' ? since('RUNNING') : terminal ? -1 : 0],
    ['downtime', job.status === 'RESTARTING' || job.status === 'FAILING' ? since(job.status) : terminal ? -1 : 0],
    ['restartingTime', restartingTime],
    ['runningTime', job.status === 'RUNNING' ? since('RUNNING') : 0],
    ['lastCheckpointDuration', last?.endToEndDuration ?? -1],
    ['lastCheckpointSize', last?.checkpointedSize ?? -1],
    ['lastCheckpointFullSize', last?.stateSize ?? -1],
    ['lastCheckpointProcessedData', last?.processedData ?? -1],
    ['lastCheckpointPersistedData', last?.persistedData ?? -1],
    ['lastCheckpointRestoreTimestamp', cp.restored?.restoreTimestamp ?? -1],
    ['numberOfCompletedCheckpoints', cp.counts.completed],
    ['numberOfFailedCheckpoints', cp.counts.failed],
    ['numberOfInProgressCheckpoints', cp.counts.in_progress],
    ['totalNumberOfCheckpoints', cp.counts.total],
  ]);
}

/** JVM and network metrics of a TaskManager or the JobManager, steady with a little per-minute noise. */
export function processMetrics(key: string, heapMax: number, now: number): MetricMap {
  const minute = Math.floor(now / 60_000);
  const n = (what: string) => noise(`${key}:${what}:${minute}`);
  const heapCommitted = Math.round(heapMax * 0.6);
  return new Map<string, number | string>([
    ['Status.JVM.CPU.Load', 0.15 + 0.3 * n('cpu')],
    ['Status.JVM.CPU.Time', Math.round(now / 10)],
    ['Status.JVM.Memory.Heap.Used', Math.round(heapCommitted * (0.35 + 0.4 * n('heap')))],
    ['Status.JVM.Memory.Heap.Committed', heapCommitted],
    ['Status.JVM.Memory.Heap.Max', heapMax],
    ['Status.JVM.Memory.NonHeap.Used', Math.round(150_000_000 * (0.8 + 0.2 * n('nonheap')))],
    ['Status.JVM.Memory.NonHeap.Committed', 160_000_000],
    ['Status.JVM.Memory.NonHeap.Max', -1],
    ['Status.JVM.Memory.Metaspace.Used', 98_000_000],
    ['Status.JVM.Memory.Metaspace.Max', 268_435_456],
    ['Status.JVM.Memory.Direct.Count', 4096],
    ['Status.JVM.Memory.Direct.MemoryUsed', 134_217_728],
    ['Status.JVM.Memory.Direct.TotalCapacity', 134_217_728],
    ['Status.JVM.Memory.Mapped.Count', 0],
    ['Status.JVM.Memory.Mapped.MemoryUsed', 0],
    ['Status.JVM.Memory.Mapped.TotalCapacity', 0],
    ['Status.JVM.Threads.Count', 60 + Math.round(20 * n('threads'))],
    ['Status.JVM.GarbageCollector.G1_Young_Generation.Count', Math.round(now / 600_000) % 100_000],
    ['Status.JVM.GarbageCollector.G1_Young_Generation.Time', Math.round(now / 60_000) % 1_000_000],
    ['Status.JVM.GarbageCollector.G1_Old_Generation.Count', 0],
    ['Status.JVM.GarbageCollector.G1_Old_Generation.Time', 0],
  ]);
}

// ---- query handling --------------------------------------------------------------------------------

const requested = (ctx: RestContext): string[] | undefined => {
  const get = ctx.query.get('get');
  return get === null
    ? undefined
    : get
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
};

/** `[{"id"}]` without `get`; `[{"id","value"}]` for the requested ids that exist. */
export function metricValues(ctx: RestContext, metrics: MetricMap): MetricId[] | MetricValue[] {
  const ids = requested(ctx);
  if (!ids) return [...metrics.keys()].map((id) => ({ id }));
  return ids.filter((id) => metrics.has(id)).map((id) => ({ id, value: String(metrics.get(id)) }));
}

const AGGREGATIONS = ['min', 'max', 'avg', 'sum', 'skew'] as const;

/** `?subtasks=1,3,5-9` as indices; all of them when absent. */
function subtaskFilter(ctx: RestContext, parallelism: number): number[] {
  const raw = ctx.query.get('subtasks');
  if (raw === null || raw.trim() === '') return Array.from({ length: parallelism }, (_, i) => i);
  const out = new Set<number>();
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw badRequest(`Cannot parse query parameter subtasks: '${raw}'.`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to && i < parallelism; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

function aggregations(ctx: RestContext): (typeof AGGREGATIONS)[number][] {
  const raw = ctx.query.get('agg');
  if (raw === null || raw.trim() === '') return [...AGGREGATIONS];
  return raw.split(',').map((a) => {
    const mode = a.trim().toLowerCase() as (typeof AGGREGATIONS)[number];
    if (!AGGREGATIONS.includes(mode)) throw badRequest(`Cannot parse query parameter agg: '${raw}'.`);
    return mode;
  });
}

// ---- handlers --------------------------------------------------------------------------------------

export function jobMetricsResource(ctx: RestContext): MetricId[] | MetricValue[] {
  const view = requireJob(ctx);
  return metricValues(ctx, jobMetrics(view.job, view.now));
}

/** Vertex metrics carry the subtask index as a prefix: `0.numRecordsIn`. */
export function vertexMetrics(ctx: RestContext): MetricId[] | MetricValue[] {
  const { view, vertex, index } = requireVertex(ctx);
  const all: MetricMap = new Map();
  vertex.subtasks.forEach((_, i) => {
    for (const [id, value] of taskMetrics(view, index, i)) all.set(`${i}.${id}`, value);
  });
  return metricValues(ctx, all);
}

export function subtaskMetrics(ctx: RestContext): MetricId[] | MetricValue[] {
  const { view, index, subtaskIndex } = requireSubtask(ctx);
  return metricValues(ctx, taskMetrics(view, index, subtaskIndex));
}

export function aggregatedSubtaskMetrics(ctx: RestContext): MetricId[] | AggregatedMetric[] {
  const { view, vertex, index } = requireVertex(ctx);
  const subtasks = subtaskFilter(ctx, vertex.parallelism);
  const maps = subtasks.map((i) => taskMetrics(view, index, i));
  const ids = requested(ctx);
  if (!ids) return [...taskMetrics(view, index, 0).keys()].map((id) => ({ id }));
  const modes = aggregations(ctx);
  return ids.flatMap((id) => {
    // Only numeric metrics aggregate (not isBackPressured); a watermark-less subtask counts as Long.MIN_VALUE.
    const values = maps
      .map((m) => m.get(id))
      .filter((v): v is number | string => v !== undefined && v !== 'true' && v !== 'false');
    if (values.length === 0) return [];
    const agg = metricAggregate(values.map(Number));
    const out: AggregatedMetric = { id };
    for (const mode of modes) out[mode] = agg[mode];
    return [out];
  });
}

/** `[{"id":"<subtask>.currentInputWatermark","value":"<ms>"}]`. */
export function watermarks(ctx: RestContext): MetricValue[] {
  const { view, vertex, index } = requireVertex(ctx);
  return vertex.subtasks.map((_, i) => ({
    id: `${i}.currentInputWatermark`,
    value: String(taskMetrics(view, index, i).get('currentInputWatermark')),
  }));
}
